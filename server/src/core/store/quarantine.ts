/**
 * Quarantine: events of the log that a projection could not fold. Ingest accepts only events
 * every projection can fold (shared's `validateEvent`), so an entry here means a log written by an
 * older version, a hand-edited data folder, or a bug. Instead of freezing the projection (every
 * later event stuck behind the one it cannot take) or refusing to start, the event is kept aside:
 * recorded here with its error, skipped by that projection on every replay, counted in `/readyz`
 * and `/metrics`, listed for the administrator (`/api/v1/admin/quarantine`, `admin quarantine`).
 *
 * Releasing an entry (after the fix it needed: an upgrade, a corrected data folder) asks for it to
 * be folded again: at the next start the projections that skipped it are rebuilt from the log, so
 * it folds in its place, in order. If it fails again it comes back here with its new error.
 *
 * `quarantine.sqlite` beside the log, `synchronous = FULL`: an entry, once made, survives a crash
 * (otherwise a replay after the crash would fold what it skipped before).
 */
import Database from 'better-sqlite3';
import { openSqlite } from './open-sqlite.ts';
import type { StoredEvent } from './event-store.ts';

/** The in-memory projections (figures, appeal and alert states): rebuilt from the log on every start. */
export const ENGINE_PROJECTION = 'projections';
/** The appeals read model (lists, detail, exports, Open311), kept on disk with its checkpoint. */
export const READ_MODEL_PROJECTION = 'appeals read model';
/** A row of the log that could not be read at all (its body is not an event): every projection skips it. */
export const LOG_PROJECTION = 'event log';

export interface QuarantinedEvent {
  seq: number;
  /** Which projection failed on it (ENGINE_PROJECTION, READ_MODEL_PROJECTION or LOG_PROJECTION). */
  projection: string;
  eventId: string | null;
  type: string | null;
  error: string;
  quarantinedAt: number;
  /** Set when an administrator released it: it is folded again at the next start. */
  releasedAt: number | null;
  releasedBy: string | null;
}

/** What a projection folding a batch needs: which events to skip, and where to put the ones it cannot fold. */
export interface FoldFailures {
  holds(seq: number): boolean;
  failed(event: StoredEvent, err: unknown): void;
}

interface Row {
  seq: number;
  projection: string;
  event_id: string | null;
  type: string | null;
  error: string;
  quarantined_at: number;
  released_at: number | null;
  released_by: string | null;
}

const entryOf = (r: Row): QuarantinedEvent => ({
  seq: r.seq,
  projection: r.projection,
  eventId: r.event_id,
  type: r.type,
  error: r.error,
  quarantinedAt: r.quarantined_at,
  releasedAt: r.released_at,
  releasedBy: r.released_by,
});

const messageOf = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2000);

export class Quarantine {
  private db: Database.Database;
  /** Held (not released) seqs per projection, for the replay's skip test. */
  private held = new Map<string, Set<number>>();
  private listeners: ((e: QuarantinedEvent) => void)[] = [];

  constructor(
    dataDir: string,
    private now: () => number = Date.now,
  ) {
    this.db = openSqlite(dataDir, 'quarantine', {
      pragmas: ['synchronous = FULL'],
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS quarantine (
        seq INTEGER NOT NULL,
        projection TEXT NOT NULL,
        event_id TEXT,
        type TEXT,
        error TEXT NOT NULL,
        quarantined_at INTEGER NOT NULL,
        released_at INTEGER,
        released_by TEXT,
        PRIMARY KEY (seq, projection)
      )`,
      ],
    });
    for (const e of this.list()) if (e.releasedAt === null) this.hold(e.projection, e.seq);
  }

  /** Called with every new entry (the app logs it). */
  onQuarantined(listener: (e: QuarantinedEvent) => void): void {
    this.listeners.push(listener);
  }

  /** The skip list and failure sink of one projection. */
  for(projection: string): FoldFailures {
    return {
      holds: (seq) => this.holds(projection, seq),
      failed: (event, err) => this.add(projection, event.seq, event.event?.id ?? null, event.event?.type ?? null, err),
    };
  }

  /** Whether `projection` skips the event at `seq` (a row of the log that could not be read is skipped by all). */
  holds(projection: string, seq: number): boolean {
    return this.held.get(projection)?.has(seq) === true || this.held.get(LOG_PROJECTION)?.has(seq) === true;
  }

  add(projection: string, seq: number, eventId: string | null, type: string | null, err: unknown): QuarantinedEvent {
    const entry: QuarantinedEvent = {
      seq,
      projection,
      eventId,
      type,
      error: messageOf(err),
      quarantinedAt: this.now(),
      releasedAt: null,
      releasedBy: null,
    };
    this.db
      .prepare(
        `INSERT INTO quarantine (seq, projection, event_id, type, error, quarantined_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (seq, projection) DO UPDATE SET error = excluded.error, quarantined_at = excluded.quarantined_at,
           released_at = NULL, released_by = NULL`,
      )
      .run(seq, projection, eventId, type, entry.error, entry.quarantinedAt);
    this.hold(projection, seq);
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Every entry, oldest event first (released ones too, until the start that folds them again). */
  list(): QuarantinedEvent[] {
    return (this.db.prepare('SELECT * FROM quarantine ORDER BY seq, projection').all() as Row[]).map(entryOf);
  }

  /** Entries still held (not released). */
  count(): number {
    return this.db.prepare('SELECT count(*) FROM quarantine WHERE released_at IS NULL').pluck().get() as number;
  }

  /** Releases the held entries of these seqs (all held ones when `seqs` is 'all'); returns how many. */
  release(seqs: number[] | 'all', by: string): number {
    const at = this.now();
    const stmt = this.db.prepare(
      `UPDATE quarantine SET released_at = ?, released_by = ? WHERE released_at IS NULL AND (? = 1 OR seq IN (SELECT value FROM json_each(?)))`,
    );
    const r = stmt.run(at, by, seqs === 'all' ? 1 : 0, JSON.stringify(seqs === 'all' ? [] : seqs));
    for (const e of this.list()) if (e.releasedAt !== null) this.held.get(e.projection)?.delete(e.seq);
    return r.changes;
  }

  /**
   * The projections holding released entries: they are rebuilt from the log at this start, so that
   * the events fold in order. Once that is under way (the read model reset), `forgetReleased()`.
   */
  releasedBy(): Set<string> {
    return new Set(this.db.prepare('SELECT DISTINCT projection FROM quarantine WHERE released_at IS NOT NULL').pluck().all() as string[]);
  }

  forgetReleased(): void {
    this.db.prepare('DELETE FROM quarantine WHERE released_at IS NOT NULL').run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private hold(projection: string, seq: number): void {
    let set = this.held.get(projection);
    if (!set) this.held.set(projection, (set = new Set()));
    set.add(seq);
  }
}

/** Folds each event not held, sending each one that throws to the quarantine instead of stopping. */
export function foldEach(events: StoredEvent[], failures: FoldFailures, fold: (e: StoredEvent) => void): void {
  for (const e of events) {
    if (failures.holds(e.seq)) continue;
    try {
      fold(e);
    } catch (err) {
      failures.failed(e, err);
    }
  }
}
