/**
 * A city deployment in a real browser (deploy/city/: the synthetic city of 10 districts, 70 streets
 * and 630 communities): the city's wall names its districts and shows the city's figures; the
 * console drills by map clicks city → district → street, the figures following; screenshots at
 * desktop and wall sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap, type TestBrowser } from './helpers/browser.ts';
import { appealEvent, communities, ingest, metricsOf, type Community } from './helpers/seed.ts';
import { ROOT } from './helpers/paths.ts';

const CITY = 'city:9901';
let server: TestServer;
let places: Community[];
const browsers: TestBrowser[] = [];

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  const b = await launch(viewport);
  browsers.push(b);
  await b.page.goto(url);
  return b.page;
}

/** Waits until the headline KPI shows the server's figure for `scope`. */
async function expectFiguresOf(page: Page, scope: string): Promise<number> {
  const m = await metricsOf(server.url, scope);
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
    m['appeals.today'],
    { timeout: 20_000 },
  );
  return m['appeals.today'];
}

/** Clicks the map at a community's centre (its site point lies inside its polygon). */
async function clickCommunity(page: Page, code: string): Promise<void> {
  const pt = await page.evaluate((code) => {
    const h = (window as any).__commandHall;
    const c = h.scopes.get(`community:${code}`).center;
    const r = (h.map.getContainer() as HTMLElement).getBoundingClientRect();
    const p = h.map.project(c);
    return { x: r.left + p.x, y: r.top + p.y };
  }, code);
  await page.mouse.move(pt.x, pt.y);
  await page.waitForSelector('[data-testid="map-tooltip"]');
  await page.mouse.click(pt.x, pt.y);
}

/** Names of the map's labels that are shown, by level. */
const shownLabels = (page: Page, level: string) =>
  page.$$eval(`.map-label--${level}:not(.map-label--hidden)`, (els) => els.map((e) => e.textContent?.trim() ?? ''));

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer({
    env: { GEOGRAPHY_FILE: `${ROOT}deploy/city/synthetic-city.geojson`, PROFILES_FILE: `${ROOT}deploy/city/synthetic-city-profiles.json` },
  });
  places = await communities(server.url);
  // (i mod 4) + 1 appeals in every community: the city's 630, so that every district has figures
  const events = places.flatMap((c, i) => Array.from({ length: (i % 4) + 1 }, () => appealEvent(c)));
  for (let i = 0; i < events.length; i += 1000) await ingest(server.url, events.slice(i, i + 1000));
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.dispose();
});

describe('a city deployment', () => {
  it('serves 630 communities in 10 districts', () => {
    expect(places).toHaveLength(630);
    expect(new Set(places.map((p) => p.code.slice(0, 6))).size).toBe(10);
  });

  it("the city's wall names the city and its ten districts, with the city's figures", async () => {
    const page = await open(`${server.url}/hall/${CITY}?theme=overview`, { width: 1920, height: 1080 });
    await waitForMap(page);
    expect(await page.textContent('[data-testid="screen-title"]')).toContain('合成市');
    await expectFiguresOf(page, CITY);
    const districts = await shownLabels(page, 'district');
    expect(districts.length).toBeGreaterThanOrEqual(8);
    for (const name of districts) expect(name).toMatch(/^[甲乙丙丁戊己庚辛壬癸]区$/);
    // a whole city names its districts alone: no street or community label buries them
    expect(await shownLabels(page, 'street')).toEqual([]);
    expect(await shownLabels(page, 'community')).toEqual([]);
    await screenshot(page, 'city-wall-1920x1080');
  });

  it('the same wall on a 4K screen', async () => {
    const page = await open(`${server.url}/hall/${CITY}?theme=overview`, { width: 3840, height: 2160 });
    await waitForMap(page, 120_000);
    await expectFiguresOf(page, CITY);
    await screenshot(page, 'city-wall-3840x2160');
  });

  it('the console drills by map clicks: city → district → street, figures following', async () => {
    const page = await open(`${server.url}/console/${CITY}`, { width: 1440, height: 900 });
    await waitForMap(page);
    const city = await expectFiguresOf(page, CITY);
    // the scope tree names the city's level in words, as every other level
    expect(await page.textContent(`[data-testid="scope-${CITY}"]`)).toMatch(/^\s*合成市\s*市\s*$/);
    const target = places.find((c) => c.code.startsWith('990103004'))!;

    await clickCommunity(page, target.code);
    await page.waitForURL(/\/console\/district:990103$/);
    const district = await expectFiguresOf(page, 'district:990103');
    expect(district).toBeLessThan(city);
    expect(await page.textContent('[data-testid="breadcrumb"]')).toContain('丙区');
    await waitForMap(page);
    expect((await shownLabels(page, 'street')).length).toBeGreaterThan(0);
    await screenshot(page, 'city-console-1440x900-district');

    await clickCommunity(page, target.code);
    await page.waitForURL(/\/console\/street:990103004$/);
    expect(await expectFiguresOf(page, 'street:990103004')).toBeLessThan(district);
    expect(await page.textContent('[data-testid="breadcrumb"]')).toContain('丙四街道');
  });

  it('loads nothing from the internet and logs no errors', () => {
    for (const b of browsers) {
      expect(b.external).toEqual([]);
      expect(b.errors).toEqual([]);
    }
  });
});
