/**
 * The appeals read model's writer thread: it owns the connection that writes `appeals.sqlite` and
 * folds the log into it, reading the log itself from the model's checkpoint (the log is on disk
 * before anyone asks). The fold of a million-appeal model's indexes is the costliest part of
 * ingest; here it runs beside the main thread, and the batches that arrive while it works are
 * folded together, a page of the log per transaction.
 *
 * `catchUp(upTo)` resolves once everything up to `upTo` is folded, with the events that could not
 * be folded since the last answer (the main thread quarantines them; this thread skips them from
 * then on, as it skips those quarantined before it started).
 */
import { serveCalls, threadData } from '../../util/worker-thread.ts';
import { SqliteEventStore } from '../../core/store/sqlite-event-store.ts';
import type { FoldFailures } from '../../core/store/quarantine.ts';
import { SqliteAppealReadModel } from './sqlite-appeal-read-model.ts';

export interface ReadModelThreadData {
  dataDir: string;
  /** Seqs the read model skips: quarantined for it, or unreadable. */
  held: number[];
}

/** An event the read model could not fold. */
export interface FoldFailure {
  seq: number;
  eventId: string | null;
  type: string | null;
  error: string;
}

export interface CatchUpAnswer {
  checkpoint: number;
  failures: FoldFailure[];
}

const { dataDir, held } = threadData<ReadModelThreadData>();
const model = new SqliteAppealReadModel(dataDir);
const log = new SqliteEventStore(dataDir);
const skip = new Set(held);
let failed: FoldFailure[] = [];
const failures: FoldFailures = {
  holds: (seq) => skip.has(seq),
  failed: (e, err) => {
    skip.add(e.seq);
    const error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);
    failed.push({ seq: e.seq, eventId: e.event?.id ?? null, type: e.event?.type ?? null, error });
  },
};

interface Waiter {
  upTo: number;
  resolve: (a: CatchUpAnswer) => void;
  reject: (err: Error) => void;
}
let waiting: Waiter[] = [];
let running = false;

/** Answers the waiters folded up to `upTo`. */
async function settle(upTo: number): Promise<void> {
  const done = waiting.filter((w) => w.upTo <= upTo);
  if (!done.length) return;
  waiting = waiting.filter((w) => w.upTo > upTo);
  const answer: CatchUpAnswer = { checkpoint: await model.checkpoint(), failures: failed };
  failed = [];
  for (const w of done) w.resolve(answer);
}

/** Folds the log from the checkpoint to its head, page by page, until nobody waits. */
async function run(): Promise<void> {
  running = true;
  let lastHead = -1;
  try {
    while (waiting.length) {
      const head = await log.replay(
        await model.checkpoint(),
        async (page) => {
          model.applySync(page, failures);
          await settle(page[page.length - 1].seq);
        },
        () => {}, // an unreadable row: the main thread's replay quarantines it for every projection
      );
      await settle(head);
      if (head === lastHead && waiting.length) {
        const err = new Error(`the log ends at seq ${head}: nothing after it to fold`);
        for (const w of waiting.splice(0)) w.reject(err);
      }
      lastHead = head;
    }
  } catch (err) {
    for (const w of waiting.splice(0)) w.reject(err as Error);
  } finally {
    running = false;
  }
}

serveCalls({
  checkpoint: () => model.checkpoint(),
  /** Resolves once the log up to `upTo` (or further) is folded. */
  catchUp(upTo: number): Promise<CatchUpAnswer> {
    return new Promise((resolve, reject) => {
      waiting.push({ upTo, resolve, reject });
      if (!running) void run();
    });
  },
  reset: () => model.reset(),
  async close(): Promise<void> {
    await model.close();
    await log.close();
  },
});
