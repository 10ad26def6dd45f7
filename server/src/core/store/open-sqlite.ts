/**
 * Opens one of the server's SQLite databases in the data folder: write-ahead logging always, the
 * database's own pragmas, and its schema brought up to date by numbered migrations (SQLite's
 * `user_version` says how many have run). Migration 1 is each schema as first shipped, written
 * with `IF NOT EXISTS`, so a database made before versions were counted takes it as a no-op.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteOptions {
  /** Pragmas run at every open, e.g. `synchronous = FULL` (`journal_mode = WAL` is always set). */
  pragmas?: readonly string[];
  /** SQL run once each, in order, in one transaction with the version bump. */
  migrations: readonly string[];
}

export function openSqlite(dataDir: string, name: string, opts: SqliteOptions): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${name}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    for (const p of opts.pragmas ?? []) db.pragma(p);
    const at = db.pragma('user_version', { simple: true }) as number;
    const target = opts.migrations.length;
    if (at > target)
      throw new Error(
        `${file} has schema version ${at}, newer than this server's ${target}: it was written by a later version of Command Hall`,
      );
    if (at < target)
      db.transaction(() => {
        for (let v = at; v < target; v++) db.exec(opts.migrations[v]);
        db.pragma(`user_version = ${target}`);
      })();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
