/**
 * Ingest: validate a batch, drop what is already stored, check each event against the current
 * state (legal transitions and extension steps, known appeals and alerts), store the good ones
 * durably in one transaction, then fold them into the projections: the in-memory engine, then
 * the durable ones (the appeals read model) before the response, so that whoever sent the batch
 * reads its own writes. Batches are decided one after another so that the state checks and the
 * log agree.
 *
 * Where the log takes appends in order on a writer of its own (`EventStore.submit`: the embedded
 * log's writer thread), a batch is decided while the ones before it are still being written: it
 * is judged against the projections under those batches (batch-state.ts), and it is refused
 * unwritten if one of them fails. Batches are folded in log order once they are on disk, and
 * answered after that. Elsewhere (the shared PostgreSQL log) a batch is decided, stored and
 * folded before the next is taken, under the log's append lock.
 */
import type { IngestItemResult, IngestResponse } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import type { EventStore, StoredEvent } from '../store/event-store.ts';
import { checkEvent, type Checked } from './validate-event.ts';
import { foldEach, type FoldFailures } from '../store/quarantine.ts';
import { BatchState, projectionState, type DecisionState, type IngestProjections } from './batch-state.ts';
import { couldNotCheck, decideBatch, type BatchOptions, type Decided, type Producer } from './decide-batch.ts';

export type { IngestProjections } from './batch-state.ts';
export type { BatchOptions, Producer } from './decide-batch.ts';

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

/** A batch decided and handed to the log's writer, not folded yet. */
interface InFlight {
  ticket: number;
  state: BatchState;
  ids: Set<string>;
}

export class IngestService {
  /** Batches are decided one at a time, in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Batches handed to a writer that takes them in order: folded in that order. */
  private folding: Promise<unknown> = Promise.resolve();
  /** The durable projections take batches one after another, in log order. */
  private projecting: Promise<unknown> = Promise.resolve();
  /** Decided, being written, oldest first. */
  private inFlight: InFlight[] = [];
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
  /** The projections' state, the bottom layer every batch is judged on. */
  private base: DecisionState;

  constructor(
    private store: EventStore,
    private engine: IngestProjections,
    private geo: Geography,
    private now: () => number,
    private opts: IngestOptions = {},
  ) {
    this.projections = opts.projections ?? [];
    this.folded = opts.foldedSeq ?? null;
    this.base = projectionState(engine);
  }

  /** The last seq this node's projections hold. */
  get foldedSeq(): number | null {
    return this.folded;
  }

  /** Whether batches are decided while earlier ones are being written (see the top of this file). */
  private get pipelined(): boolean {
    return this.store.submit !== undefined && this.store.follow === undefined;
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
    await this.folding;
    await this.projecting;
  }

  /** Reads and folds the events after the last one folded (other nodes' appends). */
  private async foldUnseen(): Promise<void> {
    const unseen: StoredEvent[] = [];
    await this.store.replay(await this.seen(), (batch) => void unseen.push(...batch), this.opts.onUnreadable ?? (() => {}));
    await this.fold(unseen);
  }

  /** Into the projections and the listeners, then the durable projections: once each, in log order. */
  private async fold(stored: StoredEvent[]): Promise<void> {
    await this.seen();
    await this.projectInOrder(this.foldNow(stored));
  }

  /**
   * Into the in-memory projections, then the listeners (the live channel), in this turn; returns
   * what was new to them. The caller has made sure `folded` is known.
   */
  private foldNow(stored: StoredEvent[]): StoredEvent[] {
    const after = this.folded!;
    const fresh = stored.filter((s) => s.seq > after);
    if (!fresh.length) return fresh;
    if (this.opts.engineFailures) foldEach(fresh, this.opts.engineFailures, (s) => this.engine.apply(s));
    else for (const s of fresh) this.engine.apply(s);
    this.folded = fresh[fresh.length - 1].seq;
    for (const l of this.listeners) l(fresh);
    return fresh;
  }

