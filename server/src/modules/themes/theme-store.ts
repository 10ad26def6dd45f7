/**
 * Themes and playlists in `themes.sqlite` beside the event log. A theme is never overwritten:
 * each save adds a version, and a rollback adds a version equal to an older one, so the history
 * of what a hall showed stays readable. Playlists keep their latest form only. A deleted theme
 * keeps its versions (the audit trail can still name them) behind a tombstone that hides it; saving
 * the same id again brings it back with the next version number.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { Playlist, PlaylistEntry, Theme, ThemeVersion } from '@commandhall/shared/themes';

const versionOf = (r: Record<string, unknown>): ThemeVersion => {
  const v: ThemeVersion = {
    theme: JSON.parse(r.body as string) as Theme,
    version: r.version as number,
    savedAt: new Date(r.saved_at as number).toISOString(),
    savedBy: r.saved_by as string,
  };
  if (r.restored_from != null) v.restoredFrom = r.restored_from as number;
  return v;
};

export class ThemeStore {
  private db: Database.Database;

  constructor(dataDir: string) {
    this.db = openSqlite(dataDir, 'themes', {
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS theme_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        saved_by TEXT NOT NULL,
        restored_from INTEGER,
        PRIMARY KEY (id, version)
      );
      CREATE TABLE IF NOT EXISTS playlists (
        scope TEXT PRIMARY KEY,
        entries TEXT NOT NULL,
        epoch TEXT NOT NULL,
        version INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        saved_by TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS theme_tombstones (
        id TEXT PRIMARY KEY,
        deleted_at INTEGER NOT NULL,
        deleted_by TEXT NOT NULL
      );
    `,
      ],
    });
  }

  /** The latest version of every theme. */
  latestAll(): ThemeVersion[] {
    return (
      this.db
        .prepare(
          `SELECT t.* FROM theme_versions t JOIN (SELECT id, MAX(version) AS v FROM theme_versions GROUP BY id) m
           ON t.id = m.id AND t.version = m.v
           WHERE t.id NOT IN (SELECT id FROM theme_tombstones) ORDER BY t.id`,
        )
        .all() as Record<string, unknown>[]
    ).map(versionOf);
  }

  /** The latest version of a theme that is not deleted. */
  latest(id: string): ThemeVersion | null {
    if (this.deleted(id)) return null;
    const r = this.db.prepare('SELECT * FROM theme_versions WHERE id = ? ORDER BY version DESC LIMIT 1').get(id);
    return r ? versionOf(r as Record<string, unknown>) : null;
  }

  version(id: string, version: number): ThemeVersion | null {
    if (this.deleted(id)) return null;
    const r = this.db.prepare('SELECT * FROM theme_versions WHERE id = ? AND version = ?').get(id, version);
    return r ? versionOf(r as Record<string, unknown>) : null;
  }

  /** Was a theme of this id ever saved, deleted or not? (The built-ins are seeded only once.) */
  everSaved(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM theme_versions WHERE id = ? LIMIT 1').get(id) !== undefined;
  }

  deleted(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM theme_tombstones WHERE id = ?').get(id) !== undefined;
  }

  /** Hides the theme; its versions stay. */
  markDeleted(id: string, by: string, at: number): void {
    this.db
      .prepare('INSERT INTO theme_tombstones (id, deleted_at, deleted_by) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(id, at, by);
  }

  /** Halls whose saved playlist names the theme. */
  hallsShowing(id: string): string[] {
    return (this.db.prepare('SELECT scope, entries FROM playlists ORDER BY scope').all() as { scope: string; entries: string }[])
      .filter((r) => (JSON.parse(r.entries) as PlaylistEntry[]).some((e) => e.themeId === id))
      .map((r) => r.scope);
  }

  /** Every version of a theme, newest first. */
  history(id: string): ThemeVersion[] {
    return (this.db.prepare('SELECT * FROM theme_versions WHERE id = ? ORDER BY version DESC').all(id) as Record<string, unknown>[]).map(
      versionOf,
    );
  }

  /** Adds the next version atomically (two saves at once get consecutive versions). */
  append(theme: Theme, savedBy: string, at: number, restoredFrom?: number): ThemeVersion {
    const add = this.db.transaction(() => {
      this.db.prepare('DELETE FROM theme_tombstones WHERE id = ?').run(theme.id);
      const { v } = this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM theme_versions WHERE id = ?').get(theme.id) as {
        v: number;
      };
      this.db
        .prepare('INSERT INTO theme_versions (id, version, body, saved_at, saved_by, restored_from) VALUES (?, ?, ?, ?, ?, ?)')
        .run(theme.id, v + 1, JSON.stringify(theme), at, savedBy, restoredFrom ?? null);
      return v + 1;
    });
    return this.version(theme.id, add())!;
  }

  playlist(scope: string): Playlist | null {
    const r = this.db.prepare('SELECT * FROM playlists WHERE scope = ?').get(scope) as Record<string, unknown> | undefined;
    if (!r) return null;
    return { scope, entries: JSON.parse(r.entries as string) as PlaylistEntry[], epoch: r.epoch as string, version: r.version as number };
  }

  savePlaylist(scope: string, entries: PlaylistEntry[], epoch: string, savedBy: string, at: number): Playlist {
    const prev = this.playlist(scope);
    const version = (prev?.version ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO playlists (scope, entries, epoch, version, saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET entries = excluded.entries, epoch = excluded.epoch, version = excluded.version,
         saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
      )
      .run(scope, JSON.stringify(entries), epoch, version, at, savedBy);
    return { scope, entries, epoch, version };
  }

  close(): void {
    this.db.close();
  }
}
