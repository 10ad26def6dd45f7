/**
 * The open alerts of one scope, newest raised first (ties by id, descending), kept sorted as
 * alerts open and close so that the queue's head is read without sorting. Insertion and removal
 * cost a binary search and a splice: open alerts number in the hundreds, not millions.
 */
export interface Queued {
  id: string;
  raisedAt: number;
}

/** Negative when `a` comes before `b` in the queue. */
const order = (a: Queued, b: Queued) => b.raisedAt - a.raisedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class AlertQueue<T extends Queued> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  add(a: T): void {
    const i = this.search(a);
    if (this.items[i]?.id === a.id) return;
    this.items.splice(i, 0, a);
  }

  remove(a: T): void {
    const i = this.search(a);
    if (this.items[i]?.id === a.id) this.items.splice(i, 1);
  }

  /** The first `n`, newest first. */
  head(n: number): T[] {
    return this.items.slice(0, n);
  }

  /** All of them, newest first (a copy). */
  all(): T[] {
    return [...this.items];
  }

  /** Index of the first item not before `a` (where `a` is, or would go). The sort key never changes while queued. */
  private search(a: Queued): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(this.items[mid], a) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
