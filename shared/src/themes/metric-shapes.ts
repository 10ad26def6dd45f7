/**
 * The shape of every metric's value: what decides which widgets can show it. A new metric key in
 * `ScopeMetrics` must be added here (the type makes that a compile error until it is).
 */
import type { MetricKey } from '../metrics.ts';

export type MetricShape =
  | 'number'
  | 'rate'
  | 'record'
  | 'series'
  | 'daily'
  | 'communities'
  | 'recent'
  | 'text'
  | 'ratio'
  | 'funnel'
  | 'stages'
  | 'units'
  | 'hot'
  | 'alerts'
  | 'alertMap';

/** Metric keys by the shape of their value. */
export const METRIC_SHAPES: Record<MetricKey, MetricShape> = {
  day: 'text',
  'appeals.today': 'number',
  'appeals.open': 'number',
  'appeals.overdue': 'number',
  'appeals.closedToday': 'number',
  'appeals.closedOnTimeToday': 'number',
  'appeals.onTimeRate': 'rate',
  'appeals.immediateRate': 'rate',
  'appeals.satisfactionRate': 'rate',
  'appeals.byStatus': 'record',
  'appeals.byCategory': 'record',
  'appeals.byChannel': 'record',
  'appeals.byNature': 'record',
  'appeals.hourlyToday': 'series',
  'appeals.hourlyYesterday': 'series',
  'appeals.daily': 'daily',
  'map.communities': 'communities',
  'alerts.today': 'number',
  'alerts.pending': 'number',
  'alerts.byAlgorithm': 'record',
  'alerts.byStatus': 'record',
  'inspections.today': 'number',
  'inspections.issuesToday': 'number',
  'scans.today': 'number',
  recent: 'recent',
  'appeals.extensionsPending': 'number',
  'appeals.dueSoon': 'number',
  'appeals.rework': 'ratio',
  'appeals.stageTimes': 'stages',
  'appeals.funnel': 'funnel',
  'appeals.overdueByUnit': 'units',
  'appeals.hotCategories': 'hot',
  'appeals.hotSubcategories': 'hot',
  'alerts.open': 'number',
  'alerts.queue': 'alerts',
  'alerts.pendingByLevel': 'record',
  'alerts.escalated': 'number',
  'alerts.detectionsToday': 'number',
  'alerts.byCommunity': 'record',
  'alerts.ackTime': 'ratio',
  'alerts.falsePositives': 'ratio',
  'alerts.confirmedClosed': 'ratio',
  'cameras.online': 'ratio',
  'map.alerts': 'alertMap',
  'grid.profile': 'record',
  'inspections.handledToday': 'number',
  'inspections.byKind': 'record',
  'inspections.issuesByKind': 'record',
  'inspections.daily': 'daily',
  'components.byType': 'record',
  'components.byStatus': 'record',
  'components.faultsByType': 'record',
  'components.health': 'ratio',
  'poles.status': 'ratio',
  'scans.byPurpose': 'record',
  'scans.reportsToday': 'number',
  'scans.daily': 'daily',
  'appeals.enterpriseToday': 'number',
  'appeals.enterpriseOpen': 'number',
  'appeals.enterpriseByCategory': 'record',
};
