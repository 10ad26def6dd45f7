/**
 * The fixed layout of the simulated district: where its cameras hang and how busy each community
 * is. Fixed by the seed and the geography alone, so that the camera registry can register the
 * simulator's cameras (same ids, same places) before the simulator itself starts.
 */
import type { AreaInfo, Geography } from '../geography/index.ts';
import { CAMERAS_PER_COMMUNITY } from './district-mix.ts';
import { Random } from './random.ts';

export interface SimCamera {
  id: string;
  /** e.g. 六联社区03号监控点 */
  name: string;
  /** The community it hangs in, as an address: 坪山区坪山街道六联社区 */
  address: string;
  community: string;
  lon: number;
  lat: number;
}

export interface DistrictLayout {
  cameras: SimCamera[];
  /** Relative busyness of each community (code → weight). */
  communityWeights: Record<string, number>;
}

export function districtLayout(geo: Geography, seed: number): DistrictLayout {
  const layout = new Random(seed);
  const cameras: SimCamera[] = [];
  const communityWeights: Record<string, number> = {};
  // one draw for the weight, then the cameras, community by community: the order fixes the places
  for (const c of geo.communities) {
    communityWeights[c.code] = 0.4 + layout.next() * 1.2;
    const s = c.parent ? geo.area(c.parent) : undefined;
    const district = (s?.parent && geo.area(s.parent)?.name) || '';
    for (let i = 1; i <= CAMERAS_PER_COMMUNITY; i++) {
      const p = pointIn(geo, layout, c);
      const n = String(i).padStart(2, '0');
      cameras.push({
        id: `CAM-${c.code}-${n}`,
        name: `${c.name}${n}号监控点`,
        address: `${district}${s?.name ?? ''}${c.name}`,
        community: c.code,
        ...p,
      });
    }
  }
  return { cameras, communityWeights };
}

/** A random point inside the community, near its centre. */
export function pointIn(geo: Geography, rng: Random, c: AreaInfo): { lon: number; lat: number } {
  for (let i = 0; i < 20; i++) {
    const lon = Math.round((c.center[0] + rng.normal(0, 0.006)) * 1e6) / 1e6;
    const lat = Math.round((c.center[1] + rng.normal(0, 0.005)) * 1e6) / 1e6;
    if (geo.locate(lon, lat) === c.code) return { lon, lat };
  }
  return { lon: c.center[0], lat: c.center[1] };
}
