/**
 * The grid projection: grid inspections (网格巡查 and the other kinds) and smart-code scans per
 * scope, and the grid statistics of the community registry summed over each scope.
 */
import {
  GRID_PROFILE_KEYS,
  INSPECTION_KINDS,
  SCAN_PURPOSES,
  dayLabel,
  instantOf,
  type CommunityProfiles,
  type EventOf,
  type FullScopeMetrics,
  type GridProfile,
  type InspectionKind,
  type ScanPurpose,
} from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import { ScopeTable, type ScopeIndex } from '../../core/scope-index.ts';
import { DayCounts } from '../../core/counters/day-windows.ts';
import { zeros } from '../../core/counters/bump.ts';

const DAILY_DAYS = 30;

class GridCounters {
  inspectionsToday = 0;
  issuesToday = 0;
  /** Issues handled on site by today's inspections. */
  handledToday = 0;
  inspectionsByKind = zeros<InspectionKind>(INSPECTION_KINDS);
  issuesByKind = zeros<InspectionKind>(INSPECTION_KINDS);
  inspectionsDaily = new DayCounts(DAILY_DAYS);
  scansToday = 0;
  scansByPurpose = zeros<ScanPurpose>(SCAN_PURPOSES);
  scansDaily = new DayCounts(DAILY_DAYS);
  /** Grid statistics summed over the scope's communities (static). */
  profile: GridProfile = zeros(GRID_PROFILE_KEYS);

  rollover(newDay: number): void {
    this.inspectionsToday = this.issuesToday = this.scansToday = this.handledToday = 0;
    this.inspectionsByKind = zeros(INSPECTION_KINDS);
    this.issuesByKind = zeros(INSPECTION_KINDS);
    this.scansByPurpose = zeros(SCAN_PURPOSES);
    this.inspectionsDaily.rollover(newDay);
    this.scansDaily.rollover(newDay);
  }
}

/** The last 30 local days of a day count, oldest first. */
export function dailySeries(counts: DayCounts, today: number): { date: string; count: number }[] {
  const out = [];
  for (let d = today - DAILY_DAYS + 1; d <= today; d++) out.push({ date: dayLabel(d), count: counts.get(d) });
  return out;
}

export class GridProjection implements Projection {
  readonly name = 'grid';
  private counters: ScopeTable<GridCounters>;

  constructor(index: ScopeIndex, profiles: CommunityProfiles) {
    this.counters = new ScopeTable(index, () => new GridCounters());
    for (const p of profiles.communities) {
      if (!index.has(`community:${p.code}`)) continue; // not a community of this geography
      for (const c of this.counters.path(p.code)) for (const k of GRID_PROFILE_KEYS) c.profile[k] += p.profile[k];
    }
  }

  apply(stored: StoredEvent, index: ScopeIndex): void {
    const e = stored.event;
    if (!stored.community) return;
    if (e.type === 'grid_inspection.reported') this.inspection(e, stored.community, index);
    else if (e.type === 'smart_code.scanned') this.scan(e, stored.community, index);
  }

  rollover(index: ScopeIndex): void {
    for (const c of this.counters.values()) c.rollover(index.day);
  }

  private inspection(e: EventOf<'grid_inspection.reported'>, community: string, index: ScopeIndex): void {
    const d = e.data;
    const day = index.localDay(instantOf(e.occurredAt));
    // the cell the inspector names, when it is one of the community's; else where the inspection was
    const place =
      d.gridId && d.gridId.startsWith(community) && index.has(`grid:${d.gridId}`) ? d.gridId : index.placeOf(community, d.location);
    const path = this.counters.path(place);
    for (const c of path) c.inspectionsDaily.add(day, index.day);
    // the ticker takes it whatever its day, as it takes appeals: a replay then shows what live did
    if (d.issuesFound > 0) index.ticker(e, place, 'inspection', undefined, d.location);
    index.touch(place);
    if (day !== index.day) return;
    const kind = d.kind ?? 'grid';
    for (const c of path) {
      c.inspectionsToday++;
      c.issuesToday += d.issuesFound;
      c.handledToday += d.issuesHandledOnSite;
      c.inspectionsByKind[kind]++;
      c.issuesByKind[kind] += d.issuesFound;
    }
  }

  private scan(e: EventOf<'smart_code.scanned'>, community: string, index: ScopeIndex): void {
    const day = index.localDay(instantOf(e.occurredAt));
    const place = index.placeOf(community, e.data.location);
    const path = this.counters.path(place);
    for (const c of path) c.scansDaily.add(day, index.day);
    if (e.data.purpose === 'report') index.ticker(e, place, e.data.componentType, undefined, e.data.location);
    index.touch(place);
    if (day !== index.day) return;
    for (const c of path) {
      c.scansToday++;
      c.scansByPurpose[e.data.purpose]++;
    }
  }

  figures(scope: string, index: ScopeIndex): Partial<FullScopeMetrics> {
    const c = this.counters.get(scope)!;
    return {
      'inspections.today': c.inspectionsToday,
      'inspections.issuesToday': c.issuesToday,
      'scans.today': c.scansToday,
      'grid.profile': { ...c.profile },
      'inspections.handledToday': c.handledToday,
      'inspections.byKind': { ...c.inspectionsByKind },
      'inspections.issuesByKind': { ...c.issuesByKind },
      'inspections.daily': dailySeries(c.inspectionsDaily, index.day),
      'scans.byPurpose': { ...c.scansByPurpose },
      'scans.reportsToday': c.scansByPurpose.report,
      'scans.daily': dailySeries(c.scansDaily, index.day),
    };
  }
}
