/**
 * What changed between the cameras a registry holds and the store's (scale-out: other nodes write
 * the same store): the ones gone, and the ones new or different, each with what it was.
 */
import type { CameraRecord } from './camera-store.ts';

const FIELDS: readonly (keyof CameraRecord)[] = [
  'name',
  'lon',
  'lat',
  'address',
  'community',
  'status',
  'lastHeartbeatAt',
  'statusSince',
  'createdAt',
  'updatedAt',
];

export function diffCameras(
  held: ReadonlyMap<string, CameraRecord>,
  stored: readonly CameraRecord[],
): { removed: CameraRecord[]; changed: { prev: CameraRecord | null; next: CameraRecord }[] } {
  const ids = new Set(stored.map((c) => c.id));
  const removed = [...held.values()].filter((c) => !ids.has(c.id));
  const changed = stored.flatMap((next) => {
    const prev = held.get(next.id) ?? null;
    return prev && FIELDS.every((f) => prev[f] === next[f]) ? [] : [{ prev, next }];
  });
  return { removed, changed };
}
