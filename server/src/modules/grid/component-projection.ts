/**
 * The city component projection (城市部件): the components that are not normal, one by one, and
 * per scope the registry's counts by type with how many are in fault, under repair or offline.
 * What an event does is shared's component decider; this folds its `next` and counts it.
 */
import {
  SMART_POLE_TYPE,
  decideComponent,
  taxonomy,
  type CommunityProfiles,
  type ComponentFacts,
  type EventOf,
  type FullScopeMetrics,
} from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import { ScopeTable, type ScopeIndex } from '../../core/scope-index.ts';
import { bump, rate } from '../../core/counters/bump.ts';

/** A city component that is not normal, where it is held (the community and place of its first report). */
export interface ComponentState extends ComponentFacts {
  community: string;
  /** Its grid cell (or the community without cells). */
  place: string;
}

class ComponentCounters {
  /** Registered components per type, summed over the scope's communities (types with none left out). */
  seed: Record<string, number> = {};
  /**
   * Not-normal components beyond the registered count of their type in their community, by type:
   * counted on top of the registry while they are not normal (docs/metrics.md).
   */
  extra: Record<string, number> = {};
  /** Components in each status other than normal. */
  byStatus = { fault: 0, repairing: 0, offline: 0 };
  /** Components not normal, by type. */
  faultsByType: Record<string, number> = {};
  /** Smart poles offline, and in fault or under repair. */
  polesOffline = 0;
  polesFaulty = 0;
}

export class ComponentProjection implements Projection {
  readonly name = 'components';
  /**
   * City components that are not normal, by id (the only ones known one by one: the registry's
   * totals are counts per community and type). Bounded by the components out of order.
   */
  readonly components = new Map<string, ComponentState>();
  private counters: ScopeTable<ComponentCounters>;

  constructor(index: ScopeIndex, profiles: CommunityProfiles) {
    this.counters = new ScopeTable(index, () => new ComponentCounters());
    for (const p of profiles.communities) {
      if (!index.has(`community:${p.code}`)) continue; // not a community of this geography
      for (const c of this.counters.path(p.code)) for (const [type, n] of Object.entries(p.components)) if (n > 0) bump(c.seed, type, n);
    }
  }

  /**
   * The registered components of each grid cell (the component registry's, one by one), which the
   * community registry's counts do not break down. Static, like the communities' seed.
   */
  seedCells(byCell: ReadonlyMap<string, Record<string, number>>): void {
    for (const [cell, counts] of byCell) {
      const k = this.counters.get(`grid:${cell}`);
      if (k) k.seed = { ...counts };
    }
  }

  apply(stored: StoredEvent, index: ScopeIndex): void {
    if (stored.event.type === 'component.status_changed' && stored.community) this.changed(stored.event, stored.community, index);
  }

  /**
   * A component's new status. A component not held was normal; one that becomes normal is
   * forgotten. It keeps the type and community it was first held with while it is not normal.
   */
  private changed(e: EventOf<'component.status_changed'>, community: string, index: ScopeIndex): void {
    const d = e.data;
    const held = this.components.get(d.componentId);
    const decided = decideComponent(held, e);
    if (decided.reason !== undefined || !decided.next.changed) return;
    const next = decided.next.facts;
    const c: ComponentState = held ?? { type: d.componentType, status: 'fault', community, place: index.placeOf(community, d.location) };
    if (held) this.contribute(held, -1);
    if (next === null) this.components.delete(d.componentId);
    else {
      c.status = next.status;
      this.components.set(d.componentId, c);
      this.contribute(c, 1);
    }
    // the ticker says it where the component is held (its first community), as the counts do
    index.ticker(e, c.place, c.type, next?.status ?? 'normal', d.location);
  }

  /**
   * Adds (1) or withdraws (−1) a not-normal component from its scopes' counts. Not-normal
   * components beyond the registered count of their type in their community are counted on top
   * of the registry (`extra`), so that normal never goes below zero.
   */
  private contribute(c: ComponentState, sign: 1 | -1): void {
    const own = this.counters.get(`community:${c.community}`);
    const seeded = own?.seed[c.type] ?? 0;
    const before = own?.faultsByType[c.type] ?? 0;
    const extra = Math.max(seeded, before + sign) - Math.max(seeded, before);
    for (const k of this.counters.path(c.place)) {
      k.byStatus[c.status] += sign;
      bump(k.faultsByType, c.type, sign);
      if (extra !== 0) bump(k.extra, c.type, extra);
      if (c.type === SMART_POLE_TYPE) {
        if (c.status === 'offline') k.polesOffline += sign;
        else k.polesFaulty += sign;
      }
    }
  }

  figures(scope: string): Partial<FullScopeMetrics> {
    const k = this.counters.get(scope)!;
    const byType: Record<string, number> = {};
    let total = 0;
    for (const { code } of taxonomy.componentTypes) {
      const n = (k.seed[code] ?? 0) + (k.extra[code] ?? 0);
      if (n > 0) byType[code] = n;
      total += n;
    }
    const s = k.byStatus;
    // a cell's registered count may fall short of the components out of order there (reported at a
    // place the registry puts elsewhere): none of its figures goes below zero
    total = Math.max(total, s.fault + s.repairing + s.offline);
    const normal = total - s.fault - s.repairing - s.offline;
    const poles = byType[SMART_POLE_TYPE] ?? 0;
    return {
      'components.byType': byType,
      'components.byStatus': { normal, ...s },
      'components.faultsByType': { ...k.faultsByType },
      'components.health': { normal, total, rate: rate(normal, total) },
      'poles.status': { online: poles - k.polesOffline, total: poles, faults: k.polesFaulty, rate: rate(poles - k.polesOffline, poles) },
    };
  }
}
