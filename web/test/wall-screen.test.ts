/**
 * The district wall drawn from its layout in happy-dom, with MapLibre and ECharts replaced by
 * recorders: values on screen follow the store, charts are created once and then only updated,
 * and map data flows through feature state and setData, throttled.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import { defineComponent, h, nextTick } from 'vue';
import LayoutRenderer from '../src/widgets/LayoutRenderer.vue';
import { overview as districtWall } from '@commandhall/shared/themes';
import { createAppI18n } from '../src/i18n/index.ts';
import { useMetricsStore } from '../src/stores/metrics.ts';
import { useScopesStore, buildScopeIndex } from '../src/stores/scopes.ts';
import { snapshot, tickerItem } from './fixtures.ts';
import { D, geo } from './widget-helpers.ts';
import { maps } from './fake-maplibre.ts';
import { setupMapTests } from './map-helpers.ts';

const { charts } = vi.hoisted(() => ({
  charts: [] as { setOption: ReturnType<typeof vi.fn>; dispose: ReturnType<typeof vi.fn> }[],
}));

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
vi.mock('../src/charts/echarts.ts', () => ({
  init: vi.fn(() => {
    const c = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
    charts.push(c);
    return c;
  }),
  format: { truncateText: (s: string) => s },
}));

async function mountWall() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const scopes = useScopesStore();
  scopes.geo = geo;
  scopes.index = buildScopeIndex(null, geo);
  const metrics = useMetricsStore();
  metrics.applySnapshot(snapshot(D, 1));
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:p(.*)*', component: defineComponent({ render: () => h('div') }) }],
  });
  const wrapper = mount(LayoutRenderer, {
    props: { layout: districtWall, scope: D, mode: 'fixed' },
    global: { plugins: [pinia, router, createAppI18n('zh-CN')] },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, metrics };
}

setupMapTests();
beforeEach(() => {
  charts.length = 0;
});

describe('district wall from its layout', () => {
  it('places every widget of the layout and shows the KPIs of the snapshot in zh-CN format', async () => {
    const { wrapper } = await mountWall();
    for (const w of districtWall.widgets) expect(wrapper.find(`[data-widget="${w.id}"]`).exists()).toBe(true);
    expect(wrapper.get('[data-testid="kpi-appeals.today"]').text()).toBe('376');
    expect(wrapper.get('[data-testid="kpi-appeals.open"]').text()).toBe('3,114');
    expect(wrapper.get('[data-testid="kpi-appeals.onTimeRate"]').text()).toBe('75.2%');
    expect(wrapper.get('[data-testid="kpi-appeals.open"]').attributes('data-raw')).toBe('3114');
    expect(wrapper.get('[data-testid="screen-title"]').text()).toContain('坪山区');
    expect(wrapper.text()).toContain('诉求类别 TOP10');
    wrapper.unmount();
  });

  it('updates the figures on a patch; charts are created once and only updated afterwards', async () => {
    const { wrapper, metrics } = await mountWall();
    const created = charts.length;
    expect(created).toBe(5); // category, channel, daily, hourly, alerts
    const before = charts.map((c) => c.setOption.mock.calls.length);
    metrics.applyPatch({
      scope: D,
      seq: 2,
      changes: { 'appeals.today': 1234, 'appeals.byCategory': { '5': 200 }, 'appeals.satisfactionRate': null },
    });
    await nextTick();
    expect(wrapper.get('[data-testid="kpi-appeals.today"]').text()).toBe('1,234');
    expect(wrapper.get('[data-testid="kpi-appeals.satisfactionRate"]').text()).toBe('—');
    expect(charts.length).toBe(created);
    const after = charts.map((c) => c.setOption.mock.calls.length);
    expect(after.some((n, i) => n > before[i])).toBe(true);
    wrapper.unmount();
    expect(charts.every((c) => c.dispose.mock.calls.length === 1)).toBe(true);
  });

  it('the map style needs nothing from the internet', async () => {
    const { wrapper } = await mountWall();
    expect(maps).toHaveLength(1);
    const style = maps[0].opts.style;
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const src of Object.values(style.sources) as any[]) {
      expect(src.type).toBe('geojson');
      expect(typeof src.data).toBe('object'); // inline data, no URL
      expect(src.tiles).toBeUndefined();
    }
    expect(style.layers.some((l: any) => l.type === 'symbol')).toBe(false);
    expect(maps[0].opts.attributionControl).toBe(false);
    wrapper.unmount();
  });

  it('feeds the choropleth and the points at most once a second', async () => {
    const { wrapper, metrics } = await mountWall();
    const m = maps[0];
    m.fire('load');
    expect(m.featureState.get('440310004004')).toMatchObject({ open: 201 });
    const labels = document.querySelectorAll('.map-label');
    expect([...labels].map((l) => l.textContent)).toEqual(expect.arrayContaining(['坪山街道', '六联社区', '田心社区']));
    const dataCalls = m.setData.mock.calls.length;
    for (let i = 0; i < 10; i++) {
      metrics.applyPatch({
        scope: D,
        seq: 2 + i,
        changes: {
          'map.communities': { '440310004004': { today: 31, open: 210 + i, overdue: 9, alertsToday: 3 } },
          recent: [tickerItem(100 + i)],
        },
      });
      await nextTick();
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(1100);
    expect(m.featureState.get('440310004004')).toMatchObject({ open: 219 });
    const updates = m.setData.mock.calls.length - dataCalls;
    expect(updates).toBeGreaterThanOrEqual(1);
    expect(updates).toBeLessThanOrEqual(2); // ten patches in 0.5 s, not ten setData calls
    wrapper.unmount();
  });

  it('the ticker shows the newest events with their names and never more than its limit', async () => {
    const { wrapper, metrics } = await mountWall();
    metrics.applyPatch({
      scope: D,
      seq: 2,
      changes: { recent: Array.from({ length: 30 }, (_, i) => tickerItem(i, { type: 'appeal.created', label: '5' })) },
    });
    await nextTick();
    const items = wrapper.findAll('[data-testid="ticker-item"]');
    expect(items.length).toBe(12);
    expect(items[0].text()).toContain('市容环卫');
    expect(items[0].text()).toContain('六联社区');
    wrapper.unmount();
  });
});
