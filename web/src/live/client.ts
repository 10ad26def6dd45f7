/**
 * The one module that owns the live channel (Socket.IO namespace `/live`). It registers every
 * listener, writes into the Pinia stores and nothing else does; components only say which scope
 * they show (`useScopeWatch`). It reconnects by itself, resyncs a scope on any sequence gap (or a
 * patch whose edits do not fit what the store holds), and watches again after a reconnect that
 * did not recover the session.
 */
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ScopePatch, ScopeSnapshot, ServerToClientEvents, Ack, ThemesChanged } from '@commandhall/shared/live';
import type { PatchResult } from '../stores/metrics.ts';
import type { ConnectionState } from '../stores/connection.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type IoFactory = (url: string, opts: Partial<ManagerOptions & SocketOptions>) => LiveSocket;

/** What the client needs of the stores: narrow, so that tests can pass plain objects. */
export interface LiveSinks {
  metrics: {
    applySnapshot(snap: ScopeSnapshot): void;
    applyPatch(patch: ScopePatch): PatchResult;
    drop(scope: string): void;
  };
  connection: { set(state: ConnectionState, error?: string): void; attempt(n: number): void; tick?(serverAt: number): void };
  /** A theme or playlist changed on the server. */
  onThemesChanged?(change: ThemesChanged): void;
  /** A scope the server refused (unknown, forbidden): shown instead of an endless spinner. */
  onScopeError?(scope: string, message: string): void;
}

export interface LiveClientOptions {
  io: IoFactory;
  sinks: LiveSinks;
  /** Origin of the server; default: the page's own origin. */
  url?: string;
  /** How long to wait for a snapshot before asking again. */
  ackTimeoutMs?: number;
  /** Patches kept while a snapshot is on its way. */
  maxBuffered?: number;
}

export interface LiveClient {
  /** Starts (or shares) watching a scope; the returned function stops this watcher's interest. */
  watch(scope: string): () => void;
  /** Asks for a fresh snapshot of a watched scope. */
  resync(scope: string): void;
  watched(): string[];
  readonly socket: LiveSocket;
  close(): void;
}

interface Watch {
  refs: number;
  /** Non-null while a snapshot request is in flight: patches wait here until it lands. */
  pending: { token: number; buffer: ScopePatch[] } | null;
  retry: ReturnType<typeof setTimeout> | null;
}

export function createLiveClient(opts: LiveClientOptions): LiveClient {
  const { sinks } = opts;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 8000;
  const maxBuffered = opts.maxBuffered ?? 200;
  const url = (opts.url ?? '') + '/live';
  const socket = opts.io(url, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.3,
    timeout: 10_000,
  });
  const watches = new Map<string, Watch>();
  let tokens = 0;
  let closed = false;

  function requestSnapshot(scope: string): void {
    const w = watches.get(scope);
    if (!w || closed) return;
    if (w.retry) clearTimeout(w.retry);
    w.retry = null;
    const token = ++tokens;
    // Keep patches that arrive meanwhile: those newer than the snapshot are applied after it.
    w.pending = { token, buffer: w.pending?.buffer ?? [] };
    if (!socket.connected) return; // the connect handler asks again
    socket.timeout(ackTimeoutMs).emit('scope:watch', { scope }, (err: Error | null, res?: Ack<ScopeSnapshot>) => {
      const cur = watches.get(scope);
      if (!cur || cur.pending?.token !== token) return; // unwatched, or superseded by a newer request
      if (err || !res) {
        // Timed out (server busy or connection lost): try again later; connect also retries.
        cur.retry = setTimeout(() => requestSnapshot(scope), 1000);
        return;
      }
      if ('error' in res) {
        cur.pending = null;
        sinks.onScopeError?.(scope, `${res.error.code}: ${res.error.message}`);
        return;
      }
      const buffered = cur.pending.buffer;
      cur.pending = null;
      sinks.metrics.applySnapshot(res.data);
      for (const p of buffered.sort((a, b) => a.seq - b.seq)) {
        if (p.seq <= res.data.seq) continue;
        if (!applyPatch(p)) break;
      }
    });
  }

  /** Returns false when the patch revealed a gap (a resync is then under way). */
  function applyPatch(p: ScopePatch): boolean {
    const r = sinks.metrics.applyPatch(p);
    if (r === 'applied') return true;
    if (r === 'gap' || r === 'mismatch' || r === 'unknown') {
      requestSnapshot(p.scope);
      return false;
    }
    return true; // stale: already folded into what we have
  }

  socket.on('connect', () => {
    sinks.connection.set('live');
    // A recovered session kept its rooms and missed nothing; otherwise ask for every snapshot again.
    if (!socket.recovered) for (const scope of watches.keys()) requestSnapshot(scope);
  });

  socket.on('disconnect', (reason) => {
    sinks.connection.set(closed ? 'offline' : 'reconnecting', reason);
    // A server-side disconnect is not retried by Socket.IO on its own.
    if (reason === 'io server disconnect' && !closed) socket.connect();
  });

  socket.on('connect_error', (err) => {
    sinks.connection.set(socket.active ? 'reconnecting' : 'offline', err.message);
  });

  socket.io.on('reconnect_attempt', (n) => sinks.connection.attempt(n));

  socket.on('metrics:patch', (p) => {
    if (!p || typeof p.scope !== 'string' || typeof p.seq !== 'number' || typeof p.changes !== 'object') return;
    // a patch stands for the tick it came with (the server sends no separate tick then)
    if (typeof p.at === 'number' && Number.isFinite(p.at)) sinks.connection.tick?.(p.at);
    const w = watches.get(p.scope);
    if (!w) return;
    if (w.pending) {
      if (w.pending.buffer.length < maxBuffered) w.pending.buffer.push(p);
      return;
    }
    applyPatch(p);
  });

  socket.on('live:tick', (t) => {
    if (t && typeof t.at === 'number' && Number.isFinite(t.at)) sinks.connection.tick?.(t.at);
  });

  socket.on('themes:changed', (c) => {
    if (c && typeof c.id === 'string' && (c.kind === 'theme' || c.kind === 'playlist')) sinks.onThemesChanged?.(c);
  });

  socket.on('live:error', (e) => {
    sinks.connection.set(socket.connected ? 'live' : 'reconnecting', `${e.event}: ${e.message}`);
  });

  return {
    socket,
    watch(scope) {
      let w = watches.get(scope);
      if (w) w.refs++;
      else {
        w = { refs: 1, pending: null, retry: null };
        watches.set(scope, w);
        requestSnapshot(scope);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const cur = watches.get(scope);
        if (!cur || --cur.refs > 0) return;
        if (cur.retry) clearTimeout(cur.retry);
        watches.delete(scope);
        sinks.metrics.drop(scope);
        if (socket.connected) socket.emit('scope:unwatch', { scope }, () => {});
      };
    },
    resync: requestSnapshot,
    watched: () => [...watches.keys()],
    close() {
      closed = true;
      for (const w of watches.values()) if (w.retry) clearTimeout(w.retry);
      watches.clear();
      socket.removeAllListeners();
      socket.io.removeAllListeners?.();
      socket.disconnect();
    },
  };
}
