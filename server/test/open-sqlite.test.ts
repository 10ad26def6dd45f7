/** The one way the server opens its SQLite databases: WAL, pragmas, numbered migrations. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/core/store/open-sqlite.ts';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'commandhall-sqlite-'));
  dirs.push(d);
  return join(d, 'data'); // not there yet: openSqlite makes it
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const V1 = 'CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY)';
const V2 = 'ALTER TABLE things ADD COLUMN size INTEGER NOT NULL DEFAULT 0';

describe('openSqlite', () => {
  it('makes the folder, sets WAL and the pragmas, and runs each migration once', () => {
    const dir = newDir();
    const db = openSqlite(dir, 'things', { pragmas: ['synchronous = FULL'], migrations: [V1] });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.prepare("INSERT INTO things (id) VALUES ('a')").run();
    db.close();

    // a later version adds a column: only the new migration runs, the data stays
    const again = openSqlite(dir, 'things', { migrations: [V1, V2] });
    expect(again.pragma('user_version', { simple: true })).toBe(2);
    expect(again.prepare('SELECT id, size FROM things').all()).toEqual([{ id: 'a', size: 0 }]);
    again.close();
    // and opening it again runs nothing (the ALTER would throw on a second run)
    openSqlite(dir, 'things', { migrations: [V1, V2] }).close();
  });

  it('takes a database made before versions were counted, its schema as first shipped', () => {
    const dir = newDir();
    const first = openSqlite(dir, 'old', { migrations: [] }); // only makes the folder and the file
    first.exec(V1);
    first.exec("INSERT INTO things (id) VALUES ('kept')");
    expect(first.pragma('user_version', { simple: true })).toBe(0);
    first.close();
    const db = openSqlite(dir, 'old', { migrations: [V1, V2] });
    expect(db.prepare('SELECT id FROM things').pluck().all()).toEqual(['kept']);
    db.close();
  });

  it('refuses a database written by a later version, naming it, and leaves it as it was', () => {
    const dir = newDir();
    openSqlite(dir, 'later', { migrations: [V1, V2] }).close();
    expect(() => openSqlite(dir, 'later', { migrations: [V1] })).toThrow(/later\.sqlite has schema version 2, newer than this server's 1/);
    const raw = new Database(join(dir, 'later.sqlite'));
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    raw.close();
  });

  it('a migration that fails changes nothing', () => {
    const dir = newDir();
    openSqlite(dir, 'broken', { migrations: [V1] }).close();
    expect(() => openSqlite(dir, 'broken', { migrations: [V1, 'CREATE TABLE extra (x); SELECT * FROM missing'] })).toThrow(/missing/);
    const db = openSqlite(dir, 'broken', { migrations: [V1] });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").all()).toEqual([]);
    db.close();
  });
});
