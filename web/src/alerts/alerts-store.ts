/**
 * Video AI alerts on screen. The truth is each watched scope's `alerts.queue` (snapshot, then
 * patches at the tick); `alert:update` arrives at once, ahead of the tick, and is laid over the
 * queue for a few seconds so that a new alert pops up and an acknowledgement on another screen
 * shows without waiting. New alerts also wait in `popups` for the wall's popup.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { OPEN_ALERT_STATUSES, type AlertUpdate, type AlertView } from '@commandhall/shared/alert-lifecycle';

/** How long an immediate update overrides the queue: the next patches carry the same by then. */
const OVERRIDE_MS = 10_000;
/** Popups waiting their turn on a wall, newest kept. */
const POPUP_CAP = 20;

interface Override {
  view: AlertView;
  at: number;
}

/** The queue as shown: the scope's queue with the fresher immediate updates laid over it (pure, for tests). */
export function mergeQueue(
  queue: readonly AlertView[],
  overrides: ReadonlyMap<string, Override>,
  inScope: (a: AlertView) => boolean,
  now: number,
): AlertView[] {
  const fresh = [...overrides.values()].filter((o) => now - o.at < OVERRIDE_MS && inScope(o.view));
  const byId = new Map(fresh.map((o) => [o.view.id, o.view]));
  const out = queue.filter((a) => !byId.has(a.id)).concat([...byId.values()]);
  return out.filter((a) => OPEN_ALERT_STATUSES.has(a.status)).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
}

export const useAlertsStore = defineStore('alerts', () => {
  const overrides = shallowRef(new Map<string, Override>());
  /** Alerts raised (or merged) since the screen opened, waiting for the popup: oldest first. */
  const popups = ref<AlertUpdate[]>([]);
  /** Bumps on every update, for views that re-read the queue. */
  const version = ref(0);

  function apply(u: AlertUpdate, now = Date.now()): void {
    const next = new Map(overrides.value);
    for (const [id, o] of next) if (now - o.at >= OVERRIDE_MS) next.delete(id);
    next.set(u.alert.id, { view: u.alert, at: now });
    overrides.value = next;
    version.value++;
    if (u.kind === 'raised' || u.kind === 'escalated') {
      popups.value = [...popups.value.filter((p) => p.alert.id !== u.alert.id), u].slice(-POPUP_CAP);
    } else if (u.kind === 'acknowledged' || !OPEN_ALERT_STATUSES.has(u.alert.status)) {
      // someone has it in hand: no need to announce it any more (it stays in the queue until decided)
      popups.value = popups.value.filter((p) => p.alert.id !== u.alert.id);
    }
  }

  function shift(): void {
    popups.value = popups.value.slice(1);
  }

  return { overrides, popups, version, apply, shift };
});

export type AlertsStore = ReturnType<typeof useAlertsStore>;
