/**
 * A wall survives its server: when the server stops the indicator says so, and when it comes back
 * (same port, same data) the page reconnects, resyncs and follows new events again, without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap, type TestBrowser } from './helpers/browser.ts';
import { appealEvent, ingest, metricsOf, seedDistrict, type Community } from './helpers/seed.ts';

let server: TestServer;
let b: TestBrowser;
let places: Community[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  places = await seedDistrict(server.url);
  b = await launch({ width: 1920, height: 1080 });
});

afterAll(async () => {
  await b?.close();
  await server?.dispose();
});

const todayOnScreen = () => b.page.getAttribute('[data-testid="kpi-appeals.today"]', 'data-raw');

describe('server restart', () => {
  it('the page recovers without a reload', async () => {
    const { page } = b;
    await page.goto(`${server.url}/wall/district:440310`);
    await waitForMap(page);
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const before = (await metricsOf(server.url, 'district:440310'))['appeals.today'];
    expect(await todayOnScreen()).toBe(String(before));

    await server.stop();
    await page.waitForSelector('[data-testid="connection"][data-state="reconnecting"]', { timeout: 15_000 });
    // every live widget says how old its figures are, large enough to read from the back of the hall
    await page.waitForFunction(() =>
      /^数据延迟 \d+ 秒$/.test(document.querySelector('[data-testid="stale-badge"]')?.textContent?.trim() ?? ''),
    );
    const badge = await page.$eval('[data-testid="stale-badge"]', (el) => ({
      px: (parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().height) / (el as HTMLElement).offsetHeight,
      count: document.querySelectorAll('[data-testid="stale-badge"]').length,
    }));
    expect(badge.px).toBeGreaterThanOrEqual(16);
    expect(badge.count).toBeGreaterThan(3);
    await screenshot(page, 'wall-1920x1080-stale');

    server = await server.restart();
    await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 30_000 });
    // The rebuilt projections equal what was there; then new events flow again.
    expect((await metricsOf(server.url, 'district:440310'))['appeals.today']).toBe(before);
    await ingest(server.url, [appealEvent(places[0]), appealEvent(places[1])]);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(n),
      before + 2,
      {
        timeout: 10_000,
      },
    );
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    expect(await page.evaluate(() => (window as any).__commandHall.connection.reconnects)).toBeGreaterThanOrEqual(1);
  });

  it('loads nothing from the internet', () => {
    expect(b.external).toEqual([]);
    // Failed requests while the server was down are expected; nothing else.
    expect(b.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|WebSocket/i.test(e))).toEqual([]);
  });
});
