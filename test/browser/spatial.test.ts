/**
 * Spatial governance in a real browser: a grid cell's hall (its cell outlined, its components one
 * by one, its own figures), the map's layer panel (city components and the heat map toggled on
 * and off, the legend following, the choice kept for the hall and the person across a reload),
 * and a smart code's scan page at phone size (360×780) filing a report that becomes an appeal on
 * the district wall's ticker and in the console. Screenshots at 1920×1080 and 3840×2160 for the
 * walls, 1440×900 for the console, 360×780 for the phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap, type TestBrowser } from './helpers/browser.ts';
import { appealEvent, ingest, metricsOf, seedDistrict, type Community } from './helpers/seed.ts';

const COMMUNITY = '440310001001'; // 六联社区
let server: TestServer;
let places: Community[];
let cell: { code: string; name: string; center: [number, number] };
const browsers: TestBrowser[] = [];

async function open(url: string, viewport: { width: number; height: number }): Promise<TestBrowser> {
  const b = await launch(viewport);
  browsers.push(b);
  await b.page.goto(url);
  return b;
}

async function signIn(page: Page, username: string, password: string, next: string) {
  await page.goto(`${server.url}/signin?next=${encodeURIComponent(next)}`);
  await page.fill('[data-testid="signin-username"]', username);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForURL(`**${next}`);
}

/** Whether a layer is shown. */
const visible = (page: Page, layer: string) =>
  page.evaluate((l) => (window as any).__commandHall.map.getLayoutProperty(l, 'visibility'), layer);

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer({ readyTimeoutMs: 180_000 });
  places = await seedDistrict(server.url);
  const tree = await (await fetch(`${server.url}/api/v1/scopes`)).json();
  const liulian = tree.children.flatMap((s: any) => s.children).find((c: any) => c.code === COMMUNITY);
  // the cell that holds 六联社区's centre: its appeals land there
  const here = places.find((p) => p.code === COMMUNITY)!;
  const cells = liulian.children as { code: string; name: string; center: [number, number] }[];
  const near = (c: { center: [number, number] }) => (c.center[0] - here.center[0]) ** 2 + (c.center[1] - here.center[1]) ** 2;
  cell = cells.slice().sort((a, b) => near(a) - near(b))[0];
  // a few appeals at the cell's own centre
  await ingest(
    server.url,
    [0, 1, 2].map((i) => {
      const e = appealEvent({ code: COMMUNITY, name: '六联社区', center: cell.center }, 9000 + i);
      e.data.location = { lon: cell.center[0], lat: cell.center[1] };
      return e;
    }),
  );
}, 240_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.dispose();
});

