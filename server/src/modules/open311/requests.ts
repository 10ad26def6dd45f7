/**
 * Appeals as Open311 service requests, and the GET Service Requests filters as a read-model query.
 *
 * What a caller sees depends on who it is (docs/open311.md):
 *   internal  a signed-in person, a wall device or a producer API key: every Open311 field, with
 *             reporter data and the exact address masked unless the person has PII clearance;
 *   public    anonymous (demo mode only): the fields classified `public` — status, service, times,
 *             the community instead of the address and the community's centre instead of the point.
 */
import { OPEN_STATUSES, redactAppeal, taxonomyLabel, type AppealStatus } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import { type AppealQuery, type AppealReadModel, type AppealRecord } from '../appeals/appeal-read-model.ts';
import { STATUS_ZH } from '../appeal-io/columns.ts';
import { serviceCodeOf, serviceTarget } from './services.ts';
import { MEDIA_PREFIX } from './create.ts';

export interface Audience {
  tier: 'public' | 'internal';
  /** Clearance for personal data (never for the public tier). */
  pii: boolean;
  /** Scope bounding what it reads. */
  scope: string;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: number;
  long: number;
  media_url?: string;
}

/** Open311 knows two statuses; the appeal's own stage is in status_notes. */
export const open311Status = (s: AppealStatus): 'open' | 'closed' => (OPEN_STATUSES.has(s) ? 'open' : 'closed');
export const CLOSED_STATUSES: readonly AppealStatus[] = ['closed', 'rejected'];
export const OPEN_STATUS_LIST: readonly AppealStatus[] = [...OPEN_STATUSES];

const MEDIA_LINE = new RegExp(`\\n?${MEDIA_PREFIX}(https?://\\S+)\\s*$`);

export function splitMedia(description: string | null): { text: string | null; media?: string } {
  if (!description) return { text: description };
  const m = description.match(MEDIA_LINE);
  if (!m) return { text: description };
  const text = description.slice(0, m.index).trimEnd();
  return { text: text || null, media: m[1] };
}

/** `2026-11-27T10:00:00+08:00`: W3C date-time in the district's own offset, as the spec asks (zone included). */
export function w3cTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `坪山区坪山街道六联社区`: the public description of where an appeal is. */
export function placeName(geo: Geography, community: string): string {
  const c = geo.area(community);
  const s = c?.parent ? geo.area(c.parent) : undefined;
  const d = s?.parent ? geo.area(s.parent) : undefined;
  return `${d?.name ?? ''}${s?.name ?? ''}${c?.name ?? ''}`;
}

export function toOpen311(a: AppealRecord, who: Audience, geo: Geography, offsetMinutes: number): Open311Request {
  const code = serviceCodeOf(a);
  const t = serviceTarget(code);
  const closed = !OPEN_STATUSES.has(a.status);
  const updated = closed ? (a.status === 'closed' ? (a.closedAt ?? a.updatedAt) : a.updatedAt) : a.updatedAt;
  const notes = `${STATUS_ZH[a.status]}（${a.status}）${a.extension && who.tier === 'internal' ? '，延期申请中' : ''}`;
  const base = {
    service_request_id: a.id,
    status: open311Status(a.status),
    status_notes: notes,
    service_name: t?.name ?? taxonomyLabel('category', a.category),
    service_code: code,
  };
  const times = {
    requested_datetime: w3cTime(a.createdAt, offsetMinutes),
    updated_datetime: w3cTime(updated, offsetMinutes),
    expected_datetime: w3cTime(a.deadline, offsetMinutes),
  };
  if (who.tier === 'public') {
    const c = geo.area(a.community);
    return {
      ...base,
      description: null,
      agency_responsible: null,
      service_notice: null,
      ...times,
      address: placeName(geo, a.community),
      address_id: null,
      zipcode: null,
      lat: c?.center[1] ?? a.location.lat,
      long: c?.center[0] ?? a.location.lon,
    };
  }
  const shown = redactAppeal(a, { pii: who.pii });
  const { text, media } = splitMedia(shown.description);
  return {
    ...base,
    description: text ?? shown.title,
    agency_responsible: shown.unit,
    service_notice: null,
    ...times,
    address: shown.location.address || placeName(geo, a.community),
    address_id: null,
    zipcode: null,
    lat: shown.location.lat,
    long: shown.location.lon,
    ...(media ? { media_url: media } : {}),
  };
}

