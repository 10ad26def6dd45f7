/**
 * The live channel (Socket.IO namespace `/live`). A client watches a scope and gets its snapshot
 * with a sequence number; then, once per tick, what changed is pushed as a numbered patch to the
 * scope's room: keys whole, or edited where an edit is smaller (shared's live-delta.ts). An edit
 * applies to exactly the figures the previous patch produced, so a snapshot is always the figures
 * as of the last patch sent (`sent`), numbered with that patch's seq. Alerts do not wait for the
 * tick: each change to an alert goes out at once as `alert:update` to the rooms of the alert's
 * community, street and district. Payloads are validated on arrival; a bad one gets an error ack.
 *
 * With several nodes, each folds the whole log and sends what it derives from it to its own
 * sockets only (`nsp.local`): through the adapter every client would get every node's copy.
 * Only what one node alone knows (a theme saved on it) goes through the adapter to all.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type ServerOptions, type Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import {
  LIVE_NAMESPACE,
  WatchRequest,
  WallHeartbeat,
  diffMetrics,
  parseScope,
  redactAlert,
  type AlertUpdate,
  type ClientToServerEvents,
  type InterServerEvents,
  type LiveError,
  type ScopeMetrics,
  type ScopePatch,
  type ServerToClientEvents,
  type SocketData,
} from '@commandhall/shared';
import type { CityProjections } from '../modules/city-projections.ts';
import { DEFLATE_NEGOTIATION, deflateOnce } from './deflate-once.ts';
import type { AlertChange } from '../modules/alerts/alert-state.ts';

/** Every key of a scope's figures but `scope`: the first patch of a scope sent before any snapshot. */
function withoutScope(m: ScopeMetrics): Omit<ScopeMetrics, 'scope'> {
  const { scope: _scope, ...rest } = m;
  return rest;
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
const checkWatch = Compile(WatchRequest);
const checkHeartbeat = Compile(WallHeartbeat);

/** The latest heartbeat of a wall display, as administrators see it. */
export interface WallReport extends WallHeartbeat {
  /** Who the socket is (`device:liulian-hall`, `demo`…). */
  display: string;
  at: number;
  connected: boolean;
}

/** How long a display that went away stays in the report. */
const WALL_FORGET_MS = 3_600_000;

/**
 * Decides whether a socket may watch a scope (any string the client sent); null allows it. It may
 * answer later (the principal re-checked in a shared store); if it throws, the client is told the
 * check failed and nothing is watched.
 */
export type ScopeGuard = (socket: LiveSocket, scope: string) => LiveError | null | Promise<LiveError | null>;

export interface LiveChannelOptions {
  tickMs: number;
  /** Compress broadcasts once for every socket that negotiated per-message deflate (deflate-once.ts). */
  deflate?: boolean;
  guard?: ScopeGuard;
  /** Socket.IO's adapter across nodes (the Redis streams one, scale-out mode); in memory otherwise. */
  adapter?: ServerOptions['adapter'];
}

/**
 * Alert changes held between the moment the engine applies them and the end of their batch (so
 * that a confirmed alert's appeal is readable when its update arrives). Past this many, the
 * oldest are dropped: clients then rely on `alerts.queue`, which is the state.
 */
export const ALERT_BUFFER_CAP = 10_000;

export class LiveChannel {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  readonly nsp: Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  private seq = new Map<string, number>();
  /**
   * Where this node's patch numbers start. Each node numbers the patches it sends itself: a
   * client that moves to another node (its session recovered there) must meet a gap, and resync,
   * rather than a number that happens to follow its last one.
   */
  private readonly seqBase = Math.floor(Math.random() * 2 ** 40);
  /** What each watched scope's clients have been sent, to diff the next patch against. */
  private sent = new Map<string, ScopeMetrics>();
  private timer: NodeJS.Timeout | null = null;
  private alertChanges: AlertChange[] = [];
  private unsubscribe: () => void;
  private walls = new Map<string, WallReport>();
  /** Scopes that changed while no socket watched them: patched as soon as one does. */
  private unsent = new Set<string>();
  private tickListeners: ((seconds: number) => void)[] = [];

  constructor(
    httpServer: HttpServer,
    private engine: CityProjections,
    private opts: LiveChannelOptions,
  ) {
    this.unsubscribe = engine.onAlertChange((c) => {
      this.alertChanges.push(c);
      if (this.alertChanges.length > ALERT_BUFFER_CAP) this.alertChanges.splice(0, this.alertChanges.length - ALERT_BUFFER_CAP);
    });
    this.io = new Server(httpServer, {
      serveClient: false,
      // a brief network cut replays missed patches instead of forcing a snapshot
      connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: true },
      cors: { origin: false },
      // negotiated so that one compression serves every socket (deflate-once.ts)
      ...(opts.deflate ? { perMessageDeflate: DEFLATE_NEGOTIATION } : {}),
      ...(opts.adapter ? { adapter: opts.adapter } : {}),
    });
    this.nsp = this.io.of(LIVE_NAMESPACE);
    if (opts.deflate) deflateOnce(this.io, this.nsp);
    this.nsp.on('connection', (socket) => this.onConnection(socket));
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  /**
   * Sends the alert changes applied so far, each to the watchers of the alert's community, street
   * and district (Socket.IO sends a socket in several of those rooms one copy). Called after each
   * ingested batch and on every tick (escalations are found by the clock).
   */
  flushAlerts(): void {
    if (this.alertChanges.length === 0) return;
    const changes = this.alertChanges;
    this.alertChanges = [];
    for (const c of changes) {
      const scopes = this.engine.scopePathOf(c.community);
      // one payload for every watcher: what a principal without PII clearance may see (walls never have it)
      const update: AlertUpdate = { kind: c.kind, alert: redactAlert(c.alert, { pii: false }), scopes };
      if (c.detectionId !== undefined) update.detectionId = c.detectionId;
      this.nsp.local.to(scopes).emit('alert:update', update);
    }
  }

  /** Called after each tick with how long it took (metrics listen here). */
  onTick(listener: (seconds: number) => void): void {
    this.tickListeners.push(listener);
  }

  /** Sockets watching each scope on this node (scopes nobody watches left out). */
  watchers(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [room, sockets] of this.nsp.adapter.rooms) if (this.engine.hasScope(room) && sockets.size > 0) out.set(room, sockets.size);
    return out;
  }

  /** Builds and sends one patch per changed, watched scope. Public so tests can drive it. */
  tick(): void {
    const started = performance.now();
    this.patch();
    const seconds = (performance.now() - started) / 1000;
    for (const l of this.tickListeners) l(seconds);
  }

  private patch(): void {
    const scopes = this.engine.tick();
    this.flushAlerts();
    const at = Date.now();
    for (const s of this.unsent) scopes.add(s);
    this.unsent.clear();
    const patched: string[] = [];
    for (const scope of scopes) {
      const room = this.nsp.adapter.rooms.get(scope);
      if (!room || room.size === 0) {
        // Nobody is watching now, but a watcher cut off by the network may come back with its
        // session recovered (and its figures as last sent): it is owed these changes then.
        this.unsent.add(scope);
        continue;
      }
      if (this.send(scope, at)) patched.push(scope);
    }
    // Every socket hears the server's clock each tick: in its patch (`at`), or else in a tick of
    // its own. One message per socket per tick instead of two where a patch goes.
    const tick = { at, tickMs: this.opts.tickMs };
    (patched.length ? this.nsp.local.except(patched) : this.nsp.local).emit('live:tick', tick);
  }

  /**
   * Patches a scope's room with what changed since the last patch sent, and makes the current
   * figures the ones sent; says whether there was a patch. The patch goes to the room even when
   * it is empty on this node: the adapter keeps it for sessions that come back recovered.
   */
  private send(scope: string, at = Date.now()): boolean {
    const next = this.engine.snapshot(scope);
    if (!next) return false;
    const prev = this.sent.get(scope);
    this.sent.set(scope, next);
    this.unsent.delete(scope);
    const { changes, edits } = prev ? diffMetrics(prev, next) : { changes: withoutScope(next), edits: {} };
    const edited = Object.keys(edits).length > 0;
    if (!edited && Object.keys(changes).length === 0) return false;
    const seq = this.currentSeq(scope) + 1;
    this.seq.set(scope, seq);
    const patch: ScopePatch = edited ? { scope, seq, at, changes, edits } : { scope, seq, at, changes };
    this.nsp.local.to(scope).emit('metrics:patch', patch);
    return true;
  }

  /** The latest heartbeat of every display seen in the last hour, newest first. */
  wallReports(now = Date.now()): WallReport[] {
    for (const [id, w] of this.walls) if (now - w.at > WALL_FORGET_MS) this.walls.delete(id);
    return [...this.walls.values()].sort((a, b) => b.at - a.at);
  }

  /** Sequence number of the last patch sent for a scope (this node's base before the first). */
  currentSeq(scope: string): number {
    return this.seq.get(scope) ?? this.seqBase;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
    await this.io.close();
  }

  private onConnection(socket: LiveSocket): void {
    socket.data.watching ??= new Set();
    this.handle(socket, 'scope:watch', async (req, ack) => {
      const scope = await this.validScope(socket, req);
      if (typeof scope !== 'string') return ack({ error: scope });
      // gone while its principal was checked: a room joined now would outlive it
      if (!socket.connected) return;
      // The next patch edits the figures of the last one sent: that is the snapshot to give (at
      // most a tick old). Alone in the room on this node, bring those up to date first (a patch
      // to nobody live, kept for recovered sessions) rather than show figures from long ago.
      const room = this.nsp.adapter.rooms.get(scope);
      if (!this.sent.has(scope)) this.sent.set(scope, this.engine.snapshot(scope)!);
      else if (!room || room.size === 0) this.send(scope);
      socket.join(scope);
      socket.data.watching.add(scope);
      ack({ data: { scope, seq: this.currentSeq(scope), metrics: this.sent.get(scope)! } });
    });
    this.handle(socket, 'scope:unwatch', async (req, ack) => {
      const scope = await this.validScope(socket, req);
      if (typeof scope !== 'string') return ack({ error: scope });
      socket.leave(scope);
      socket.data.watching.delete(scope);
      ack({ data: { scope } });
    });
    this.handle(socket, 'wall:heartbeat', (hb, ack) => {
      if (!checkHeartbeat.Check(hb)) {
        const e = [...checkHeartbeat.Errors(hb)][0];
        return ack({
          error: { code: 'bad_payload', message: `heartbeat ${e?.instancePath || ''} ${e?.message ?? 'is malformed'}`.trim() },
        });
      }
      const who = socket.data.principal as { kind?: string; name?: string } | undefined;
      const at = Date.now();
      this.walls.set(socket.id, { ...hb, display: who ? `${who.kind}:${who.name}` : 'anonymous', at, connected: true });
      ack({ data: { at } });
    });
    socket.on('disconnect', () => {
      const w = this.walls.get(socket.id);
      if (w) w.connected = false;
    });
    // anything else a client sends is answered, not silently dropped
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event === 'scope:watch' || event === 'scope:unwatch' || event === 'wall:heartbeat') return;
      const err: LiveError = { code: 'bad_payload', message: `unknown event "${String(event).slice(0, 40)}"` };
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ error: err });
      else socket.emit('live:error', { ...err, event: String(event).slice(0, 40) });
    });
  }

  /**
   * Listens to a client event that carries one payload and an acknowledgement. The ack is the
   * last argument whatever came before it: a client that sends more (or fewer) arguments gets an
   * error ack, and one that sends no ack gets `live:error`, never silence.
   */
  private handle(
    socket: LiveSocket,
    event: 'scope:watch' | 'scope:unwatch' | 'wall:heartbeat',
    handler: (payload: unknown, ack: (res: unknown) => void) => void | Promise<void>,
  ): void {
    (socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') {
        socket.emit('live:error', { code: 'bad_payload', message: `${event} needs an acknowledgement callback`, event });
        return;
      }
      if (args.length !== 2)
        return ack({
          error: {
            code: 'bad_payload',
            message: `${event} takes one payload and an acknowledgement; ${args.length - 1} payloads were sent`,
          },
        });
      // a handler that fails later is an error ack, never an unhandled rejection
      const failed = () => (ack as (res: unknown) => void)({ error: { code: 'internal', message: `${event} failed on the server` } });
      handler(args[0], ack as (res: unknown) => void)?.catch(failed);
    });
  }

  private async validScope(socket: LiveSocket, req: unknown): Promise<string | LiveError> {
    if (!checkWatch.Check(req))
      return { code: 'bad_payload', message: 'expected { scope: string } (for example { "scope": "district:440310" })' };
    const scope = (req as WatchRequest).scope;
    // the guard answers first: outside the principal's area, whether a scope exists is not told
    let denied: LiveError | null | undefined;
    try {
      denied = await this.opts.guard?.(socket, scope);
    } catch {
      return { code: 'internal', message: 'your access could not be checked just now: try again' };
    }
    if (denied) return denied;
    if (!parseScope(scope) || !this.engine.hasScope(scope))
      return { code: 'unknown_scope', message: `unknown scope "${scope.slice(0, 40)}"` };
    return scope;
  }
}
