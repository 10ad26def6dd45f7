/**
 * Realistic city events for the load generator: appeals created in weighted mixes of category,
 * channel and nature across Pingshan's communities, transitions of appeals the server has already
 * acknowledged, video alerts and grid inspections. Ids are unique per run (`prefix`), times are
 * "just now", and every point lies inside a community (checked here with the district GeoJSON),
 * so every event is valid and a response that rejects one is a failure of the benchmark.
 */
import { readFileSync } from 'node:fs';
import type { CityEvent } from '@commandhall/shared';
import { CATEGORY_MIX, CHANNEL_MIX, NATURE_MIX, PLACES, SURNAMES, GIVEN } from '../../src/simulator/district-mix.ts';

type Ring = number[][];
interface Community {
  code: string;
  name: string;
  /** Points verified to lie inside this community. */
  points: { lon: number; lat: number }[];
}

/** Small fast deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(mix: Record<string, number>, r: () => number): () => string {
  const keys = Object.keys(mix);
  const cum: number[] = [];
  let total = 0;
  for (const k of keys) cum.push((total += mix[k]));
  return () => {
    const x = r() * total;
    let i = 0;
    while (cum[i] <= x && i < cum.length - 1) i++;
    return keys[i];
  };
}

function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygons(lon: number, lat: number, polygons: Ring[][]): boolean {
  return polygons.some(([outer, ...holes]) => inRing(lon, lat, outer) && !holes.some((h) => inRing(lon, lat, h)));
}

/** The district's communities with points inside each, from the GeoJSON the server also loads. */
export function loadCommunities(geojsonPath: string, r: () => number, perCommunity = 64): Community[] {
  const fc = JSON.parse(readFileSync(geojsonPath, 'utf8')) as {
    features: {
      properties: { level: string; code: string; name: string; center: [number, number] };
      geometry: { type: string; coordinates: unknown };
    }[];
  };
  const out: Community[] = [];
  for (const f of fc.features) {
    if (f.properties.level !== 'community') continue;
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][];
    const [cx, cy] = f.properties.center;
    const points: { lon: number; lat: number }[] = [];
    // points near the centre, a few hundred metres out, kept only when inside the polygon
    for (let tries = 0; points.length < perCommunity && tries < perCommunity * 20; tries++) {
      const lon = Math.round((cx + (r() - 0.5) * 0.02) * 1e6) / 1e6;
      const lat = Math.round((cy + (r() - 0.5) * 0.016) * 1e6) / 1e6;
      if (inPolygons(lon, lat, polys)) points.push({ lon, lat });
    }
    if (points.length === 0 && inPolygons(cx, cy, polys)) points.push({ lon: cx, lat: cy });
    if (points.length) out.push({ code: f.properties.code, name: f.properties.name, points });
  }
  if (out.length === 0) throw new Error(`no community with a usable point in ${geojsonPath}`);
  return out;
}

/** Codes from the shared taxonomy when it loads; the simulator's mixes and a known algorithm otherwise. */
export interface TaxonomyCodes {
  algorithms: string[];
  subcategories: Record<string, { code: string; zh: string }[]>;
}

export async function loadTaxonomy(): Promise<TaxonomyCodes> {
  try {
    const shared = (await import('@commandhall/shared')) as unknown as {
      taxonomy?: { algorithms?: { code: string }[]; categories?: { code: string; subcategories?: { code: string; zh: string }[] }[] };
    };
    const t = shared.taxonomy;
    const algorithms = t?.algorithms?.map((a) => a.code) ?? [];
    const subcategories: TaxonomyCodes['subcategories'] = {};
    for (const c of t?.categories ?? []) subcategories[c.code] = c.subcategories ?? [];
    return { algorithms: algorithms.length ? algorithms : ['shop_outside'], subcategories };
  } catch {
    return { algorithms: ['shop_outside'], subcategories: {} };
  }
}

const MOVES: Record<string, string[]> = {
  collected: ['verified', 'verified', 'verified', 'resolved'],
  verified: ['dispatched'],
  dispatched: ['handling'],
  handling: ['resolved'],
  resolved: ['closed'],
};
const SATISFACTION = weighted({ satisfied: 85, basically_satisfied: 8, dissatisfied: 4, not_rated: 3 }, Math.random);

interface Tracked {
  id: string;
  status: string;
}

export interface MixOptions {
  /** Shares of the four event kinds (need not sum to 1). Transitions fall back to creations when no appeal is ready. */
  created: number;
  transitioned: number;
  alert: number;
  inspection: number;
  /** Share of inspections that found issues (those appear on the live ticker). */
  inspectionIssues: number;
  /** Share of located events sent without a community code (the server places them by point-in-polygon). */
  withoutCommunityCode: number;
}

export const MIXED: MixOptions = {
  created: 0.5,
  transitioned: 0.3,
  alert: 0.1,
  inspection: 0.1,
  inspectionIssues: 0.3,
  withoutCommunityCode: 0.2,
};

/**
 * Builds batches. Appeals are only moved after the batch that created (or last moved) them was
 * acknowledged (`acked`), so concurrent requests can never race a transition ahead of its appeal.
 */
export class EventFactory {
  private n = 0;
  private ready: Tracked[] = [];
  private readyHead = 0;
  private pick: { category: () => string; channel: () => string; nature: () => string; sat: () => string };

