/**
 * The projection bus: folds stored events into every registered projection, in registration
 * order, and moves them through time. Time moves lazily: `apply()`, `snapshot()` and `tick()`
 * advance first (an event folds into the right day; a snapshot shows deadlines passed since), so
 * no caller has to remember to.
 */
import { dayLabel, type FullScopeMetrics } from '@commandhall/shared';
import type { StoredEvent } from './store/event-store.ts';
import type { Projection } from './projection.ts';
import type { ScopeIndex } from './scope-index.ts';

export class ProjectionBus {
  private projections: Projection[] = [];
  /** The highest log position folded (a quarantined event counts: it is behind us, not ahead). */
  lastSeq = 0;

  constructor(readonly index: ScopeIndex) {}

  register<P extends Projection>(p: P): P {
    this.projections.push(p);
    return p;
  }

  apply(stored: StoredEvent): void {
    this.advance();
    if (stored.seq > this.lastSeq) this.lastSeq = stored.seq;
    for (const p of this.projections) p.apply(stored, this.index);
  }

  /** Moves every projection to now: rolls the day over, fires what fell due. */
  advance(): void {
    const now = this.index.now();
    const day = this.index.localDay(now);
    if (day !== this.index.day) {
      this.index.day = day;
      for (const p of this.projections) p.rollover?.(this.index);
      this.index.markDirty(this.index.scopes());
    }
    for (const p of this.projections) p.advance?.(now, this.index);
  }

  /** The scopes whose figures changed since the last tick, time moved first. */
  tick(): Set<string> {
    this.advance();
    return this.index.takeDirty();
  }

  /** The current figures of a scope, as served to screens; undefined for a scope not kept. */
  snapshot(scope: string): FullScopeMetrics | undefined {
    if (!this.index.has(scope)) return undefined;
    this.advance();
    const out: Partial<FullScopeMetrics> = { scope, day: dayLabel(this.index.day) };
    for (const p of this.projections) Object.assign(out, p.figures(scope, this.index));
    out.recent = this.index.recent(scope);
    return out as FullScopeMetrics;
  }
}
