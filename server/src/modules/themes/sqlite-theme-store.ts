/**
 * Themes and playlists in `themes.sqlite` beside the event log: the embedded store. What it keeps,
 * and how, is theme-store.ts's.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { Playlist, PlaylistEntry, Theme, ThemeVersion } from '@commandhall/shared/themes';
import type { ThemeStore } from './theme-store.ts';

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

export class SqliteThemeStore implements ThemeStore {
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
  async latestAll(): Promise<ThemeVersion[]> {
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
  async latest(id: string): Promise<ThemeVersion | null> {
    if (await this.deleted(id)) return null;
    const r = this.db.prepare('SELECT * FROM theme_versions WHERE id = ? ORDER BY version DESC LIMIT 1').get(id);
    return r ? versionOf(r as Record<string, unknown>) : null;
  }

  async version(id: string, version: number): Promise<ThemeVersion | null> {
    if (await this.deleted(id)) return null;
    const r = this.db.prepare('SELECT * FROM theme_versions WHERE id = ? AND version = ?').get(id, version);
    return r ? versionOf(r as Record<string, unknown>) : null;
  }

  /** Was a theme of this id ever saved, deleted or not? (The built-ins are seeded only once.) */
  async everSaved(id: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM theme_versions WHERE id = ? LIMIT 1').get(id) !== undefined;
  }

  async deleted(id: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM theme_tombstones WHERE id = ?').get(id) !== undefined;
  }

  /** Hides the theme; its versions stay. */
  async markDeleted(id: string, by: string, at: number): Promise<void> {
    this.db
      .prepare('INSERT INTO theme_tombstones (id, deleted_at, deleted_by) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(id, at, by);
  }

  /** Halls whose saved playlist names the theme. */
  async hallsShowing(id: string): Promise<string[]> {
    return (this.db.prepare('SELECT scope, entries FROM playlists ORDER BY scope').all() as { scope: string; entries: string }[])
      .filter((r) => (JSON.parse(r.entries) as PlaylistEntry[]).some((e) => e.themeId === id))
      .map((r) => r.scope);
  }

  /** Every version of a theme, newest first. */
  async history(id: string): Promise<ThemeVersion[]> {
    return (this.db.prepare('SELECT * FROM theme_versions WHERE id = ? ORDER BY version DESC').all(id) as Record<string, unknown>[]).map(
      versionOf,
    );
  }

  /** Adds the next version atomically (two saves at once get consecutive versions). */
  async append(theme: Theme, savedBy: string, at: number, restoredFrom?: number): Promise<ThemeVersion> {
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
    return (await this.version(theme.id, add()))!;
  }

  async playlist(scope: string): Promise<Playlist | null> {
    const r = this.db.prepare('SELECT * FROM playlists WHERE scope = ?').get(scope) as Record<string, unknown> | undefined;
    if (!r) return null;
    return { scope, entries: JSON.parse(r.entries as string) as PlaylistEntry[], epoch: r.epoch as string, version: r.version as number };
  }

  async savePlaylist(scope: string, entries: PlaylistEntry[], epoch: string, savedBy: string, at: number): Promise<Playlist> {
    // the next version in the statement itself: two saves at once get consecutive versions
    const { version } = this.db
      .prepare(
        `INSERT INTO playlists (scope, entries, epoch, version, saved_at, saved_by) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET entries = excluded.entries, epoch = excluded.epoch, version = playlists.version + 1,
         saved_at = excluded.saved_at, saved_by = excluded.saved_by
         RETURNING version`,
      )
      .get(scope, JSON.stringify(entries), epoch, at, savedBy) as { version: number };
    return { scope, entries, epoch, version };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
