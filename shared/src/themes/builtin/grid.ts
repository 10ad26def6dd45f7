/**
 * Theme 4, 网格治理 (grid governance), for every hall: who and what the grid covers (people,
 * households, buildings, housing units, legal entities, grid cells and inspectors) and what the
 * inspections found and handled today and over 30 days.
 */
import type { KpiItem, Theme } from '../types.ts';

const profile = (field: string, label: string): KpiItem => ({ key: 'grid.profile', field, label, format: 'count' });
export const GRID_KPIS: KpiItem[] = [
  profile('population', 'kpi.population'),
  profile('households', 'kpi.households'),
  profile('buildings', 'kpi.buildings'),
  profile('housingUnits', 'kpi.housingUnits'),
  profile('legalEntities', 'kpi.legalEntities'),
  profile('gridCells', 'kpi.gridCells'),
  profile('gridInspectors', 'kpi.gridInspectors'),
];

const INSPECTION_KPIS: KpiItem[] = [
  { key: 'inspections.issuesToday', label: 'kpi.issuesToday', format: 'count', tone: 'alert' },
  { key: 'inspections.handledToday', label: 'kpi.handledToday', format: 'count', tone: 'good' },
];

export const grid: Theme = {
  schema: 1,
  id: 'grid',
  name: 'theme.grid',
  levels: ['city', 'district', 'street', 'community', 'grid'],
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'theme.grid' } },
    { id: 'profile', type: 'kpis', pos: { x: 0, y: 2, w: 48, h: 4 }, bind: ['grid.profile'], options: { items: GRID_KPIS } },
    {
      id: 'inspections-today',
      type: 'rolling',
      pos: { x: 0, y: 6, w: 12, h: 6 },
      title: 'kpi.inspectionsToday',
      bind: ['inspections.today'],
      options: { label: 'kpi.inspectionsToday' },
    },
    {
      id: 'issues',
      type: 'kpis',
      pos: { x: 0, y: 12, w: 12, h: 4 },
      bind: INSPECTION_KPIS.map((k) => k.key),
      options: { items: INSPECTION_KPIS },
    },
    {
      id: 'by-kind',
      type: 'pie',
      pos: { x: 0, y: 16, w: 12, h: 11 },
      title: 'widget.inspectionsByKind',
      bind: ['inspections.byKind'],
      options: { taxonomy: 'field' },
    },
    { id: 'map', type: 'map', pos: { x: 12, y: 6, w: 24, h: 15 }, bind: ['map.communities', 'recent'], options: { legend: true } },
    {
      id: 'daily',
      type: 'line',
      pos: { x: 12, y: 21, w: 24, h: 6 },
      title: 'widget.inspectionsDaily',
      bind: ['inspections.daily'],
      options: { area: true },
    },
    {
      id: 'issues-by-kind',
      type: 'bar',
      pos: { x: 36, y: 6, w: 12, h: 9 },
      title: 'widget.issuesByKind',
      bind: ['inspections.issuesByKind'],
      options: { taxonomy: 'field', color: 2 },
    },
    { id: 'ticker', type: 'ticker', pos: { x: 36, y: 15, w: 12, h: 12 }, title: 'widget.ticker', bind: ['recent'], options: { limit: 12 } },
  ],
};
