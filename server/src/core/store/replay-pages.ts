/**
 * The replay loop both event logs share: read the log page by page after a seq, turn each row
 * into an event (a row that is not one goes to `onUnreadable`, or fails the replay naming it),
 * and wait for each batch's fold before reading on.
 */
import type { StoredEvent } from './event-store.ts';

export const REPLAY_PAGE = 5000;

export async function replayPages<R extends { seq: number }>(
  afterSeq: number,
  page: (after: number, limit: number) => R[] | Promise<R[]>,
  eventOf: (row: R) => StoredEvent,
  onBatch: (events: StoredEvent[]) => unknown,
  onUnreadable?: (seq: number, err: unknown) => void,
): Promise<number> {
  let last = afterSeq;
  for (;;) {
    const rows = await page(last, REPLAY_PAGE);
    if (rows.length === 0) return last;
    const events: StoredEvent[] = [];
    for (const r of rows) {
      try {
        events.push(eventOf(r));
      } catch (err) {
        if (!onUnreadable) throw new Error(`event #${r.seq} of the log cannot be read: ${(err as Error).message}`, { cause: err });
        onUnreadable(r.seq, err);
      }
    }
    const done = events.length ? onBatch(events) : undefined;
    if (done instanceof Promise) await done;
    last = rows[rows.length - 1].seq;
  }
}