  /** Called after each batch is stored and folded (the live channel listens here). */
  onStored(listener: (events: StoredEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Called after each batch that did not fail, with its answer and how long it took (metrics listen here). */
  onBatch(listener: (result: IngestResponse, seconds: number) => void): void {
    this.batchListeners.push(listener);
  }

  ingest(raw: unknown[], producer: Producer, batch: BatchOptions = {}): Promise<IngestResponse> {
    const taken = this.queue.then(() => this.take(raw, producer, batch));
    // the next batch is decided once this one is handed to the writer, or (one at a time) once it is done
    this.queue = taken.then((t) => (this.pipelined ? undefined : t.done)).catch(() => undefined);
    return taken.then(async (t) => {
      const result = await t.done;
      const seconds = (performance.now() - t.started) / 1000;
      for (const l of this.batchListeners) l(result, seconds);
      return result;
    });
  }

  /** Checks and decides the batch and hands it to the log; `done` resolves to its answer. */
  private async take(raw: unknown[], producer: Producer, batch: BatchOptions): Promise<{ started: number; done: Promise<IngestResponse> }> {
    const started = performance.now();
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
    const mergeWindow = this.engine.alertPolicy.mergeWindowMs;
    await this.seen();

    if (this.pipelined) {
      // judged against the projections under the batches still being written; their ids count as stored
      const existing = await this.store.existing(ids);
      const below = this.inFlight.at(-1);
      const state = new BatchState(below?.state ?? this.base, mergeWindow);
      const known = (id: string) => existing.has(id) || this.inFlight.some((f) => f.ids.has(id));
      const decided = decideBatch(checked, known, state, results, producer, batch, now);
      const { ticket, stored } = this.store.submit!(decided.toStore, below?.ticket ?? null);
      const entry: InFlight = { ticket, state, ids: new Set(decided.toStore.map((e) => e.event.id)) };
      this.inFlight.push(entry);
      return { started, done: this.foldInOrder(entry, stored, decided, results) };
    }

    // decided against the whole log: what other nodes appended since is folded first, and no
    // append comes between the decision and the commit (one writer at a time, core/store)
    // a shared log: catch up before taking the append lock, so that little is left to fold under it
    if (this.store.follow) await this.foldUnseen();
    let decided: Decided = { toStore: [], indexOf: [] };
    const stored = await this.store.appendAtHead(await this.seen(), async (unseen) => {
      await this.fold(unseen);
      const existing = await this.store.existing(ids);
      decided = decideBatch(checked, (id) => existing.has(id), new BatchState(this.base, mergeWindow), results, producer, batch, now);
      return decided.toStore;
    });
    await this.fold(stored);
    return { started, done: Promise.resolve(answer(results, decided, stored)) };
  }

  /**
   * Once the batch is on disk and every batch before it folded: into the projections, the layer
   * it was judged on dropped in the same turn (so no batch is ever judged without its events);
   * answered once the durable projections have it too. A batch that could not be stored leaves
   * nothing behind; the batches decided over it are refused by the writer.
   */
  private foldInOrder(
    entry: InFlight,
    stored: Promise<StoredEvent[]>,
    decided: Decided,
    results: IngestItemResult[],
  ): Promise<IngestResponse> {
    const folded = this.folding.then(async () => {
      let events: StoredEvent[];
      try {
        events = await stored;
      } catch (err) {
        this.land(entry);
        throw err;
      }
      // the durable projections start on it at once (on their own thread, beside this fold)
      const after = this.folded!;
      const projected = this.projectInOrder(events.filter((s) => s.seq > after));
      this.foldNow(events);
      this.land(entry);
      return { events, projected };
    });
    this.folding = folded.catch(() => undefined);
    return folded.then(async ({ events, projected }) => {
      await projected;
      return answer(results, decided, events);
    });
  }

  /** The oldest batch in flight is folded (or failed): the next one is judged on the projections now. */
  private land(entry: InFlight): void {
    const i = this.inFlight.indexOf(entry);
    if (i >= 0) this.inFlight.splice(i, 1);
    if (i === 0 && this.inFlight.length) this.inFlight[0].state.rebase(this.base);
  }

  /** The durable projections take `stored` after whatever they were given before. */
  private projectInOrder(stored: StoredEvent[]): Promise<void> {
    if (!stored.length || !this.projections.length) return this.projecting.then(() => undefined);
    const done = this.projecting.then(() => this.project(stored));
    this.projecting = done;
    return done;
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
    if (!this.behind.size) return;
    // after what the projections were already given
    await (this.projecting = this.projecting.then(async () => {
      for (const p of this.behind) {
        try {
          await this.store.replay(await p.checkpoint(), (batch) => p.apply(batch));
          this.behind.delete(p);
        } catch (err) {
          this.opts.onProjectionError?.(p.name, err);
        }
      }
    }));
  }
}

/** The answer: the decided events the log stored are accepted, the others were stored already. */
function answer(results: IngestItemResult[], decided: Decided, stored: StoredEvent[]): IngestResponse {
  const storedIds = new Set(stored.map((s) => s.event.id));
  decided.toStore.forEach((t, k) => (results[decided.indexOf[k]].status = storedIds.has(t.event.id) ? 'accepted' : 'duplicate'));
  const count = (s: IngestItemResult['status']) => results.filter((r) => r.status === s).length;
  return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
