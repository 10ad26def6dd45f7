/**
 * The appeal projection: the current state of every appeal (`AppealState`) and the appeal figures
 * of every scope. What an event does to an appeal's lifecycle is shared's appeal decider; this
 * folds its `next` and counts it.
 *
 * An open appeal's standing (open, overdue, due soon, its unit's counts, a pending extension) is
 * counted by one function, `contribute`: every change to an appeal withdraws its standing, changes
 * it, and adds it back, so the counters cannot drift from the appeals whatever the order of events.
 */
import {
  APPEAL_STAGES,
  DUE_SOON_WINDOW_MS,
  FUNNEL_STEPS,
  HOT_TOP_N,
  IMMEDIATE_ELIGIBLE_NATURES,
  IMMEDIATE_WINDOW_MS,
  OPEN_STATUSES,
  OVERDUE_UNITS_TOP_N,
  dayLabel,
  decideAppeal,
  instantOf,
  localHour,
  type AppealStatus,
  type EventOf,
  type FullScopeMetrics,
  type StageTime,
} from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import { ScopeTable, type ScopeIndex } from '../../core/scope-index.ts';
import { TimerHeap } from '../../core/counters/timer-heap.ts';
import { bump, oneDecimal, rate } from '../../core/counters/bump.ts';
import type { DurationStats } from '../../core/counters/log-histogram.ts';
import { AppealCounters, DAILY_DAYS } from './appeal-counters.ts';

export interface AppealState {
  id: string;
  status: AppealStatus;
  community: string;
  /** Where it counts: its grid cell (the community's, by its location), or the community without cells. */
  place: string;
  category: string;
  channel: string;
  nature: string;
  createdAt: number;
  deadline: number;
  resolvedAt: number | null;
  closedAt: number | null;
  /** Open and its deadline has passed (by the projection's clock). */
  overdue: boolean;
  /** Open, not overdue, and due within DUE_SOON_WINDOW_MS (by the projection's clock). */
  dueSoon: boolean;
  /** Requested deadline (epoch ms) of an extension request awaiting a decision; null when none is pending. */
  pendingUntil: number | null;
  /** When the appeal entered its current status (event time, ms): a stage is timed from here. */
  statusSince: number;
  /** Index in FUNNEL_STEPS of the furthest step reached; rework and reopening never lower it. */
  furthest: number;
  /** Raised by an enterprise (reporterKind enterprise). */
  enterprise: boolean;
  /** Counts for the immediate-handling rate and has not been resolved yet. */
  immediatePending: boolean;
  unit: string | null;
  lon: number;
  lat: number;
}

/** An appeal's figures on the map of its community. */
export type CommunityAppeals = Pick<FullScopeMetrics['map.communities'][string], 'today' | 'open' | 'overdue'>;

const SATISFIED = new Set(['satisfied', 'basically_satisfied']);
/** Statuses in which the appeal is the dispatched unit's: its open and overdue counts go to the unit. */
const WITH_UNIT: ReadonlySet<AppealStatus> = new Set(['dispatched', 'handling', 'resolved']);
const STAGE_OF = new Map<string, number>(APPEAL_STAGES.map((s, i) => [`${s.from}>${s.to}`, i]));
const STEP_OF = new Map<string, number>(FUNNEL_STEPS.map((s, i) => [s, i]));

/** When an appeal's flags next change with no event (due soon, then overdue); null when never. */
function timerAt(a: AppealState): number | null {
  if (!OPEN_STATUSES.has(a.status) || a.overdue) return null;
  return a.dueSoon ? a.deadline : a.deadline - DUE_SOON_WINDOW_MS;
}

export class AppealProjection implements Projection {
  readonly name = 'appeals';
  /** Every appeal by id. */
  readonly appeals = new Map<string, AppealState>();
  private counters: ScopeTable<AppealCounters>;
  private timers = new TimerHeap();

  constructor(
    private index: ScopeIndex,
    private utcOffsetMinutes: number,
  ) {
    this.counters = new ScopeTable(index, () => new AppealCounters());
  }

  apply(stored: StoredEvent): void {
    const e = stored.event;
    if (e.type === 'appeal.created') {
      if (stored.community) this.created(e, stored.community);
    } else if (e.type === 'appeal.transitioned') this.transitioned(e);
    else if (e.type === 'appeal.extension') this.extension(e);
  }

  rollover(index: ScopeIndex): void {
    for (const c of this.counters.values()) c.rollover(index.day);
  }

  advance(now: number): void {
    for (const t of this.timers.popDue(now)) {
      const a = this.appeals.get(t.key);
      // a timer the appeal has moved past (closed, deadline extended, flags already set) is stale
      if (!a || timerAt(a) !== t.at) continue;
      this.update(a, () => undefined);
    }
  }

