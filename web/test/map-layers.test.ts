/**
 * The map widget's `layers` option: each layer can be turned off (the communities' colours and
 * names, the appeal points, the alert points, the cameras); without it the map is as it was.
 */
import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { MapLayer } from '@commandhall/shared/themes';
import WidgetMap from '../src/widgets/WidgetMap.vue';
import { mountWidget } from './widget-helpers.ts';
import { snapshot, tickerItem } from './fixtures.ts';
import { loadMap, setupMapTests } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));

const m0 = snapshot().metrics;
// two appeals and an alert, far enough apart not to cluster
const recent = [tickerItem(1, { lon: 114.3 }), tickerItem(2, { lon: 114.4 }), tickerItem(3, { lon: 114.45 })];

async function mountMap(layers?: MapLayer[]) {
  const w = mountWidget(WidgetMap, { id: 'm', type: 'map', bind: ['map.communities', 'recent'], options: layers ? { layers } : {} }, [
    m0['map.communities'],
    recent,
  ]);
  await flushPromises();
  const m = await loadMap();
  const kinds = () => (m.setData.mock.calls.at(-1)?.[0].features ?? []).map((f: any) => f.properties.kind).sort();
  return { w, m, kinds };
}

// zoomed in far enough that none of the points cluster
setupMapTests({ zoom: 15 });

describe('map layers', () => {
  it('shows everything by default', async () => {
    const { w, m, kinds } = await mountMap();
    expect(m.layout.get('community-fill')).toBe('visible');
    expect(m.layers.has('camera')).toBe(true);
    expect(kinds()).toEqual(['alert', 'appeal', 'appeal']);
    expect(w.text()).toContain('在办诉求');
    w.unmount();
  });

  it('turns the communities, cameras and either kind of point off', async () => {
    const { w, m, kinds } = await mountMap(['alerts']);
    for (const id of ['community-fill', 'community-line', 'hover-line']) expect(m.layout.get(id)).toBe('none');
    expect(m.layers.has('camera')).toBe(false);
    expect(kinds()).toEqual(['alert']);
    // without the communities' colours there is no legend for them, nor their names
    expect(w.text()).not.toContain('在办诉求');
    expect(w.get('[data-testid="map-legend"]').text()).toContain('视频告警');
    expect(w.get('[data-testid="map-legend"]').text()).not.toContain('摄像头');
    expect([...document.querySelectorAll('.map-label--community:not(.map-label--hidden)')]).toHaveLength(0);
    w.unmount();

    const only = await mountMap(['points', 'communities']);
    expect(only.kinds()).toEqual(['appeal', 'appeal']);
    expect(only.m.layout.get('community-fill')).toBe('visible');
    only.w.unmount();
  });

  it('takes a layer on and off again while the map is shown', async () => {
    const { w, m } = await mountMap(['communities']);
    expect(m.layers.has('camera')).toBe(false);
    await w.setProps({
      spec: {
        id: 'm',
        type: 'map',
        pos: { x: 0, y: 0, w: 4, h: 4 },
        bind: ['map.communities', 'recent'],
        options: { layers: ['cameras'] },
      },
    });
    expect(m.layers.has('camera')).toBe(true);
    expect(m.layout.get('community-fill')).toBe('none');
    await w.setProps({ spec: { id: 'm', type: 'map', pos: { x: 0, y: 0, w: 4, h: 4 }, bind: ['map.communities', 'recent'], options: {} } });
    expect(m.layers.has('camera')).toBe(true);
    expect(m.layout.get('community-fill')).toBe('visible');
    w.unmount();
  });
});
