/**
 * Theme stores keep the same promises embedded (SQLite) and shared (PostgreSQL): versions never
 * overwritten, rollbacks as new versions, tombstones that hide and a save that brings back,
 * playlists counting their saves, and (PostgreSQL) two nodes saving at once get consecutive
 * versions and read each other's saves. PostgreSQL skipped, saying why, where it is absent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_THEMES, type Theme } from '@commandhall/shared/themes';
import type { ThemeStore } from '../../src/modules/themes/theme-store.ts';
import { SqliteThemeStore } from '../../src/modules/themes/sqlite-theme-store.ts';
import { PostgresThemeStore } from '../../src/modules/themes/postgres-theme-store.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const missing = await postgresMissing();
if (missing) saySkipped('the theme store on PostgreSQL', missing);
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const base = BUILTIN_THEMES[0];
const titled = (title: string, id = 'test-theme'): Theme => ({ ...base, id, name: title });

async function sqlite(): Promise<ThemeStore> {
  const tmp = tempDir();
  const s = new SqliteThemeStore(tmp.dir);
  cleanup.push(() => (s.close(), tmp.remove()));
  return s;
}
async function postgres(url?: string): Promise<ThemeStore & { url: string }> {
  if (!url) {
    const db = await freshDatabase();
    cleanup.push(db.drop);
    url = db.url;
  }
  const pool = openPool(url, 4);
  cleanup.push(() => pool.end());
  return Object.assign(await PostgresThemeStore.open(pool), { url });
}

const kinds: [string, () => Promise<ThemeStore>][] = [['SQLite', sqlite]];
if (!missing) kinds.push(['PostgreSQL', () => postgres()]);

for (const [name, open] of kinds) {
  describe(`the theme store on ${name}`, () => {
    it('adds a version each save, rolls back as a new version, and keeps the history newest first', async () => {
      const s = await open();
      expect(await s.everSaved('test-theme')).toBe(false);
      expect((await s.append(titled('一'), 'admin', 1000)).version).toBe(1);
      expect((await s.append(titled('二'), 'admin', 2000)).version).toBe(2);
      const back = await s.append((await s.version('test-theme', 1))!.theme, 'zhang', 3000, 1);
      expect(back).toMatchObject({ version: 3, restoredFrom: 1, savedBy: 'zhang', savedAt: new Date(3000).toISOString() });
      expect((await s.latest('test-theme'))!.theme.name).toBe('一');
      expect((await s.history('test-theme')).map((v) => v.version)).toEqual([3, 2, 1]);
      await s.append(titled('别的', 'other-theme'), 'admin', 4000);
      expect((await s.latestAll()).map((v) => [v.theme.id, v.version])).toEqual([
        ['other-theme', 1],
        ['test-theme', 3],
      ]);
    });

    it('hides a deleted theme behind a tombstone, and a save brings it back with the next version', async () => {
      const s = await open();
      await s.append(titled('一'), 'admin', 1000);
      await s.markDeleted('test-theme', 'admin', 2000);
      expect(await s.deleted('test-theme')).toBe(true);
      expect(await s.latest('test-theme')).toBeNull();
      expect(await s.version('test-theme', 1)).toBeNull();
      expect(await s.latestAll()).toEqual([]);
      expect(await s.everSaved('test-theme')).toBe(true); // a deleted built-in is not seeded again
      expect((await s.append(titled('回来'), 'admin', 3000)).version).toBe(2);
      expect(await s.deleted('test-theme')).toBe(false);
    });

    it('keeps a playlist’s latest form, counts its saves, and names the halls that show a theme', async () => {
      const s = await open();
      expect(await s.playlist('district:440310')).toBeNull();
      await s.savePlaylist('district:440310', [{ themeId: 'a', seconds: 60 }], 'e1', 'admin', 1000);
      const p = await s.savePlaylist('district:440310', [{ themeId: 'b', seconds: 30 }], 'e1', 'admin', 2000);
      expect(p).toEqual({ scope: 'district:440310', entries: [{ themeId: 'b', seconds: 30 }], epoch: 'e1', version: 2 });
      expect(await s.playlist('district:440310')).toEqual(p);
      await s.savePlaylist(
        'street:440310001',
        [
          { themeId: 'b', seconds: 30 },
          { themeId: 'c', seconds: 30 },
        ],
        'e1',
        'admin',
        3000,
      );
      expect(await s.hallsShowing('b')).toEqual(['district:440310', 'street:440310001']);
      expect(await s.hallsShowing('a')).toEqual([]);
    });
  });
}

describe.skipIf(missing)('the theme store shared by two nodes (PostgreSQL)', () => {
  it('saves at once on both get consecutive versions, and each reads the other’s', async () => {
    const a = await postgres();
    const b = await postgres(a.url);
    const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).append(titled(`第${i}版`), 'admin', 1000 + i)));
    expect(saved.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await b.history('test-theme')).length).toBe(10);
    await Promise.all([a.savePlaylist('district:440310', [], 'e', 'x', 1), b.savePlaylist('district:440310', [], 'e', 'y', 2)]);
    expect((await a.playlist('district:440310'))!.version).toBe(2);
  });
});
