/**
 * One row of a historical-appeals file → the events that tell its history: `appeal.created`, then
 * one `appeal.transitioned` per step to the row's status. Each event id is derived from the row:
 * `imp.<appeal id>.<step number>.<hash of this step and every step before it>`, so importing the
 * same row again produces the same ids (ingest calls them duplicates: nothing changes), a row that
 * only adds later steps adds only those, and a row that tells a different story gets different
 * ids, which the importer detects and refuses.
 */
import { createHash } from 'node:crypto';
import {
  MAX_FUTURE_MS,
  canReadScope,
  type AccessPrincipal,
  type AppealStatus,
  type CityEvent,
  type Satisfaction,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import { checkEvent } from '../../core/ingest/validate-event.ts';
import { IMPORT_COLUMNS, codeOf, parseTime, reporterKindOf, satisfactionOf, statusOf, subcategoryOf } from './columns.ts';

export const APPEAL_ID_MAX = 64;
const APPEAL_ID = /^[A-Za-z0-9._:-]+$/;
const PHONE = /^[0-9+\- ]{1,20}$/;

export interface RowContext {
  geo: Geography;
  utcOffsetMinutes: number;
  now: number;
  /** Who imports: rows outside its scope are refused. */
  principal: AccessPrincipal;
}

export interface RowEvents {
  appealId: string;
  community: string;
  events: CityEvent[];
  /** Status after each event, parallel to `events`. */
  statuses: AppealStatus[];
}

/** Thrown for a row that cannot be imported; the message is the reason shown with its line. */
export class RowError extends Error {}

type Row = Record<string, string>;

const text = (row: Row, key: string): string | undefined => {
  const v = row[key]?.trim();
  return v ? v : undefined;
};

function time(row: Row, key: string, ctx: RowContext): number | undefined {
  const v = text(row, key);
  if (v === undefined) return undefined;
  const ms = parseTime(v, ctx.utcOffsetMinutes);
  if (ms === undefined) throw new RowError(`${key} "${v}" is not a time: write 2026-11-27 10:00 (local) or 2026-11-27T10:00:00+08:00`);
  if (ms > ctx.now + MAX_FUTURE_MS) throw new RowError(`${key} ${v} is in the future`);
  return ms;
}

function num(row: Row, key: string): number | undefined {
  const v = text(row, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RowError(`${key} "${v}" is not a number`);
  return n;
}

function maxLength(row: Row, key: string, max: number): string | undefined {
  const v = text(row, key);
  if (v !== undefined && v.length > max) throw new RowError(`${key} has ${v.length} characters; at most ${max}`);
  return v;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Status steps from collected to `status`. Without a unit or a dispatch time, a resolved appeal was handled on intake. */
function path(status: AppealStatus, dispatched: boolean): AppealStatus[] {
  switch (status) {
    case 'collected':
      return [];
    case 'verified':
      return ['verified'];
    case 'dispatched':
      return ['verified', 'dispatched'];
    case 'handling':
      return ['verified', 'dispatched', 'handling'];
    case 'resolved':
      return dispatched ? ['verified', 'dispatched', 'handling', 'resolved'] : ['resolved'];
    case 'closed':
      return dispatched ? ['verified', 'dispatched', 'handling', 'resolved', 'closed'] : ['resolved', 'closed'];
    case 'rejected':
      return ['rejected'];
  }
}

function hashId(appealId: string, step: number, previous: string, e: Omit<CityEvent, 'id'>): string {
  const h = createHash('sha256').update(previous).update(JSON.stringify(e)).digest('hex').slice(0, 16);
  return `imp.${appealId}.${step}.${h}`;
}

/** The events of one row, or a RowError naming the first problem found. */
export function rowEvents(row: Row, ctx: RowContext): RowEvents {
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !text(row, c.key)).map((c) => c.key);
  if (missing.length) throw new RowError(`missing ${missing.join(', ')}`);

  const appealId = text(row, 'appeal_id')!;
  if (appealId.length > APPEAL_ID_MAX || !APPEAL_ID.test(appealId))
    throw new RowError(`appeal_id "${appealId}" must be 1–${APPEAL_ID_MAX} letters, digits, dots, dashes, colons or underscores`);

  const channel = codeOf('channel', text(row, 'channel')!);
  if (!channel) throw new RowError(`channel "${text(row, 'channel')}" is not a channel code or name of the taxonomy`);
  const nature = codeOf('nature', text(row, 'nature')!);
  if (!nature) throw new RowError(`nature "${text(row, 'nature')}" is not a nature code or name of the taxonomy`);
  const category = codeOf('category', text(row, 'category')!);
  if (!category) throw new RowError(`category "${text(row, 'category')}" is not a category code or name of the taxonomy`);
  let subcategory: string | undefined;
  const sub = text(row, 'subcategory');
  if (sub) {
    subcategory = subcategoryOf(category, sub);
    if (!subcategory) throw new RowError(`subcategory "${sub}" is not a subcategory of category ${category}`);
  }
  const title = maxLength(row, 'title', 200)!;
  const description = maxLength(row, 'description', 4000);
  const address = maxLength(row, 'address', 200);
  const name = maxLength(row, 'reporter_name', 50);
  const phone = text(row, 'reporter_phone');
  if (phone && !PHONE.test(phone)) throw new RowError(`reporter_phone "${phone}" may hold digits, spaces, + and - only (at most 20)`);
  const kindText = text(row, 'reporter_kind');
  const reporterKind = kindText ? reporterKindOf(kindText) : 'resident';
  if (!reporterKind) throw new RowError(`reporter_kind "${kindText}" is not one of resident, enterprise (or 群众, 企业)`);

  // place: coordinates, or a community code (its centre stands in for the point)
  const lon = num(row, 'lon');
  const lat = num(row, 'lat');
  const communityCode = text(row, 'community_code');
  if ((lon === undefined) !== (lat === undefined)) throw new RowError('lon and lat must be given together');
  let location: { lon: number; lat: number };
  if (communityCode) {
    const area = ctx.geo.area(communityCode);
    if (!area || area.level !== 'community')
      throw new RowError(`community_code "${communityCode}" is not a community of ${ctx.geo.root.level} ${ctx.geo.root.code}`);
    location = lon !== undefined ? { lon, lat: lat! } : { lon: area.center[0], lat: area.center[1] };
  } else if (lon !== undefined) {
    location = { lon, lat: lat! };
  } else {
    throw new RowError('a place is needed: lon and lat, or community_code');
  }

  const createdAt = time(row, 'created_at', ctx)!;
  const deadline = time(row, 'deadline', ctx);
  if (deadline !== undefined && deadline <= createdAt) throw new RowError('deadline must be later than created_at');
  const statusText = text(row, 'status');
  const status = statusText ? statusOf(statusText) : 'collected';
  if (!status)
    throw new RowError(
      `status "${statusText}" is not one of collected, verified, dispatched, handling, resolved, closed, rejected (or their Chinese names)`,
    );
  const unit = maxLength(row, 'unit', 100);
  const note = maxLength(row, 'note', 1000);
  const dispatchedAt = time(row, 'dispatched_at', ctx);
  const resolvedAt = time(row, 'resolved_at', ctx);
  const closedAt = time(row, 'closed_at', ctx);
  const satisfactionText = text(row, 'satisfaction');
  let satisfaction: Satisfaction | undefined;
  if (satisfactionText) {
    satisfaction = satisfactionOf(satisfactionText);
    if (!satisfaction)
      throw new RowError(
        `satisfaction "${satisfactionText}" is not one of satisfied, basically_satisfied, dissatisfied, not_rated (or 满意, 基本满意, 不满意, 未评价)`,
      );
    if (status !== 'closed') throw new RowError('satisfaction is given only for a closed appeal');
  }
  if ((status === 'resolved' || status === 'closed') && resolvedAt === undefined)
    throw new RowError(`a ${status} appeal needs resolved_at`);
  if ((status === 'closed' || status === 'rejected') && closedAt === undefined) throw new RowError(`a ${status} appeal needs closed_at`);

  const created: Omit<CityEvent, 'id'> = {
    type: 'appeal.created',
    occurredAt: iso(createdAt),
    data: {
      appealId,
      channel,
      nature,
      category,
      ...(subcategory ? { subcategory } : {}),
      title,
      ...(description ? { description } : {}),
      location: address ? { ...location, address } : location,
      ...(communityCode ? { communityCode } : {}),
      ...(name || phone ? { reporter: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
      // resident is the default and goes unsaid: rows imported before this column keep their event ids
      ...(reporterKind === 'enterprise' ? { reporterKind } : {}),
      ...(deadline !== undefined ? { deadline: iso(deadline) } : {}),
    },
  } as Omit<CityEvent, 'id'>;

  const firstId = hashId(appealId, 0, '', created);
  const first = { id: firstId, ...created } as CityEvent;
  const checked = checkEvent(first, ctx.geo, { now: ctx.now });
  if (!checked.ok) throw new RowError(checked.reason);
  const community = checked.community!;
  if (!canReadScope(ctx.principal, `community:${community}`))
    throw new RowError(`the appeal lies in community ${community}, outside your scope ${ctx.principal.scope}`);

  const steps = path(status, unit !== undefined || dispatchedAt !== undefined);
  const events: CityEvent[] = [first];
  const statuses: AppealStatus[] = ['collected'];
  let previous = firstId;
  let at = createdAt;
  steps.forEach((to, i) => {
    const stepAt = to === 'resolved' ? resolvedAt! : to === 'closed' || to === 'rejected' ? closedAt! : (dispatchedAt ?? createdAt);
    if (stepAt < at)
      throw new RowError(`the times are out of order: "${to}" at ${iso(stepAt)} comes before the step before it (${iso(at)})`);
    at = stepAt;
    const last = i === steps.length - 1;
    const e = {
      type: 'appeal.transitioned',
      occurredAt: iso(stepAt),
      data: {
        appealId,
        to,
        ...(to === 'dispatched' && unit ? { unit } : {}),
        ...(last && note ? { note } : {}),
        ...(to === 'closed' && satisfaction ? { satisfaction } : {}),
      },
    } as Omit<CityEvent, 'id'>;
    previous = hashId(appealId, i + 1, previous, e);
    events.push({ id: previous, ...e } as CityEvent);
    statuses.push(to);
  });
  if (unit && !steps.includes('dispatched')) throw new RowError(`unit is given but a ${status} appeal was never dispatched`);
  return { appealId, community, events, statuses };
}
