/**
 * Ingest: validate a batch, drop what is already stored, check each event against the current
 * state (legal transitions and extension steps, known appeals and alerts), store the good ones
 * durably in one transaction, then fold them into the projections: the in-memory engine, then
 * the durable ones (the appeals read model) before the response, so that whoever sent the batch
 * reads its own writes. Batches run one after another so that the state checks and the log agree.
 */
import {
  checkExtension,
  checkTransition,
  componentStatusOf,
  initialDeadline,
  instantOf,
  type AlertStatus,
  type AppealStatus,
  type ExtensionState,
  type IngestItemResult,
  type IngestResponse,
} from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import type { EventStore, NewEvent, StoredEvent } from '../store/event-store.ts';
import type { ProjectionEngine } from '../projections/engine.ts';
import { AlertOverlay, alertStep } from '../projections/alert-rules.ts';
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

/** Deadline and pending extension of an appeal as a batch leaves them. */
type ExtensionTrack = Pick<ExtensionState, 'deadline' | 'pendingUntil'>;

export class IngestService {
  private queue: Promise<unknown> = Promise.resolve();
  private listeners: ((events: StoredEvent[]) => void)[] = [];
  private projections: DurableProjection[];
  /** Durable projections whose last apply failed: caught up from the log before the next batch. */
  private behind = new Set<DurableProjection>();

  constructor(
    private store: EventStore,
    private engine: ProjectionEngine,
    private geo: Geography,
    private now: () => number,
    private opts: IngestOptions = {},
  ) {
    this.projections = opts.projections ?? [];
  }

  /** Called after each batch is stored and projected (the live channel listens here). */
  onStored(listener: (events: StoredEvent[]) => void): void {
    this.listeners.push(listener);
  }

  ingest(raw: unknown[], producer: Producer, batch: BatchOptions = {}): Promise<IngestResponse> {
    const run = this.queue.then(() => this.run(raw, producer, batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(raw: unknown[], producer: Producer, batch: BatchOptions): Promise<IngestResponse> {
    await this.catchUp();
    const now = this.now();
    this.engine.advance();
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
    const existing = await this.store.existing(ids);

    // state as this batch will leave it, so that events later in the batch see earlier ones
    const appealStatus = new Map<string, AppealStatus>();
    const alerts = new AlertOverlay(this.engine, this.engine.alertPolicy.mergeWindowMs);
    const extensions = new Map<string, ExtensionTrack>();
    const components = new Map<string, string | null>();
    const seenInBatch = new Set<string>();
    const toStore: NewEvent[] = [];
    const indexOf: number[] = [];

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
        community = c.community ?? this.communityOf(c.event, alerts);
        reason = this.checkState(c.event, c.community, appealStatus, alerts, extensions, components, batch);
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

    const stored = toStore.length ? await this.store.append(toStore) : [];
    const storedIds = new Set(stored.map((s) => s.event.id));
    toStore.forEach((t, k) => (results[indexOf[k]].status = storedIds.has(t.event.id) ? 'accepted' : 'duplicate'));
    if (this.opts.engineFailures) foldEach(stored, this.opts.engineFailures, (s) => this.engine.apply(s));
    else for (const s of stored) this.engine.apply(s);
    if (stored.length) {
      await this.project(stored);
      for (const l of this.listeners) l(stored);
    }

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

  private checkState(
    e: NewEvent['event'],
    community: string | null,
    appeals: Map<string, AppealStatus>,
    alerts: AlertOverlay,
    extensions: Map<string, ExtensionTrack>,
    components: Map<string, string | null>,
    batch: BatchOptions,
  ): string | null {
    switch (e.type) {
      case 'appeal.created': {
        const d = e.data;
        const id = d.appealId;
        if (appeals.has(id) || this.engine.appeals.has(id)) return `appeal "${id}" already exists`;
        const deadline = initialDeadline(e);
        appeals.set(id, 'collected');
        extensions.set(id, { deadline, pendingUntil: null });
        return null;
      }
      case 'appeal.extension': {
        const d = e.data;
        const id = d.appealId;
        const known = this.engine.appeals.get(id);
        const status = appeals.get(id) ?? known?.status;
        const track = extensions.get(id) ?? (known && { deadline: known.deadline, pendingUntil: known.pendingUntil });
        if (!status || !track) return `appeal "${id}" is unknown: send its appeal.created first`;
        const problem = checkExtension({ status, ...track }, d);
        if (problem) return problem;
        const until = d.until === undefined ? null : instantOf(d.until);
        if (d.action === 'requested') extensions.set(id, { deadline: track.deadline, pendingUntil: until });
        else if (d.action === 'approved') extensions.set(id, { deadline: until ?? track.pendingUntil!, pendingUntil: null });
        else extensions.set(id, { deadline: track.deadline, pendingUntil: null });
        return null;
      }
      case 'appeal.transitioned': {
        const id = e.data.appealId;
        const from = appeals.get(id) ?? this.engine.appeals.get(id)?.status;
        if (!from) return `appeal "${id}" is unknown: send its appeal.created first`;
        const problem = checkTransition(from, e.data.to);
        if (problem) return problem;
        appeals.set(id, e.data.to);
        return null;
      }
      case 'video_alert.raised': {
        const d = e.data;
        const known = alerts.detection(d.alertId);
        if (known)
          return known.alertId === d.alertId
            ? `alert "${d.alertId}" already exists`
            : `alert "${d.alertId}" already exists (merged into alert "${known.alertId}")`;
        // without a community the engine would not take it: nothing to merge into either
        if (community) alerts.raise(d.alertId, d.cameraId, d.algorithm, instantOf(e.occurredAt), community);
        return null;
      }
      case 'video_alert.acknowledged':
      case 'video_alert.confirmed':
      case 'video_alert.dismissed': {
        const id = e.data.alertId;
        const to = e.type.slice('video_alert.'.length) as AlertStatus;
        const step = alertStep(alerts, id, to);
        if (step.reason !== undefined) return step.reason;
        if (batch.mustAct && !step.acts) return `alert "${step.alertId}" is "${alerts.facts(step.alertId)!.status}" already`;
        alerts.move(id, step, to);
        return null;
      }
      case 'component.status_changed': {
        // a component not normal keeps its type (components: id → type while not normal, null once normal)
        const d = e.data;
        const type = components.has(d.componentId) ? components.get(d.componentId) : this.engine.components.get(d.componentId)?.type;
        if (type && type !== d.componentType)
          return `/data/componentType "${d.componentType}" does not match component "${d.componentId}": it is a "${type}" (not back to normal yet)`;
        components.set(d.componentId, componentStatusOf(d.status) === 'normal' ? null : d.componentType);
        return null;
      }
      default:
        return null;
    }
  }
}

/** The reason of an event whose check threw: it is that event's problem, not its batch's. */
const couldNotCheck = (err: unknown) => `could not be checked: ${err instanceof Error ? err.message : String(err)}`;

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