describe('a grid cell’s hall', () => {
  it('shows its cell outlined among its community’s, its own figures, its components one by one', async () => {
    const m = await metricsOf(server.url, `grid:${cell.code}`);
    expect(m['appeals.today']).toBeGreaterThanOrEqual(3);
    const b = await open(`${server.url}/hall/grid:${cell.code}?theme=overview-community`, { width: 1920, height: 1080 });
    await waitForMap(b.page);
    await b.page.waitForFunction(
      (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
      m['appeals.today'],
      {
        timeout: 20_000,
      },
    );
    // its name, in the title and on the map
    expect(await b.page.textContent('body')).toContain(cell.name);
    const labels = await b.page.$$eval('.map-label--grid:not(.map-label--hidden)', (els) => els.map((e) => e.textContent?.trim()));
    expect(labels).toContain(cell.name.replace(/^.*社区/, ''));
    // its cell is drawn (the community's cells, the others dimmed) and the map is not one solid polygon
    const filter = await b.page.evaluate(() => (window as any).__commandHall.map.getFilter('grid-fill'));
    expect(JSON.stringify(filter)).toContain(COMMUNITY);
    expect(await visible(b.page, 'grid-fill')).not.toBe('none');
    // its city components, one by one at this zoom, on by default in a cell's hall
    expect(await visible(b.page, 'component-point')).toBe('visible');
    await b.page.waitForFunction(() => (window as any).__commandHall.map.querySourceFeatures('components').length > 0, null, {
      timeout: 20_000,
    });
    expect(await b.page.$$('.map-cluster-count--component')).toHaveLength(0);
    await waitForMap(b.page);
    await screenshot(b.page, 'spatial-grid-hall-1920');
    expect(b.external).toEqual([]);
    expect(b.errors).toEqual([]);

    const big = await open(`${server.url}/hall/grid:${cell.code}?theme=overview-community`, { width: 3840, height: 2160 });
    await waitForMap(big.page);
    await screenshot(big.page, 'spatial-grid-hall-3840');
    expect(big.errors).toEqual([]);
  });
});

describe('the layer panel', () => {
  it('turns the city components and the heat map on and off, the legend following, kept for the hall and the person', async () => {
    const b = await open(`${server.url}/`, { width: 1440, height: 900 });
    // a street's map: its components are off until someone asks for them (a community's are on)
    const scope = 'street:440310001';
    await signIn(b.page, 'district', 'demo-district-2026', `/console/${scope}`);
    await waitForMap(b.page);
    // off by default: busy layers wait for someone to want them
    expect(await visible(b.page, 'component-point')).toBe('none');
    await expect(b.page.$('[data-testid="legend-components"]')).resolves.toBeNull();

    await b.page.click('[data-testid="layer-panel-toggle"]');
    await b.page.click('[data-testid="layer-components"]');
    await b.page.waitForFunction(
      () => {
        const m = (window as any).__commandHall.map;
        return m.getLayoutProperty('component-point', 'visibility') === 'visible' && m.querySourceFeatures('components').length > 0;
      },
      null,
      { timeout: 20_000 },
    );
    await b.page.waitForSelector('[data-testid="legend-components"]');
    const clusters = await b.page.$$eval('.map-cluster-count--component', (els) => els.map((e) => Number(e.textContent)));
    // the street's components, in circles with their counts
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.every((n) => n >= 3)).toBe(true);

    await b.page.click('[data-testid="layer-heat"]');
    await b.page.click('[data-testid="heat-window-30d"]');
    await b.page.waitForFunction(() => (window as any).__commandHall.map.querySourceFeatures('heat').length > 0, null, { timeout: 20_000 });
    await b.page.waitForSelector('[data-testid="legend-heat"]');
    await waitForMap(b.page);
    await screenshot(b.page, 'spatial-console-layers-1440');

    // kept: the same hall for the same person after a reload
    await b.page.reload();
    await waitForMap(b.page);
    expect(await visible(b.page, 'component-point')).toBe('visible');
    expect(await visible(b.page, 'heat')).toBe('visible');
    await b.page.click('[data-testid="layer-panel-toggle"]');
    expect(await b.page.isChecked('[data-testid="layer-heat"]')).toBe(true);
    expect(await b.page.getAttribute('[data-testid="heat-window-30d"]', 'class')).toContain('lp-w--on');
    // another hall has its own choice: 六联社区's map, its components on by default, no heat
    await b.page.goto(`${server.url}/console/community:${COMMUNITY}`);
    await waitForMap(b.page);
    expect(await visible(b.page, 'heat')).toBe('none');
    expect(await visible(b.page, 'component-point')).toBe('visible');
    // and off again where it was on
    await b.page.goto(`${server.url}/console/${scope}`);
    await waitForMap(b.page);
    await b.page.click('[data-testid="layer-panel-toggle"]');
    await b.page.click('[data-testid="layer-components"]');
    await b.page.click('[data-testid="layer-heat"]');
    expect(await visible(b.page, 'component-point')).toBe('none');
    expect(await visible(b.page, 'heat')).toBe('none');
    await b.page.waitForFunction(() => !document.querySelector('[data-testid="legend-heat"]'));
    expect(b.external).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});

describe('a smart code’s scan page at phone size', () => {
  it('says what the component is, and files a report that becomes an appeal on the wall’s ticker and in the console', async () => {
    const components = await (await fetch(`${server.url}/api/v1/components?scope=grid:${cell.code}&type=street_light&limit=1`)).json();
    const light = components.items[0];
    // the district wall, watching
    const wall = await open(`${server.url}/wall/district:440310`, { width: 1920, height: 1080 });
    await waitForMap(wall.page);

    const phone = await open(`${server.url}/code/${light.id}`, { width: 360, height: 780 });
    await phone.page.waitForSelector('[data-testid="scan-component"]');
    expect(await phone.page.textContent('[data-testid="scan-component"]')).toContain('路灯');
    expect(await phone.page.textContent('[data-testid="scan-component"]')).toContain(light.id);
    expect(await phone.page.textContent('[data-testid="scan-status"]')).toBe('正常');
    // nothing wider than the phone
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(phone.page, 'spatial-scan-page-360');
    await phone.page.selectOption('[data-testid="scan-category"]', '5');
    await phone.page.fill('[data-testid="scan-description"]', '路灯晚上不亮，路口很黑');
    await phone.page.fill('[data-testid="scan-phone"]', '13800001234');
    await phone.page.click('[data-testid="scan-submit"]');
    await phone.page.waitForSelector('[data-testid="scan-done"]');
    const done = (await phone.page.textContent('[data-testid="scan-done"]')) ?? '';
    const appealId = /SC-\d{8}-[0-9a-f]{10}/.exec(done)?.[0];
    expect(appealId).toBeTruthy();
    await screenshot(phone.page, 'spatial-scan-done-360');
    expect(phone.external).toEqual([]);

    // on the district wall's ticker within a tick or two
    await wall.page.waitForSelector(`[data-testid="ticker-item"][data-id="${appealId}.created"]`, { timeout: 20_000 });
    await screenshot(wall.page, 'spatial-wall-ticker-1920');
    expect(wall.errors).toEqual([]);

    // in the console: the appeal by the smart-code channel, and the component's detail naming it
    const desk = await open(`${server.url}/`, { width: 1440, height: 900 });
    await signIn(desk.page, 'district', 'demo-district-2026', `/console/community:${COMMUNITY}/appeals/${appealId}`);
    await desk.page.waitForSelector('[data-testid="appeal-detail"] >> text=智慧码扫码');
    expect(await desk.page.textContent('[data-testid="appeal-title"]')).toContain('路灯晚上不亮');
    await desk.page.goto(`${server.url}/console/community:${COMMUNITY}/components/${light.id}`);
    await desk.page.waitForSelector(`[data-testid="component-appeals"] >> text=${appealId}`);
    expect(await desk.page.textContent('[data-testid="component-scans"]')).toContain('上报');
    await screenshot(desk.page, 'spatial-console-component-1440');
    expect(desk.errors).toEqual([]);
  });

  it('says clearly that an unknown code is not a component', async () => {
    const b = await open(`${server.url}/code/44031099999999`, { width: 360, height: 780 });
    await b.page.waitForSelector('[data-testid="scan-not-found"]');
    expect(await b.page.textContent('[data-testid="scan-not-found"]')).toContain('44031099999999');
    await screenshot(b.page, 'spatial-scan-unknown-360');
  });
});
