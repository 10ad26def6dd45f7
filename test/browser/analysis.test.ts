/**
 * The appeals analysis screen: its four parts drawn from the live figures of the scope, equal to
 * the server's snapshot, following the appeals as they move; screenshots at wall sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { ingest, metricsOf, seedDistrict, type Community } from './helpers/seed.ts';

const D = 'district:440310';
let server: TestServer;
let b: TestBrowser;
let places: Community[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  places = await seedDistrict(server.url);
  b = await launch();
});

afterAll(async () => {
  await b?.close();
  await server?.dispose();
});

const funnelValue = (step: string) =>
  b.page.getAttribute(`[data-testid="funnel-funnel"] [data-step="${step}"]`, 'data-raw').then((v) => Number(v));

describe('appeals analysis screen', () => {
  it('shows the scope’s overall figures, funnel and stage times as the server counts them', async () => {
    const { page } = b;
    await page.goto(`${server.url}/analysis/${D}`);
    const m = await metricsOf(server.url, D);
    await page.waitForFunction(
      (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
      m['appeals.today'],
      { timeout: 20_000 },
    );
    expect(await page.textContent('[data-testid="screen-title"]')).toContain('坪山区');
    expect(await page.getAttribute('[data-testid="kpi-appeals.dueSoon"]', 'data-raw')).toBe(String(m['appeals.dueSoon']));
    for (const step of ['collected', 'verified', 'dispatched', 'handling', 'resolved', 'closed'])
      expect(await funnelValue(step), step).toBe(m['appeals.funnel'][step]);
    expect(await page.$$eval('[data-testid="stages-stages"] [data-stage]', (els) => els.map((e) => e.getAttribute('data-stage')))).toEqual([
      'verify',
      'dispatch',
      'accept',
      'handle',
      'close',
    ]);
    // the hot lists show what the server lists, no more
    expect(await page.$$eval('[data-testid="hot-hot-categories"] [data-testid="hot-row"]', (els) => els.length)).toBe(
      Math.min(5, m['appeals.hotCategories'].length),
    );
  });

  it('follows appeals as they move through the funnel', async () => {
    const { page } = b;
    const before = await funnelValue('verified');
    const id = `AN-${Date.now()}`;
    await ingest(server.url, [
      {
        id: `${id}.created`,
        type: 'appeal.created',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        data: {
          appealId: id,
          channel: 'hotline_12345',
          nature: 'request',
          category: '5',
          title: '分析屏测试诉求',
          location: { lon: places[0].center[0], lat: places[0].center[1] },
          communityCode: places[0].code,
        },
      },
      {
        id: `${id}.verified`,
        type: 'appeal.transitioned',
        occurredAt: new Date(Date.now() - 30_000).toISOString(),
        data: { appealId: id, to: 'verified' },
      },
    ]);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="funnel-funnel"] [data-step="verified"]')?.getAttribute('data-raw') === String(n),
      before + 1,
      { timeout: 10_000 },
    );
    const m = await metricsOf(server.url, D);
    expect(await funnelValue('collected')).toBe(m['appeals.funnel'].collected);
    await screenshot(page, 'analysis-1920x1080');
    expect(b.errors).toEqual([]);
    expect(b.external).toEqual([]);
  });

  it('fills a 3840×2160 wall without scrollbars', async () => {
    const big = await launch({ width: 3840, height: 2160 });
    try {
      await big.page.goto(`${server.url}/analysis/${D}`);
      await big.page.waitForSelector('[data-testid="funnel-funnel"] [data-step="collected"]');
      const overflow = await big.page.evaluate(() => ({
        x: document.documentElement.scrollWidth > window.innerWidth,
        y: document.documentElement.scrollHeight > window.innerHeight,
      }));
      expect(overflow).toEqual({ x: false, y: false });
      await screenshot(big.page, 'analysis-3840x2160');
      expect(big.errors).toEqual([]);
    } finally {
      await big.close();
    }
  });
});
