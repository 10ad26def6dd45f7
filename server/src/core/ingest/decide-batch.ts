/**
 * Deciding a checked batch: per event, the producer's right to send its type, duplicates (stored
 * already, or earlier in the batch), its community, and its decider run against the state the
 * batch so far leaves (batch-state.ts). A bad event rejects itself, never its batch, unless the
 * batch is all or nothing.
 */
import { decideAppeal, decideComponent, type IngestItemResult } from '@commandhall/shared';
import type { NewEvent } from '../store/event-store.ts';
import type { Checked } from './validate-event.ts';
import type { BatchState, DecisionState } from './batch-state.ts';

export interface Producer {
  id: string;
  /** Event types this producer may send; an event of another type is rejected with a reason. */
  types?: ReadonlySet<string>;
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

/** What deciding a batch chose to store, and where each of those events sits in the batch. */
export interface Decided {
  toStore: NewEvent[];
  indexOf: number[];
}

/**
 * Each checked event judged against `state` and recorded there when accepted; `results` get the
 * reasons. `stored` says whether an id is in the log already (or on its way there).
 */
export function decideBatch(
  checked: Checked[],
  stored: (id: string) => boolean,
  state: BatchState,
  results: IngestItemResult[],
  producer: Producer,
  batch: BatchOptions,
  receivedAt: number,
): Decided {
  const toStore: NewEvent[] = [];
  const indexOf: number[] = [];
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
    if (stored(e.id) || seenInBatch.has(e.id)) {
      results[i].status = 'duplicate';
      return;
    }
    let community: string | null;
    let reason: string | null;
    try {
      // an event about an appeal or alert takes its community (known before the state moves on)
      community = c.community ?? communityOf(c.event, state);
      reason = checkState(c.event, c.community, state, batch);
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
    toStore.push({ event: e, community, producer: producer.id, receivedAt });
    indexOf.push(i);
  });
  if (batch.atomic && results.some((r) => r.status === 'rejected' && r.reason !== undefined)) {
    const first = results.find((r) => r.status === 'rejected' && r.reason !== undefined)!;
    for (const k of indexOf) results[k].reason = `not stored: the batch is all or nothing, and event #${first.index} was rejected`;
    toStore.length = 0;
    indexOf.length = 0;
  }
  return { toStore, indexOf };
}

/** Runs the event's decider against the batch so far; records what it does; returns why not, if it may not happen. */
function checkState(e: NewEvent['event'], community: string | null, state: BatchState, batch: BatchOptions): string | null {
  switch (e.type) {
    case 'appeal.created':
    case 'appeal.transitioned':
    case 'appeal.extension': {
      const d = decideAppeal(state.appeal(e.data.appealId), e);
      if (d.reason !== undefined) return d.reason;
      state.appeals.set(e.data.appealId, d.next);
      if (e.type === 'appeal.created') state.placeAppeal(e.data.appealId, community);
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

/** Events about a known appeal or alert (or one raised earlier in the batch, or in a batch being written) take its community. */
function communityOf(e: NewEvent['event'], state: DecisionState): string | null {
  const d = e.data as { appealId?: string; alertId?: string };
  if (e.type.startsWith('appeal.') && d.appealId) return state.appealCommunity(d.appealId);
  if (e.type.startsWith('video_alert.') && d.alertId) {
    const ref = state.alerts.detection(d.alertId);
    return (ref && state.alerts.facts(ref.alertId)?.community) ?? null;
  }
  return null;
}

/** The reason of an event whose check threw: it is that event's problem, not its batch's. */
export const couldNotCheck = (err: unknown) => `could not be checked: ${err instanceof Error ? err.message : String(err)}`;
