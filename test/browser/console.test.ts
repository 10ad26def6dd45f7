/**
 * The director console: map clicks drill down district → street → community, the figures follow
 * the chosen scope, the picker and the breadcrumb move between scopes, and the URL keeps the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap, type TestBrowser } from './helpers/browser.ts';
import { metricsOf, seedDistrict, type Community } from './helpers/seed.ts';

let server: TestServer;
let b: TestBrowser;
let places: Community[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  places = await seedDistrict(server.url);
  b = await launch({ width: 1440, height: 900 });
});

afterAll(async () => {
  await b?.close();
  await server?.dispose();
});

/** Clicks the map at a community's centre (its site point lies inside its polygon). */
async function clickCommunity(page: Page, code: string): Promise<void> {
  const pt = await page.evaluate((code) => {
    const h = (window as any).__commandHall;
    const map = h.map;
    const c = h.scopes.get(`community:${code}`).center;
    const el = map.getContainer() as HTMLElement;
    const r = el.getBoundingClientRect();
    const p = map.project(c);
    return { x: r.left + p.x, y: r.top + p.y };
  }, code);
  await page.mouse.move(pt.x, pt.y);
  await page.waitForSelector('[data-testid="map-tooltip"]');
  await page.mouse.click(pt.x, pt.y);
}

/** Waits until the headline KPI shows the server's figure for `scope`. */
async function expectFiguresOf(page: Page, scope: string): Promise<number> {
  const m = await metricsOf(server.url, scope);
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
    m['appeals.today'],
    { timeout: 10_000 },
  );
  for (const key of ['appeals.open', 'appeals.overdue', 'appeals.closedToday']) {
    expect(await page.getAttribute(`[data-testid="kpi-${key}"]`, 'data-raw'), `${scope} ${key}`).toBe(String(m[key]));
  }
  return m['appeals.today'];
}

describe('director console', () => {
  it('opens on the district, one click from the wall', async () => {
    const { page } = b;
    await page.goto(`${server.url}/wall/district:440310`);
    await waitForMap(page);
    await page.click('[data-testid="to-console"]');
    await page.waitForURL(/\/console\/district:440310$/);
    await waitForMap(page);
    await expectFiguresOf(page, 'district:440310');
    await screenshot(page, 'console-1440x900-district');
  });

  it('drills down by map clicks: district → street → community, figures following', async () => {
    const { page } = b;
    const target = places.find((c) => c.code.startsWith('440310004'))!; // a community of 石井街道
    const street = target.code.slice(0, 9);
    const district = Number(await page.getAttribute('[data-testid="kpi-appeals.today"]', 'data-raw'));

    await clickCommunity(page, target.code);
    await page.waitForURL(new RegExp(`/console/street:${street}$`));
    const streetToday = await expectFiguresOf(page, `street:${street}`);
    expect(streetToday).toBeLessThan(district);
    expect(await page.textContent('[data-testid="breadcrumb"]')).toContain('石井街道');
    const ranked = await page.$$eval('[data-testid="ranking-row"]', (rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(ranked.length).toBeGreaterThan(0);
    for (const code of ranked) expect(code!.startsWith(street)).toBe(true);

    await waitForMap(page);
    await clickCommunity(page, target.code);
    await page.waitForURL(new RegExp(`/console/community:${target.code}$`));
    const communityToday = await expectFiguresOf(page, `community:${target.code}`);
    expect(communityToday).toBeLessThanOrEqual(streetToday);
    expect(await page.textContent('[data-testid="scope-name"]')).toBe(target.name);
    await waitForMap(page);
    await screenshot(page, 'console-1440x900-community');
  });

  it('the URL keeps the scope across a reload, and the breadcrumb leads back up', async () => {
    const { page } = b;
    const url = page.url();
    await page.reload();
    await waitForMap(page);
    expect(page.url()).toBe(url);
    const scope = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
    await expectFiguresOf(page, scope);
    await page.click('[data-testid="breadcrumb"] a >> nth=0');
    await page.waitForURL(/\/console\/district:440310$/);
    await expectFiguresOf(page, 'district:440310');
  });

  it('the scope picker switches scope, and the wall link shows the chosen scope on a wall', async () => {
    const { page } = b;
    await page.click('[data-testid="scope-street:440310002"]');
    await page.waitForURL(/\/console\/street:440310002$/);
    await expectFiguresOf(page, 'street:440310002');
    await page.click('[data-testid="to-wall"]');
    await page.waitForURL(/\/wall\/street:440310002$/);
    await waitForMap(page);
    expect(await page.textContent('[data-testid="screen-title"]')).toContain('马峦街道');
    await expectFiguresOf(page, 'street:440310002');
  });

  it('switches to English and back', async () => {
    const { page } = b;
    await page.goto(`${server.url}/console/district:440310`);
    await waitForMap(page);
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="scope-name"]')?.textContent === 'Pingshan District');
    expect(await page.textContent('[data-widget="kpis"]')).toContain('Appeals today');
    await screenshot(page, 'console-1440x900-en');
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="scope-name"]')?.textContent === '坪山区');
  });

  it('loads nothing from the internet and logs no errors', () => {
    expect(b.external).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
