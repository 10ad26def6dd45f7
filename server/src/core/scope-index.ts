/**
 * The scopes figures are kept for (the deployment's root, a district or a city, and every area
 * below it), the local day the
 * figures are of, which scopes changed since the live channel last looked, and the live ticker
 * (`recent`) of each scope. Projections keep their own counters per scope in a `ScopeTable` and
 * tell the index what they touched; an event counts in its scope path (shared's `scopePath`).
 */
import {
  RECENT_CAP,
  codeAt,
  levelOfCode,
  localDay,
  redactTicker,
  scopeId,
  scopePath,
  type CityEvent,
  type TickerItem,
} from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';

export class ScopeIndex {
  /** The local day (days since the epoch in the deployment's offset) the "today" figures are of. */
  day: number;
  /** The root's scope id: `district:440310`, or `city:…` in a city deployment. */
  readonly root: string;
  private known = new Set<string>();
  private paths = new Map<string, string[]>();
  private within = new Map<string, string[]>();
  private recentOf = new Map<string, TickerItem[]>();
  private dirty = new Set<string>();

  constructor(
    readonly geo: Geography,
    private utcOffsetMinutes: number,
    readonly now: () => number,
  ) {
    this.root = geo.rootScope;
    for (const a of [
      ...(geo.root.level === 'city' ? [geo.root] : []),
      ...geo.districts,
      ...geo.streets,
      ...geo.communities,
      ...geo.cells,
    ]) {
      const id = scopeId(a.level, a.code);
      this.known.add(id);
      this.recentOf.set(id, []);
    }
    this.day = this.localDay(now());
  }

  scopes(): string[] {
    return [...this.known];
  }

  has(scope: string): boolean {
    return this.known.has(scope);
  }

  localDay(ms: number): number {
    return localDay(ms, this.utcOffsetMinutes);
  }

  /**
   * The scopes an event in an area counts in, the area first, those this index keeps. The area is
   * a community, or a grid cell (its place: `geo.placeOf`), whose path runs through its community.
   */
  path(community: string): readonly string[] {
    let out = this.paths.get(community);
    if (!out) {
      out = scopePath(community, this.geo.root.level)
        .reverse()
        .filter((s) => this.known.has(s));
      // an unknown area's path is not cached: the cache stays bounded by the geography
      if (this.known.has(scopeId(levelOfCode(community) ?? 'community', community))) this.paths.set(community, out);
    }
    return out;
  }

  /** Every scope path, for a figure that changes everywhere. */
  pathOf(community: string): string[] {
    return scopePath(community, this.geo.root.level).reverse();
  }

  /** Where an event at this point of a community counts: its grid cell, or the community without cells. */
  placeOf(community: string, at: { lon: number; lat: number } | undefined): string {
    return at ? this.geo.placeOf(community, at.lon, at.lat) : community;
  }

  /** Codes of the communities within a scope (the community itself for a community). */
  communitiesIn(scope: string): readonly string[] {
    let out = this.within.get(scope);
    if (!out) {
      const code = scope.slice(scope.indexOf(':') + 1);
      out = this.geo.communities.filter((c) => scope === `community:${c.code}` || this.geo.contains(code, c.code)).map((c) => c.code);
      if (this.known.has(scope)) this.within.set(scope, out);
    }
    return out;
  }

  /** Marks a community's scope path changed. */
  touch(community: string): void {
    for (const s of this.pathOf(community)) this.dirty.add(s);
  }

  /** Marks scopes changed with no event (a camera went offline, the day rolled over). */
  markDirty(scopes: Iterable<string>): void {
    for (const s of scopes) if (this.known.has(s)) this.dirty.add(s);
  }

  /** Returns and clears the scopes changed since the last call. */
  takeDirty(): Set<string> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }

  /**
   * Puts an event on the ticker of its place's scope path (its grid cell's, or its community's)
   * and touches it. Walls show the ticker: the item names the community and says where it
   * happened to about 100 m (masking.ts), for every screen.
   */
  ticker(e: CityEvent, place: string, label: string, status: string | undefined, at: { lon: number; lat: number }): void {
    const community = codeAt('community', place);
    this.touch(place);
    const item: TickerItem = redactTicker({ id: e.id, type: e.type, at: e.occurredAt, community, label, lon: at.lon, lat: at.lat });
    if (status) item.status = status;
    for (const s of this.path(place)) {
      const list = this.recentOf.get(s)!;
      list.unshift(item);
      if (list.length > RECENT_CAP) list.length = RECENT_CAP;
    }
  }

  /** A scope's ticker, newest first (copies). */
  recent(scope: string): TickerItem[] {
    return (this.recentOf.get(scope) ?? []).map((r) => ({ ...r }));
  }
}

/** A projection's counters for every scope of the index. */
export class ScopeTable<T> {
  private byScope = new Map<string, T>();
  private paths = new Map<string, T[]>();

  constructor(
    private index: ScopeIndex,
    make: (scope: string) => T,
  ) {
    for (const s of index.scopes()) this.byScope.set(s, make(s));
  }

  get(scope: string): T | undefined {
    return this.byScope.get(scope);
  }

  values(): IterableIterator<T> {
    return this.byScope.values();
  }

  /** The counters of a community's scope path (cached: asked several times per event). */
  path(community: string): T[] {
    let out = this.paths.get(community);
    if (!out) {
      out = this.index.path(community).map((s) => this.byScope.get(s)!);
      if (this.byScope.has(`community:${community}`)) this.paths.set(community, out);
    }
    return out;
  }
}
