/**
 * The map style, defined in code and self-contained: a background and the deployment's geography
 * (a district, or a city and its districts) as GeoJSON. No tiles, no sprite, no glyph server: names are HTML labels (./labels.ts), so the
 * style has no text layers and needs no glyphs at all.
 */
import type { ExpressionSpecification, GeoJSONSourceSpecification, StyleSpecification } from 'maplibre-gl';
import { UI, VIRIDIS } from '../theme/palette.ts';
import type { GeoCollection } from '../stores/scopes.ts';
import { CODE_DIGITS, type ScopeLevel } from '@commandhall/shared/scope';

export const GEO_SOURCE = 'geo';
export const POINT_SOURCE = 'points';
/** Roads, the river and the test zone (GET /api/v1/geography/basemap): schematic lines under the areas' names. */
export const BASEMAP_SOURCE = 'basemap';
/** City components from the server: clusters and points for the view (./useComponentLayer.ts). */
export const COMPONENT_SOURCE = 'components';
/** Appeals and alerts per 200 m bin over a window (./useHeatLayer.ts). */
export const HEAT_SOURCE = 'heat';

/** Colours of the component statuses (Okabe–Ito, colour-blind safe); the legend uses the same. */
export const STATUS_COLOURS = { normal: '#56B4E9', fault: '#D55E00', repairing: '#E69F00', offline: '#999999' } as const;

/** `district…` layers draw the top of the geography (the district, or the city); `districtBorder` the districts inside a city. */
export const LAYERS = {
  districtFill: 'district-fill',
  communityFill: 'community-fill',
  communityLine: 'community-line',
  streetLine: 'street-line',
  districtBorder: 'district-border',
  districtGlow: 'district-glow',
  districtLine: 'district-line',
  focusLine: 'focus-line',
  hoverLine: 'hover-line',
  pointHalo: 'point-halo',
  cluster: 'point-cluster',
  point: 'point',
  gridFill: 'grid-fill',
  gridLine: 'grid-line',
  water: 'basemap-water',
  zone: 'basemap-zone',
  roads: 'basemap-roads',
  heat: 'heat',
  componentCluster: 'component-cluster',
  componentPoint: 'component-point',
} as const;

/** The style's layers each map layer a person can turn on and off is drawn with. */
export const LAYERS_OF = {
  communities: [LAYERS.communityFill, LAYERS.communityLine, LAYERS.hoverLine],
  grid: [LAYERS.gridFill, LAYERS.gridLine],
  basemap: [LAYERS.water, LAYERS.zone, LAYERS.roads],
  heat: [LAYERS.heat],
  components: [LAYERS.componentCluster, LAYERS.componentPoint],
} as const;

/** Colour when a community has no figure (outside the scope, or not loaded yet). */
export const NO_DATA = '#10243d';

const isLevel = (l: ScopeLevel): ExpressionSpecification => ['==', ['get', 'level'], l];

/**
 * Which grid cells show for a focus: a community's cells, or a cell and the others of its
 * community; none above the community (a district's 700 cells would be a blur).
 */
export function gridFilter(focus: { level: ScopeLevel; code: string }): ExpressionSpecification {
  if (focus.level !== 'community' && focus.level !== 'grid') return ['==', ['get', 'level'], '__none__'];
  return ['all', isLevel('grid'), ['==', ['slice', ['get', 'code'], 0, CODE_DIGITS.community], focus.code.slice(0, CODE_DIGITS.community)]];
}

/** A cell's fill: its own cell bright, the others of its community dimmed (a grid hall). */
export function gridOpacity(focus: { level: ScopeLevel; code: string }): ExpressionSpecification {
  const hover: ExpressionSpecification = ['case', ['boolean', ['feature-state', 'hover'], false], 0.98, 0.86];
  return focus.level === 'grid' ? ['case', ['==', ['get', 'code'], focus.code], hover, 0.22] : hover;
}

