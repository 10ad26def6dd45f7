/** Mounting one widget as the layout renderer would, with the stores and i18n it reads. */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { Component } from 'vue';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import type { WidgetSpec, WidgetType } from '@commandhall/shared/themes';
import { createAppI18n } from '../src/i18n/index.ts';
import type { Lang } from '../src/format/number.ts';
import { buildScopeIndex, useScopesStore, type GeoCollection } from '../src/stores/scopes.ts';

export const D = 'district:440310';

const square = (x: number, y: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, y],
      [x + 0.01, y],
      [x + 0.01, y + 0.01],
      [x, y + 0.01],
      [x, y],
    ],
  ],
});

export const geo: GeoCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { level: 'district', code: '440310', name: '坪山区', nameEn: 'Pingshan District', center: [114.35, 22.7] },
      geometry: square(114.3, 22.65),
    },
    {
      type: 'Feature',
      properties: {
        level: 'street',
        code: '440310001',
        name: '坪山街道',
        nameEn: 'Pingshan Subdistrict',
        parent: '440310',
        center: [114.33, 22.7],
      },
      geometry: square(114.3, 22.65),
    },
    {
      type: 'Feature',
      properties: {
        level: 'community',
        code: '440310001001',
        name: '六联社区',
        nameEn: 'Liulian Community',
        parent: '440310001',
        center: [114.32, 22.69],
      },
      geometry: square(114.3, 22.65),
    },
    {
      type: 'Feature',
      properties: {
        level: 'community',
        code: '440310004004',
        name: '田心社区',
        nameEn: 'Tianxin Community',
        parent: '440310004',
        center: [114.41, 22.69],
      },
      geometry: square(114.4, 22.65),
    },
  ],
};

/** A fresh pinia with the scope names loaded; returns it for stores the test sets up. */
export function freshPinia() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const scopes = useScopesStore();
  scopes.geo = geo;
  scopes.index = buildScopeIndex(null, geo);
  return pinia;
}

export function mountWidget<T extends WidgetType>(
  component: Component,
  spec: Omit<WidgetSpec<T>, 'pos'> & { pos?: WidgetSpec<T>['pos'] },
  values: readonly unknown[],
  opts: { lang?: Lang; pinia?: ReturnType<typeof createPinia> } = {},
) {
  const pinia = opts.pinia ?? freshPinia();
  return mount(component, {
    props: { spec: { pos: { x: 0, y: 0, w: 4, h: 4 }, ...spec }, values, scope: D },
    global: { plugins: [pinia, createAppI18n(opts.lang ?? 'zh-CN')] },
    attachTo: document.body,
  });
}

export function alert(id: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    status: 'raised',
    level: 'community',
    escalated: false,
    escalatedAt: null,
    algorithm: 'shop_outside',
    community: '440310001001',
    cameraId: 'cam-1',
    cameraName: '东门路口',
    location: { lon: 114.32, lat: 22.69 },
    confidence: 0.9,
    snapshotUrl: null,
    count: 1,
    raisedAt: '2026-11-27T03:00:00.000Z',
    lastDetectedAt: '2026-11-27T03:00:00.000Z',
    acknowledgedAt: null,
    decidedAt: null,
    by: null,
    reason: null,
    note: null,
    appealId: null,
    ...over,
  };
}