  /** An area's appeals on the map (a community's, or a grid cell's: `grid:…`). */
  community(code: string, level: 'community' | 'grid' = 'community'): CommunityAppeals {
    const c = this.counters.get(`${level}:${code}`);
    return { today: c?.today ?? 0, open: c?.open ?? 0, overdue: c?.overdue ?? 0 };
  }

  private created(e: EventOf<'appeal.created'>, community: string): void {
    const d = e.data;
    const decided = decideAppeal(this.appeals.get(d.appealId), e);
    if (decided.reason !== undefined) return; // ingest refuses these; a log written by an older version may still hold one
    const t = instantOf(e.occurredAt);
    const a: AppealState = {
      id: d.appealId,
      status: decided.next.status,
      community,
      place: this.index.placeOf(community, d.location),
      category: d.category,
      channel: d.channel,
      nature: d.nature,
      createdAt: t,
      deadline: decided.next.deadline,
      resolvedAt: null,
      closedAt: null,
      overdue: false,
      dueSoon: false,
      pendingUntil: decided.next.pendingUntil,
      statusSince: t,
      furthest: 0,
      enterprise: d.reporterKind === 'enterprise',
      immediatePending: IMMEDIATE_ELIGIBLE_NATURES.has(d.nature),
      unit: null,
      lon: d.location.lon,
      lat: d.location.lat,
    };
    this.appeals.set(a.id, a);
    const today = this.index.day;
    const day = this.index.localDay(t);
    const hour = localHour(t, this.utcOffsetMinutes);
    for (const c of this.counters.path(a.place)) {
      if (day === today) {
        c.today++;
        bump(c.byCategory, d.category);
        bump(c.byChannel, d.channel);
        bump(c.byNature, d.nature);
        bump(c.byStatus, 'collected');
        c.funnelToday[0]++;
        if (a.enterprise) {
          c.enterpriseToday++;
          bump(c.enterpriseByCategory, d.category);
        }
      }
      if (day >= today - 1 && day <= today) c.addHourly(day, hour);
      if (day > today - DAILY_DAYS && day <= today) c.addDaily(day);
      c.hotCategories.add(day, d.category, today);
      if (d.subcategory) c.hotSubcategories.add(day, d.subcategory, today);
    }
    this.index.ticker(e, a.place, d.category, 'collected', d.location);
    this.setFlags(a, null);
    this.contribute(a, 1);
  }

  private transitioned(e: EventOf<'appeal.transitioned'>): void {
    const a = this.appeals.get(e.data.appealId);
    const decided = decideAppeal(a, e);
    if (!a || decided.reason !== undefined) return; // ingest refuses these; a log written by an older version may still hold one
    const t = instantOf(e.occurredAt);
    const from = a.status;
    const to = decided.next.status;
    const today = this.index.day;
    const day = this.index.localDay(t);
    const createdToday = this.index.localDay(a.createdAt) === today;
    const path = this.counters.path(a.place);
    const stage = STAGE_OF.get(`${from}>${to}`);
    const spent = Math.max(0, t - a.statusSince);
    const furthestBefore = a.furthest;
    this.update(a, () => {
      a.status = to;
      a.pendingUntil = decided.next.pendingUntil;
      if (e.data.unit) a.unit = e.data.unit;
      a.statusSince = t;
      const step = STEP_OF.get(to);
      if (step !== undefined && step > a.furthest) a.furthest = step;
    });
    for (const c of path) {
      if (createdToday) {
        bump(c.byStatus, from, -1);
        bump(c.byStatus, to);
        c.funnelToday[furthestBefore]--;
        c.funnelToday[a.furthest]++;
      }
      if (stage !== undefined) c.stages[stage].add(day, spent, today);
      if (to === 'resolved') c.rework.add(day, 1, today);
      if (from === 'resolved' && to === 'handling') c.rework.add(day, 0, today);
    }
    if (to === 'resolved') {
      a.resolvedAt = t;
      if (a.immediatePending) this.decideImmediate(a, t);
    }
    if (to === 'closed') {
      a.closedAt = t;
      if (day === today) {
        const onTime = (a.resolvedAt ?? t) <= a.deadline;
        const rating = e.data.satisfaction;
        for (const c of path) {
          c.closedToday++;
          if (onTime) c.closedOnTimeToday++;
          if (rating && rating !== 'not_rated') {
            c.ratedToday++;
            if (SATISFIED.has(rating)) c.satisfiedToday++;
          }
        }
      }
    }
    if (to === 'closed' || to === 'rejected') this.index.ticker(e, a.place, a.category, to, a);
  }

  /**
   * A deadline extension (shared's appeal decider says what it does): a request is remembered
   * until a decision; an approval moves the deadline, which may take the appeal out of overdue or
   * due soon and re-arms its timers. Steps the decider refuses change nothing.
   */
  private extension(e: EventOf<'appeal.extension'>): void {
    const a = this.appeals.get(e.data.appealId);
    const decided = decideAppeal(a, e);
    if (!a || decided.reason !== undefined) return;
    const { deadline, pendingUntil } = decided.next;
    this.update(a, () => {
      a.deadline = deadline;
      a.pendingUntil = pendingUntil;
    });
  }

