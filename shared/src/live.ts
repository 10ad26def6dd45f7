/**
 * The live channel: Socket.IO namespace `/live`. Names are `domain:verb`; every client → server
 * event takes an acknowledgement `{ data } | { error }` and its payload is validated on arrival.
 */
import { Type, type Static } from 'typebox';
import type { MetricsPatch, ScopeMetrics } from './metrics.ts';
import type { MetricsEdits } from './live-delta.ts';
import type { AlertUpdate } from './alert-lifecycle.ts';

export const LIVE_NAMESPACE = '/live';

export const WatchRequest = Type.Object(
  { scope: Type.String({ maxLength: 40, description: 'Scope id, e.g. "street:440310001"' }) },
  { additionalProperties: false },
);
export type WatchRequest = Static<typeof WatchRequest>;

export interface LiveError {
  code: 'bad_payload' | 'unknown_scope' | 'forbidden' | 'unauthorized' | 'internal';
  message: string;
}
export type Ack<T> = { data: T } | { error: LiveError };

export interface ScopeSnapshot {
  scope: string;
  /** The sequence number of the last patch folded into `metrics`; the next patch is seq + 1. */
  seq: number;
  /** The server sends `FullScopeMetrics`: these figures and the video-alert ones (`AlertInsights`). */
  metrics: ScopeMetrics;
}

/**
 * What changed in a scope since its previous patch (`seq` − 1): keys sent whole in `changes`, keys
 * edited in `edits` (lists as kept runs and added items, objects as changed entries: live-delta.ts).
 * A client applies it only on top of exactly `seq` − 1 (`applyPatchTo`); anything else is a gap.
 */
export interface ScopePatch {
  scope: string;
  seq: number;
  /** Server time (ms since the epoch) of the tick that sent it: a socket patched in a tick gets no `live:tick` then. */
  at?: number;
  changes: MetricsPatch;
  /** Absent when every changed key is in `changes`. */
  edits?: MetricsEdits;
}

export interface LiveTick {
  /** Server time, ms since the epoch. */
  at: number;
  tickMs: number;
}

export interface ThemesChanged {
  kind: 'theme' | 'playlist';
  /** Theme id, or the hall's scope for a playlist. */
  id: string;
  version: number;
}

/**
 * What a wall display reports every WALL_HEARTBEAT_MS: which hall and tile it is, what it shows
 * and how its memory stands. Administrators see the latest report of every display.
 */
export const WallHeartbeat = Type.Object(
  {
    hall: Type.String({ maxLength: 40 }),
    /** `col,row/colsxrows` of a spliced wall, e.g. `1,0/2x1`. */
    tile: Type.String({ pattern: '^\\d,\\d/\\dx\\d$' }),
    theme: Type.Union([Type.String({ maxLength: 40 }), Type.Null()]),
    /** JS heap in use, MB (null where the browser does not say). */
    heapMB: Type.Union([Type.Number({ minimum: 0, maximum: 1e6 }), Type.Null()]),
    /** Seconds since this page loaded. */
    uptimeS: Type.Integer({ minimum: 0 }),
    /** Reloads the watchdog has made on this display. */
    reloads: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type WallHeartbeat = Static<typeof WallHeartbeat>;
export const WALL_HEARTBEAT_MS = 30_000;

export interface ClientToServerEvents {
  /** A wall display's heartbeat (see WallHeartbeat). */
  'wall:heartbeat': (hb: WallHeartbeat, ack: (res: Ack<{ at: number }>) => void) => void;
  /** Start watching a scope; the ack carries its snapshot. Watching again re-sends the snapshot (resync). */
  'scope:watch': (req: WatchRequest, ack: (res: Ack<ScopeSnapshot>) => void) => void;
  'scope:unwatch': (req: WatchRequest, ack: (res: Ack<{ scope: string }>) => void) => void;
}

export interface ServerToClientEvents {
  'metrics:patch': (patch: ScopePatch) => void;
  /**
   * An alert was raised, merged (a repeated detection), acknowledged, confirmed, dismissed or
   * escalated. Sent at once, not with the tick, to the sockets watching the alert's community, its
   * street or the district (a socket watching several of them gets it once), and to no other.
   * Carries no sequence number: the scope's `alerts.queue` (snapshot, then patches) is the state;
   * an update is newer than every patch that arrived before it. Missed updates are replayed when
   * the connection is recovered; otherwise the snapshot of a fresh `scope:watch` has the queue.
   */
  'alert:update': (update: AlertUpdate) => void;
  /**
   * Every tick, to every socket that got no patch in it (a patch carries the same clock in `at`):
   * the server's clock. Walls compute their rotation from it (all displays of a hall change
   * together) and call their data stale when ticks stop arriving.
   */
  'live:tick': (tick: LiveTick) => void;
  /** A theme or a hall's playlist was saved: displays showing it fetch it again. */
  'themes:changed': (change: ThemesChanged) => void;
  /** Sent when a client event arrived without an acknowledgement callback to answer on. */
  'live:error': (err: LiveError & { event: string }) => void;
}

export type InterServerEvents = Record<string, never>;
export interface SocketData {
  watching: Set<string>;
  /** Set by the server's authentication middleware; opaque to clients. */
  principal?: unknown;
}

/**
 * Handshake `auth` a wall display sends: `io('/live', { auth: { token } })`. People are
 * recognised by their session cookie instead.
 */
export interface LiveAuth {
  token?: string;
}
