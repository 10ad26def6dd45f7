/**
 * Keeping an unattended wall healthy for weeks. Every WALL_HEARTBEAT_MS the display tells the
 * server which hall and tile it is, what it shows and how much JS heap it uses. A watchdog reads
 * the heap each minute: past the bound (`?heapLimitMB=`, default HEAP_LIMIT_MB) it reloads the
 * page, but only at a quiet moment: when the rotation changes theme and no alert is on screen,
 * or, on a pinned screen, after QUIET_WAIT_MS with no alert showing. Reconnecting after a network
 * cut needs no reload: the live client and the hall store resync by themselves.
 */
import { inject, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useIntervalFn, useTimeoutFn } from '@vueuse/core';
import { useRoute } from 'vue-router';
import { WALL_HEARTBEAT_MS } from '@commandhall/shared/live';
import { LIVE_KEY } from '../live/index.ts';
import { useAlertsStore } from '../alerts/alerts-store.ts';
import { useConnectionStore } from '../stores/connection.ts';
import type { Tile } from '../screen/splice.ts';

export const HEAP_LIMIT_MB = 768;
const CHECK_MS = 60_000;
const FIRST_CHECK_MS = 10_000;
const QUIET_WAIT_MS = 10 * 60_000;
/** A page that is over the bound again right after a reload would reload forever: not more often than this. */
const MIN_RELOAD_GAP_MS = 30 * 60_000;
const RELOADS_KEY = 'commandhall.watchdog.reloads';
const LAST_RELOAD_KEY = 'commandhall.watchdog.lastReload';

/** JS heap in use, MB; null where the browser does not tell (only Chromium does). */
export function heapMB(): number | null {
  const m = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return m ? Math.round((m.usedJSHeapSize / 1048576) * 10) / 10 : null;
}

function reloadsSoFar(): number {
  try {
    return Number(globalThis.localStorage?.getItem(RELOADS_KEY) ?? 0) || 0;
  } catch {
    return 0;
  }
}

export function useWallUpkeep(o: { hall: MaybeRefOrGetter<string>; tile: MaybeRefOrGetter<Tile>; themeId: () => string | null }) {
  const live = inject(LIVE_KEY, null);
  const route = useRoute();
  const alerts = useAlertsStore();
  const limit = Number(route.query.heapLimitMB) > 0 ? Number(route.query.heapLimitMB) : HEAP_LIMIT_MB;
  const started = performance.now();
  let overSince = 0;

  function beat(): void {
    if (!live?.socket.connected) return;
    const t = toValue(o.tile);
    live.socket.emit(
      'wall:heartbeat',
      {
        hall: toValue(o.hall),
        tile: `${t.col},${t.row}/${t.cols}x${t.rows}`,
        theme: o.themeId(),
        heapMB: heapMB(),
        uptimeS: Math.floor((performance.now() - started) / 1000),
        reloads: reloadsSoFar(),
      },
      () => {},
    );
  }

  function reload(): void {
    try {
      const last = Number(globalThis.localStorage?.getItem(LAST_RELOAD_KEY) ?? 0);
      if (Date.now() - last < MIN_RELOAD_GAP_MS) return; // the heartbeat shows the heap meanwhile
      globalThis.localStorage?.setItem(RELOADS_KEY, String(reloadsSoFar() + 1));
      globalThis.localStorage?.setItem(LAST_RELOAD_KEY, String(Date.now()));
    } catch {
      /* counted or not, the reload goes ahead */
    }
    location.reload();
  }

  const quiet = () => alerts.popups.length === 0;
  function check(): void {
    const heap = heapMB();
    if (heap === null || heap < limit) return void (overSince = 0);
    overSince ||= Date.now();
    // a pinned screen never changes theme: after a while any quiet moment will do
    if (Date.now() - overSince > QUIET_WAIT_MS && quiet()) reload();
  }
  watch(o.themeId, () => {
    if (overSince && quiet()) reload();
    else beat(); // what is on screen changed
  });

  useIntervalFn(beat, WALL_HEARTBEAT_MS);
  useIntervalFn(check, CHECK_MS);
  useTimeoutFn(check, FIRST_CHECK_MS);
  // say so at once when the channel comes (back): the administrators' list is current
  const connection = useConnectionStore();
  watch(
    () => connection.state === 'live',
    (live) => live && beat(),
    { immediate: true },
  );
}
