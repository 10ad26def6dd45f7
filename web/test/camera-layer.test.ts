/** Camera features for the map: status from the registry, open alerts counted per camera; the layer
 * comes off when stopped, and stops asking the server when its map is removed. */
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import { attachCameraLayer, cameraFeatures } from '../src/map/camera-layer.ts';
import { FakeMap } from './fake-maplibre.ts';
import { setupMapTests } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

const cam = (id: string, status: 'online' | 'offline') => ({ id, name: `${id} 监控点`, status, location: { lon: 114.3, lat: 22.7 } });

describe('camera layer', () => {
  it('marks each camera online or offline and counts its open alerts', () => {
    const queue = [{ cameraId: 'A' }, { cameraId: 'A' }, { cameraId: 'C' }] as AlertView[];
    const fc = cameraFeatures([cam('A', 'online'), cam('B', 'offline')], queue);
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: 'A', name: 'A 监控点', online: true, alerts: 2 },
      { id: 'B', name: 'B 监控点', online: false, alerts: 0 },
    ]);
    expect(fc.features[0].geometry.coordinates).toEqual([114.3, 22.7]);
  });

  const attach = (m: FakeMap) => attachCameraLayer(m as never, ref('district:440310'), ref([]), (c) => c.name);
  const asked = () => vi.mocked(fetch).mock.calls.length;

  it('takes its layer off when stopped, and can be put on again', () => {
    const m = new FakeMap({});
    const stop = attach(m);
    expect(m.layers.has('camera')).toBe(true);
    stop();
    expect(m.layers.has('camera')).toBe(false);
    expect(m.listeners('mousemove', 'camera')).toBe(0);
    attach(m);
    expect(m.layers.has('camera')).toBe(true);
  });

  it('stops asking for the cameras when its map is removed; stopping it then is harmless', async () => {
    const m = new FakeMap({});
    const stop = attach(m);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(asked()).toBe(2); // at once, and half a minute later
    m.remove();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(asked()).toBe(2);
    expect(stop).not.toThrow();
  });
});
