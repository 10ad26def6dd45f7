/**
 * The default deployment's cameras: with the simulator on (or in demo mode) the registry holds the
 * simulator's cameras, under the ids its alerts name, so that the map shows them, their snapshots
 * can be stored and their heartbeats count. Missing ones are added; edited ones are left alone.
 */
import type { Geography } from '../geography/index.ts';
import { districtLayout } from './district-layout.ts';
import type { CameraRegistry } from '../modules/cameras/camera-registry.ts';

export const SEED_ACTOR = { actor: 'system:simulator', ip: null };

export function seedSimulatorCameras(registry: CameraRegistry, geo: Geography, seed: number): Promise<number> {
  const cameras = districtLayout(geo, seed).cameras.map((c) => ({
    id: c.id,
    name: c.name,
    location: { lon: c.lon, lat: c.lat, address: c.address },
    communityCode: c.community,
  }));
  return registry.seed(cameras, SEED_ACTOR, `the simulator's cameras (seed ${seed})`);
}