/** Stops of the choropleth for open appeals from 0 to `max` (a "nice" number, see niceMax). */
export function choroplethColor(max: number): ExpressionSpecification {
  const stops: (number | string)[] = [];
  VIRIDIS.forEach((c, i) => stops.push((max * i) / (VIRIDIS.length - 1), c));
  return [
    'case',
    ['==', ['typeof', ['feature-state', 'open']], 'number'],
    ['interpolate', ['linear'], ['feature-state', 'open'], ...stops] as unknown as ExpressionSpecification,
    NO_DATA,
  ];
}

/** A round upper bound for the legend, so that it does not jitter with every new appeal. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 10;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Whether a feature lies in the scope shown (codes nest by prefix): others are dimmed. */
export function inScopeExpr(level: ScopeLevel, code: string): ExpressionSpecification {
  return ['==', ['slice', ['get', 'code'], 0, CODE_DIGITS[level]], code];
}

/** The level at the top of a geography: the city when it has one, else its district. */
export const topLevelOf = (geo: GeoCollection): ScopeLevel =>
  geo.features.some((f) => f.properties.level === 'city') ? 'city' : 'district';

export function buildStyle(geo: GeoCollection, focus: { level: ScopeLevel; code: string }): StyleSpecification {
  const inScope = inScopeExpr(focus.level, focus.code);
  const top = topLevelOf(geo);
  return {
    version: 8,
    name: 'command-hall-dark',
    sources: {
      [GEO_SOURCE]: { type: 'geojson', data: geo as unknown as GeoJSONSourceSpecification['data'], promoteId: 'code' },
      [POINT_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [BASEMAP_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [COMPONENT_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [HEAT_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': UI.mapGround } },
      {
        id: LAYERS.districtFill,
        type: 'fill',
        source: GEO_SOURCE,
        filter: isLevel(top),
        paint: { 'fill-color': '#0b1f38', 'fill-opacity': 1 },
      },
      {
        id: LAYERS.communityFill,
        type: 'fill',
        source: GEO_SOURCE,
        filter: isLevel('community'),
        paint: {
          'fill-color': choroplethColor(10),
          'fill-opacity': ['case', inScope, ['case', ['boolean', ['feature-state', 'hover'], false], 0.98, 0.82], 0.18],
          'fill-color-transition': { duration: 600 },
        },
      },
      {
        id: LAYERS.zone,
        type: 'fill',
        source: BASEMAP_SOURCE,
        filter: ['==', ['get', 'kind'], 'zone'],
        paint: { 'fill-color': '#7fd3ff', 'fill-opacity': 0.12, 'fill-outline-color': '#7fd3ff' },
      },
      {
        id: LAYERS.gridFill,
        type: 'fill',
        source: GEO_SOURCE,
        filter: gridFilter(focus),
        paint: { 'fill-color': choroplethColor(10), 'fill-opacity': gridOpacity(focus), 'fill-color-transition': { duration: 600 } },
      },
      {
        id: LAYERS.communityLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: isLevel('community'),
        paint: { 'line-color': 'rgba(220, 236, 255, 0.45)', 'line-width': 0.8 },
      },
      {
        id: LAYERS.gridLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: gridFilter(focus),
        paint: {
          'line-color': 'rgba(230, 244, 255, 0.75)',
          'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, 0.9],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: LAYERS.water,
        type: 'line',
        source: BASEMAP_SOURCE,
        filter: ['==', ['get', 'kind'], 'river'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#3d8bd9', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 15, 7], 'line-opacity': 0.85 },
      },
      {
        id: LAYERS.roads,
        type: 'line',
        source: BASEMAP_SOURCE,
        filter: ['==', ['get', 'kind'], 'road'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#e8d9a8', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 15, 5], 'line-opacity': 0.7 },
      },
      {
        id: LAYERS.streetLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: isLevel('street'),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': 'rgba(230, 244, 255, 0.9)', 'line-width': 1.8 },
      },
      {
        id: LAYERS.districtBorder,
        type: 'line',
        source: GEO_SOURCE,
        // only a city's file has districts below its top
        filter: top === 'city' ? isLevel('district') : ['literal', false],
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#cfeeff', 'line-width': 3 },
      },
      {
        id: LAYERS.districtGlow,
        type: 'line',
        source: GEO_SOURCE,
        filter: isLevel(top),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': UI.accent, 'line-width': 16, 'line-blur': 12, 'line-opacity': 0.55 },
      },
      {
        id: LAYERS.districtLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: isLevel(top),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#a9e1ff', 'line-width': 2.4 },
      },
      {
        id: LAYERS.focusLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: ['all', isLevel(focus.level), ['==', ['get', 'code'], focus.code]],
        layout: { 'line-join': 'round', visibility: focus.level === top ? 'none' : 'visible' },
        paint: { 'line-color': '#F0E442', 'line-width': 3 },
      },
      {
        id: LAYERS.hoverLine,
        type: 'line',
        source: GEO_SOURCE,
        filter: isLevel('community'),
        paint: { 'line-color': '#ffffff', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, 0] },
      },
      {
        id: LAYERS.heat,
        type: 'heatmap',
        source: HEAT_SOURCE,
        paint: {
          'heatmap-weight': ['interpolate', ['linear'], ['get', 'w'], 0, 0, 1, 1],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 2],
          'heatmap-radius': ['interpolate', ['exponential', 2], ['zoom'], 10, 12, 13, 40, 16, 200],
          'heatmap-opacity': 0.78,
          'heatmap-color': [
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(0,0,0,0)',
            0.15,
            '#3b0f70',
            0.35,
            '#8c2981',
            0.55,
            '#de4968',
            0.75,
            '#fe9f6d',
            1,
            '#fcfdbf',
          ],
        },
      },
      {
        id: LAYERS.componentCluster,
        type: 'circle',
        source: COMPONENT_SOURCE,
        filter: ['==', ['get', 'cluster'], true],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 3, 11, 100, 17, 2000, 28],
          'circle-color': 'rgba(86, 180, 233, 0.28)',
          'circle-stroke-width': 1.5,
          'circle-stroke-color': STATUS_COLOURS.normal,
        },
      },
      {
        id: LAYERS.componentPoint,
        type: 'circle',
        source: COMPONENT_SOURCE,
        filter: ['!=', ['get', 'cluster'], true],
        paint: {
          // zoom on the outside: MapLibre takes it only as the input of a top-level interpolate
          'circle-radius': [
            'interpolate',
            ['linear'],
            ['zoom'],
            12,
            ['case', ['==', ['get', 'status'], 'normal'], 2.5, 6],
            16,
            ['case', ['==', ['get', 'status'], 'normal'], 5, 8],
          ],
          'circle-color': [
            'match',
            ['get', 'status'],
            'fault',
            STATUS_COLOURS.fault,
            'repairing',
            STATUS_COLOURS.repairing,
            'offline',
            STATUS_COLOURS.offline,
            STATUS_COLOURS.normal,
          ],
          'circle-stroke-width': ['case', ['==', ['get', 'status'], 'normal'], 0.5, 2],
          'circle-stroke-color': '#06131f',
        },
      },
      {
        id: LAYERS.pointHalo,
        type: 'circle',
        source: POINT_SOURCE,
        filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'fresh'], true]],
        paint: {
          'circle-radius': 14,
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-width': 2,
          'circle-stroke-color': ['match', ['get', 'kind'], 'alert', '#E69F00', '#ffffff'],
          'circle-stroke-opacity': 0.7,
        },
      },
      {
        id: LAYERS.cluster,
        type: 'circle',
        source: POINT_SOURCE,
        filter: ['has', 'point_count'],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 13, 10, 18, 50, 26],
          'circle-color': 'rgba(6, 20, 39, 0.78)',
          'circle-stroke-width': 2,
          'circle-stroke-color': ['case', ['>', ['get', 'alerts'], 0], '#E69F00', '#ffffff'],
        },
      },
      {
        id: LAYERS.point,
        type: 'circle',
        source: POINT_SOURCE,
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-radius': ['match', ['get', 'kind'], 'alert', 6, 5],
          'circle-color': ['match', ['get', 'kind'], 'alert', '#E69F00', '#ffffff'],
          'circle-stroke-width': 1.5,
          'circle-stroke-color': ['match', ['get', 'kind'], 'alert', '#2b1600', '#0072B2'],
        },
      },
    ],
  };
}
