/**
 * The grid inspections of the last {@link KEEP_DAYS} days one by one, for the console's list (by
 * scope, kind and day, with issues or not), newest first. Bounded by age and by {@link CAP}; a
 * replay rebuilds it like every projection.
 */
import { instantOf, type InspectionKind } from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';
import type { ScopeIndex } from '../../core/scope-index.ts';

export const KEEP_DAYS = 30;
export const CAP = 50_000;

export interface InspectionItem {
  id: string;
  at: string;
  kind: InspectionKind;
  /** Where it counts: its grid cell (or its community without cells). */
  cell: string;
  community: string;
  issuesFound: number;
  issuesHandledOnSite: number;
  inspectorId: string;
  lon: number;
  lat: number;
}

export interface InspectionQuery {
  /** Code prefix of the scope. */
  prefix: string;
  kind?: InspectionKind;
  /** Only those that found issues. */
  withIssues?: boolean;
  /** Local day range, as days since the epoch. */
  fromDay?: number;
  toDay?: number;
  limit: number;
  offset: number;
}

export class InspectionLog implements Projection {
  readonly name = 'inspection-log';
  /** Oldest first (appended in log order). */
  private items: (InspectionItem & { day: number })[] = [];

  apply(stored: StoredEvent, index: ScopeIndex): void {
    const e = stored.event;
    if (e.type !== 'grid_inspection.reported' || !stored.community) return;
    const d = e.data;
    const day = index.localDay(instantOf(e.occurredAt));
    if (day <= index.day - KEEP_DAYS) return;
    const cell =
      d.gridId && d.gridId.startsWith(stored.community) && index.has(`grid:${d.gridId}`)
        ? d.gridId
        : index.placeOf(stored.community, d.location);
    this.items.push({
      id: d.inspectionId,
      at: e.occurredAt,
      kind: d.kind ?? 'grid',
      cell,
      community: stored.community,
      issuesFound: d.issuesFound,
      issuesHandledOnSite: d.issuesHandledOnSite,
      inspectorId: d.inspectorId,
      lon: d.location.lon,
      lat: d.location.lat,
      day,
    });
    if (this.items.length > CAP) this.items.splice(0, this.items.length - CAP);
  }

  rollover(index: ScopeIndex): void {
    const keepFrom = this.items.findIndex((i) => i.day > index.day - KEEP_DAYS);
    if (keepFrom > 0) this.items.splice(0, keepFrom);
    else if (keepFrom < 0) this.items = [];
  }

  /** The inspections of a scope, newest first (by event time), a page of them and how many there are. */
  list(q: InspectionQuery): { total: number; items: InspectionItem[] } {
    const hits = this.items.filter(
      (i) =>
        i.cell.startsWith(q.prefix) &&
        (!q.kind || i.kind === q.kind) &&
        (!q.withIssues || i.issuesFound > 0) &&
        (q.fromDay === undefined || i.day >= q.fromDay) &&
        (q.toDay === undefined || i.day <= q.toDay),
    );
    hits.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return { total: hits.length, items: hits.slice(q.offset, q.offset + q.limit).map(({ day: _day, ...i }) => i) };
  }

  figures() {
    return {};
  }
}
