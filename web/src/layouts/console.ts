/**
 * The director console: the same widgets as the wall for whichever scope is chosen, on a fluid
 * grid (24 columns across the content area, rows of fixed height) instead of a scaled canvas.
 */
import { HEADLINE_KPIS, type KpiItem, type ScreenLayout } from '@commandhall/shared/themes';

/** Video AI alerts and cameras of the scope: how quickly the hall responds and how good the alerts are. */
export const ALERT_KPIS: KpiItem[] = [
  { key: 'alerts.open', label: 'kpi.alertsOpen', format: 'count', tone: 'alert' },
  { key: 'alerts.escalated', label: 'kpi.alertsEscalated', format: 'count', tone: 'alert' },
  { key: 'alerts.ackTime', label: 'kpi.alertAckMinutes', format: 'count', field: 'meanMinutes' },
  { key: 'alerts.falsePositives', label: 'kpi.falsePositiveRate', format: 'rate', field: 'rate' },
  { key: 'alerts.confirmedClosed', label: 'kpi.confirmedClosedRate', format: 'rate', field: 'rate', tone: 'good' },
  { key: 'cameras.online', label: 'kpi.camerasOnline', format: 'rate', field: 'rate', tone: 'good' },
];

export const consoleLayout: ScreenLayout = {
  id: 'console',
  name: 'console',
  grid: { width: 1600, height: 1280, cols: 24, rows: 32, gap: 12 },
  widgets: [
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 0, w: 24, h: 3 },
      bind: HEADLINE_KPIS.map((k) => k.key),
      options: { items: HEADLINE_KPIS },
    },
    {
      id: 'map',
      type: 'map',
      pos: { x: 0, y: 3, w: 15, h: 13 },
      title: 'widget.map',
      bind: ['map.communities', 'recent'],
      options: { interactive: true, legend: true },
    },
    {
      id: 'ranking',
      type: 'ranking',
      pos: { x: 15, y: 3, w: 9, h: 7 },
      title: 'widget.ranking',
      bind: ['map.communities'],
      options: { sortBy: 'today', limit: 6 },
    },
    { id: 'ticker', type: 'ticker', pos: { x: 15, y: 10, w: 9, h: 6 }, title: 'widget.ticker', bind: ['recent'], options: { limit: 10 } },
    {
      id: 'by-category',
      type: 'bar',
      pos: { x: 0, y: 16, w: 8, h: 7 },
      title: 'widget.byCategory',
      bind: ['appeals.byCategory'],
      options: { taxonomy: 'category', limit: 8 },
    },
    {
      id: 'by-channel',
      type: 'pie',
      pos: { x: 8, y: 16, w: 8, h: 7 },
      title: 'widget.byChannel',
      bind: ['appeals.byChannel'],
      options: { taxonomy: 'channel', limit: 7 },
    },
    {
      id: 'alerts',
      type: 'bar',
      pos: { x: 16, y: 16, w: 8, h: 7 },
      title: 'widget.alertsByAlgorithm',
      bind: ['alerts.byAlgorithm'],
      options: { taxonomy: 'algorithm', limit: 8, color: 1 },
    },
    {
      id: 'hourly',
      type: 'hourly',
      pos: { x: 0, y: 23, w: 12, h: 6 },
      title: 'widget.hourly',
      bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'],
    },
    { id: 'daily', type: 'daily', pos: { x: 12, y: 23, w: 12, h: 6 }, title: 'widget.daily', bind: ['appeals.daily'] },
    {
      id: 'alert-kpis',
      type: 'kpis',
      pos: { x: 0, y: 29, w: 24, h: 3 },
      bind: ALERT_KPIS.map((k) => k.key),
      options: { items: ALERT_KPIS },
    },
  ],
};
