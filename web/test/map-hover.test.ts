/** Hovering a community: outlined, described beside the pointer inside the map, cleared on leaving. */
import { describe, expect, it, vi } from 'vitest';
import { nextTick, shallowRef } from 'vue';
import { useMapHover } from '../src/map/useMapHover.ts';
import { snapshot } from './fixtures.ts';
import { FakeMap } from './fake-maplibre.ts';
import { setupMapTests, withSetup } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

const figures = snapshot().metrics['map.communities'];
const over = (code: string, x = 50, y = 60) => ({ features: [{ properties: { code } }], point: { x, y } });

function setup(interactive = false) {
  const m = new FakeMap({});
  const box = document.createElement('div');
  Object.defineProperties(box, { clientWidth: { value: 400 }, clientHeight: { value: 300 } });
  const { result, wrapper } = withSetup(() =>
    useMapHover(shallowRef(m as never), shallowRef(box), { figures, interactive, hint: (code) => `go to ${code}` }),
  );
  const move = (e: unknown) => m.fire('mousemove', e, 'community-fill');
  return { m, move, wrapper, ...result };
}

describe('map hover', () => {
  it('outlines the community under the pointer and shows its names and figures beside it', async () => {
    const { m, move, tooltip } = setup();
    move(over('440310001001'));
    await nextTick();
    expect(m.featureState.get('440310001001')).toEqual({ hover: true });
    expect(tooltip.value).toMatchObject({
      code: '440310001001',
      name: '六联社区',
      parent: '坪山街道',
      figures: figures['440310001001'],
      hint: 'go to 440310001001',
      x: 64,
      y: 74,
    });
  });

  it('moves the outline along with the pointer, and keeps the tooltip inside the map', () => {
    const { m, move, tooltip } = setup();
    move(over('440310001001'));
    move(over('440310004004', 390, 290));
    expect(m.featureState.get('440310001001')).toEqual({ hover: false });
    expect(m.featureState.get('440310004004')).toEqual({ hover: true });
    expect(tooltip.value).toMatchObject({ code: '440310004004', x: 200, y: 130 });
  });

  it('says a community is clickable only on an interactive map', () => {
    const wall = setup(false);
    wall.move(over('440310001001'));
    expect(wall.m.canvas.style.cursor).toBe('');
    const desk = setup(true);
    desk.move(over('440310001001'));
    expect(desk.m.canvas.style.cursor).toBe('pointer');
  });

  it('clears everything when the pointer leaves the communities', () => {
    const { m, move, tooltip } = setup(true);
    move(over('440310001001'));
    m.fire('mouseleave', {}, 'community-fill');
    expect(tooltip.value).toBeNull();
    expect(m.featureState.get('440310001001')).toEqual({ hover: false });
    expect(m.canvas.style.cursor).toBe('');
  });

  it('ignores the pointer over nothing it knows', () => {
    const { move, tooltip } = setup();
    move({ features: [], point: { x: 1, y: 1 } });
    expect(tooltip.value).toBeNull();
  });
});
