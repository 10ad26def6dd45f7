/**
 * The hall runtime in a real browser: the five common themes for a community, a street and the
 * district, and the community themes in their own halls (screenshots saved); two displays of one
 * hall rotating together on the server's clock; a 2×1 splice of 4K monitors lining up with the
 * whole wall across the seam; a wall surviving a network cut without a reload; heartbeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { BUILTIN_THEMES, rotationAt, type Playlist, type Theme } from '../../shared/src/themes/index.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { appealEvent, ingest, metricsOf, seedDistrict, type Community } from './helpers/seed.ts';
import { shareDifferent } from './helpers/pixels.ts';
import { cutProxy } from './helpers/cut-proxy.ts';
import { signInApi, type ApiSession } from './helpers/admin-api.ts';

const ADMIN_PASSWORD = 'browser-admin-pass-2026';
const D = 'district:440310';
const STREET = 'street:440310001';
const COMMUNITY = 'community:440310001001';
let server: TestServer;
let admin: ApiSession;
let places: Community[];
const browsers: TestBrowser[] = [];

async function open(url: string, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const b = await launch(viewport);
  browsers.push(b);
  await b.page.goto(url);
  return b.page;
}

/** Closes the browsers opened since `from` (4K pages are heavy on a shared machine). */
async function closeFrom(from: number): Promise<void> {
  for (const b of browsers.splice(from)) {
    expect(b.external, 'requests to the internet').toEqual([]);
    await b.close();
  }
}

/**
 * Waits until the theme is drawn: its layout, and live figures in its first KPI, if any. The
 * timeout is a budget for software GL on a loaded machine (a 7680×2160 page takes far longer
 * than a desktop one), not a speed check.
 */
