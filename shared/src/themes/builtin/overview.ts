/**
 * Theme 1, 综合态势 (overview), for street and district halls: KPIs and the map in the centre,
 * appeal mixes on the left, ranking, alerts and the live ticker on the right. 48×27 cells of
 * 40 px at 1920×1080.
 */
import type { KpiItem, Theme } from '../types.ts';

export const HEADLINE_KPIS: KpiItem[] = [
  { key: 'appeals.today', label: 'kpi.appealsToday', format: 'count' },
  { key: 'appeals.open', label: 'kpi.open', format: 'count' },
  { key: 'appeals.overdue', label: 'kpi.overdue', format: 'count', tone: 'alert' },
  { key: 'appeals.closedToday', label: 'kpi.closedToday', format: 'count' },
  { key: 'appeals.onTimeRate', label: 'kpi.onTimeRate', format: 'rate', tone: 'good' },
  { key: 'appeals.immediateRate', label: 'kpi.immediateRate', format: 'rate', tone: 'good' },
  { key: 'appeals.satisfactionRate', label: 'kpi.satisfactionRate', format: 'rate', tone: 'good' },
];

/** Beside the map: the other live streams of the day. */
export const ACTIVITY_KPIS: KpiItem[] = [
  { key: 'alerts.today', label: 'kpi.alertsToday', format: 'count' },
  { key: 'alerts.pending', label: 'kpi.alertsPending', format: 'count', tone: 'alert' },
  { key: 'inspections.today', label: 'kpi.inspectionsToday', format: 'count' },
  { key: 'scans.today', label: 'kpi.scansToday', format: 'count' },
];

export const overview: Theme = {
  schema: 1,
  id: 'overview',
  name: 'theme.overview',
  levels: ['city', 'district', 'street'],
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [] },

    {
      id: 'by-category',
      type: 'bar',
      pos: { x: 0, y: 2, w: 12, h: 9 },
      title: 'widget.byCategory',
      bind: ['appeals.byCategory'],
      options: { taxonomy: 'category', limit: 10 },
    },
    {
      id: 'by-channel',
      type: 'pie',
      pos: { x: 0, y: 11, w: 12, h: 8 },
      title: 'widget.byChannel',
      bind: ['appeals.byChannel'],
      options: { taxonomy: 'channel', limit: 7 },
    },
    { id: 'daily', type: 'daily', pos: { x: 0, y: 19, w: 12, h: 8 }, title: 'widget.daily', bind: ['appeals.daily'] },

    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 12, y: 2, w: 24, h: 4 },
      bind: HEADLINE_KPIS.map((k) => k.key),
      options: { items: HEADLINE_KPIS },
    },
    {
      id: 'activity',
      type: 'kpis',
      pos: { x: 12, y: 6, w: 4, h: 15 },
      bind: ACTIVITY_KPIS.map((k) => k.key),
      options: { items: ACTIVITY_KPIS, columns: 1 },
    },
    { id: 'map', type: 'map', pos: { x: 16, y: 6, w: 20, h: 15 }, bind: ['map.communities', 'recent'], options: { legend: true } },
    {
      id: 'hourly',
      type: 'hourly',
      pos: { x: 12, y: 21, w: 24, h: 6 },
      title: 'widget.hourly',
      bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'],
    },

    {
      id: 'ranking',
      type: 'ranking',
      pos: { x: 36, y: 2, w: 12, h: 9 },
      title: 'widget.ranking',
      bind: ['map.communities'],
      options: { sortBy: 'today', limit: 8 },
    },
    {
      id: 'alerts',
      type: 'bar',
      pos: { x: 36, y: 11, w: 12, h: 8 },
      title: 'widget.alertsByAlgorithm',
      bind: ['alerts.byAlgorithm'],
      options: { taxonomy: 'algorithm', limit: 8, color: 1 },
    },
    { id: 'ticker', type: 'ticker', pos: { x: 36, y: 19, w: 12, h: 8 }, title: 'widget.ticker', bind: ['recent'], options: { limit: 12 } },
  ],
};

/**
 * Theme 1 for a community hall: the same, but a community has no communities to rank, so the
 * ranking's place shows today's appeals by where they stand in their lifecycle.
 */
export const overviewCommunity: Theme = {
  ...overview,
  id: 'overview-community',
  levels: ['community', 'grid'],
  widgets: overview.widgets.map((w) =>
    w.type === 'ranking'
      ? { id: 'by-status', type: 'pie', pos: w.pos, title: 'widget.byStatus', bind: ['appeals.byStatus'], options: { taxonomy: 'status' } }
      : w,
  ),
};
