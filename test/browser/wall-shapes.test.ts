/**
 * Walls of every shape: a 16:9 screen and its 4K twin, a 21:9 screen, rows of two and three
 * monitors (32:9, 48:9, and a 32:9 splice of two 4K monitors), a portrait kiosk and a small
 * screen. Each gets the layout of its shape, not a stretched one: nothing off the screen or
 * overlapping, nothing cut inside a widget, no map legend over the map's areas, and every piece of
 * text at least 1/84 of the screen's shorter side (docs/themes.md, "Walls of every shape").
 * Screenshots of each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, waitForMap } from './helpers/browser.ts';
import { seedDistrict } from './helpers/seed.ts';

const D = 'district:440310';
const SHAPES = [
  { width: 1920, height: 1080, aspect: 'wide' },
  { width: 2560, height: 1080, aspect: 'ultrawide' },
  { width: 3840, height: 1080, aspect: 'row32' },
  { width: 5760, height: 1080, aspect: 'row48' },
  { width: 1080, height: 1920, aspect: 'portrait' },
  { width: 1366, height: 768, aspect: 'small' },
  { width: 3840, height: 2160, aspect: 'wide' },
  { width: 7680, height: 2160, aspect: 'row32' },
] as const;

let server: TestServer;
const external: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  await seedDistrict(server.url);
});
afterAll(async () => {
  await server?.dispose();
});

/** What a shape's page measures of itself, in screen pixels; `code`: the hall's area, whose map areas the legend must leave clear. */
async function measure(page: Page, code = '440310') {
  return page.evaluate((code) => {
    const view = { width: window.innerWidth, height: window.innerHeight };
    const cells = [...document.querySelectorAll<HTMLElement>('.lr-cell')].map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.dataset.widget!, x: r.left, y: r.top, r: r.right, b: r.bottom };
    });
    // content a widget cannot show: its body holds more than its box
    const cut = [...document.querySelectorAll<HTMLElement>('.lr-cell .wf-body')]
      .filter((el) => el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2)
      .map((el) => el.closest<HTMLElement>('.lr-cell')!.dataset.widget);
    // text cut by the edge of its widget or of its KPI tile (text shortened with an ellipsis is not)
    const spill: string[] = [];
    let smallest = { px: Infinity, text: '' };
    const walker = document.createTreeWalker(document.querySelector('[data-testid="screen-canvas"]')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement!;
      if (!text || !el.offsetHeight) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
      // as drawn: the font size times the scale of the screen's transform
      const px = parseFloat(cs.fontSize) * (el.getBoundingClientRect().height / el.offsetHeight);
      if (px < smallest.px) smallest = { px, text: `${text.slice(0, 20)} (${el.className})` };
      const box = (el.closest('.kpi') ?? el.closest('.lr-cell'))?.getBoundingClientRect();
      if (!box || cs.textOverflow === 'ellipsis') continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const t = range.getBoundingClientRect();
      const outside = t.left < box.left - 1 || t.right > box.right + 1 || t.top < box.top - 1 || t.bottom > box.bottom + 1;
      // wholly outside is not drawn at all (a list's rows past what fits); partly outside is cut
      const hidden = t.right <= box.left || t.left >= box.right || t.bottom <= box.top || t.top >= box.bottom;
      if (outside && !hidden) spill.push(text.slice(0, 20));
    }
    // the map's areas under its legend, when there is a map
    const h = (window as any).__commandHall;
    const legend = document.querySelector('[data-testid="map-legend"], .lg');
    let underLegend = 0;
    if (h?.map && legend) {
      const m = h.map;
      const box = m.getContainer().getBoundingClientRect();
      const l = legend.getBoundingClientRect();
      const scale = box.width / m.getContainer().offsetWidth;
      const at = (x: number, y: number) => [(x - box.left) / scale, (y - box.top) / scale];
      // the hall's own areas (a neighbour's, dimmed around a community, may sit under it)
      underLegend = m
        .queryRenderedFeatures([at(l.left, l.top), at(l.right, l.bottom)], { layers: ['community-fill'] })
        .filter((f: { properties: { code: string } }) => String(f.properties.code).startsWith(code)).length;
    }
    const aspect = document.querySelector('[data-layout]')?.getAttribute('data-aspect');
    return { view, cells, cut, spill, smallest, underLegend, aspect };
  }, code);
}

