/** Camera features for the map: status from the registry, open alerts counted per camera. */
import { describe, expect, it } from 'vitest';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import { cameraFeatures } from '../src/map/camera-layer.ts';

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
});
