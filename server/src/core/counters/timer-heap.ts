/** Deadlines by due time: they turn appeals overdue with no event. */
import { MinHeap } from '../../util/min-heap.ts';

export interface Timer {
  at: number;
  key: string;
}

export class TimerHeap extends MinHeap<Timer> {
  constructor() {
    super((t) => t.at);
  }

  /** Removes and returns every timer due at or before `now`, earliest first. */
  popDue(now: number): Timer[] {
    return this.popUntil(now);
  }
}
