/**
 * The live figures of one scope. The live channel sends a whole `ScopeMetrics` as a snapshot and
 * then patches that replace top-level keys; REST `GET /api/v1/metrics/:scope` returns the same.
 * Keys are flat so that a patch is simply "these keys have these new values".
 */
export interface CommunityFigures {
  /** Appeals created today. */
  today: number;
  open: number;
  overdue: number;
  alertsToday: number;
}

export interface DailyPoint {
  date: string; // YYYY-MM-DD, local
  count: number;
}

/** A recent event for the live ticker (no personal data). */
export interface TickerItem {
  id: string;
  type: string;
  at: string; // ISO time
  community: string; // 12-digit code
  label: string; // e.g. category or algorithm code
  status?: string;
  /** Where it happened (WGS84), for live points on the map. */
  lon: number;
  lat: number;
}

export interface ScopeMetrics {
  scope: string;
  /** Local date the "today" figures belong to. */
  day: string;
  'appeals.today': number;
  'appeals.open': number;
  'appeals.overdue': number;
  'appeals.closedToday': number;
  'appeals.closedOnTimeToday': number;
  /** closed on time ÷ (closed + open and overdue); null when the denominator is 0. */
  'appeals.onTimeRate': number | null;
  /** eligible appeals resolved today within the immediate window ÷ eligible appeals resolved today. */
  'appeals.immediateRate': number | null;
  /** (satisfied + basically satisfied) ÷ rated closures today. */
  'appeals.satisfactionRate': number | null;
  /** Appeals created today by their current status. */
  'appeals.byStatus': Record<string, number>;
  'appeals.byCategory': Record<string, number>;
  'appeals.byChannel': Record<string, number>;
  'appeals.byNature': Record<string, number>;
  'appeals.hourlyToday': number[];
  'appeals.hourlyYesterday': number[];
  /** 30 local days ending today, oldest first. */
  'appeals.daily': DailyPoint[];
  /** Per-community figures for the map and ranking (the scope's own communities). */
  'map.communities': Record<string, CommunityFigures>;
  'alerts.today': number;
  'alerts.pending': number;
  'alerts.byAlgorithm': Record<string, number>;
  /** Alerts raised today by their current status. */
  'alerts.byStatus': Record<string, number>;
  'inspections.today': number;
  'inspections.issuesToday': number;
  'scans.today': number;
  /** Latest events, newest first, capped. */
  recent: TickerItem[];
}

export type MetricKey = Exclude<keyof ScopeMetrics, 'scope'>;
export type MetricsPatch = Partial<Omit<ScopeMetrics, 'scope'>>;

export const RECENT_CAP = 30;