/** The spec's default and maximum window, and its default volume. */
export const WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
/** service_request_id values one call may list. */
export const MAX_IDS = 200;
/** service_code values one call may list. */
export const MAX_CODES = 20;
const DAY_MS = 86_400_000;

export class FilterError extends Error {}

export interface RequestFilters {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** A W3C date-time (zone required), or a bare date: midnight in the district. */
function w3c(name: string, value: string | undefined, offsetMinutes: number): number | undefined {
  if (!value?.trim()) return undefined;
  const v = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v)
    ? Date.parse(`${v}T00:00:00Z`) - offsetMinutes * 60_000
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v)
      ? Date.parse(v)
      : NaN;
  if (Number.isNaN(ms)) throw new FilterError(`${name} "${v}" is not a W3C date-time such as 2026-11-01T00:00:00+08:00`);
  return ms;
}

/** The read-model queries a GET Service Requests call stands for (one per service code). */
export function requestQueries(f: RequestFilters, scope: string, now: number, offsetMinutes: number): Omit<AppealQuery, 'cursor'>[] {
  const base = { scope, now, limit: MAX_REQUESTS, sort: 'created' as const, order: 'desc' as const };
  const ids = list(f.service_request_id);
  if (ids.length) {
    if (ids.length > MAX_IDS) throw new FilterError(`at most ${MAX_IDS} service_request_id values at once`);
    // the spec: service_request_id overrides every other argument
    return [{ ...base, ids: [...new Set(ids)] }];
  }
  let start = w3c('start_date', f.start_date, offsetMinutes);
  let end = w3c('end_date', f.end_date, offsetMinutes);
  if (start === undefined && end === undefined) {
    end = now;
    start = now - WINDOW_DAYS * DAY_MS;
  } else if (start === undefined) start = end! - WINDOW_DAYS * DAY_MS;
  else if (end === undefined) end = Math.min(now, start + WINDOW_DAYS * DAY_MS);
  if (end! < start) throw new FilterError('end_date is before start_date');
  if (end! - start > WINDOW_DAYS * DAY_MS) throw new FilterError(`start_date and end_date may not span more than ${WINDOW_DAYS} days`);

  const statuses = new Set<AppealStatus>();
  for (const s of list(f.status)) {
    if (s === 'open') OPEN_STATUS_LIST.forEach((x) => statuses.add(x));
    else if (s === 'closed') CLOSED_STATUSES.forEach((x) => statuses.add(x));
    else throw new FilterError(`status "${s}" is not open or closed`);
  }
  const window = { createdFrom: start, createdTo: end! + 1, ...(statuses.size && statuses.size < 7 ? { statuses: [...statuses] } : {}) };
  const codes = [...new Set(list(f.service_code))];
  if (codes.length > MAX_CODES) throw new FilterError(`at most ${MAX_CODES} service_code values at once`);
  if (!codes.length) return [{ ...base, ...window }];
  return codes.map((code) => {
    const t = serviceTarget(code);
    if (!t) throw new FilterError(`service_code "${code}" is not a service: take one from services.json`);
    return { ...base, ...window, ...(t.subcategory ? { subcategory: t.subcategory } : { category: t.category }) };
  });
}

/** Runs the queries and merges them newest first, at most MAX_REQUESTS. */
export async function findRequests(model: Pick<AppealReadModel, 'list'>, queries: Omit<AppealQuery, 'cursor'>[]): Promise<AppealRecord[]> {
  const pages = await Promise.all(queries.map((q) => model.list({ ...q, countCap: 0 })));
  const seen = new Set<string>();
  const all = pages
    .flatMap((p) => p.items)
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .sort((a, b) => b.createdAt - a.createdAt);
  return all.slice(0, MAX_REQUESTS);
}
