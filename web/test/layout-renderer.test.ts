/**
 * The layout renderer hands each widget its bound values; a patch that leaves a widget's values as
 * they were must not make that widget render again (nor, for a chart, take a new option).
 */
import { describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h, nextTick } from 'vue';
import { createAppI18n } from '../src/i18n/index.ts';
import { useMetricsStore } from '../src/stores/metrics.ts';
import type { ScreenLayout } from '@commandhall/shared/themes';
import { snapshot } from './fixtures.ts';

const { renders } = vi.hoisted(() => ({ renders: new Map<string, unknown[][]>() }));

vi.mock('../src/widgets/registry.ts', async () => {
  const { defineComponent: define, h: hh } = await import('vue');
  const Probe = define({
    props: ['spec', 'values', 'scope'],
    setup(props: { spec: { id: string }; values: unknown[] }) {
      return () => {
        const list = renders.get(props.spec.id) ?? [];
        list.push(props.values);
        renders.set(props.spec.id, list);
        return hh('div', { 'data-probe': props.spec.id });
      };
    },
  });
  return { WIDGETS: new Proxy({}, { get: () => Probe }), FRAMELESS: new Set() };
});

const { default: LayoutRenderer } = await import('../src/widgets/LayoutRenderer.vue');

const D = 'district:440310';
const layout: ScreenLayout = {
  id: 'probe',
  name: 'probe',
  grid: { width: 400, height: 200, cols: 4, rows: 2, gap: 0 },
  widgets: [
    { id: 'today', type: 'kpis', pos: { x: 0, y: 0, w: 2, h: 1 }, bind: ['appeals.today'], options: { items: [] } },
    { id: 'daily', type: 'daily', pos: { x: 2, y: 0, w: 2, h: 1 }, bind: ['appeals.daily'] },
  ],
};

describe('layout renderer', () => {
  it('renders a widget again only when one of its own values changed', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const metrics = useMetricsStore();
    metrics.applySnapshot(snapshot(D, 1));
    const Host = defineComponent(() => () => h(LayoutRenderer, { layout, scope: D, mode: 'fixed' }));
    const wrapper = mount(Host, { global: { plugins: [pinia, createAppI18n()] } });
    await nextTick();
    const before = { today: renders.get('today')!.length, daily: renders.get('daily')!.length };

    for (let i = 0; i < 5; i++) {
      metrics.applyPatch({ scope: D, seq: 2 + i, changes: { 'appeals.today': 400 + i } });
      await nextTick();
    }
    expect(renders.get('today')!.length - before.today).toBe(5);
    expect(renders.get('daily')!.length).toBe(before.daily);
    expect(renders.get('today')!.at(-1)).toEqual([404]);

    metrics.applyPatch({ scope: D, seq: 7, changes: { 'appeals.daily': [{ date: '2026-11-27', count: 1 }] } });
    await nextTick();
    expect(renders.get('daily')!.length).toBe(before.daily + 1);
    wrapper.unmount();
  });
});
