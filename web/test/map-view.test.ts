/**
 * MapView's life cycle over the fake MapLibre: the map is created once the geography is there and
 * is ready when its style has loaded, follows the scope (also one changed while it loaded), drills
 * down on a click, keeps the "fresh" halo and the points' ages current, draws sharp at the render
 * factor, and leaves nothing behind when it goes.
 */
import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { nextTick, ref } from 'vue';
import MapView from '../src/map/MapView.vue';
import { RENDER_FACTOR } from '../src/screen/scale.ts';
import { useScopesStore } from '../src/stores/scopes.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import { tickerItem } from './fixtures.ts';
import { maps } from './fake-maplibre.ts';
import { lastMap, loadMap, mountMapView, setupMapTests } from './map-helpers.ts';
import { D, freshPinia, geo } from './widget-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

const STREET = 'street:440310001';
const click = (code: string) => ({ features: [{ properties: { code } }], point: { x: 50, y: 50 } });
const focusFilter = () =>
  lastMap()
    .filters.filter(([layer]) => layer === 'focus-line')
    .at(-1)?.[1];

describe('map view', () => {
  it('creates its map once the geography has loaded, and is ready when the style has', async () => {
    const pinia = freshPinia();
    const scopes = useScopesStore();
    scopes.geo = null;
    const w = await mountMapView({}, { pinia });
    expect(maps).toHaveLength(0);
    scopes.geo = geo;
    await nextTick();
    expect(maps).toHaveLength(1);
    expect(w.get('[data-testid="map"]').attributes('data-ready')).toBe('false');
    await loadMap();
    expect(w.get('[data-testid="map"]').attributes('data-ready')).toBe('true');
    expect(window.__commandHall?.map).toBe(lastMap());
    scopes.geo = { ...geo };
    await nextTick();
    expect(maps).toHaveLength(1);
    w.unmount();
    expect(window.__commandHall?.map).toBeNull();
  });

  it('follows the scope: outlines it and flies there, at once on a wall and animated on a desk', async () => {
    for (const interactive of [false, true]) {
      const w = await mountMapView({ interactive });
      const m = await loadMap();
      await w.setProps({ scope: STREET });
      expect(focusFilter()).toEqual(['all', ['==', ['get', 'level'], 'street'], ['==', ['get', 'code'], '440310001']]);
      expect(m.layout.get('focus-line')).toBe('visible');
      expect(m.fitted.at(-1)?.[1].duration).toBe(interactive ? 700 : 0);
      w.unmount();
    }
  });

  it('catches up with a scope that changed while its style was loading', async () => {
    const w = await mountMapView();
    await w.setProps({ scope: STREET });
    expect(focusFilter()).toBeUndefined();
    await loadMap();
    expect(focusFilter()).toEqual(['all', ['==', ['get', 'level'], 'street'], ['==', ['get', 'code'], '440310001']]);
    w.unmount();
  });

  it('drills down on a click on a desk; on a wall a tap names the community instead', async () => {
    const desk = await mountMapView({ interactive: true });
    lastMap().fire('click', click('440310001001'), 'community-fill');
    expect(desk.emitted('select')).toEqual([['street:440310001']]);
    desk.unmount();

    const wall = await mountMapView();
    lastMap().fire('click', click('440310001001'), 'community-fill');
    await nextTick();
    expect(wall.emitted('select')).toBeUndefined();
    expect(wall.get('[data-testid="map-tooltip"]').text()).toContain('六联社区');
    wall.unmount();
  });

  it('lets the fresh halo fade and the old points go even when nothing new arrives', async () => {
    const w = await mountMapView({ recent: [tickerItem(1)] });
    const m = await loadMap();
    const last = () => m.setData.mock.calls.at(-1)?.[0].features as { properties: { fresh: boolean } }[];
    expect(last().map((f) => f.properties.fresh)).toEqual([true]);
    vi.advanceTimersByTime(2 * 60_000);
    expect(last().map((f) => f.properties.fresh)).toEqual([false]);
    vi.advanceTimersByTime(30 * 60_000);
    await nextTick();
    vi.advanceTimersByTime(1000);
    expect(last()).toEqual([]);
    w.unmount();
  });

  it('draws at the device pixel ratio times the render factor', async () => {
    const factor = ref(1);
    const w = mount(MapView, {
      props: { scope: D },
      global: { plugins: [freshPinia(), createAppI18n('zh-CN')], provide: { [RENDER_FACTOR as symbol]: factor } },
      attachTo: document.body,
    });
    await flushPromises();
    expect(lastMap().opts.pixelRatio).toBe(window.devicePixelRatio || 1);
    factor.value = 2;
    await nextTick();
    expect(lastMap().pixelRatios).toEqual([(window.devicePixelRatio || 1) * 2]);
    w.unmount();
  });

  it('leaves nothing behind: map removed, names and counts off the page, cameras no longer asked for', async () => {
    const w = await mountMapView({ recent: Array.from({ length: 5 }, (_, i) => tickerItem(i * 3 + 1)) });
    const m = await loadMap();
    expect(m.layers.has('camera')).toBe(true);
    expect(document.querySelectorAll('.map-label, .map-cluster-count').length).toBeGreaterThan(0);
    w.unmount();
    expect(m.removed).toBe(true);
    expect(document.querySelectorAll('.map-label, .map-cluster-count')).toHaveLength(0);
    const asked = vi.mocked(fetch).mock.calls.length;
    vi.advanceTimersByTime(5 * 60_000);
    expect(vi.mocked(fetch).mock.calls.length).toBe(asked);
  });
});
