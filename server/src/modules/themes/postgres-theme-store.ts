/**
 * Themes and playlists in PostgreSQL, shared by every node (scale-out mode): a theme saved on one
 * node is what every node's walls load. The rules are theme-store.ts's. A theme's next version is
 * taken under a row lock of its own (an advisory transaction lock on the id), so two nodes saving
 * the same theme at once get consecutive versions; a playlist's version counts up in its upsert.
 */
import type pg from 'pg';
import type { Playlist, PlaylistEntry, Theme, ThemeVersion } from '@commandhall/shared/themes';
import { inTransaction, migrate } from '../../core/store/open-postgres.ts';
import type { ThemeStore } from './theme-store.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS theme_versions (
     id TEXT NOT NULL, version INTEGER NOT NULL, body JSONB NOT NULL, saved_at BIGINT NOT NULL, saved_by TEXT NOT NULL,
     restored_from INTEGER, PRIMARY KEY (id, version));
   CREATE TABLE IF NOT EXISTS playlists (
     scope TEXT PRIMARY KEY, entries JSONB NOT NULL, epoch TEXT NOT NULL, version INTEGER NOT NULL, saved_at BIGINT NOT NULL,
     saved_by TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS theme_tombstones (id TEXT PRIMARY KEY, deleted_at BIGINT NOT NULL, deleted_by TEXT NOT NULL);`,
];

interface Row {
  body: Theme;
  version: number;
  saved_at: number;
  saved_by: string;
  restored_from: number | null;
}

const versionOf = (r: Row): ThemeVersion => {
  const v: ThemeVersion = { theme: r.body, version: r.version, savedAt: new Date(r.saved_at).toISOString(), savedBy: r.saved_by };
  if (r.restored_from !== null) v.restoredFrom = r.restored_from;
  return v;
};

export class PostgresThemeStore implements ThemeStore {
  private constructor(private pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<PostgresThemeStore> {
    await migrate(pool, 'themes', MIGRATIONS);
    return new PostgresThemeStore(pool);
  }

  async latestAll(): Promise<ThemeVersion[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT DISTINCT ON (id) * FROM theme_versions WHERE id NOT IN (SELECT id FROM theme_tombstones) ORDER BY id, version DESC`,
    );
    return rows.map(versionOf);
  }

  async latest(id: string): Promise<ThemeVersion | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM theme_versions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM theme_tombstones WHERE id = $1)
       ORDER BY version DESC LIMIT 1`,
      [id],
    );
    return rows[0] ? versionOf(rows[0]) : null;
  }

  async version(id: string, version: number): Promise<ThemeVersion | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM theme_versions WHERE id = $1 AND version = $2 AND NOT EXISTS (SELECT 1 FROM theme_tombstones WHERE id = $1)`,
      [id, version],
    );
    return rows[0] ? versionOf(rows[0]) : null;
  }

  async everSaved(id: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM theme_versions WHERE id = $1 LIMIT 1', [id])).rowCount! > 0;
  }

  async deleted(id: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM theme_tombstones WHERE id = $1', [id])).rowCount! > 0;
  }

  async markDeleted(id: string, by: string, at: number): Promise<void> {
    await this.pool.query('INSERT INTO theme_tombstones (id, deleted_at, deleted_by) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      id,
      at,
      by,
    ]);
  }

  async hallsShowing(id: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ scope: string }>(
      `SELECT scope FROM playlists WHERE entries @> jsonb_build_array(jsonb_build_object('themeId', $1::text)) ORDER BY scope`,
      [id],
    );
    return rows.map((r) => r.scope);
  }

  async history(id: string): Promise<ThemeVersion[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM theme_versions WHERE id = $1 ORDER BY version DESC', [id]);
    return rows.map(versionOf);
  }

  async append(theme: Theme, savedBy: string, at: number, restoredFrom?: number): Promise<ThemeVersion> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`theme:${theme.id}`]);
      await client.query('DELETE FROM theme_tombstones WHERE id = $1', [theme.id]);
      const { rows } = await client.query<Row>(
        `INSERT INTO theme_versions (id, version, body, saved_at, saved_by, restored_from)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM theme_versions WHERE id = $1
           RETURNING *`,
        [theme.id, JSON.stringify(theme), at, savedBy, restoredFrom ?? null],
      );
      return versionOf(rows[0]);
    });
  }

  async playlist(scope: string): Promise<Playlist | null> {
    const { rows } = await this.pool.query<{ entries: PlaylistEntry[]; epoch: string; version: number }>(
      'SELECT entries, epoch, version FROM playlists WHERE scope = $1',
      [scope],
    );
    return rows[0] ? { scope, entries: rows[0].entries, epoch: rows[0].epoch, version: rows[0].version } : null;
  }

  async savePlaylist(scope: string, entries: PlaylistEntry[], epoch: string, savedBy: string, at: number): Promise<Playlist> {
    const { rows } = await this.pool.query<{ version: number }>(
      `INSERT INTO playlists (scope, entries, epoch, version, saved_at, saved_by) VALUES ($1, $2, $3, 1, $4, $5)
       ON CONFLICT (scope) DO UPDATE SET entries = excluded.entries, epoch = excluded.epoch, version = playlists.version + 1,
         saved_at = excluded.saved_at, saved_by = excluded.saved_by
       RETURNING version`,
      [scope, JSON.stringify(entries), epoch, at, savedBy],
    );
    return { scope, entries, epoch, version: rows[0].version };
  }

  /** The pool is the app's. */
  async close(): Promise<void> {}
}
