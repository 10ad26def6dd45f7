/**
 * What a batch's events are judged against: the projections, under the batches accepted before
 * it that are still being written (the embedded log's writer thread takes the next batch before
 * the last one is on disk), under the events of the batch so far. Each layer answers what its
 * events changed and asks the one below for the rest; once the batches below a layer are folded
 * into the projections, it is rebased onto them.
 */
import { AlertOverlay, type AlertLookup, type AppealFacts, type ComponentFacts } from '@commandhall/shared';
import type { StoredEvent } from '../store/event-store.ts';

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

/** The state the deciders read. */
export interface DecisionState {
  appeal(id: string): AppealFacts | undefined;
  /** The community of an appeal (its events belong there), null when unknown. */
  appealCommunity(id: string): string | null;
  /** A component while it is not normal. */
  component(id: string): ComponentFacts | undefined;
  readonly alerts: AlertLookup;
}

/** The projections' state, as folded so far. */
export function projectionState(engine: IngestProjections): DecisionState {
  return {
    appeal: (id) => engine.appeals.get(id),
    appealCommunity: (id) => engine.appeals.get(id)?.community ?? null,
    component: (id) => engine.components.get(id),
    alerts: engine,
  };
}

/** One batch's layer: what its accepted events did, over `base`. */
export class BatchState implements DecisionState {
  readonly appeals = new Map<string, AppealFacts>();
  /** Components the batch named: their facts while not normal, null once normal. */
  readonly components = new Map<string, ComponentFacts | null>();
  readonly alerts: AlertOverlay;
  private communities = new Map<string, string>();

  constructor(
    private base: DecisionState,
    mergeWindowMs: number,
  ) {
    // the overlay asks whatever lies below this layer now, also after a rebase
    const below: AlertLookup = {
      detection: (id) => this.base.alerts.detection(id),
      facts: (id) => this.base.alerts.facts(id),
      openAlerts: (pair) => this.base.alerts.openAlerts(pair),
    };
    this.alerts = new AlertOverlay(below, mergeWindowMs);
  }

  /** The layers below were folded into `base` (the projections): ask it from now on. */
  rebase(base: DecisionState): void {
    this.base = base;
  }

  appeal(id: string): AppealFacts | undefined {
    return this.appeals.get(id) ?? this.base.appeal(id);
  }

  appealCommunity(id: string): string | null {
    return this.communities.get(id) ?? this.base.appealCommunity(id);
  }

  /** An appeal created by this batch, placed in `community`. */
  placeAppeal(id: string, community: string | null): void {
    if (community) this.communities.set(id, community);
  }

  component(id: string): ComponentFacts | undefined {
    return this.components.has(id) ? (this.components.get(id) ?? undefined) : this.base.component(id);
  }
}
