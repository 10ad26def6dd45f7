/**
 * The themes API: built-in themes seeded once, saving with validation (every problem with its
 * path), versions and rollback, who may change what, hall playlists (default and saved), deleting,
 * the audit log, and everything kept across a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BUILTIN_THEMES, communityThemes, overview, type Theme } from '@commandhall/shared/themes';
import { communityProfiles } from '@commandhall/shared';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography } from '../../src/geography/index.ts';
import { credsOf, get, makeApp, tempDir, testClock, LIULIAN } from '../helpers.ts';
import { COMMUNITY, SIBLING, STREET, device, getAs, person, type Who } from '../appeals/fixtures.ts';
import { send } from './send.ts';

/** A small valid theme owned by 六联社区. */
const own = (over: Partial<Theme> = {}): Theme => ({
  schema: 1,
  id: 'liulian-notice',
  name: '六联社区通告',
  levels: ['community'],
  owner: LIULIAN.code,
  grid: { width: 1920, height: 1080, cols: 12, rows: 6, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 12, h: 1 }, bind: [] },
    { id: 'notice', type: 'text', pos: { x: 0, y: 1, w: 6, h: 5 }, bind: [], options: { text: '本周六社区义诊' } },
    {
      id: 'today',
      type: 'rolling',
      pos: { x: 6, y: 1, w: 6, h: 5 },
      bind: ['appeals.today'],
      options: { label: '今日诉求' },
    },
  ],
  ...over,
});

/** What an installation of Pingshan starts with: shared's built-ins and the 22 communities' generated themes. */
const geo = loadGeography(DEFAULT_GEOGRAPHY_FILE);
const STARTING = [...BUILTIN_THEMES, ...communityThemes(communityProfiles, (c) => geo.area(c)!.nameEn, BUILTIN_THEMES)];

