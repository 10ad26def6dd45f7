/**
 * The life of one simulated appeal, written in advance as timed events: collected, then either
 * resolved on first contact or verified, dispatched, handled, resolved (sometimes late, sometimes
 * returned for rework) and closed with a satisfaction rating. Delays shrink with the speed-up.
 */
import {
  defaultDispatchRules,
  IMMEDIATE_ELIGIBLE_NATURES,
  defaultDeadline,
  taxonomy,
  type AppealStatus,
  type CityEvent,
  type ReporterKind,
  type Satisfaction,
} from '@commandhall/shared';
import { Random } from './random.ts';
import {
  CATEGORY_MIX,
  ENTERPRISE_CATEGORY_MIX,
  ENTERPRISE_CHANNEL_MIX,
  EXTENSION_APPROVED_SHARE,
  EXTENSION_DENIAL_REASONS,
  EXTENSION_REASONS,
  EXTENSION_SHARE,
  GIVEN,
  IMMEDIATE_SHARE,
  NATURE_MIX,
  OVERDUE_SHARE,
  PLACES,
  REJECT_SHARE,
  RESIDENT_CHANNEL_MIX,
  REWORK_SHARE,
  SATISFACTION_MIX,
  SURNAMES,
} from './district-mix.ts';

export interface Scheduled {
  at: number;
  event: CityEvent;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface AppealSeed {
  appealId: string;
  at: number;
  community: { code: string; name: string };
  /** Name of the community's street, for the street-level units of the dispatch guide. */
  streetName?: string;
  point: { lon: number; lat: number };
  channel?: string;
  category?: string;
  subcategory?: string;
  nature?: string;
  /** An appeal from an enterprise (涉企诉求): its channel and category from the enterprise mixes unless given. */
  reporterKind?: ReporterKind;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Events of one appeal from creation to close. `speed` divides every delay. */
export function appealScript(rng: Random, seed: AppealSeed, speed: number): Scheduled[] {
  const enterprise = seed.reporterKind === 'enterprise';
  const category = seed.category ?? rng.weighted(enterprise ? ENTERPRISE_CATEGORY_MIX : CATEGORY_MIX);
  const cat = taxonomy.categories.find((c) => c.code === category)!;
  const sub = seed.subcategory ? cat.subcategories.find((s) => s.code === seed.subcategory)! : rng.pick(cat.subcategories);
  const nature = seed.nature ?? rng.weighted(NATURE_MIX);
  const channel = seed.channel ?? rng.weighted(enterprise ? ENTERPRISE_CHANNEL_MIX : RESIDENT_CHANNEL_MIX);
  const place = enterprise ? '工业园内' : rng.pick(PLACES);
  const who = enterprise ? '企业' : '群众';
  const t0 = seed.at;
  const id = seed.appealId;
  const out: Scheduled[] = [];
  let step = 0;
  const move = (at: number, to: AppealStatus, extra: { unit?: string; satisfaction?: Satisfaction; note?: string } = {}) =>
    out.push({
      at,
      event: { id: `${id}.${++step}`, type: 'appeal.transitioned', occurredAt: iso(at), data: { appealId: id, to, ...extra } },
    });

  out.push({
    at: t0,
    event: {
      id: `${id}.0`,
      type: 'appeal.created',
      occurredAt: iso(t0),
      data: {
        appealId: id,
        channel,
        nature,
        category,
        subcategory: sub.code,
        title: `${seed.community.name}${place}${sub.zh}`,
        description: `${who}反映${seed.community.name}${place}存在${sub.zh}问题，请尽快处理。`,
        location: { ...seed.point, address: `深圳市坪山区${seed.community.name}${rng.int(1, 300)}号` },
        communityCode: seed.community.code,
        reporter: {
          name: rng.pick(SURNAMES) + rng.pick(GIVEN),
          phone: `13${rng.int(0, 9)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
        },
        ...(enterprise ? { reporterKind: 'enterprise' as const } : {}),
      },
    },
  });

  const d = (ms: number) => ms / speed;
  const deadline = defaultDeadline(t0, nature, category, sub.code);
  let t = t0;
  const close = (resolvedAt: number) => {
    move(resolvedAt + d(rng.between(0.5, 20) * HOUR), 'closed', { satisfaction: rng.weighted(SATISFACTION_MIX) as Satisfaction });
  };

  if (IMMEDIATE_ELIGIBLE_NATURES.has(nature) && rng.chance(IMMEDIATE_SHARE)) {
    t += d(rng.between(3, 50) * MIN);
    move(t, 'resolved', { note: '即接即办' });
    close(t);
    return out;
  }
  t += d(rng.between(5, 60) * MIN);
  if (rng.chance(REJECT_SHARE)) {
    move(t, 'rejected', { note: '非本辖区职责' });
    return out;
  }
  move(t, 'verified');
  t += d(rng.between(10, 90) * MIN);
  // dispatched as the district's dispatch guide says, as a command centre would
  const { unit } = defaultDispatchRules.suggest(
    { category, subcategory: sub.code, nature },
    { street: seed.streetName ?? '', community: seed.community.name },
  );
  move(t, 'dispatched', { unit });
  t += d(rng.between(10, 120) * MIN);
  move(t, 'handling');
  // now and then the unit asks for more time; a director grants or refuses it a few hours later
  let decided = t;
  if (rng.chance(EXTENSION_SHARE)) {
    const asked = t + d(rng.between(1, 8) * HOUR);
    const until = deadline + Math.round(rng.between(2, 5)) * DAY;
    const extension = (at: number, data: Record<string, unknown>) =>
      out.push({
        at,
        event: { id: `${id}.${++step}`, type: 'appeal.extension', occurredAt: iso(at), data: { appealId: id, ...data } } as CityEvent,
      });
    extension(asked, { action: 'requested', until: iso(until), reason: rng.pick(EXTENSION_REASONS), by: unit });
    decided = asked + d(rng.between(1, 6) * HOUR);
    if (rng.chance(EXTENSION_APPROVED_SHARE)) extension(decided, { action: 'approved', by: '街道指挥长' });
    else extension(decided, { action: 'denied', reason: rng.pick(EXTENSION_DENIAL_REASONS), by: '街道指挥长' });
  }
  const span = deadline - t0;
  const late = rng.chance(OVERDUE_SHARE);
  let resolved = Math.max(t + d(20 * MIN), decided + d(20 * MIN), t0 + d(span * (late ? rng.between(1.02, 1.3) : rng.between(0.08, 0.85))));
  move(resolved, 'resolved');
  if (rng.chance(REWORK_SHARE)) {
    move(resolved + d(rng.between(1, 6) * HOUR), 'handling', { note: '返工：群众不满意' });
    resolved += d(rng.between(8, 30) * HOUR);
    move(resolved, 'resolved');
  }
  close(resolved);
  return out;
}