async function drawn(page: Page, id: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-layout="${id}"]`, { timeout });
  await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout });
  await page.waitForTimeout(1500); // charts animate in
}

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer({ env: { ADMIN_PASSWORD } });
  places = await seedDistrict(server.url);
  admin = await signInApi(server.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.dispose();
});

const variant = (base: string, scope: string): Theme =>
  BUILTIN_THEMES.find(
    (t) => !t.owner && (t.id === base || t.id.startsWith(`${base}-`)) && t.levels.includes(scope.split(':')[0] as never),
  )!;

describe('themes on the wall', () => {
  it('the root opens the hall of the screen, in rotation', async () => {
    const page = await open(`${server.url}/`);
    await page.waitForURL(`**/hall/${D}`);
    await page.waitForSelector('[data-testid="rotation"]');
    const theme = await page.getAttribute('[data-testid="rotation"]', 'data-theme');
    expect(['overview', 'appeals', 'video', 'grid', 'components']).toContain(theme);
    await page.waitForSelector(`[data-layout="${theme}"]`);
  });

  it.each([
    ['overview', D],
    ['appeals', D],
    ['video', D],
    ['grid', D],
    ['components', D],
    ['overview', STREET],
    ['appeals', STREET],
    ['video', STREET],
    ['grid', STREET],
    ['components', STREET],
    ['overview', COMMUNITY],
    ['appeals', COMMUNITY],
    ['video', COMMUNITY],
    ['grid', COMMUNITY],
    ['components', COMMUNITY],
  ])('common theme %s renders for %s', async (base, scope) => {
    const theme = variant(base, scope);
    const page = browsers[0].page;
    await page.goto(`${server.url}/hall/${scope}?theme=${theme.id}`);
    await drawn(page, theme.id);
    expect(await page.locator('.lr-errors').count(), 'no layout errors').toBe(0);
    for (const w of theme.widgets) expect(await page.locator(`[data-widget="${w.id}"]`).count(), w.id).toBe(1);
    // the title names the hall; the first KPI shows the server's figure
    const name = (await page.textContent('[data-testid="screen-title"]'))!;
    expect(name).toMatch(scope === D ? /坪山区/ : scope === STREET ? /坪山街道/ : /六联社区/);
    const kpi = theme.widgets.find((w) => w.type === 'kpis')!;
    const first = (kpi.options as { items: { key: string; field?: string }[] }).items[0];
    const m = await metricsOf(server.url, scope);
    const expected = first.field ? m[first.key][first.field] : m[first.key];
    await page.waitForFunction(
      ([key, v]) => document.querySelector(`[data-testid="kpi-${key}"]`)?.getAttribute('data-raw') === v,
      [first.field ? `${first.key}.${first.field}` : first.key, expected === null ? '' : String(expected)] as const,
      { timeout: 10_000 },
    );
    await screenshot(page, `theme-${theme.id}-${scope.replace(':', '-')}-1920x1080`);
  });

  it("shows a community's own theme in its hall only", async () => {
    const page = browsers[0].page;
    for (const id of ['laokeng-enterprise', 'shajin-river']) {
      const theme = BUILTIN_THEMES.find((t) => t.id === id)!;
      await page.goto(`${server.url}/hall/community:${theme.owner}?theme=${id}`);
      await drawn(page, id);
      expect(await page.locator('.lr-errors').count()).toBe(0);
      for (const w of theme.widgets) expect(await page.locator(`[data-widget="${w.id}"]`).count(), w.id).toBe(1);
      await screenshot(page, `theme-${id}-1920x1080`);
      const playlist = (await (await admin.get(`/api/v1/halls/community:${theme.owner}/playlist`)).json()) as Playlist;
      expect(playlist.entries.map((e) => e.themeId)).toContain(id);
    }
    await page.goto(`${server.url}/hall/${COMMUNITY}?theme=laokeng-enterprise`);
    await page.waitForSelector('[data-testid="hall-missing"]');
  });
});

describe('rotation', () => {
  it('two displays of a hall show the theme the shared clock says, and change together', async () => {
    await closeFrom(1);
    const entries = [
      { themeId: 'video', seconds: 10 },
      { themeId: 'grid', seconds: 10 },
      { themeId: 'components', seconds: 10 },
    ];
    const res = await admin.send('PUT', `/api/v1/halls/${STREET}/playlist`, { entries });
    expect(res.status, await res.clone().text()).toBe(200);
    const playlist = (await res.json()) as Playlist;
    const a = await open(`${server.url}/hall/${STREET}`, { width: 1920, height: 1080 });
    const b = await open(`${server.url}/hall/${STREET}`, { width: 1280, height: 720 });
    for (const p of [a, b])
      await p.waitForSelector(
        '[data-testid="rotation"][data-index="0"], [data-testid="rotation"][data-index="1"], [data-testid="rotation"][data-index="2"]',
      );

    const sample = (p: Page) =>
      p.evaluate(() => ({
        at: (window as any).__commandHall.connection.serverNow() as number,
        theme: document.querySelector('[data-testid="rotation"]')!.getAttribute('data-theme'),
        drawn: document.querySelector('[data-layout]')?.getAttribute('data-layout'),
      }));
    const seen = new Set<string>();
    let checked = 0;
    // ~25 s: at least two switches
    for (let i = 0; i < 50; i++) {
      for (const s of [await sample(a), await sample(b)]) {
        const expected = rotationAt(playlist, s.at)!;
        seen.add(s.theme!);
        // a sample within a second of a switch may fall on either side of it
        const nearSwitch = s.at - expected.since < 1000 || expected.until - s.at < 1000;
        if (!nearSwitch) {
          expect(s.theme).toBe(expected.entry.themeId);
          checked++;
        }
      }
      await a.waitForTimeout(500);
    }
    expect(checked).toBeGreaterThan(60);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(await a.getAttribute('[data-testid="rotation"]', 'data-source')).toBe('server');
  });

  it('pauses on a desktop while a person uses the screen', async () => {
    const page = browsers[browsers.length - 1].page;
    await page.mouse.click(5, 5);
    await page.waitForSelector('[data-testid="rotation-paused"]');
    const before = await page.getAttribute('[data-testid="rotation"]', 'data-theme');
    await page.waitForTimeout(11_000); // longer than any entry
    expect(await page.getAttribute('[data-testid="rotation"]', 'data-theme')).toBe(before);
    expect(await page.getAttribute('[data-testid="rotation"]', 'data-paused')).toBe('true');
  });
});

describe('splicing', () => {
  it('two 4K monitors of a 2×1 wall each draw their half of the whole wall', async () => {
    const q = `/hall/${D}?theme=overview`;
    const from = browsers.length;
    // one page at a time: three wall-sized pages drawing at once starve software GL
    const whole = await open(`${server.url}${q}`, { width: 7680, height: 2160 });
    await drawn(whole, 'overview', 150_000);
    const left = await open(`${server.url}${q}&tiles=2x1&tile=0,0`, { width: 3840, height: 2160 });
    await drawn(left, 'overview', 150_000);
    const right = await open(`${server.url}${q}&tiles=2x1&tile=1,0`, { width: 3840, height: 2160 });
    await drawn(right, 'overview', 150_000);
    await whole.waitForTimeout(2500);

    const rects = (p: Page) =>
      p.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('[data-widget]')].map((e) => {
            const r = e.getBoundingClientRect();
            return [e.getAttribute('data-widget'), [r.left, r.top, r.width, r.height]];
          }),
        ),
      );
    const [w, l, r] = [await rects(whole), await rects(left), await rects(right)];
    for (const id of Object.keys(w)) {
      l[id].forEach((v: number, i: number) => expect(v, `${id} left`).toBeCloseTo(w[id][i], 0));
      expect(r[id][0] + 3840, `${id} right`).toBeCloseTo(w[id][0], 0);
      expect(r[id][1], `${id} right`).toBeCloseTo(w[id][1], 0);
    }
    // the wall is filled edge to edge: the title runs across the seam, nothing is letterboxed
    expect(w.title[0]).toBeLessThan(40);
    expect(w.title[0] + w.title[2]).toBeGreaterThan(7680 - 40);

    // pixels: each tile equals its half of the whole wall (clock and popups aside)
    await whole.evaluate(() =>
      document.querySelectorAll('[data-testid="clock"], .ap').forEach((e) => ((e as HTMLElement).style.visibility = 'hidden')),
    );
    for (const p of [left, right])
      await p.evaluate(() =>
        document.querySelectorAll('[data-testid="clock"], .ap').forEach((e) => ((e as HTMLElement).style.visibility = 'hidden')),
      );
    // each page is captured once: the saved artefact is also what the pixels are compared on
    const [pw, pl, pr] = [
      readFileSync(await screenshot(whole, 'splice-7680x2160-whole')),
      readFileSync(await screenshot(left, 'splice-2x1-tile-0-0')),
      readFileSync(await screenshot(right, 'splice-2x1-tile-1-0')),
    ];
    const band = { width: 3840, height: 300 }; // title and headline KPIs: no map, no moving charts
    const ctx = browsers[0].context;
    expect(await shareDifferent(ctx, { png: pl, x: 0, y: 0 }, { png: pw, x: 0, y: 0 }, band)).toBeLessThan(0.01);
    expect(await shareDifferent(ctx, { png: pr, x: 0, y: 0 }, { png: pw, x: 3840, y: 0 }, band)).toBeLessThan(0.01);
    // and the halves are not the same picture
    expect(await shareDifferent(ctx, { png: pl, x: 0, y: 0 }, { png: pr, x: 0, y: 0 }, band)).toBeGreaterThan(0.02);
    await closeFrom(from);
  }, 600_000); // three pages of 4K and more on software GL: a budget, not a speed check
});

describe('unattended', () => {
  it('reconnects after a network cut and resyncs figures and playlist without a reload', async () => {
    const proxy = await cutProxy(server.url);
    try {
      const page = await open(`${proxy.url}/hall/${COMMUNITY}`);
      await page.waitForSelector('[data-testid="rotation"][data-source="server"]');
      await page.waitForSelector('[data-testid="connection"][data-state="live"]');
      await page.evaluate(() => ((window as any).__sameDocument = true));
      const before = (await metricsOf(server.url, COMMUNITY))['appeals.today'] as number;

      proxy.cut();
      await page.waitForSelector('[data-testid="connection"]:not([data-state="live"])', { timeout: 20_000 });
      // meanwhile, in the district: two appeals, and the hall's playlist changes
      const place = places.find((c) => c.code === COMMUNITY.split(':')[1])!;
      await ingest(server.url, [appealEvent(place), appealEvent(place)]);
      const res = await admin.send('PUT', `/api/v1/halls/${COMMUNITY}/playlist`, { entries: [{ themeId: 'appeals', seconds: 600 }] });
      expect(res.status).toBe(200);
      await page.waitForTimeout(3000);
      proxy.restore();

      await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 30_000 });
      await page.waitForSelector('[data-testid="rotation"][data-theme="appeals"]', { timeout: 20_000 });
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(n),
        before + 2,
        { timeout: 20_000 },
      );
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('every display reports its hall, tile, theme and heap to the administrators', async () => {
    await open(`${server.url}/hall/${D}?theme=video&tiles=3x1&tile=2,0`, { width: 1280, height: 720 });
    let walls: { display: string; hall: string; tile: string; theme: string | null; heapMB: number | null; connected: boolean }[] = [];
    // the first report may come before the theme is drawn (theme null); wait (up to 40 s, past one
    // periodic heartbeat) for the one that names it: under CI load the hall's themes arrive late
    for (let i = 0; i < 80 && !walls.some((w) => w.tile === '2,0/3x1' && w.theme !== null); i++) {
      await new Promise((r) => setTimeout(r, 500));
      walls = ((await (await admin.get('/api/v1/admin/walls')).json()) as { walls: typeof walls }).walls;
    }
    const w = walls.find((x) => x.tile === '2,0/3x1');
    expect(w).toMatchObject({ hall: D, theme: 'video', connected: true, display: 'device:demo-wall' });
    expect(w!.heapMB).toBeGreaterThan(1);
  });

  it('the watchdog reloads a display over its heap bound, at a theme change, once', async () => {
    const entries = [
      { themeId: 'video', seconds: 10 },
      { themeId: 'grid', seconds: 10 },
    ];
    expect((await admin.send('PUT', `/api/v1/halls/${STREET}/playlist`, { entries })).status).toBe(200);
    // a bound of 1 MB: any page is over it
    const page = await open(`${server.url}/hall/${STREET}?heapLimitMB=1&tiles=4x1&tile=3,0`, { width: 1280, height: 720 });
    await page.waitForSelector('[data-testid="rotation"]');
    await page.evaluate(() => ((window as any).__sameDocument = true));
    // first check after 10 s, then the next switch; the budget is for a machine loaded by the
    // file's other walls (it ran past 60 s once), not a speed check
    const reloaded = page.waitForEvent('load', { timeout: 150_000 });
    const at = await page.evaluate(() => (window as any).__commandHall.connection.serverNow() as number);
    await reloaded;
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBeUndefined();
    const when = Date.now();
    // it came at a switch of the rotation (10 s entries), not at the first check
    const playlist = (await (await admin.get(`/api/v1/halls/${STREET}/playlist`)).json()) as Playlist;
    expect(rotationAt(playlist, when)!.since).toBeGreaterThan(at);
    let walls: { tile: string; reloads: number }[] = [];
    for (let i = 0; i < 20 && !walls.some((w) => w.tile === '3,0/4x1' && w.reloads === 1); i++) {
      await new Promise((r) => setTimeout(r, 500));
      walls = ((await (await admin.get('/api/v1/admin/walls')).json()) as { walls: typeof walls }).walls;
    }
    expect(walls.find((w) => w.tile === '3,0/4x1' && w.reloads === 1)).toBeTruthy();
    // over the bound still, but not again so soon: no reload loop
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.waitForTimeout(25_000);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  }, 300_000);

  it('loaded nothing from the internet and threw no page error', () => {
    for (const b of browsers) {
      expect(b.external).toEqual([]);
      expect(b.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    }
  });
});
