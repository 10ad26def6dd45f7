/**
 * Reads the embedded log for a long replay (the start of a server on a year of history): pages of
 * events read and parsed here, one page ahead of the main thread, which only folds them. What it
 * hands over costs the main thread less to take (a structured clone) than reading and parsing the
 * rows itself.
 */
import { serveCalls, threadData } from '../../util/worker-thread.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';

export interface LogReaderData {
  dataDir: string;
  afterSeq: number;
}

type Page = ReturnType<SqliteEventStore['readPage']>;

const { dataDir, afterSeq } = threadData<LogReaderData>();
const log = new SqliteEventStore(dataDir);
let after = afterSeq;
let done = false;
/** The page read ahead while the main thread folds the last one. */
let ahead: Page | null = null;

function read(): Page {
  const page = log.readPage(after);
  if (page.last === null) done = true;
  else after = page.last;
  return page;
}

serveCalls({
  /** The next page (`last` null: the log ends here). */
  next(): Page {
    const page = ahead ?? read();
    ahead = null;
    // read on once this answer is sent: beside the main thread's fold of it
    setImmediate(() => {
      if (!ahead && !done) ahead = read();
    });
    return page;
  },
  close: () => log.close(),
});
