/**
 * App-wide access to the live client: created once in main.ts, provided to the component tree,
 * and a composable that keeps one scope watched for as long as the calling component lives.
 */
import { inject, onScopeDispose, watch, type InjectionKey, type MaybeRefOrGetter, toValue } from 'vue';
import { io } from 'socket.io-client';
import { createLiveClient, type LiveClient, type IoFactory } from './client.ts';
import { useMetricsStore } from '../stores/metrics.ts';
import { useConnectionStore } from '../stores/connection.ts';
import { useScopesStore } from '../stores/scopes.ts';
import { useHallStore } from '../hall/hall-store.ts';

export const LIVE_KEY: InjectionKey<LiveClient> = Symbol('live');

/** Wires the client to the Pinia stores (call after `app.use(pinia)`). */
export function startLive(ioFactory: IoFactory = io as unknown as IoFactory): LiveClient {
  const metrics = useMetricsStore();
  const connection = useConnectionStore();
  const scopes = useScopesStore();
  const halls = useHallStore();
  return createLiveClient({
    io: ioFactory,
    sinks: {
      metrics,
      connection,
      onScopeError: (scope, msg) => scopes.setScopeError(scope, msg),
      onThemesChanged: (c) => halls.changed(c),
    },
  });
}

/** Keeps `scope` watched while the calling component (or effect scope) lives. */
export function useScopeWatch(scope: MaybeRefOrGetter<string | null | undefined>): void {
  const live = inject(LIVE_KEY, null);
  if (!live) return;
  let release: (() => void) | null = null;
  watch(
    () => toValue(scope),
    (s) => {
      const prev = release;
      release = s ? live.watch(s) : null;
      prev?.(); // watch the new scope before releasing the old: no gap if both are the same
    },
    { immediate: true },
  );
  onScopeDispose(() => release?.());
}
