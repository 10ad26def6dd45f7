/**
 * The district wall in a real browser against a real server: it loads at the root URL, draws the
 * communities on the map, shows the server's figures, follows new appeals live, stays crisp and
 * inside the screen at 1080p and 4K, and loads nothing from the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap, type TestBrowser } from './helpers/browser.ts';
import { appealEvent, ingest, metricsOf, seedDistrict, type Community } from './helpers/seed.ts';
import { hexToRgb, luminance, readPixels, shareUnlike } from './helpers/pixels.ts';
import { HEADLINE_KPIS } from '../../shared/src/themes/index.ts';
import { formatValue } from '../../web/src/format/number.ts';
import { NO_DATA } from '../../web/src/map/style.ts';
import { UI } from '../../web/src/theme/palette.ts';

const D = 'district:440310';
let server: TestServer;
let b: TestBrowser;
let places: Community[];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  places = await seedDistrict(server.url);
  b = await launch({ width: 1920, height: 1080 });
  await b.page.goto(`${server.url}/wall/${D}`);
  await waitForMap(b.page);
  await b.page.waitForFunction(() => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') !== '');
});

afterAll(async () => {
  await b?.close();
  await server?.dispose();
});

const raw = (key: string) => b.page.getAttribute(`[data-testid="kpi-${key}"]`, 'data-raw');
const text = (key: string) => b.page.textContent(`[data-testid="kpi-${key}"]`);

describe('district wall', () => {
  it('opens live, with every widget and no scrollbars', async () => {
    const { page } = b;
    expect(new URL(page.url()).pathname).toBe(`/wall/${D}`);
    expect(await page.textContent('[data-testid="screen-title"]')).toContain('坪山区');
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    for (const id of ['title', 'kpis', 'activity', 'map', 'by-category', 'by-channel', 'daily', 'hourly', 'ranking', 'alerts', 'ticker']) {
      expect(await page.locator(`[data-widget="${id}"]`).count(), id).toBe(1);
    }
    const overflow = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth - window.innerWidth,
      h: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ w: 0, h: 0 });
    expect(await page.getAttribute('[data-testid="schematic-note"]', 'data-testid')).toBe('schematic-note');
  });

  it('shows the same headline figures as the server snapshot', async () => {
    const m = await metricsOf(server.url, D);
    expect(m['appeals.today']).toBeGreaterThan(0);
    for (const k of HEADLINE_KPIS) {
      const v = m[k.key] as number | null;
      expect(await raw(k.key), k.key).toBe(v === null ? '' : String(v));
      expect(await text(k.key), k.key).toBe(formatValue(v, k.format, 'zh-CN'));
    }
  });

  it('draws the community polygons, coloured by open appeals', async () => {
    const { page, context } = b;
    // Names, points, cameras and the legend sit on top of the fill: hide them for this picture.
    await page.evaluate(() => {
      const map = (window as any).__commandHall.map;
      for (const id of ['point', 'point-cluster', 'point-halo', 'camera']) map.setLayoutProperty(id, 'visibility', 'none');
      document.body.classList.add('test-hide-overlays');
      const s = document.createElement('style');
      s.id = 'test-hide-overlays';
      s.textContent = '.map-label,.map-cluster-count,[data-testid=map-legend]{display:none!important}';
      document.head.appendChild(s);
    });
    await waitForMap(page);
    const geometry = await page.evaluate(() => {
      const h = (window as any).__commandHall;
      const map = h.map;
      const el = map.getContainer() as HTMLElement;
      const r = el.getBoundingClientRect();
      const k = r.width / el.offsetWidth;
      const points = [...h.scopes.index.values()]
        .filter((s: any) => s.level === 'community')
        .map((s: any) => {
          const p = map.project(s.center);
          return { code: s.code as string, x: r.left + p.x * k, y: r.top + p.y * k };
        });
      return { points, rect: { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) } };
    });
    const png = await page.screenshot();
    const m = await metricsOf(server.url, D);
    const open = m['map.communities'] as Record<string, { open: number }>;

    expect(geometry.points).toHaveLength(24);
    const colours = await readPixels(context, png, geometry.points);
    const ground = hexToRgb(UI.mapGround);
    const noData = hexToRgb(NO_DATA);
    const far = (a: number[], c: number[]) => Math.abs(a[0] - c[0]) + Math.abs(a[1] - c[1]) + Math.abs(a[2] - c[2]) > 60;
    // Every community with open appeals is filled with a colour of the ramp, not the ground.
    geometry.points.forEach((p, i) => {
      if ((open[p.code]?.open ?? 0) > 0) expect(far(colours[i], ground) && far(colours[i], noData), `${p.code} ${colours[i]}`).toBe(true);
    });
    // The ramp is ordered: the busiest third is brighter than the quietest third (viridis rises in lightness).
    const ranked = geometry.points
      .map((p, i) => ({ open: open[p.code]?.open ?? 0, lum: luminance(colours[i]) }))
      .sort((a, c) => a.open - c.open);
    const third = Math.floor(ranked.length / 3);
    const avg = (xs: { lum: number }[]) => xs.reduce((s, x) => s + x.lum, 0) / xs.length;
    expect(avg(ranked.slice(-third))).toBeGreaterThan(avg(ranked.slice(0, third)) + 20);
    // And the district covers a good part of the map area.
    expect(await shareUnlike(context, png, geometry.rect, ground)).toBeGreaterThan(0.25);

    await page.evaluate(() => {
      const map = (window as any).__commandHall.map;
      for (const id of ['point', 'point-cluster', 'point-halo', 'camera']) map.setLayoutProperty(id, 'visibility', 'visible');
      document.getElementById('test-hide-overlays')?.remove();
    });
  });

  it('an appeal sent to the ingest API shows up in the KPIs within a few ticks', async () => {
    const { page } = b;
    const before = Number(await raw('appeals.today'));
    const openBefore = Number(await raw('appeals.open'));
    const target = places[5];
    const t0 = Date.now();
    await ingest(server.url, [appealEvent(target)]);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(n),
      before + 1,
      { timeout: 5000 },
    );
    const latency = Date.now() - t0;
    expect(latency).toBeLessThan(5000);
    expect(Number(await raw('appeals.open'))).toBe(openBefore + 1);
    await page.waitForFunction((name) => document.querySelector('[data-testid="ticker-item"]')?.textContent?.includes(name), target.name, {
      timeout: 5000,
    });
  });

  it('renders sharp and fits the screen at 1920×1080 and 3840×2160', async () => {
    const { page } = b;
    await waitForMap(page);
    await screenshot(page, 'wall-1920x1080');
    for (const [w, h, factor] of [[3840, 2160, 2]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForFunction(
        (f) => {
          const c = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement | null;
          return !!c && c.width >= c.clientWidth * f;
        },
        factor,
        { timeout: 15_000 },
      );
      await page.waitForTimeout(800); // ECharts re-creates its canvases at the new pixel ratio
      await waitForMap(page);
      const sizes = await page.evaluate(() => {
        const canvases = [...document.querySelectorAll('canvas')] as HTMLCanvasElement[];
        const box = document.querySelector('[data-testid="screen-canvas"]')!.getBoundingClientRect();
        return {
          ratios: canvases.map((c) => c.width / c.clientWidth),
          box: { w: Math.round(box.width), h: Math.round(box.height) },
          scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
        };
      });
      expect(sizes.box).toEqual({ w, h });
      expect(sizes.scroll).toEqual([w, h]);
      // Every canvas (5 charts and the map) draws at least one pixel per screen pixel.
      expect(sizes.ratios.length).toBeGreaterThanOrEqual(6);
      for (const r of sizes.ratios) expect(r).toBeGreaterThanOrEqual(factor - 0.01);
      await screenshot(page, `wall-${w}x${h}`);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('loads nothing from the internet and logs no errors', () => {
    expect(b.external).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
