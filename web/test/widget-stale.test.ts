/**
 * The stale badge: every widget of live data (framed or not) says "stale" once the live channel's
 * ticks stop for more than STALE_AFTER_MS or the channel is down, and stops saying it when ticks
 * come again. Static widgets (text, image, clock) never do. Titles from a theme editor show as typed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { createRouter, createMemoryHistory } from 'vue-router';
import type { ScreenLayout } from '@commandhall/shared/themes';
import LayoutRenderer from '../src/widgets/LayoutRenderer.vue';
import { isStale, STALE_AFTER_MS, staleAge, staleLabel } from '../src/widgets/useStale.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import { useConnectionStore } from '../src/stores/connection.ts';
import { useMetricsStore } from '../src/stores/metrics.ts';
import type { Lang } from '../src/format/number.ts';
import { D, freshPinia } from './widget-helpers.ts';
import { snapshot } from './fixtures.ts';

vi.mock('../src/charts/echarts.ts', () => ({
  init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() })),
  format: { truncateText: (s: string) => s },
}));

const layout: ScreenLayout = {
  id: 'stale',
  name: 'stale',
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [] },
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 12, h: 4 },
      bind: ['appeals.today'],
      options: { items: [{ key: 'appeals.today', label: 'kpi.appealsToday', format: 'count' }] },
    },
    {
      id: 'rolling',
      type: 'rolling',
      pos: { x: 12, y: 2, w: 12, h: 4 },
      title: '今日诉求（滚动）',
      bind: ['appeals.today'],
      options: { label: 'kpi.appealsToday' },
    },
    { id: 'gauge', type: 'gauge', pos: { x: 24, y: 2, w: 12, h: 4 }, bind: ['appeals.onTimeRate'], options: { label: 'kpi.onTimeRate' } },
    { id: 'queue', type: 'alertQueue', pos: { x: 36, y: 2, w: 12, h: 8 }, title: 'widget.ticker', bind: ['alerts.queue'] },
    { id: 'text', type: 'text', pos: { x: 0, y: 10, w: 12, h: 4 }, title: '值班', bind: [], options: { text: '值班领导：张三' } },
    { id: 'clock', type: 'clock', pos: { x: 12, y: 10, w: 12, h: 4 }, bind: [] },
  ],
};

function mountLayout(lang: Lang = 'zh-CN') {
  const pinia = freshPinia();
  useMetricsStore().applySnapshot(snapshot(D, 1));
  const conn = useConnectionStore();
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  const wrapper = mount(LayoutRenderer, {
    props: { layout, scope: D, mode: 'fixed' },
    global: { plugins: [pinia, router, createAppI18n(lang)] },
    attachTo: document.body,
  });
  const stale = () =>
    wrapper
      .findAll('[data-widget]')
      .filter((w) => w.find('[data-testid="stale-badge"]').exists())
      .map((w) => w.attributes('data-widget'));
  return { wrapper, conn, stale };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(Date.UTC(2026, 10, 27, 3, 30, 0));
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

async function advance(ms: number) {
  vi.advanceTimersByTime(ms);
  await nextTick();
}

describe('stale badge', () => {
  it('appears on every live widget a few seconds after the ticks stop, and goes when they come back', async () => {
    const { wrapper, conn, stale } = mountLayout();
    conn.set('live');
    // ticks every 500 ms: never stale
    for (let i = 0; i < 10; i++) {
      await advance(500);
      conn.tick(Date.now());
    }
    await nextTick();
    expect(stale()).toEqual([]);

    // the ticks stop
    await advance(STALE_AFTER_MS - 500);
    expect(stale()).toEqual([]);
    await advance(1500);
    expect(stale()).toEqual(['kpis', 'rolling', 'gauge', 'queue']);
    expect(wrapper.get('[data-testid="title-stale"]').text()).toBe('数据延迟');
    const badge = () => wrapper.get('[data-widget="rolling"] [data-testid="stale-badge"]').text();
    // how old the data is: the last tick came 4 s ago, which is no more than a lost moment
    expect(badge()).toBe('数据延迟');
    await advance(3000);
    expect(badge()).toBe('数据延迟 7 秒');
    expect(wrapper.get('[data-testid="title-stale"]').text()).toBe('数据延迟 7 秒');
    await advance(2 * 60_000);
    expect(badge()).toBe('数据延迟 2 分钟');
    await advance(3 * 3600_000);
    expect(badge()).toBe('数据延迟 3 小时');
    // the figures stay on screen
    expect(wrapper.get('[data-testid="rolling-rolling"]').attributes('data-raw')).toBe('376');

    conn.tick(Date.now());
    await advance(1000);
    expect(stale()).toEqual([]);
    wrapper.unmount();
  });

  it('says stale at once when the channel is lost, in the interface language', async () => {
    const { wrapper, conn, stale } = mountLayout('en');
    conn.set('live');
    conn.tick(Date.now());
    await advance(1000);
    expect(stale()).toEqual([]);
    conn.set('reconnecting');
    await advance(1000);
    expect(stale()).toHaveLength(4);
    expect(wrapper.get('[data-widget="kpis"] [data-testid="stale-badge"]').text()).toBe('Stale'); // its last tick 2 s ago: a lost moment
    wrapper.unmount();
  });

  it('says how old the data is in the largest whole unit', () => {
    const t = (key: string, v: Record<string, unknown>) => `${key}:${String(v.n)}`;
    expect(staleLabel(4_999, t)).toBe('widgets.stale:undefined');
    expect(staleLabel(5_000, t)).toBe('widgets.staleSeconds:5');
    expect(staleLabel(59_999, t)).toBe('widgets.staleSeconds:59');
    expect(staleLabel(60_000, t)).toBe('widgets.staleMinutes:1');
    expect(staleLabel(3_599_999, t)).toBe('widgets.staleMinutes:59');
    expect(staleLabel(7_200_000, t)).toBe('widgets.staleHours:2');
    const t0 = 1_000_000;
    expect(staleAge({ state: 'live', lastTickAt: t0, since: 0 }, t0 + 1000)).toBeNull();
    expect(staleAge({ state: 'offline', lastTickAt: t0, since: t0 + 500 }, t0 + 90_000)).toBe(90_000);
    // nothing heard since connecting: the wait so far
    expect(staleAge({ state: 'connecting', lastTickAt: 0, since: t0 }, t0 + 10_000)).toBe(10_000);
  });

  it('gives a channel that has just connected time for its first tick', () => {
    const t0 = 1_000_000;
    expect(isStale({ state: 'connecting', lastTickAt: 0, since: t0 }, t0 + 1000)).toBe(false);
    expect(isStale({ state: 'connecting', lastTickAt: 0, since: t0 }, t0 + STALE_AFTER_MS + 1)).toBe(true);
    expect(isStale({ state: 'live', lastTickAt: 0, since: t0 }, t0 + 2000)).toBe(false);
    expect(isStale({ state: 'live', lastTickAt: t0 + 2000, since: t0 }, t0 + 2000 + STALE_AFTER_MS + 1)).toBe(true);
    expect(isStale({ state: 'offline', lastTickAt: t0, since: t0 }, t0)).toBe(true);
  });
});

describe('widget titles', () => {
  it('translates an i18n key and shows plain text as typed', () => {
    const { wrapper } = mountLayout();
    expect(wrapper.get('[data-widget="queue"] .wf-title').text()).toBe('实时事件');
    expect(wrapper.get('[data-widget="rolling"] .wf-title').text()).toBe('今日诉求（滚动）');
    expect(wrapper.get('[data-widget="text"] .wf-title').text()).toBe('值班');
    wrapper.unmount();
  });
});
