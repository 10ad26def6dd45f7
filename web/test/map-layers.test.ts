/**
 * The map widget's `layers` option: each layer can be turned off (the communities' colours and
 * names, the appeal points, the alert points, the cameras); without it the map is as it was.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { MapLayer } from '@commandhall/shared/themes';
import WidgetMap from '../src/widgets/WidgetMap.vue';
import { mountWidget } from './widget-helpers.ts';
import { snapshot, tickerItem } from './fixtures.ts';

const { FakeMap, FakeMarker, FakePopup, maps } = vi.hoisted(() => {
  const maps: any[] = [];
  class FakeMap {
    handlers: Record<string, ((...a: any[]) => void)[]> = {};
    layout = new Map<string, unknown>();
    layers = new Set<string>();
    setData = vi.fn();
    constructor() {
      maps.push(this);
    }
    on(ev: string, a: any, b?: any) {
      (this.handlers[ev] ??= []).push(typeof a === 'function' ? a : b);
      return this;
    }
    off() {
      return this;
    }
    fire(ev: string) {
      for (const h of this.handlers[ev] ?? []) h();
    }
    setFeatureState() {}
    removeFeatureState() {}
    setPaintProperty() {}
    setFilter() {}
    setLayoutProperty(layer: string, prop: string, v: unknown) {
      if (prop === 'visibility') this.layout.set(layer, v);
    }
    fitBounds() {}
    setPixelRatio() {}
    getSource(id: string) {
      return id === 'points' ? { setData: this.setData } : { setData: vi.fn() };
    }
    addSource() {}
    addLayer(l: { id: string }) {
      this.layers.add(l.id);
    }
    getLayer(id: string) {
      return this.layers.has(id) ? {} : undefined;
    }
    removeLayer(id: string) {
      this.layers.delete(id);
    }
    removeSource() {}
    getBounds() {
      return { getWest: () => 114.2, getSouth: () => 22.6, getEast: () => 114.5, getNorth: () => 22.8 };
    }
    getZoom() {
      return 15;
    }
    project() {
      return { x: 100, y: 100 };
    }
    getCanvas() {
      return { style: {} };
    }
    remove() {}
  }
  class FakeMarker {
    el: HTMLElement;
    constructor(o: { element: HTMLElement }) {
      this.el = o.element;
    }
    setLngLat() {
      return this;
    }
    addTo() {
      document.body.appendChild(this.el);
      return this;
    }
    setOffset() {
      return this;
    }
    remove() {
      this.el.remove();
    }
    getElement() {
      return this.el;
    }
  }
  class FakePopup {
    setLngLat() {
      return this;
    }
    setText() {
      return this;
    }
    addTo() {
      return this;
    }
    remove() {}
  }
  return { FakeMap, FakeMarker, FakePopup, maps };
});
vi.mock('maplibre-gl', () => ({ Map: FakeMap, Marker: FakeMarker, Popup: FakePopup, setWorkerUrl: vi.fn() }));

const m0 = snapshot().metrics;
// two appeals and an alert, far enough apart not to cluster
const recent = [tickerItem(1, { lon: 114.3 }), tickerItem(2, { lon: 114.4 }), tickerItem(3, { lon: 114.45 })];

async function mountMap(layers?: MapLayer[]) {
  const w = mountWidget(WidgetMap, { id: 'm', type: 'map', bind: ['map.communities', 'recent'], options: layers ? { layers } : {} }, [
    m0['map.communities'],
    recent,
  ]);
  await flushPromises();
  const m = maps.at(-1);
  m.fire('load');
  vi.advanceTimersByTime(1100);
  await nextTick();
  const kinds = () => (m.setData.mock.calls.at(-1)?.[0].features ?? []).map((f: any) => f.properties.kind).sort();
  return { w, m, kinds };
}

beforeEach(() => {
  maps.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(Date.UTC(2026, 10, 27, 3, 30));
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ cameras: [] }), { status: 200 })),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

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
