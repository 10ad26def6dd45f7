/** The video alert counters of one scope; "today" counters are cleared when the day rolls over. */
import { ALERT_WINDOW_DAYS } from '@commandhall/shared';
import { KeyedDayCounts } from '../../core/counters/day-windows.ts';
import { AlertQueue } from '../../core/counters/alert-queue.ts';
import type { AlertState } from './alert-state.ts';

export class AlertCounters {
  alertsToday = 0;
  /** Alerts not yet acknowledged. */
  pending = 0;
  byAlgorithm: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  /** Alerts not yet decided, newest raised first. */
  queue = new AlertQueue<AlertState>();
  /** Unacknowledged alerts by level reached. */
  pendingByLevel = { community: 0, street: 0, district: 0 };
  /** Detections today, merged ones included. */
  detectionsToday = 0;
  byCommunity: Record<string, number> = {};
  /** First responses today and the sum of their waits (ms). */
  ackCountToday = 0;
  ackWaitMsToday = 0;
  /** Decisions per algorithm by decision day: [dismissed, decided]. */
  decisions = new KeyedDayCounts(ALERT_WINDOW_DAYS, 2);
  /** Confirmations by confirmation day: [confirmed, of them with the appeal closed now]. */
  confirmedClosed = new KeyedDayCounts(ALERT_WINDOW_DAYS, 2);

  rollover(newDay: number): void {
    this.alertsToday = 0;
    this.byAlgorithm = {};
    this.byStatus = {};
    this.detectionsToday = 0;
    this.byCommunity = {};
    this.ackCountToday = this.ackWaitMsToday = 0;
    this.decisions.rollover(newDay);
    this.confirmedClosed.rollover(newDay);
  }
}
