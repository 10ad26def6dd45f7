/**
 * Ingest: validate a batch, drop what is already stored, check each event against the current
 * state (legal transitions and extension steps, known appeals and alerts), store the good ones
 * durably in one transaction, then fold them into the projections: the in-memory engine, then
 * the durable ones (the appeals read model) before the response, so that whoever sent the batch
 * reads its own writes. Batches run one after another so that the state checks and the log agree.
 */
import {
  AlertOverlay,
  decideAppeal,
  decideComponent,
  type AlertLookup,
  type AppealFacts,
  type ComponentFacts,
  type IngestItemResult,
  type IngestResponse,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import type { EventStore, NewEvent, StoredEvent } from '../store/event-store.ts';
import { checkEvent, type Checked } from './validate-event.ts';
import { foldEach, type FoldFailures } from '../store/quarantine.ts';

export interface Producer {
  id: string;
  /** Event types this producer may send; an event of another type is rejected with a reason. */
  types?: ReadonlySet<string>;
}

/**
 * A projection kept on disk with its own checkpoint (the appeals read model). Applied after every
 * stored batch; events at or below its checkpoint must change nothing.
 */
export interface DurableProjection {
  name: string;
  checkpoint(): Promise<number>;
  apply(events: StoredEvent[]): Promise<void>;
}

export interface IngestOptions {
  projections?: DurableProjection[];
  /** Where a failing durable projection is reported (the app's logger). */
  onProjectionError?: (name: string, err: unknown) => void;
  /**
   * Where an event the in-memory projections cannot fold goes (the quarantine); without it such an
   * event fails its batch after it was stored, as before.
   */
  engineFailures?: FoldFailures;
  /** Events older than this many days are refused (the history window); shared's default otherwise. */
  historyDays?: number;
  /** The last seq the projections hold (the replay on start folded up to it). */
  foldedSeq?: number;
  /** Where a row of the shared log that is not an event goes when following it (the quarantine). */
  onUnreadable?: (seq: number, err: unknown) => void;
}

/**
 * What ingest needs of the projections it folds into: their current facts, which the deciders
 * judge a batch against, and `apply`. (The city's projections, modules/city-projections.ts.)
 */
export interface IngestProjections extends AlertLookup {
  readonly appeals: ReadonlyMap<string, AppealFacts & { community: string }>;
  readonly components: ReadonlyMap<string, ComponentFacts>;
  readonly alertPolicy: { readonly mergeWindowMs: number };
  apply(stored: StoredEvent): void;
}

/** How one batch is taken (the console's actions); producers' batches use the defaults. */
export interface BatchOptions {
  /**
   * All or nothing: when an event is rejected, nothing of the batch is stored (the others are
   * rejected too, naming it). The console's confirmation of an alert (the appeal and the
   * confirmation together) needs it.
   */
  atomic?: boolean;
  /**
   * An alert event that would be absorbed (its alert has taken the step already, through another
   * detection: docs/alerts.md) is rejected instead: a person's action must act, or be told.
   */
  mustAct?: boolean;
}

export class IngestService {
  private queue: Promise<unknown> = Promise.resolve();
  private listeners: ((events: StoredEvent[]) => void)[] = [];
  private batchListeners: ((result: IngestResponse, seconds: number) => void)[] = [];
  private projections: DurableProjection[];
  /** Durable projections whose last apply failed: caught up from the log before the next batch. */
  private behind = new Set<DurableProjection>();
  /**
   * The last seq folded into the projections: what this node has seen of the log. Unknown until
   * the first batch when not given: then the projections hold the whole log (one writer).
   */
  private folded: number | null;
  /** A read of other nodes' events is queued already (wake-ups coalesce into it). */
  private followQueued = false;
  private stopFollowing: (() => Promise<void>) | null = null;

  constructor(
    private store: EventStore,
    private engine: IngestProjections,
    private geo: Geography,
    private now: () => number,
    private opts: IngestOptions = {},
  ) {
    this.projections = opts.projections ?? [];
    this.folded = opts.foldedSeq ?? null;
  }

  /** The last seq this node's projections hold. */
  get foldedSeq(): number | null {
    return this.folded;
  }

  private async seen(): Promise<number> {
    return (this.folded ??= await this.store.lastSeq());
  }

  /**
   * Folds what other nodes append (a shared log), between this node's own batches, until `stop`.
   * Each event reaches the projections and the live channel once, in log order, whoever wrote it.
   */
  follow(): void {
    if (!this.store.follow || this.stopFollowing) return;
    this.stopFollowing = this.store.follow(() => {
      if (this.followQueued) return;
      this.followQueued = true;
      const run = this.queue.then(async () => {
        this.followQueued = false;
        await this.foldUnseen();
      });
      this.queue = run.catch((err) => this.opts.onProjectionError?.('log', err));
    });
  }

  async stop(): Promise<void> {
    const stop = this.stopFollowing;
    this.stopFollowing = null;
    await stop?.();
    await this.queue;
  }

  /** Reads and folds the events after the last one folded (other nodes' appends). */
  private async foldUnseen(): Promise<void> {
    const unseen: StoredEvent[] = [];
    await this.store.replay(await this.seen(), (batch) => void unseen.push(...batch), this.opts.onUnreadable ?? (() => {}));
    await this.fold(unseen);
  }

  /** Into the projections, then the listeners (the live channel): once each, in log order. */
  private async fold(stored: StoredEvent[]): Promise<void> {
    const after = await this.seen();
    const fresh = stored.filter((s) => s.seq > after);
    if (!fresh.length) return;
    if (this.opts.engineFailures) foldEach(fresh, this.opts.engineFailures, (s) => this.engine.apply(s));
    else for (const s of fresh) this.engine.apply(s);
    this.folded = fresh[fresh.length - 1].seq;
    await this.project(fresh);
    for (const l of this.listeners) l(fresh);
  }

  /** Called after each batch is stored and projected (the live channel listens here). */
  onStored(listener: (events: StoredEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Called after each batch that did not fail, with its answer and how long it took (metrics listen here). */
  onBatch(listener: (result: IngestResponse, seconds: number) => void): void {
    this.batchListeners.push(listener);
  }

  ingest(raw: unknown[], producer: Producer, batch: BatchOptions = {}): Promise<IngestResponse> {
    const run = this.queue.then(async () => {
      const started = performance.now();
      const result = await this.run(raw, producer, batch);
      const seconds = (performance.now() - started) / 1000;
      for (const l of this.batchListeners) l(result, seconds);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(raw: unknown[], producer: Producer, batch: BatchOptions): Promise<IngestResponse> {
    await this.catchUp();
    const now = this.now();
    const results: IngestItemResult[] = raw.map((_, index) => ({ index, id: idOf(raw[index]), status: 'rejected' }));
    const window = { now, earliest: this.opts.historyDays === undefined ? undefined : now - this.opts.historyDays * 86_400_000 };
    const checked = raw.map((r): Checked => {
      try {
        return checkEvent(r, this.geo, window);
      } catch (err) {
        return { ok: false, reason: couldNotCheck(err) };
      }
    });
    const ids = checked.flatMap((c) => (c.ok ? [c.event.id] : []));
    const toStore: NewEvent[] = [];
    const indexOf: number[] = [];

    // decided against the whole log: what other nodes appended since is folded first, and no
    // append comes between the decision and the commit (one writer at a time, core/store)
    // a shared log: catch up before taking the append lock, so that little is left to fold under it
    if (this.store.follow) await this.foldUnseen();
    const stored = await this.store.appendAtHead(await this.seen(), async (unseen) => {
      await this.fold(unseen);
      const existing = await this.store.existing(ids);
      // state as this batch will leave it, so that events later in the batch see earlier ones
      const state = new BatchState(this.engine);
      const seenInBatch = new Set<string>();
      checked.forEach((c, i) => {
        if (!c.ok) {
          results[i].reason = c.reason;
          return;
        }
        const e = c.event;
        if (producer.types && !producer.types.has(e.type)) {
          results[i].reason = `this producer key may not send "${e.type}" events (it may send ${[...producer.types].join(', ')})`;
          return;
        }
        if (existing.has(e.id) || seenInBatch.has(e.id)) {
          results[i].status = 'duplicate';
          return;
        }
        let community: string | null;
        let reason: string | null;
        try {
          // an event about an alert takes the alert's community (known before the state moves on)
          community = c.community ?? this.communityOf(c.event, state.alerts);
          reason = this.checkState(c.event, c.community, state, batch);
        } catch (err) {
          // a bad event rejects itself, never its batch: whatever its check tripped on is its reason
          results[i].reason = couldNotCheck(err);
          return;
        }
        if (reason) {
          results[i].reason = reason;
          return;
        }
        seenInBatch.add(e.id);
        toStore.push({ event: e, community, producer: producer.id, receivedAt: now });
        indexOf.push(i);
      });
      if (batch.atomic && results.some((r) => r.status === 'rejected' && r.reason !== undefined)) {
        const first = results.find((r) => r.status === 'rejected' && r.reason !== undefined)!;
        for (const k of indexOf) results[k].reason = `not stored: the batch is all or nothing, and event #${first.index} was rejected`;
        toStore.length = 0;
      }
      return toStore;
    });
    const storedIds = new Set(stored.map((s) => s.event.id));
    toStore.forEach((t, k) => (results[indexOf[k]].status = storedIds.has(t.event.id) ? 'accepted' : 'duplicate'));
    await this.fold(stored);

    const count = (s: IngestItemResult['status']) => results.filter((r) => r.status === s).length;
    return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results };
  }

  /**
   * The batch is durable already: a projection that fails to take it is not the producer's
   * problem. It is reported, and caught up from the log before the next batch (or on start).
   */
  private async project(stored: StoredEvent[]): Promise<void> {
    for (const p of this.projections) {
      if (this.behind.has(p)) continue;
      try {
        await p.apply(stored);
      } catch (err) {
        this.behind.add(p);
        this.opts.onProjectionError?.(p.name, err);
      }
    }
  }

  private async catchUp(): Promise<void> {
    for (const p of this.behind) {
      try {
        await this.store.replay(await p.checkpoint(), (batch) => p.apply(batch));
        this.behind.delete(p);
      } catch (err) {
        this.opts.onProjectionError?.(p.name, err);
      }
    }
  }

  /** Events about an existing appeal or alert (or an alert raised earlier in the batch) take its community. */
  private communityOf(e: NewEvent['event'], alerts: AlertOverlay): string | null {
    const d = e.data as { appealId?: string; alertId?: string };
    if (e.type.startsWith('appeal.') && d.appealId) return this.engine.appeals.get(d.appealId)?.community ?? null;
    if (e.type.startsWith('video_alert.') && d.alertId) {
      const ref = alerts.detection(d.alertId);
      return (ref && alerts.facts(ref.alertId)?.community) ?? null;
    }
    return null;
  }

  /** Runs the event's decider against the batch so far; records what it does; returns why not, if it may not happen. */
  private checkState(e: NewEvent['event'], community: string | null, state: BatchState, batch: BatchOptions): string | null {
    switch (e.type) {
      case 'appeal.created':
      case 'appeal.transitioned':
      case 'appeal.extension': {
        const d = decideAppeal(state.appeal(e.data.appealId), e);
        if (d.reason !== undefined) return d.reason;
        state.appeals.set(e.data.appealId, d.next);
        return null;
      }
      case 'video_alert.raised':
      case 'video_alert.acknowledged':
      case 'video_alert.confirmed':
      case 'video_alert.dismissed': {
        const d = state.alerts.decide(e);
        if (d.reason !== undefined) return d.reason;
        if (batch.mustAct && d.next.kind === 'step' && !d.next.acts)
          return `alert "${d.next.alertId}" is "${state.alerts.facts(d.next.alertId)!.status}" already`;
        state.alerts.record(e, d.next, community);
        return null;
      }
      case 'component.status_changed': {
        const d = decideComponent(state.component(e.data.componentId), e);
        if (d.reason !== undefined) return d.reason;
        state.components.set(e.data.componentId, d.next.facts);
        return null;
      }
      default:
        return null;
    }
  }
}

/** The aggregates as the batch so far leaves them, over the projections': what later events are judged against. */
class BatchState {
  readonly appeals = new Map<string, AppealFacts>();
  /** Components the batch named: their facts while not normal, null once normal. */
  readonly components = new Map<string, ComponentFacts | null>();
  readonly alerts: AlertOverlay;

  constructor(private engine: IngestProjections) {
    this.alerts = new AlertOverlay(engine, engine.alertPolicy.mergeWindowMs);
  }

  appeal(id: string): AppealFacts | undefined {
    return this.appeals.get(id) ?? this.engine.appeals.get(id);
  }

  component(id: string): ComponentFacts | undefined {
    return this.components.has(id) ? (this.components.get(id) ?? undefined) : this.engine.components.get(id);
  }
}

/** The reason of an event whose check threw: it is that event's problem, not its batch's. */
const couldNotCheck = (err: unknown) => `could not be checked: ${err instanceof Error ? err.message : String(err)}`;

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
