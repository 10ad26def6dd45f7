/** Test data shaped like the server's snapshots. */
import type { ScopeMetrics, TickerItem } from '@commandhall/shared/metrics';
import type { ScopeSnapshot } from '@commandhall/shared/live';

export function tickerItem(i: number, over: Partial<TickerItem> = {}): TickerItem {
  return {
    id: `ev-${i}`,
    type: i % 3 === 0 ? 'video_alert.raised' : 'appeal.created',
    at: new Date(Date.UTC(2026, 10, 27, 3, 0, i)).toISOString(),
    community: '440310001001',
    label: i % 3 === 0 ? 'road_spill' : '5',
    lon: 114.32 + i * 1e-4,
    lat: 22.69,
    ...over,
  };
}

export function metrics(over: Partial<ScopeMetrics> = {}): ScopeMetrics {
  return {
    scope: 'district:440310',
    day: '2026-11-27',
    'appeals.today': 376,
    'appeals.open': 3114,
    'appeals.overdue': 116,
    'appeals.closedToday': 457,
    'appeals.closedOnTimeToday': 400,
    'appeals.onTimeRate': 0.752,
    'appeals.immediateRate': 0.881,
    'appeals.satisfactionRate': 0.957,
    'appeals.byStatus': { collected: 10, closed: 5 },
    'appeals.byCategory': { '5': 129, '3': 42, '4': 31 },
    'appeals.byChannel': { hotline_12345: 120, wechat: 40 },
    'appeals.byNature': { request: 100 },
    'appeals.hourlyToday': Array.from({ length: 24 }, (_, h) => (h < 11 ? h * 3 : 0)),
    'appeals.hourlyYesterday': Array.from({ length: 24 }, (_, h) => h * 2),
    'appeals.daily': Array.from({ length: 30 }, (_, d) => ({ date: `2026-11-${String((d % 27) + 1).padStart(2, '0')}`, count: 900 + d })),
    'map.communities': {
      '440310001001': { today: 10, open: 134, overdue: 2, alertsToday: 5 },
      '440310004004': { today: 30, open: 201, overdue: 9, alertsToday: 3 },
    },
    'alerts.today': 120,
    'alerts.pending': 12,
    'alerts.byAlgorithm': { road_spill: 12, vehicle_parking: 13 },
    'alerts.byStatus': { raised: 10 },
    'inspections.today': 50,
    'inspections.issuesToday': 7,
    'scans.today': 20,
    recent: [tickerItem(1), tickerItem(2), tickerItem(3)],
    'appeals.extensionsPending': 2,
    'appeals.dueSoon': 5,
    'appeals.rework': { returned: 3, resolved: 100, rate: 0.03 },
    'appeals.stageTimes': {
      verify: { count: 10, meanMinutes: 30, medianMinutes: 28 },
      dispatch: { count: 10, meanMinutes: 50, medianMinutes: 45 },
      accept: { count: 9, meanMinutes: 60, medianMinutes: 55 },
      handle: { count: 8, meanMinutes: 4000, medianMinutes: 3500 },
      close: { count: 8, meanMinutes: 600, medianMinutes: 580 },
    },
    'appeals.funnel': { collected: 320, verified: 300, dispatched: 280, handling: 250, resolved: 120, closed: 60, rejected: 4 },
    'appeals.overdueByUnit': [{ unit: '区城市管理和综合执法局', overdue: 4, open: 40 }],
    'appeals.hotCategories': [{ code: '5', last: 120, previous: 100, rise: 20, riseRate: 0.2 }],
    'appeals.hotSubcategories': [],
    'alerts.open': 3,
    'alerts.queue': [],
    'alerts.pendingByLevel': { community: 1, street: 1, district: 0 },
    'alerts.escalated': 1,
    'alerts.detectionsToday': 130,
    'alerts.byCommunity': { '440310001001': 12 },
    'alerts.ackTime': { count: 20, meanMinutes: 3.5 },
    'alerts.falsePositives': { dismissed: 2, decided: 20, rate: 0.1, byAlgorithm: {} },
    'alerts.confirmedClosed': { confirmed: 10, closed: 4, rate: 0.4 },
    'cameras.online': { online: 180, total: 192, rate: 0.9375 },
    'map.alerts': {},
    'grid.profile': {
      population: 29750,
      households: 11191,
      buildings: 1641,
      housingUnits: 25726,
      legalEntities: 972,
      gridCells: 28,
      gridInspectors: 32,
    },
    'inspections.handledToday': 5,
    'inspections.byKind': { grid: 40, river: 6, enterprise: 4 },
    'inspections.issuesByKind': { grid: 5, river: 1, enterprise: 1 },
    'inspections.daily': Array.from({ length: 30 }, (_, d) => ({
      date: `2026-11-${String((d % 27) + 1).padStart(2, '0')}`,
      count: 40 + (d % 7),
    })),
    'components.byType': { manhole_cover: 1247, street_light: 575, smart_pole: 40 },
    'components.byStatus': { normal: 1850, fault: 9, repairing: 3 },
    'components.faultsByType': { manhole_cover: 6, street_light: 6 },
    'components.health': { normal: 1850, total: 1862, rate: 0.9936 },
    'poles.status': { online: 38, total: 40, faults: 1, rate: 0.95 },
    'scans.byPurpose': { inspection: 12, report: 4, query: 4 },
    'scans.reportsToday': 4,
    'scans.daily': Array.from({ length: 30 }, (_, d) => ({
      date: `2026-11-${String((d % 27) + 1).padStart(2, '0')}`,
      count: 20 + (d % 5),
    })),
    'appeals.enterpriseToday': 6,
    'appeals.enterpriseOpen': 31,
    'appeals.enterpriseByCategory': { '5': 3, '9': 3 },
    ...over,
  };
}

export function snapshot(scope = 'district:440310', seq = 0, over: Partial<ScopeMetrics> = {}): ScopeSnapshot {
  return { scope, seq, metrics: metrics({ scope, ...over }) };
}
