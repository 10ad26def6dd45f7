/**
 * What the projection bus folds the event log into. A projection keeps its own state and its
 * counters per scope; it tells the scope index which scopes it changed. It never reads the clock
 * to decide what an event means (event times do), so a replay reaches what live updates reached.
 */
import type { FullScopeMetrics } from '@commandhall/shared';
import type { StoredEvent } from './store/event-store.ts';
import type { ScopeIndex } from './scope-index.ts';

export interface Projection {
  readonly name: string;
  /** Folds one stored event. Throwing sends the event to the quarantine; the others still fold it. */
  apply(stored: StoredEvent, index: ScopeIndex): void;
  /** The local day rolled over to `index.day`: clear today's counters, drop what left the windows. */
  rollover?(index: ScopeIndex): void;
  /** Time moved to `now`: fire what fell due with no event (deadlines, escalations). */
  advance?(now: number, index: ScopeIndex): void;
  /** Its keys of a scope's snapshot. */
  figures(scope: string, index: ScopeIndex): Partial<FullScopeMetrics>;
}