function overlaps(cells: { id: string; x: number; y: number; r: number; b: number }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < cells.length; i++)
    for (let j = i + 1; j < cells.length; j++) {
      const a = cells[i];
      const c = cells[j];
      if (Math.min(a.r, c.r) - Math.max(a.x, c.x) > 1 && Math.min(a.b, c.b) - Math.max(a.y, c.y) > 1) out.push(`${a.id} × ${c.id}`);
    }
  return out;
}

describe('walls of every shape', () => {
  for (const shape of SHAPES)
    for (const theme of ['overview', 'appeals'] as const) {
      const name = `${shape.width}x${shape.height}`;
      it(`${name} (${shape.aspect}), ${theme}: its own layout, nothing off screen, overlapping or cut, text legible`, async () => {
        const b = await launch({ width: shape.width, height: shape.height });
        try {
          await b.page.goto(`${server.url}/hall/${D}?theme=${theme}`);
          await b.page.waitForSelector(`[data-layout="${theme}"][data-aspect="${shape.aspect}"]`, { timeout: 60_000 });
          await b.page.waitForSelector('[data-testid="connection"][data-state="live"]');
          if (theme === 'overview') await waitForMap(b.page, 120_000);
          await b.page.waitForTimeout(1500); // charts animate in
          const m = await measure(b.page);
          expect(m.aspect).toBe(shape.aspect);
          for (const c of m.cells) {
            expect(c.x, c.id).toBeGreaterThanOrEqual(-1);
            expect(c.y, c.id).toBeGreaterThanOrEqual(-1);
            expect(c.r, c.id).toBeLessThanOrEqual(m.view.width + 1);
            expect(c.b, c.id).toBeLessThanOrEqual(m.view.height + 1);
          }
          expect(overlaps(m.cells)).toEqual([]);
          expect(m.cut).toEqual([]);
          expect(m.spill).toEqual([]);
          const min = Math.min(shape.width, shape.height) / 84;
          expect(m.smallest.px, `smallest text: ${m.smallest.text}`).toBeGreaterThanOrEqual(min);
          if (theme === 'overview') expect(m.underLegend, 'areas of the map under its legend').toBe(0);
          await screenshot(b.page, `wall-shape-${name}-${theme}`);
        } finally {
          external.push(...b.external);
          errors.push(...b.errors);
          await b.close();
        }
      });
    }

  // a community hall: its map of grid cells and components, its KPIs (100.0% is wider than 84)
  for (const shape of [SHAPES[0], SHAPES[4]])
    it(`${shape.width}x${shape.height}, a community hall's overview: nothing cut, text legible`, async () => {
      const b = await launch({ width: shape.width, height: shape.height });
      try {
        await b.page.goto(`${server.url}/hall/community:440310001001?theme=overview`);
        await b.page.waitForSelector(`[data-layout="overview-community"][data-aspect="${shape.aspect}"]`, { timeout: 60_000 });
        await waitForMap(b.page, 120_000);
        await b.page.waitForTimeout(1500);
        const m = await measure(b.page, '440310001001');
        expect(overlaps(m.cells)).toEqual([]);
        expect(m.cut).toEqual([]);
        expect(m.spill).toEqual([]);
        expect(m.smallest.px, `smallest text: ${m.smallest.text}`).toBeGreaterThanOrEqual(Math.min(shape.width, shape.height) / 84);
        expect(m.underLegend).toBe(0);
        await screenshot(b.page, `wall-shape-${shape.width}x${shape.height}-community`);
      } finally {
        external.push(...b.external);
        errors.push(...b.errors);
        await b.close();
      }
    });

  it('loads nothing from the internet and logs no errors', () => {
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
