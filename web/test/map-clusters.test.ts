/** Live points on the map: clustered into the point source, cluster counts as HTML markers from a
 * pool, kept up with the points and the camera, and taken off the page with their scope. */
import { describe, expect, it, vi } from 'vitest';
import { nextTick, ref, shallowRef } from 'vue';
import { useClusterMarkers } from '../src/map/useClusterMarkers.ts';
import type { LivePoint } from '../src/stores/points.ts';
import { FakeMap } from './fake-maplibre.ts';
import { setupMapTests, withSetup } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

const point = (id: string, lon: number, kind: LivePoint['kind'] = 'appeal'): LivePoint => ({
  id,
  kind,
  lon,
  lat: 22.7,
  at: Date.now(),
  seenAt: Date.now(),
  community: '440310001001',
  label: '5',
});
/** Five points on one spot: one cluster at zoom 11. */
const crowd = Array.from({ length: 5 }, (_, i) => point(`c${i}`, 114.3));
const apart = [point('a', 114.25), point('b', 114.45, 'alert')];

function setup(initial: LivePoint[]) {
  const m = new FakeMap({});
  const points = shallowRef<readonly LivePoint[]>(initial);
  const { result, wrapper } = withSetup(() => useClusterMarkers(shallowRef(m as never), ref(true), points));
  const counts = () => [...document.querySelectorAll('.map-cluster-count')];
  const features = () => (m.setData.mock.calls.at(-1)?.[0].features ?? []) as { properties: Record<string, unknown> }[];
  return { m, points, counts, features, wrapper, ...result };
}

async function change<T>(r: { value: T }, v: T) {
  r.value = v;
  await nextTick();
  vi.advanceTimersByTime(1000);
}

describe('cluster markers', () => {
  it('sends the clustered points to the map and writes each cluster count in the page', () => {
    const { update, counts, features, positions } = setup([...crowd, ...apart]);
    update.flush();
    expect(features()).toHaveLength(3); // the cluster and the two lone points
    expect(counts().map((el) => el.textContent)).toEqual(['5']);
    expect(positions.value).toHaveLength(1);
    expect(positions.value[0][0]).toBeCloseTo(114.3);
  });

  it('takes counts off when clusters break up, and reuses their markers when they form again', async () => {
    const { update, points, counts, positions } = setup(crowd);
    update.flush();
    const [el] = counts();
    await change(points, apart);
    expect(counts()).toHaveLength(0);
    expect(positions.value).toEqual([]);
    await change(points, [...crowd, point('c5', 114.3)]);
    expect(counts()).toEqual([el]);
    expect(el.textContent).toBe('6');
  });

  it('clusters again after the camera moves, and tells who keeps clear of the circles', () => {
    const { m, update, onUpdated } = setup(crowd);
    const updated = vi.fn();
    onUpdated(updated);
    update.flush();
    const calls = m.setData.mock.calls.length;
    m.fire('moveend');
    vi.advanceTimersByTime(1000);
    expect(m.setData.mock.calls.length).toBe(calls + 1);
    expect(updated).toHaveBeenCalledTimes(2);
  });

  it('removes its markers and its listener with its scope', () => {
    const { m, update, counts, wrapper } = setup(crowd);
    update.flush();
    expect(counts()).toHaveLength(1);
    wrapper.unmount();
    expect(counts()).toHaveLength(0);
    expect(m.listeners('moveend')).toBe(0);
  });
});
