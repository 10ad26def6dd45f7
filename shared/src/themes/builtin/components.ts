/**
 * Theme 5, 城市部件与智慧码 (city components and smart codes), for every hall: the components
 * registered by type and state, smart poles online and faulty, and what smart-code scans
 * reported today and over 30 days.
 */
import type { KpiItem, Theme } from '../types.ts';

export const COMPONENT_KPIS: KpiItem[] = [
  { key: 'components.health', field: 'total', label: 'kpi.componentsTotal', format: 'count' },
  { key: 'components.health', field: 'rate', label: 'kpi.componentsHealth', format: 'rate', tone: 'good' },
  { key: 'poles.status', field: 'total', label: 'kpi.polesTotal', format: 'count' },
  { key: 'poles.status', field: 'faults', label: 'kpi.poleFaults', format: 'count', tone: 'alert' },
  { key: 'scans.today', label: 'kpi.scansToday', format: 'count' },
  { key: 'scans.reportsToday', label: 'kpi.scanReports', format: 'count' },
];

export const components: Theme = {
  schema: 1,
  id: 'components',
  name: 'theme.components',
  levels: ['city', 'district', 'street', 'community', 'grid'],
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'theme.components' } },
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 48, h: 4 },
      bind: ['components.health', 'poles.status', 'scans.today', 'scans.reportsToday'],
      options: { items: COMPONENT_KPIS },
    },
    {
      id: 'by-type',
      type: 'bar',
      pos: { x: 0, y: 6, w: 12, h: 13 },
      title: 'widget.componentsByType',
      bind: ['components.byType'],
      options: { taxonomy: 'field', limit: 10, horizontal: true },
    },
    {
      id: 'by-status',
      type: 'pie',
      pos: { x: 0, y: 19, w: 12, h: 8 },
      title: 'widget.componentsByStatus',
      bind: ['components.byStatus'],
      options: { taxonomy: 'field' },
    },
    { id: 'map', type: 'map', pos: { x: 12, y: 6, w: 24, h: 15 }, bind: ['map.communities', 'recent'], options: { legend: true } },
    {
      id: 'scans-daily',
      type: 'line',
      pos: { x: 12, y: 21, w: 24, h: 6 },
      title: 'widget.scansDaily',
      bind: ['scans.daily'],
      options: { area: true },
    },
    {
      id: 'poles',
      type: 'gauge',
      pos: { x: 36, y: 6, w: 6, h: 7 },
      title: 'kpi.polesOnline',
      bind: ['poles.status'],
      options: { label: 'kpi.polesOnline', field: 'rate', warnBelow: 0.95 },
    },
    {
      id: 'health',
      type: 'gauge',
      pos: { x: 42, y: 6, w: 6, h: 7 },
      title: 'kpi.componentsHealth',
      bind: ['components.health'],
      options: { label: 'kpi.componentsHealth', field: 'rate', warnBelow: 0.98 },
    },
    {
      id: 'faults',
      type: 'bar',
      pos: { x: 36, y: 13, w: 12, h: 7 },
      title: 'widget.faultsByType',
      bind: ['components.faultsByType'],
      options: { taxonomy: 'field', limit: 6, color: 3 },
    },
    {
      id: 'scans-by-purpose',
      type: 'pie',
      pos: { x: 36, y: 20, w: 12, h: 7 },
      title: 'widget.scansByPurpose',
      bind: ['scans.byPurpose'],
      options: { taxonomy: 'field' },
    },
  ],
};
