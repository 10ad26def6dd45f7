/** The choropleth: open appeals in the map's feature state, only what changed, at most once a second;
 * the ramp's maximum rounded, and set again only when it changes. */
import { describe, expect, it, vi } from 'vitest';
import { nextTick, ref, shallowRef } from 'vue';
import type { CommunityFigures } from '@commandhall/shared/metrics';
import { useChoropleth } from '../src/map/useChoropleth.ts';
import { FakeMap } from './fake-maplibre.ts';
import { setupMapTests, withSetup } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

const fig = (open: number): CommunityFigures => ({ today: 1, open, overdue: 0, alertsToday: 0 });

function setup(initial: Record<string, CommunityFigures>, isReady = true) {
  const m = new FakeMap({});
  const figures = shallowRef(initial);
  const ready = ref(isReady);
  const { result, wrapper } = withSetup(() => useChoropleth(shallowRef(m as never), ready, figures));
  const states = vi.spyOn(m, 'setFeatureState');
  const fills = () => m.paint.filter(([layer, prop]) => layer === 'community-fill' && prop === 'fill-color');
  return { m, figures, ready, states, fills, wrapper, ...result };
}

describe('choropleth', () => {
  it('puts open counts into the feature state, and only those that changed', async () => {
    const { m, figures, states, apply } = setup({ A: fig(5), B: fig(7) });
    apply.flush();
    expect(m.featureState.get('A')).toEqual({ open: 5 });
    expect(m.featureState.get('B')).toEqual({ open: 7 });
    expect(states).toHaveBeenCalledTimes(2);

    figures.value = { A: fig(5), C: fig(3) };
    await nextTick();
    vi.advanceTimersByTime(1000);
    expect(states).toHaveBeenCalledTimes(3); // C only: A is unchanged
    expect(m.featureState.get('C')).toEqual({ open: 3 });
    expect(m.featureState.get('B')).toEqual({}); // gone from the figures, gone from the map
  });

  it('runs the ramp up to a round maximum, re-set only when that changes', async () => {
    const { figures, fills, legendMax, apply } = setup({ A: fig(47) });
    apply.flush();
    expect(legendMax.value).toBe(50);
    expect(fills()).toHaveLength(1);

    figures.value = { A: fig(48) };
    await nextTick();
    vi.advanceTimersByTime(1000);
    expect(fills()).toHaveLength(1);

    figures.value = {};
    await nextTick();
    vi.advanceTimersByTime(1000);
    expect(legendMax.value).toBe(10);
    expect(fills()).toHaveLength(2);
  });

  it('applies figures at most once a second, waits for the style, and stops with its scope', async () => {
    const { figures, ready, states, apply, onApplied, wrapper } = setup({ A: fig(1) }, false);
    const applied = vi.fn();
    onApplied(applied);
    apply.flush();
    expect(states).not.toHaveBeenCalled();

    ready.value = true;
    apply.flush();
    for (let i = 2; i < 12; i++) {
      figures.value = { A: fig(i) };
      await nextTick();
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(1000);
    expect(states.mock.calls.length).toBeLessThanOrEqual(2);
    expect(states.mock.calls.at(-1)?.[1]).toEqual({ open: 11 });
    expect(applied.mock.calls.length).toBe(states.mock.calls.length);

    wrapper.unmount();
    const before = states.mock.calls.length;
    figures.value = { A: fig(99) };
    await nextTick();
    vi.advanceTimersByTime(2000);
    expect(states).toHaveBeenCalledTimes(before);
  });
});
