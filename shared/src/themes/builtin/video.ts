/**
 * Theme 3, 视频事件 (video events), for every hall: the alert queue the hall must work through,
 * the map with cameras and alerts, what the cameras detect, and how well the hall responds
 * (time to acknowledge, false positives, alerts turned into closed cases, cameras online).
 */
import type { KpiItem, Theme } from '../types.ts';

export const VIDEO_KPIS: KpiItem[] = [
  { key: 'alerts.open', label: 'kpi.alertsOpen', format: 'count', tone: 'alert' },
  { key: 'alerts.escalated', label: 'kpi.alertsEscalated', format: 'count', tone: 'alert' },
  { key: 'alerts.today', label: 'kpi.alertsToday', format: 'count' },
  { key: 'alerts.detectionsToday', label: 'kpi.detectionsToday', format: 'count' },
  { key: 'alerts.ackTime', label: 'kpi.alertAckMinutes', format: 'count', field: 'meanMinutes' },
  { key: 'alerts.falsePositives', label: 'kpi.falsePositiveRate', format: 'rate', field: 'rate' },
];

export const video: Theme = {
  schema: 1,
  id: 'video',
  name: 'theme.video',
  levels: ['city', 'district', 'street', 'community', 'grid'],
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'theme.video' } },
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 48, h: 4 },
      bind: VIDEO_KPIS.map((k) => k.key),
      options: { items: VIDEO_KPIS },
    },
    {
      id: 'queue',
      type: 'alertQueue',
      pos: { x: 0, y: 6, w: 12, h: 21 },
      title: 'widget.alertQueue',
      bind: ['alerts.queue'],
      options: { limit: 12 },
    },
    {
      id: 'map',
      type: 'map',
      pos: { x: 12, y: 6, w: 24, h: 21 },
      bind: ['map.communities', 'recent'],
      options: { legend: true, layers: ['communities', 'cameras', 'points'] },
    },
    {
      id: 'by-algorithm',
      type: 'bar',
      pos: { x: 36, y: 6, w: 12, h: 8 },
      title: 'widget.alertsByAlgorithm',
      bind: ['alerts.byAlgorithm'],
      options: { taxonomy: 'algorithm', limit: 8, color: 1, horizontal: true },
    },
    {
      id: 'by-status',
      type: 'pie',
      pos: { x: 36, y: 14, w: 12, h: 7 },
      title: 'widget.alertsByStatus',
      bind: ['alerts.byStatus'],
      options: { taxonomy: 'alertStatus' },
    },
    {
      id: 'cameras',
      type: 'gauge',
      pos: { x: 36, y: 21, w: 6, h: 6 },
      title: 'kpi.camerasOnline',
      bind: ['cameras.online'],
      options: { label: 'kpi.camerasOnline', field: 'rate', warnBelow: 0.9 },
    },
    {
      id: 'closed',
      type: 'gauge',
      pos: { x: 42, y: 21, w: 6, h: 6 },
      title: 'kpi.confirmedClosedRate',
      bind: ['alerts.confirmedClosed'],
      options: { label: 'kpi.confirmedClosedRate', field: 'rate' },
    },
  ],
};
