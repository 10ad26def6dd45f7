/**
 * The live figures of one scope. The live channel sends a whole `ScopeMetrics` as a snapshot and
 * then patches that replace top-level keys; REST `GET /api/v1/metrics/:scope` returns the same.
 * Keys are flat so that a patch is simply "these keys have these new values".
 *
 * Every figure is defined in `docs/metrics.md`. "Today" is the local calendar day of the district
 * (`day`); windows of N days are "today and the N − 1 local days before it", judged by the time
 * the event happened (`occurredAt`), never by when it arrived, so that a replay of the log gives
 * the same figures as live updates did.
 */
import type { AppealStatus } from './appeal-lifecycle.ts';
import type { AlertLevel, AlertView } from './alert-lifecycle.ts';

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

export interface ScopeMetrics extends AppealInsights, AlertInsights, GridInsights {
  scope: string;
  /** Local date the "today" figures belong to. */
  day: string;
  /** Appeals created today. */
  'appeals.today': number;
  /** Appeals in an open status now (collected, verified, dispatched, handling, resolved). */
  'appeals.open': number;
  /** Open appeals whose deadline (as extended, if an extension was approved) has passed. */
  'appeals.overdue': number;
  /** Appeals closed today. */
  'appeals.closedToday': number;
  /** Of those, the ones resolved at or before their deadline (as it stood when they closed). */
  'appeals.closedOnTimeToday': number;
  /** closed on time today ÷ (closed today + open and overdue now); null when the denominator is 0. */
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

/** Lead time of the "warn before breach" figure: open appeals due within this much time from now. */
export const DUE_SOON_WINDOW_MS = 4 * 3_600_000;
/** Window of the rework rate and of the stage times, in local days (today and the 29 before). */
export const APPEAL_WINDOW_DAYS = 30;
/** Hot events compare the last HOT_WINDOW_DAYS local days (today included) with the same span before. */
export const HOT_WINDOW_DAYS = 7;
/** How many rising categories (and, separately, subcategories) `appeals.hot*` list. */
export const HOT_TOP_N = 5;
/** How many units `appeals.overdueByUnit` lists. */
export const OVERDUE_UNITS_TOP_N = 10;

/**
 * The five stages of an appeal's forward path, each timed from the moment the appeal entered
 * `from` (most recently) to the transition `from → to`.
 */
export const APPEAL_STAGES = [
  { key: 'verify', from: 'collected', to: 'verified' },
  { key: 'dispatch', from: 'verified', to: 'dispatched' },
  { key: 'accept', from: 'dispatched', to: 'handling' },
  { key: 'handle', from: 'handling', to: 'resolved' },
  { key: 'close', from: 'resolved', to: 'closed' },
] as const satisfies readonly { key: string; from: AppealStatus; to: AppealStatus }[];
export type AppealStageKey = (typeof APPEAL_STAGES)[number]['key'];

/** The funnel's steps in lifecycle order: an appeal "reached" a step when it got there or further. */
export const FUNNEL_STEPS = ['collected', 'verified', 'dispatched', 'handling', 'resolved', 'closed'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** Time spent in one stage, over the completions of that stage in the last APPEAL_WINDOW_DAYS days. */
export interface StageTime {
  /** Completions of the stage (transitions `from → to`) with event time in the window. */
  count: number;
  /** Mean time in the stage, minutes (one decimal); null when count is 0. Exact. */
  meanMinutes: number | null;
  /**
   * Median time in the stage, minutes (one decimal); null when count is 0. The lower median (the
   * ⌈count ÷ 2⌉-th shortest), read from a log histogram with 8 buckets per doubling from 1 minute:
   * reported as its bucket's geometric centre, so within ±4.4 % of the true value (30 s when under
   * a minute; "182 days or more" is reported as 2^18 minutes).
   */
  medianMinutes: number | null;
}

/** A category or subcategory whose appeals rise in the last 7 days against the 7 before. */
export interface HotItem {
  /** Category code (`5`) or subcategory code (`5-03`) from the taxonomy. */
  code: string;
  /** Appeals created in the last HOT_WINDOW_DAYS local days, today included. */
  last: number;
  /** Appeals created in the HOT_WINDOW_DAYS local days before those. */
  previous: number;
  /** last − previous (always > 0 in the list). */
  rise: number;
  /** rise ÷ previous (4 decimals); null when previous is 0 (new this week). */
  riseRate: number | null;
}

/** Open and overdue appeals of one responsible unit. */
export interface UnitOverdue {
  /** The unit the appeal is dispatched to; null for appeals not dispatched (collected, verified). */
  unit: string | null;
  /** Its open appeals that are overdue. */
  overdue: number;
  /** All its open appeals. */
  open: number;
}

/**
 * Appeals created today by the furthest lifecycle step they reached: each step counts the appeals
 * that got there or further (so the numbers never grow down the funnel; `collected` equals
 * `appeals.today`). Rework and reopening never lower the step reached; an appeal resolved at once
 * on intake reached `resolved` (and so counts in the steps before it). `rejected` counts today's
 * appeals that were rejected, beside the funnel (they also count in the steps they reached first).
 */
export type Funnel = Record<FunnelStep, number> & { rejected: number };

/** The appeals-analysis figures of a scope (part of every `ScopeMetrics`). */
export interface AppealInsights {
  /** Appeals with a deadline-extension request awaiting a decision (whatever their status). */
  'appeals.extensionsPending': number;
  /** Open appeals, not yet overdue, whose deadline falls within the next DUE_SOON_WINDOW_MS (4 h). */
  'appeals.dueSoon': number;
  /**
   * Returns for rework (transitions resolved → handling) ÷ resolutions (transitions into
   * resolved, from any status), both counted by event time over the last APPEAL_WINDOW_DAYS days.
   * rate is null when there was no resolution; it counts transitions, not distinct appeals.
   */
  'appeals.rework': { returned: number; resolved: number; rate: number | null };
  /** Time per stage over the last APPEAL_WINDOW_DAYS days, keyed by stage (see APPEAL_STAGES). */
  'appeals.stageTimes': Record<AppealStageKey, StageTime>;
  /** Today's intake funnel (see `Funnel`). */
  'appeals.funnel': Funnel;
  /**
   * Units with open and overdue appeals, most overdue first (then most open, then by name), at
   * most OVERDUE_UNITS_TOP_N.
   */
  'appeals.overdueByUnit': UnitOverdue[];
  /**
   * Top-level categories whose appeals created in the last 7 days outnumber the 7 days before,
   * by rise (then by last, then by code), at most HOT_TOP_N.
   */
  'appeals.hotCategories': HotItem[];
  /** The same for second-level categories (only appeals that carry a subcategory). */
  'appeals.hotSubcategories': HotItem[];
}

/** A count and the share it is of another: `rate` = part ÷ whole (4 decimals), null when the whole is 0. */
export interface AlertShare {
  rate: number | null;
}

/** False positives among an algorithm's (or all) decided alerts. */
export interface FalsePositives extends AlertShare {
  /** Alerts dismissed (false positives). */
  dismissed: number;
  /** Alerts decided: confirmed + dismissed. */
  decided: number;
}

/** Alerts and cameras of one community, for the map's alert and camera layer. */
export interface CommunityAlertFigures {
  /** Alerts not yet decided (raised or acknowledged). */
  open: number;
  /** Alerts not yet acknowledged. */
  pending: number;
  /** Unacknowledged alerts escalated to the street or the district. */
  escalated: number;
  camerasOnline: number;
  camerasTotal: number;
}

/** The video-alert figures of a scope (docs/metrics.md, "Video alerts"), part of every `ScopeMetrics`. */
export interface AlertInsights {
  /** Alerts not yet decided (raised or acknowledged), whatever day. */
  'alerts.open': number;
  /**
   * The scope's alert queue: open alerts, newest raised first, at most ALERT_QUEUE_CAP (50);
   * `alerts.open` says how many there are in all.
   */
  'alerts.queue': AlertView[];
  /** Unacknowledged alerts by the level they have reached. */
  'alerts.pendingByLevel': Record<AlertLevel, number>;
  /** Unacknowledged alerts escalated beyond their community (street or district level). */
  'alerts.escalated': number;
  /** Detections today, merged ones included (`alerts.today` counts alerts). */
  'alerts.detectionsToday': number;
  /** Alerts raised today by community (the scope's communities that had any). */
  'alerts.byCommunity': Record<string, number>;
  /** Time from raising to the first response (acknowledged, or decided straight away), for responses today. */
  'alerts.ackTime': { count: number; meanMinutes: number | null };
  /** Dismissed ÷ decided, decisions of the last ALERT_WINDOW_DAYS (7) days, overall and per algorithm. */
  'alerts.falsePositives': FalsePositives & { byAlgorithm: Record<string, FalsePositives> };
  /** Of the alerts confirmed in the last 7 days, how many have their appeal closed now. */
  'alerts.confirmedClosed': AlertShare & { confirmed: number; closed: number };
  /** Online and total cameras of the scope (the camera registry). */
  'cameras.online': { online: number; total: number; rate: number | null };
  /** Per community of the scope: open, pending and escalated alerts, cameras online and in all. */
  'map.alerts': Record<string, CommunityAlertFigures>;
}

/** Components by the state `components.health` and `poles.status` read. */
export interface ComponentHealth {
  /** Components in status normal (never named by an event, or back to normal). */
  normal: number;
  /** Registered components (the registry's counts, plus any not-normal beyond them: docs/metrics.md). */
  total: number;
  /** normal ÷ total (4 decimals); null when total is 0. */
  rate: number | null;
}

export interface PoleStatus {
  /** Smart poles not offline (a pole with a fault still talks to the platform). */
  online: number;
  total: number;
  /** Smart poles in fault or under repair. */
  faults: number;
  /** online ÷ total (4 decimals); null when total is 0. */
  rate: number | null;
}

/**
 * Grid governance, city components and smart codes, enterprise appeals (docs/metrics.md, "Grid,
 * components and smart codes"): part of every `ScopeMetrics`. Records keyed by a fixed list
 * (inspection kinds, component statuses, scan purposes) always carry every key, zeros included;
 * records keyed by codes (component types, categories) carry only keys above zero.
 */
export interface GridInsights {
  /**
   * The scope's grid statistics, summed over its communities (the community registry,
   * `shared/data/community-profiles.json`): population, households, buildings, housingUnits,
   * legalEntities, gridCells, gridInspectors. Static.
   */
  'grid.profile': Record<string, number>;
  /** Issues handled on site by today's inspections. */
  'inspections.handledToday': number;
  /** Today's inspections by kind (grid, river, enterprise, fire). */
  'inspections.byKind': Record<string, number>;
  /** Issues found by today's inspections, by kind. */
  'inspections.issuesByKind': Record<string, number>;
  /** Inspections per local day, 30 days ending today, oldest first. */
  'inspections.daily': DailyPoint[];
  /** Registered city components by type (component type codes of the taxonomy). */
  'components.byType': Record<string, number>;
  /** Components by current status: normal, fault, repairing, offline. */
  'components.byStatus': Record<string, number>;
  /** Components not normal now (fault, repairing or offline), by type. */
  'components.faultsByType': Record<string, number>;
  'components.health': ComponentHealth;
  /** Smart poles (多功能智能杆): online, in all, with faults. */
  'poles.status': PoleStatus;
  /** Today's smart-code scans by purpose (inspection, report, query). */
  'scans.byPurpose': Record<string, number>;
  /** Today's scans with purpose report. */
  'scans.reportsToday': number;
  /** Scans per local day, 30 days ending today, oldest first. */
  'scans.daily': DailyPoint[];
  /** Appeals from enterprises (reporterKind enterprise) created today. */
  'appeals.enterpriseToday': number;
  /** Appeals from enterprises in an open status now. */
  'appeals.enterpriseOpen': number;
  /** Appeals from enterprises created today, by top-level category. */
  'appeals.enterpriseByCategory': Record<string, number>;
}

/** Kept for the engine's signatures: the same as `ScopeMetrics`. */
export type FullScopeMetrics = ScopeMetrics;

export type MetricKey = Exclude<keyof ScopeMetrics, 'scope'>;
export type MetricsPatch = Partial<Omit<ScopeMetrics, 'scope'>>;

export const RECENT_CAP = 30;
