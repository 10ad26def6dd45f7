/**
 * Feeds `alert:update` from the live channel into the alerts store. Separate from the metrics
 * client: alerts are pushed at once, without sequence numbers (the scope's queue in the metrics is
 * the state they are laid over).
 */
import type { LiveClient } from '../live/client.ts';
import type { AlertUpdate } from '@commandhall/shared/alert-lifecycle';
import type { AlertsStore } from './alerts-store.ts';

export function feedAlerts(live: LiveClient, store: AlertsStore): void {
  live.socket.on('alert:update', (u: AlertUpdate) => {
    if (!u || typeof u !== 'object' || !u.alert || typeof u.alert.id !== 'string') return;
    store.apply(u);
  });
}