  /** Changes an appeal: withdraws its standing from the counters, changes it, adds it back. */
  private update(a: AppealState, change: () => void): void {
    const timerBefore = timerAt(a);
    this.contribute(a, -1);
    change();
    this.setFlags(a, timerBefore);
    this.contribute(a, 1);
    this.index.touch(a.place);
  }

  /** Sets overdue and due soon from the deadline and the clock; arms a timer for the next change. */
  private setFlags(a: AppealState, timerBefore: number | null): void {
    const now = this.index.now();
    const open = OPEN_STATUSES.has(a.status);
    a.overdue = open && a.deadline <= now;
    a.dueSoon = open && !a.overdue && a.deadline - DUE_SOON_WINDOW_MS <= now;
    const next = timerAt(a);
    if (next !== null && next !== timerBefore) this.timers.push({ at: next, key: a.id });
  }

  /** Adds (1) or withdraws (−1) what an appeal's standing counts in its scopes. */
  private contribute(a: AppealState, sign: 1 | -1): void {
    const open = OPEN_STATUSES.has(a.status);
    const pending = a.pendingUntil !== null;
    if (!open && !pending) return;
    const unit = a.unit !== null && WITH_UNIT.has(a.status) ? a.unit : '';
    for (const c of this.counters.path(a.place)) {
      if (open) {
        c.open += sign;
        if (a.enterprise) c.enterpriseOpen += sign;
        if (a.overdue) c.overdue += sign;
        if (a.dueSoon) c.dueSoon += sign;
        c.addUnit(unit, sign, a.overdue ? sign : 0);
      }
      if (pending) c.extensionsPending += sign;
    }
  }

  /**
   * An eligible appeal's first resolution decides whether it was handled immediately, judged by
   * event times alone so that late-arriving events and replays give the same answer.
   */
  private decideImmediate(a: AppealState, resolvedAt: number): void {
    a.immediatePending = false;
    if (this.index.localDay(resolvedAt) !== this.index.day) return;
    const immediate = resolvedAt - a.createdAt <= IMMEDIATE_WINDOW_MS;
    for (const c of this.counters.path(a.place)) {
      c.eligibleToday++;
      if (immediate) c.immediateToday++;
    }
    this.index.touch(a.place);
  }

  figures(scope: string): Partial<FullScopeMetrics> {
    const c = this.counters.get(scope)!;
    const today = this.index.day;
    const daily = [];
    for (let d = today - DAILY_DAYS + 1; d <= today; d++) daily.push({ date: dayLabel(d), count: c.daily.get(d) ?? 0 });
    return {
      'appeals.today': c.today,
      'appeals.open': c.open,
      'appeals.overdue': c.overdue,
      'appeals.closedToday': c.closedToday,
      'appeals.closedOnTimeToday': c.closedOnTimeToday,
      'appeals.onTimeRate': rate(c.closedOnTimeToday, c.closedToday + c.overdue),
      'appeals.immediateRate': rate(c.immediateToday, c.eligibleToday),
      'appeals.satisfactionRate': rate(c.satisfiedToday, c.ratedToday),
      'appeals.byStatus': { ...c.byStatus },
      'appeals.byCategory': { ...c.byCategory },
      'appeals.byChannel': { ...c.byChannel },
      'appeals.byNature': { ...c.byNature },
      'appeals.hourlyToday': [...(c.hourly.get(today) ?? new Array<number>(24).fill(0))],
      'appeals.hourlyYesterday': [...(c.hourly.get(today - 1) ?? new Array<number>(24).fill(0))],
      'appeals.daily': daily,
      'appeals.extensionsPending': c.extensionsPending,
      'appeals.dueSoon': c.dueSoon,
      'appeals.rework': { returned: c.rework.a, resolved: c.rework.b, rate: rate(c.rework.a, c.rework.b) },
      'appeals.stageTimes': Object.fromEntries(
        APPEAL_STAGES.map((st, i) => [st.key, stageTime(c.stages[i].window)]),
      ) as FullScopeMetrics['appeals.stageTimes'],
      'appeals.funnel': c.funnel(c.byStatus.rejected ?? 0),
      'appeals.overdueByUnit': c.topOverdueUnits(OVERDUE_UNITS_TOP_N),
      'appeals.hotCategories': c.hotCategories.top(HOT_TOP_N),
      'appeals.hotSubcategories': c.hotSubcategories.top(HOT_TOP_N),
      'appeals.enterpriseToday': c.enterpriseToday,
      'appeals.enterpriseOpen': c.enterpriseOpen,
      'appeals.enterpriseByCategory': { ...c.enterpriseByCategory },
    };
  }
}

function stageTime(w: DurationStats): StageTime {
  return { count: w.count, meanMinutes: oneDecimal(w.meanMinutes()), medianMinutes: oneDecimal(w.medianMinutes()) };
}