  constructor(
    private prefix: string,
    private communities: Community[],
    private tax: TaxonomyCodes,
    private r: () => number,
  ) {
    this.pick = {
      category: weighted(CATEGORY_MIX, r),
      channel: weighted(CHANNEL_MIX, r),
      nature: weighted(NATURE_MIX, r),
      sat: SATISFACTION,
    };
  }

  private one<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }

  private place(): { community: Community; point: { lon: number; lat: number } } {
    const community = this.one(this.communities);
    return { community, point: this.one(community.points) };
  }

  private at(): string {
    // slightly in the past, as a real producer's clock and queue would have it
    return new Date(Date.now() - Math.floor(this.r() * 3000)).toISOString();
  }

  appealCreated(id?: string, withoutCode = false): CityEvent {
    const appealId = id ?? `${this.prefix}A${(++this.n).toString(36)}`;
    const { community, point } = this.place();
    const category = this.pick.category();
    const subs = this.tax.subcategories[category] ?? [];
    const sub = subs.length ? this.one(subs) : undefined;
    const what = sub?.zh ?? '问题';
    const place = this.one(PLACES);
    return {
      id: appealId,
      type: 'appeal.created',
      occurredAt: this.at(),
      data: {
        appealId,
        channel: this.pick.channel(),
        nature: this.pick.nature(),
        category,
        ...(sub ? { subcategory: sub.code } : {}),
        title: `${community.name}${place}${what}`,
        description: `群众反映${community.name}${place}存在${what}，影响周边居民正常生活，请尽快派人核实处理。`,
        location: { lon: point.lon, lat: point.lat, address: `深圳市坪山区${community.name}${1 + Math.floor(this.r() * 300)}号` },
        ...(withoutCode ? {} : { communityCode: community.code }),
        reporter: {
          name: this.one(SURNAMES) + this.one(GIVEN),
          phone: `13${Math.floor(this.r() * 10)}${String(Math.floor(this.r() * 1e8)).padStart(8, '0')}`,
        },
      },
    };
  }

  private transitioned(t: Tracked): CityEvent {
    const to = this.one(MOVES[t.status]);
    t.status = to;
    const extra =
      to === 'dispatched'
        ? { unit: '街道办' }
        : to === 'closed'
          ? { satisfaction: this.pick.sat() }
          : to === 'resolved'
            ? { note: '已处理完毕' }
            : {};
    return {
      id: `${t.id}.${to}`,
      type: 'appeal.transitioned',
      occurredAt: this.at(),
      data: { appealId: t.id, to, ...extra },
    } as CityEvent;
  }

  alertRaised(withoutCode = false): CityEvent {
    const alertId = `${this.prefix}V${(++this.n).toString(36)}`;
    const { community, point } = this.place();
    return {
      id: alertId,
      type: 'video_alert.raised',
      occurredAt: this.at(),
      data: {
        alertId,
        cameraId: `CAM-${community.code.slice(-6)}-${1 + Math.floor(this.r() * 8)}`,
        algorithm: this.one(this.tax.algorithms),
        confidence: Math.round((0.62 + this.r() * 0.37) * 100) / 100,
        location: { lon: point.lon, lat: point.lat },
        ...(withoutCode ? {} : { communityCode: community.code }),
      },
    };
  }

  inspection(issues: boolean, withoutCode = false): CityEvent {
    const inspectionId = `${this.prefix}G${(++this.n).toString(36)}`;
    const { community, point } = this.place();
    const found = issues ? 1 + Math.floor(this.r() * 3) : 0;
    return {
      id: inspectionId,
      type: 'grid_inspection.reported',
      occurredAt: this.at(),
      data: {
        inspectionId,
        inspectorId: `GRID-${community.code.slice(-6)}-${1 + Math.floor(this.r() * 12)}`,
        location: { lon: point.lon, lat: point.lat },
        ...(withoutCode ? {} : { communityCode: community.code }),
        issuesFound: found,
        issuesHandledOnSite: found ? Math.floor(this.r() * (found + 1)) : 0,
      },
    };
  }

  /**
   * A batch of `size` events in the given mix. Returns the appeals it created or moved, to be handed
   * back to `acked` once the server has accepted the batch.
   */
  batch(size: number, mix: MixOptions = MIXED): { events: CityEvent[]; touched: Tracked[] } {
    const events: CityEvent[] = [];
    const touched: Tracked[] = [];
    const total = mix.created + mix.transitioned + mix.alert + mix.inspection;
    for (let i = 0; i < size; i++) {
      const x = this.r() * total;
      const noCode = this.r() < mix.withoutCommunityCode;
      if (x < mix.transitioned && this.readyHead < this.ready.length) {
        const t = this.ready[this.readyHead++];
        events.push(this.transitioned(t));
        touched.push(t);
      } else if (x < mix.transitioned + mix.created) {
        const e = this.appealCreated(undefined, noCode);
        events.push(e);
        touched.push({ id: (e.data as { appealId: string }).appealId, status: 'collected' });
      } else if (x < mix.transitioned + mix.created + mix.alert) {
        events.push(this.alertRaised(noCode));
      } else {
        events.push(this.inspection(this.r() < mix.inspectionIssues, noCode));
      }
    }
    if (this.readyHead > 4096) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return { events, touched };
  }

  /** The server accepted the batch: its appeals may move on (closed ones leave the pool). */
  acked(touched: Tracked[]): void {
    for (const t of touched) if (MOVES[t.status] && this.ready.length - this.readyHead < 200_000) this.ready.push(t);
  }
}
