/**
 * Theme 2, 民生诉求 (appeals), for every hall: the appeals analysis screen, in four bands a director reads left to right:
 * overall situation (headline figures and the 30-day trend), type analysis (what people ask
 * about, through which channels, of what nature), handling analysis (the intake funnel, time per
 * stage, units with overdue appeals) and hot events (what rises against last week).
 * 48×27 cells of 40 px at 1920×1080, like the district wall.
 */
import type { KpiItem, Theme } from '../types.ts';

export const ANALYSIS_KPIS: KpiItem[] = [
  { key: 'appeals.today', label: 'kpi.appealsToday', format: 'count' },
  { key: 'appeals.open', label: 'kpi.open', format: 'count' },
  { key: 'appeals.overdue', label: 'kpi.overdue', format: 'count', tone: 'alert' },
  { key: 'appeals.dueSoon', label: 'kpi.dueSoon', format: 'count', tone: 'alert' },
  { key: 'appeals.extensionsPending', label: 'kpi.extensionsPending', format: 'count' },
  { key: 'appeals.onTimeRate', label: 'kpi.onTimeRate', format: 'rate', tone: 'good' },
  { key: 'appeals.immediateRate', label: 'kpi.immediateRate', format: 'rate', tone: 'good' },
  { key: 'appeals.satisfactionRate', label: 'kpi.satisfactionRate', format: 'rate', tone: 'good' },
  { key: 'appeals.rework', label: 'kpi.reworkRate', format: 'rate', field: 'rate' },
];

export const appeals: Theme = {
  schema: 1,
  id: 'appeals',
  name: 'theme.appeals',
  levels: ['city', 'district', 'street', 'community', 'grid'],
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'analysis.title' } },
    // overall situation
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 48, h: 4 },
      bind: ANALYSIS_KPIS.map((k) => k.key),
      options: { items: ANALYSIS_KPIS },
    },
    // type analysis
    {
      id: 'by-category',
      type: 'bar',
      pos: { x: 0, y: 6, w: 12, h: 11 },
      title: 'widget.byCategory',
      bind: ['appeals.byCategory'],
      options: { taxonomy: 'category', limit: 10 },
    },
    {
      id: 'by-nature',
      type: 'pie',
      pos: { x: 0, y: 17, w: 12, h: 10 },
      title: 'analysis.byNature',
      bind: ['appeals.byNature'],
      options: { taxonomy: 'nature', limit: 6 },
    },
    // handling analysis
    { id: 'funnel', type: 'funnel', pos: { x: 12, y: 6, w: 12, h: 11 }, title: 'analysis.funnel', bind: ['appeals.funnel'] },
    { id: 'stages', type: 'stages', pos: { x: 24, y: 6, w: 12, h: 11 }, title: 'analysis.stages', bind: ['appeals.stageTimes'] },
    {
      id: 'units',
      type: 'units',
      pos: { x: 12, y: 17, w: 12, h: 10 },
      title: 'analysis.overdueByUnit',
      bind: ['appeals.overdueByUnit'],
      options: { limit: 7 },
    },
    {
      id: 'by-channel',
      type: 'pie',
      pos: { x: 24, y: 17, w: 12, h: 10 },
      title: 'widget.byChannel',
      bind: ['appeals.byChannel'],
      options: { taxonomy: 'channel', limit: 7 },
    },
    // hot events
    {
      id: 'hot-categories',
      type: 'hot',
      pos: { x: 36, y: 6, w: 12, h: 7 },
      title: 'analysis.hotCategories',
      bind: ['appeals.hotCategories'],
      options: { taxonomy: 'category', limit: 5 },
    },
    {
      id: 'hot-subcategories',
      type: 'hot',
      pos: { x: 36, y: 13, w: 12, h: 7 },
      title: 'analysis.hotSubcategories',
      bind: ['appeals.hotSubcategories'],
      options: { taxonomy: 'subcategory', limit: 5 },
    },
    { id: 'daily', type: 'daily', pos: { x: 36, y: 20, w: 12, h: 7 }, title: 'widget.daily', bind: ['appeals.daily'] },
  ],
};
