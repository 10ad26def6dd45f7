/** The map's names as composed on a map: one per street and community, in the interface's language,
 * left out by priority, moved clear of cluster circles, and gone with their scope. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMapLabels } from '../src/map/useMapLabels.ts';
import type { LabelledArea } from '../src/map/label-rules.ts';
import { buildScopeIndex, useScopesStore, type GeoCollection } from '../src/stores/scopes.ts';
import { FakeMap, markerOf } from './fake-maplibre.ts';
import { setupMapTests, withSetup } from './map-helpers.ts';

vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
setupMapTests();

/** A 0.01° square whose centre is its label's anchor. */
function area(level: 'street' | 'community', code: string, name: string, nameEn: string, lon: number, lat: number) {
  const ring: [number, number][] = [
    [lon - 0.005, lat - 0.005],
    [lon + 0.005, lat - 0.005],
    [lon + 0.005, lat + 0.005],
    [lon - 0.005, lat + 0.005],
    [lon - 0.005, lat - 0.005],
  ];
  return {
    type: 'Feature' as const,
    properties: { level, code, name, nameEn, parent: code.slice(0, level === 'street' ? 6 : 9), center: [lon, lat] as [number, number] },
    geometry: { type: 'Polygon' as const, coordinates: [ring] },
  };
}
const geo: GeoCollection = {
  type: 'FeatureCollection',
  features: [
    area('street', '440310001', '坪山街道', 'Pingshan Subdistrict', 114.305, 22.695),
    area('community', '440310001001', '六联社区', 'Liulian Community', 114.325, 22.695),
  ],
};
/** 20 000 px per degree, north up: each area is 200 px across. */
const projection = ([lon, lat]: [number, number]) => ({ x: (lon - 114.3) * 20_000, y: (22.7 - lat) * 20_000 });

// happy-dom lays nothing out: here a name is 10 px a character, 16 px tall
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return (this.textContent ?? '').length * 10;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 16 });
});
afterEach(() => {
  delete (HTMLElement.prototype as { offsetWidth?: number }).offsetWidth;
  delete (HTMLElement.prototype as { offsetHeight?: number }).offsetHeight;
});

function setup(priority: (a: LabelledArea) => number = () => 1) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const scopes = useScopesStore();
  scopes.geo = geo;
  scopes.index = buildScopeIndex(null, geo);
  const m = new FakeMap({});
  m.projection = projection;
  const box = document.createElement('div');
  Object.defineProperties(box, { clientWidth: { value: 600 }, clientHeight: { value: 400 } });
  const obstacles = shallowRef<[number, number][]>([]);
  const { result, wrapper } = withSetup(
    () => ({ labels: useMapLabels(shallowRef(m as never), shallowRef(box), { obstacles, priority }), locale: useI18n().locale }),
    { pinia },
  );
  result.labels.create(geo);
  const label = (code: string) => document.querySelector<HTMLElement>(`.map-label[data-code="${code}"]`)!;
  const shown = () => [...document.querySelectorAll('.map-label:not(.map-label--hidden)')].map((el) => el.textContent);
  return { m, obstacles, label, shown, wrapper, ...result };
}

describe('map labels on the map', () => {
  it('names every street and community, in the language of the interface', async () => {
    const { shown, locale } = setup();
    expect(shown()).toEqual(['坪山街道', '六联社区']);
    locale.value = 'en';
    await nextTick();
    expect(shown()).toEqual(['Pingshan', 'Liulian']);
  });

  it('leaves out the names whose priority is below zero', () => {
    const { shown } = setup((a) => (a.level === 'community' ? -1 : 1));
    expect(shown()).toEqual(['坪山街道']);
  });

  it('moves a name off a cluster circle when the camera has moved', () => {
    const { m, obstacles, label } = setup();
    const name = label('440310001001');
    expect(markerOf(name)?.offset).toEqual([0, 0]);
    // the community's name is centred at (500, 100); a circle lands just above that
    obstacles.value = [[114.325, 22.696]];
    m.fire('moveend');
    expect(name.classList.contains('map-label--hidden')).toBe(false);
    expect(markerOf(name)?.offset).toEqual([0, 19]); // just below the circle, still on its own area
  });

  it('takes its names off the page with its scope', () => {
    const { wrapper, m } = setup();
    expect(document.querySelectorAll('.map-label')).toHaveLength(2);
    wrapper.unmount();
    expect(document.querySelectorAll('.map-label')).toHaveLength(0);
    expect(m.listeners('moveend') + m.listeners('resize')).toBe(0);
  });
});