describe('themes API', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const who: Record<string, Who> = {};

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const { cookie, csrf } = credsOf(app);
    who.admin = { name: 'admin', cookie, csrf };
    who.community = await person(app, 'dir-liulian', 'community_director', COMMUNITY);
    who.sibling = await person(app, 'dir-sibling', 'community_director', `community:${SIBLING.code}`);
    who.street = await person(app, 'dir-street', 'street_director', STREET);
    who.wall = await device(app, 'liulian hall', COMMUNITY);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('starts with every built-in theme at version 1, readable by a wall', async () => {
    const res = await getAs(app, who.wall, '/api/v1/themes');
    expect(res.statusCode).toBe(200);
    const list = res.json().themes as { theme: Theme; version: number; savedBy: string; editable: boolean }[];
    expect(list.map((v) => v.theme.id).sort()).toEqual(STARTING.map((t) => t.id).sort());
    expect(list.every((v) => v.version === 1 && v.savedBy === 'system' && v.editable === false)).toBe(true);
  });

  it('gives every community hall a theme of its own, generated from its profile, in its rotation', async () => {
    for (const c of geo.communities) {
      const hall = `community:${c.code}`;
      const own = ((await getAs(app, who.wall, `/api/v1/themes?hall=${hall}`)).json().themes as { theme: Theme }[]).filter(
        (v) => v.theme.owner === c.code,
      );
      expect(own.length, c.name).toBeGreaterThanOrEqual(1);
      const rotation = (await getAs(app, who.wall, `/api/v1/halls/${hall}/playlist`)).json().entries as { themeId: string }[];
      expect(rotation.map((e) => e.themeId)).toContain(own[0].theme.id);
    }
    // the figures on a generated theme are the community's own
    const liulian = (await get(app, '/api/v1/themes/liulian-rental')).json().theme as Theme;
    const notice = liulian.widgets.find((w) => w.id === 'notice')!.options as { text: string };
    const population = communityProfiles.communities.find((c) => c.code === LIULIAN.code)!.profile.population;
    expect(notice.text).toContain(`实有人口 ${population.toLocaleString('en-US')}`);
    expect(liulian.owner).toBe(LIULIAN.code);
  });

  it('refuses an invalid theme with every problem and where it is', async () => {
    const bad = own({
      widgets: [
        { id: 'a', type: 'sparkle' as never, pos: { x: 0, y: 0, w: 2, h: 2 }, bind: [] },
        { id: 'b', type: 'bar', pos: { x: 0, y: 0, w: 4, h: 2 }, bind: ['appeals.byMood' as never] },
        { id: 'c', type: 'daily', pos: { x: 10, y: 4, w: 4, h: 4 }, bind: ['appeals.daily'] },
        { id: 'd', type: 'ranking', pos: { x: 4, y: 2, w: 2, h: 2 }, bind: ['map.communities'] },
      ],
    });
    const res = await send(app, who.admin, 'PUT', '/api/v1/themes/liulian-notice', bad);
    expect(res.statusCode).toBe(400);
    const { code, details } = res.json().error as { code: string; details: { path: string; message: string }[] };
    expect(code).toBe('invalid_theme');
    const said = details.map((d) => `${d.path} ${d.message}`);
    expect(said).toContainEqual(expect.stringMatching(/^widgets\/0\/type .*unknown type "sparkle"/));
    expect(said).toContainEqual(expect.stringMatching(/^widgets\/1\/bind\/0 .*unknown metric "appeals.byMood"/));
    expect(said).toContainEqual(expect.stringMatching(/^widgets\/2\/pos .*runs off the 12×6 grid/));
    expect(said).toContainEqual(expect.stringMatching(/^widgets\/3\/type .*cannot be shown at community level/));
    expect(said).toContainEqual(expect.stringMatching(/widgets "a" and "b" overlap/));
    // nothing was stored
    expect((await get(app, '/api/v1/themes/liulian-notice')).statusCode).toBe(404);
  });

  it('refuses a body that is not a theme at all, naming the field', async () => {
    const res = await send(app, who.admin, 'PUT', '/api/v1/themes/liulian-notice', { ...own(), grid: { width: 'wide' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toMatch(/^grid/);
  });

  it('lets a community director save and roll back its own theme, and nothing else', async () => {
    const v1 = await send(app, who.community, 'PUT', '/api/v1/themes/liulian-notice', own());
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json().version).toBe(1);
    const edited = own({ name: '六联社区通告（新）' });
    const v2 = await send(app, who.community, 'PUT', '/api/v1/themes/liulian-notice', edited);
    expect(v2.json().version).toBe(2);

    // another community's director, a street director and a wall may not touch it
    for (const w of [who.sibling, who.street, who.wall])
      expect((await send(app, w, 'PUT', '/api/v1/themes/liulian-notice', edited)).statusCode).toBe(403);
    // nor may the community director change a common theme, or give its theme away
    expect((await send(app, who.community, 'PUT', '/api/v1/themes/overview', overview)).statusCode).toBe(403);
    expect((await send(app, who.community, 'PUT', '/api/v1/themes/liulian-notice', own({ owner: SIBLING.code }))).statusCode).toBe(403);

    const back = await send(app, who.community, 'POST', '/api/v1/themes/liulian-notice/rollback', { version: 1 });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ version: 3, restoredFrom: 1, theme: { name: '六联社区通告' } });
    const versions = (await getAs(app, who.wall, '/api/v1/themes/liulian-notice/versions')).json().versions as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await send(app, who.community, 'POST', '/api/v1/themes/liulian-notice/rollback', { version: 9 })).statusCode).toBe(404);

    const audit = (await get(app, '/api/v1/admin/audit?limit=500')).json().entries as { actor: string; action: string; outcome: string }[];
    expect(audit.filter((e) => e.action === 'theme.save' && e.outcome === 'ok')).toHaveLength(2);
    expect(audit.some((e) => e.action === 'theme.save' && e.outcome === 'denied' && e.actor === 'user:dir-sibling')).toBe(true);
    expect(audit.some((e) => e.action === 'theme.rollback' && e.actor === 'user:dir-liulian')).toBe(true);
  });

  it('refuses a save made on an older version than the latest (two editors at once)', async () => {
    const latest = (await get(app, '/api/v1/themes/liulian-notice')).json().version as number;
    const stale = await send(
      app,
      who.community,
      'PUT',
      `/api/v1/themes/liulian-notice?baseVersion=${latest - 1}`,
      own({ name: '旧版上的修改' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict' });
    expect(stale.json().error.message).toContain(`version ${latest} now`);
    const ok = await send(app, who.community, 'PUT', `/api/v1/themes/liulian-notice?baseVersion=${latest}`, own());
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(latest + 1);
    // a "new" theme whose id someone took meanwhile
    expect((await send(app, who.admin, 'PUT', '/api/v1/themes/liulian-notice?baseVersion=0', own())).statusCode).toBe(409);
  });

  it('gives each hall a default playlist of the themes it can show, and saves a new one', async () => {
    const community = (await getAs(app, who.wall, `/api/v1/halls/${COMMUNITY}/playlist`)).json();
    const ids = community.entries.map((e: { themeId: string }) => e.themeId);
    expect(ids).toContain('liulian-notice'); // its own theme, after the common ones
    expect(ids).not.toContain('overview'); // the city-wide overview compares communities
    expect(community.editable).toBe(false);
    const sibling = (await getAs(app, who.sibling, `/api/v1/halls/community:${SIBLING.code}/playlist`)).json();
    expect(sibling.entries.map((e: { themeId: string }) => e.themeId)).not.toContain('liulian-notice');

    const entries = [
      { themeId: 'liulian-notice', seconds: 30 },
      { themeId: 'appeals', seconds: 45 },
    ];
    const saved = await send(app, who.community, 'PUT', `/api/v1/halls/${COMMUNITY}/playlist`, { entries });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ scope: COMMUNITY, entries, version: 1 });
    expect((await getAs(app, who.wall, `/api/v1/halls/${COMMUNITY}/playlist`)).json().entries).toEqual(entries);

    // a theme the hall cannot show, seconds out of range, another hall
    const wrong = await send(app, who.admin, 'PUT', `/api/v1/halls/community:${SIBLING.code}/playlist`, { entries });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toMatch(/belongs to the hall community:440310001001/);
    expect(
      (await send(app, who.admin, 'PUT', `/api/v1/halls/${STREET}/playlist`, { entries: [{ themeId: 'overview', seconds: 2 }] }))
        .statusCode,
    ).toBe(400);
    expect((await send(app, who.sibling, 'PUT', `/api/v1/halls/${COMMUNITY}/playlist`, { entries })).statusCode).toBe(403);
    expect((await getAs(app, who.wall, '/api/v1/halls/community:440310999999/playlist')).statusCode).toBe(404);
  });

  it('keeps themes, versions and playlists across a restart', async () => {
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const v = (await get(app, '/api/v1/themes/liulian-notice')).json();
    expect(v).toMatchObject({ version: 4, savedBy: 'user:dir-liulian' });
    expect((await get(app, '/api/v1/themes/liulian-notice/versions')).json().versions[1]).toMatchObject({ version: 3, restoredFrom: 1 });
    expect((await get(app, `/api/v1/halls/${COMMUNITY}/playlist`)).json().version).toBe(1);
    // the built-ins are not added twice
    const list = (await get(app, '/api/v1/themes')).json().themes as { version: number }[];
    expect(list).toHaveLength(STARTING.length + 1);
  });

  it('deletes a theme only when no hall’s rotation shows it; a deleted built-in stays deleted', async () => {
    // only who may edit it
    for (const w of [who.sibling, who.street, who.wall])
      expect((await send(app, w, 'DELETE', '/api/v1/themes/liulian-notice')).statusCode).toBe(403);
    // 六联's saved rotation shows it
    const inUse = await send(app, who.community, 'DELETE', '/api/v1/themes/liulian-notice');
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error).toMatchObject({ code: 'theme_in_use', details: { halls: [COMMUNITY] } });
    await send(app, who.community, 'PUT', `/api/v1/halls/${COMMUNITY}/playlist`, { entries: [{ themeId: 'appeals', seconds: 45 }] });
    const gone = await send(app, who.community, 'DELETE', '/api/v1/themes/liulian-notice');
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json()).toEqual({ id: 'liulian-notice', version: 4 });
    expect((await get(app, '/api/v1/themes/liulian-notice')).statusCode).toBe(404);
    expect((await get(app, '/api/v1/themes/liulian-notice/versions')).statusCode).toBe(404);
    expect((await send(app, who.community, 'DELETE', '/api/v1/themes/liulian-notice')).statusCode).toBe(404);
    const rotation = [{ themeId: 'liulian-notice', seconds: 30 }];
    expect((await send(app, who.community, 'PUT', `/api/v1/halls/${COMMUNITY}/playlist`, { entries: rotation })).json().error.message).toBe(
      'no theme "liulian-notice"',
    );
    // a built-in in no saved rotation: halls on the default rotation stop showing it
    expect((await send(app, who.community, 'DELETE', '/api/v1/themes/grid')).statusCode).toBe(403);
    expect((await send(app, who.admin, 'DELETE', '/api/v1/themes/grid')).statusCode).toBe(200);
    const street = (await get(app, `/api/v1/halls/${STREET}/playlist`)).json().entries.map((e: { themeId: string }) => e.themeId);
    expect(street).toContain('appeals');
    expect(street).not.toContain('grid');
    const audit = (await get(app, '/api/v1/admin/audit?limit=500')).json().entries as { action: string; outcome: string; target: string }[];
    expect(audit.filter((e) => e.action === 'theme.delete' && e.outcome === 'ok').map((e) => e.target)).toEqual(
      expect.arrayContaining(['theme:liulian-notice', 'theme:grid']),
    );

    // after a restart: still deleted, the built-in not seeded again; saving the id again brings it back as the next version
    await app.close();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    const ids = ((await get(app, '/api/v1/themes')).json().themes as { theme: Theme }[]).map((v) => v.theme.id);
    expect(ids).not.toContain('grid');
    expect(ids).not.toContain('liulian-notice');
    const again = await send(app, who.admin, 'PUT', '/api/v1/themes/liulian-notice?baseVersion=0', own());
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().version).toBe(5);
    expect((await get(app, '/api/v1/themes/liulian-notice/versions')).json().versions).toHaveLength(5);
  });
});
