/**
 * The embedded log's writer thread: it owns the one connection that writes `events.sqlite`, so
 * that inserts and each commit's fsync run beside the main thread, which meanwhile parses,
 * validates, decides and folds the next batch.
 *
 * Group commit: the batches that arrived while the last commit was being written go into the
 * next transaction together, one fsync for all; each is answered once that commit is on disk.
 *
 * A batch may have been decided against an earlier one that is still being written (`after`):
 * when that one fails, this one is refused unwritten, and so is every batch decided after it.
 */
import { serveCalls, threadData } from '../../util/worker-thread.ts';
import { SqliteEventStore, type LogRow } from './sqlite-event-store.ts';

export interface LogWriterData {
  dataDir: string;
}

interface Waiting {
  ticket: number;
  after: number | null;
  rows: LogRow[];
  resolve: (seqs: number[]) => void;
  reject: (err: Error) => void;
}

const log = new SqliteEventStore(threadData<LogWriterData>().dataDir);
let queue: Waiting[] = [];
let scheduled = false;
/** Tickets of batches that failed or were refused: what depends on them is refused too. */
const failed = new Set<number>();

function refuse(w: Waiting, why: Error): void {
  failed.add(w.ticket);
  w.reject(why);
}

/** Writes what is waiting: one transaction for all; if it fails, each batch on its own, in order. */
function flush(): void {
  scheduled = false;
  const group = queue;
  queue = [];
  const ready = group.filter((w) => {
    if (w.after === null || !failed.has(w.after)) return true;
    refuse(w, new Error(`not stored: it was decided after batch ${w.after}, which could not be stored`));
    return false;
  });
  if (!ready.length) return;
  try {
    const seqs = log.insertRows(ready.map((w) => w.rows));
    ready.forEach((w, i) => w.resolve(seqs[i]));
    return;
  } catch {
    // which batch failed: each alone, so that the ones before it land and the ones decided after it do not
  }
  for (const w of ready) {
    if (w.after !== null && failed.has(w.after)) {
      refuse(w, new Error(`not stored: it was decided after batch ${w.after}, which could not be stored`));
      continue;
    }
    try {
      w.resolve(log.insertRows([w.rows])[0]);
    } catch (err) {
      refuse(w, err as Error);
    }
  }
}

serveCalls({
  /** Stores `rows` durably; resolves to each row's seq (0: its id is stored already). */
  append(ticket: number, after: number | null, rows: LogRow[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      queue.push({ ticket, after, rows, resolve, reject });
      // messages that arrived together are taken before this runs: they share the commit
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  },
  /** Writes what is waiting, then closes the file. */
  close(): void {
    if (queue.length) flush();
    void log.close();
  },
});
