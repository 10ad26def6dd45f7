/**
 * The theme editor in the console: a community director of 六联社区 starts its own theme, adds a
 * widget, drags it with the mouse, names it, is stopped by a validation problem when the widget
 * overlaps the title bar and fixes it, saves twice (versions 1 and 2) and rolls back to version 1
 * (version 3, restored from 1), while a wall showing the theme follows each save without a
 * reload. The theme is deleted once no rotation shows it. The same director can only look at a
 * common theme. Screenshots at 1600×900 and 1920×1080.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { seedDistrict } from './helpers/seed.ts';

const COMMUNITY = 'community:440310001001';
const box = (id: string) => `[data-testid="editor-box"][data-widget="${id}"]`;
const wallTitle = (id: string) => `.lr-cell[data-widget="${id}"] .wf-title`;

let server: TestServer;
let director: TestBrowser;
let wall: TestBrowser;
let themeId = '';

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/signin`);
  await page.fill('[data-testid="signin-username"]', username);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForURL('**/console/**');
}

/** Drags a widget's box (or, with `handle`, its resize corner) by whole grid cells, with the mouse. */
async function dragCells(page: Page, id: string, cols: number, rows: number, handle = false) {
  const scale = Number(await page.getAttribute('.ec-frame', 'data-scale'));
  // the common grid: 48×27 cells over 1920×1080 with a 12 px gap
  const step = { x: ((1920 - 12) / 48) * scale, y: ((1080 - 12) / 27) * scale };
  const target = handle ? `${box(id)} [data-testid="editor-handle"]` : box(id);
  const r = (await page.locator(target).boundingBox())!;
  const from = handle ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : { x: r.x + 30, y: r.y + 24 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + cols * step.x, from.y + rows * step.y, { steps: 8 });
  await page.mouse.up();
}

const posOf = (page: Page, id: string) => page.getAttribute(box(id), 'data-pos');

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  await seedDistrict(server.url);
  [director, wall] = await Promise.all([launch({ width: 1600, height: 900 }), launch({ width: 1280, height: 720 })]);
});

afterAll(async () => {
  await Promise.all([director?.close(), wall?.close()]);
  await server?.dispose();
});

describe('theme editor', () => {
  it('lists the hall’s themes and starts a community’s own theme', async () => {
    const { page } = director;
    await signIn(page, 'community', 'demo-community-2026');
    await page.click('[data-testid="tab-themes"]');
    await page.waitForURL(`**/console/${COMMUNITY}/themes`);
    await page.waitForSelector('[data-testid="theme-row"][data-theme="overview-community"]');
    // the common themes are for reading only; another community's own themes are not offered at all
    expect(await page.getAttribute('[data-testid="theme-row"][data-theme="overview-community"]', 'data-editable')).toBe('false');
    expect(await page.$('[data-testid="theme-row"][data-theme="shajin-river"]')).toBeNull();
    expect(await page.getAttribute('[data-testid="playlist"]', 'data-editable')).toBe('true');

    await page.click('[data-testid="theme-new"]');
    await page.waitForURL(/\/themes\/own-440310001001-[a-z0-9]+$/);
    themeId = page.url().split('/').pop()!;
    await page.waitForSelector('[data-testid="theme-editor"][data-state="ready"][data-editable="true"]');
    await page.waitForSelector('[data-testid="editor-new"]');
    expect(await posOf(page, 'title')).toBe('0,0,48,2');
    expect(await page.isDisabled('[data-testid="editor-save"]')).toBe(false);
  });

  it('adds a widget in the first free area and drags it by whole cells', async () => {
    const { page } = director;
    await page.click('[data-testid="palette-text"]');
    await page.waitForSelector(box('text-1'));
    expect(await posOf(page, 'text-1')).toBe('0,2,12,7');
    await dragCells(page, 'text-1', 5, 3);
    expect(await posOf(page, 'text-1')).toBe('5,5,12,7');
    // the corner handle resizes from the top-left corner
    await dragCells(page, 'text-1', 4, 1, true);
    expect(await posOf(page, 'text-1')).toBe('5,5,16,8');
    // the side panel follows the selected widget, and the preview follows the panel
    await page.fill('[data-testid="editor-widget-title"]', '社区公告');
    await page.fill('[data-testid="editor-option-text"]', '本周六上午九点社区党群服务中心义诊');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '社区公告',
      `[data-testid="editor-canvas"] ${wallTitle('text-1')}`,
    );
  });

  it('stops saving while the widget overlaps the title bar, and again once fixed', async () => {
    const { page } = director;
    await dragCells(page, 'text-1', 0, -5);
    expect(await posOf(page, 'text-1')).toBe('5,0,16,8');
    await page.waitForSelector('[data-testid="editor-problem"]');
    const problems = await page.$$eval('[data-testid="editor-problem"]', (els) => els.map((e) => e.textContent ?? ''));
    // said in the interface language (Chinese), from the problem's code and params
    expect(problems.join('\n')).toContain('组件“title”与“text-1”重叠');
    expect(await page.textContent('[data-testid="editor-widget-problems"]')).toContain('组件“title”与“text-1”重叠');
    expect(await page.getAttribute(box('text-1'), 'data-problem')).toBe('true');
    expect(await page.getAttribute(box('title'), 'data-problem')).toBe('true');
    expect(await page.isDisabled('[data-testid="editor-save"]')).toBe(true);
    await screenshot(page, 'theme-editor-problem-1600x900');

    await dragCells(page, 'text-1', 0, 3);
    expect(await posOf(page, 'text-1')).toBe('5,3,16,8');
    await page.waitForSelector('[data-testid="editor-valid"]');
    expect(await page.getAttribute(box('text-1'), 'data-problem')).toBeNull();
    expect(await page.isDisabled('[data-testid="editor-save"]')).toBe(false);
  });

  it('saves version 1, then version 2; a wall showing the theme follows without reloading', async () => {
    const { page } = director;
    await page.click('[data-testid="editor-save"]');
    await page.waitForSelector('[data-testid="editor-saved"][data-version="1"]');
    expect(await page.textContent('[data-testid="editor-version-current"]')).toContain('1');
    // saved and unchanged: nothing more to save
    expect(await page.isDisabled('[data-testid="editor-save"]')).toBe(true);

    const w = wall.page;
    await w.goto(`${server.url}/hall/${COMMUNITY}?theme=${themeId}`);
    await w.waitForFunction((sel) => document.querySelector(sel)?.textContent === '社区公告', wallTitle('text-1'));
    await w.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await page.click(box('text-1'));
    await page.fill('[data-testid="editor-widget-title"]', '社区公告（第二版）');
    await page.waitForSelector('[data-testid="editor-dirty"]');
    await page.click('[data-testid="editor-save"]');
    await page.waitForSelector('[data-testid="editor-saved"][data-version="2"]');
    await w.waitForFunction((sel) => document.querySelector(sel)?.textContent === '社区公告（第二版）', wallTitle('text-1'));
    expect(await w.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    await screenshot(page, 'theme-editor-1600x900');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(400); // the canvas measures its area again
    await screenshot(page, 'theme-editor-1920x1080');
    await page.setViewportSize({ width: 1600, height: 900 });
  });

  it('rolls back to version 1 as version 3; the wall shows the old title', async () => {
    const { page } = director;
    await page.click('[data-testid="editor-side-versions"]');
    await page.waitForSelector('[data-testid="editor-version"][data-version="2"]');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="editor-version"][data-version="1"] [data-testid="editor-rollback"]');
    await page.waitForSelector('[data-testid="editor-saved"][data-version="3"]');
    await page.waitForSelector('[data-testid="editor-version"][data-version="3"][data-restored-from="1"]');
    expect(await page.textContent('[data-testid="editor-version"][data-version="3"]')).toContain('恢复自第 1 版');
    expect(await page.textContent('[data-testid="editor-version-current"]')).toContain('3');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '社区公告',
      `[data-testid="editor-canvas"] ${wallTitle('text-1')}`,
    );
    await screenshot(page, 'theme-editor-versions-1600x900');

    const w = wall.page;
    await w.waitForFunction((sel) => document.querySelector(sel)?.textContent === '社区公告', wallTitle('text-1'));
    expect(await w.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('puts the new theme in the hall’s rotation', async () => {
    const { page } = director;
    await page.click('[data-testid="editor-back"]');
    await page.waitForURL(`**/console/${COMMUNITY}/themes`);
    await page.waitForSelector(`[data-testid="theme-row"][data-theme="${themeId}"] [data-testid="theme-own"]`);
    await page.waitForSelector('[data-testid="playlist-entry"]');
    const before = await page.$$eval('[data-testid="playlist-entry"]', (els) => els.map((e) => e.getAttribute('data-theme')));
    // a default rotation already has the community's own themes: take it out and put it back first
    if (before.includes(themeId)) {
      await page.click(`[data-testid="playlist-entry"][data-theme="${themeId}"] [data-testid="playlist-remove"]`);
    }
    await page.selectOption('[data-testid="playlist-add-theme"]', themeId);
    await page.click('[data-testid="playlist-add"]');
    const last = `[data-testid="playlist-entry"][data-theme="${themeId}"]`;
    await page.click(`${last} [data-testid="playlist-up"]`);
    await page.fill(`${last} [data-testid="playlist-seconds"]`, '5');
    await page.waitForSelector('[data-testid="playlist-problem"]');
    expect(await page.isDisabled('[data-testid="playlist-save"]')).toBe(true);
    await page.fill(`${last} [data-testid="playlist-seconds"]`, '30');
    await page.click('[data-testid="playlist-save"]');
    await page.waitForSelector('[data-testid="playlist-saved"]');
    const after = await page.$$eval('[data-testid="playlist-entry"]', (els) => els.map((e) => e.getAttribute('data-theme')));
    const others = before.filter((t) => t !== themeId);
    expect(after).toEqual([...others.slice(0, -1), themeId, others[others.length - 1]]);
    await screenshot(page, 'theme-list-1600x900');
  });

  it('deletes the theme only once the rotation no longer shows it', async () => {
    const { page } = director;
    const row = `[data-testid="theme-row"][data-theme="${themeId}"]`;
    await page.click(`${row} [data-testid="theme-open"]`);
    await page.waitForSelector('[data-testid="theme-editor"][data-state="ready"]');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="editor-delete"]');
    await page.waitForSelector('[data-testid="editor-save-error"]');
    expect(await page.textContent('[data-testid="editor-save-error"]')).toContain('六联社区的轮播中有这个主题');
    // the browser logs the refusal (409) it was told to expect; nothing else may be there
    const refused = director.errors.findIndex((e) => e.includes('409'));
    expect(refused).toBeGreaterThanOrEqual(0);
    director.errors.splice(refused, 1);

    await page.click('[data-testid="editor-back"]');
    await page.waitForSelector(`[data-testid="playlist-entry"][data-theme="${themeId}"]`);
    await page.click(`[data-testid="playlist-entry"][data-theme="${themeId}"] [data-testid="playlist-remove"]`);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/playlist') && r.request().method() === 'PUT' && r.ok()),
      page.click('[data-testid="playlist-save"]'),
    ]);
    await page.click(`${row} [data-testid="theme-open"]`);
    await page.waitForSelector('[data-testid="theme-editor"][data-state="ready"]');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="editor-delete"]');
    await page.waitForURL(`**/console/${COMMUNITY}/themes`);
    await page.waitForSelector('[data-testid="theme-row"][data-theme="overview-community"]');
    expect(await page.$(row)).toBeNull();
    const res = await page.request.get(`${server.url}/api/v1/themes/${themeId}`);
    expect(res.status()).toBe(404);
  });

  it('shows a common theme to the director read-only', async () => {
    const { page } = director;
    await page.click('[data-testid="theme-row"][data-theme="overview-community"] [data-testid="theme-open"]');
    await page.waitForSelector('[data-testid="theme-editor"][data-state="ready"]');
    expect(await page.getAttribute('[data-testid="theme-editor"]', 'data-editable')).toBe('false');
    await page.waitForSelector('[data-testid="editor-readonly"]');
    expect(await page.$('[data-testid="editor-save"]')).toBeNull();
    expect(await page.$('[data-testid="editor-palette"]')).toBeNull();
    const first = await page.getAttribute('[data-testid="editor-box"]', 'data-widget');
    const pos = await posOf(page, first!);
    await dragCells(page, first!, 3, 3);
    expect(await posOf(page, first!)).toBe(pos);
    // the widget is selected for reading: its fields are there but disabled
    expect(await page.isDisabled('[data-testid="editor-widget-type"]')).toBe(true);
    await page.click('[data-testid="editor-side-versions"]');
    await page.waitForSelector('[data-testid="editor-version"]');
    expect(await page.$('[data-testid="editor-rollback"]')).toBeNull();
    await screenshot(page, 'theme-editor-readonly-1600x900');
  });

  it("lets the district director copy a common theme into the district hall, edit and save it, and the hall's wall shows it", async () => {
    const { page } = director;
    await director.context.clearCookies(); // the community director leaves
    await signIn(page, 'district', 'demo-district-2026');
    await page.goto(`${server.url}/console/district:440310/themes`);
    const common = '[data-testid="theme-row"][data-theme="overview"]';
    await page.waitForSelector(common);
    expect(await page.getAttribute(common, 'data-editable')).toBe('false');
    await page.click(`${common} [data-testid="theme-copy"]`);
    await page.waitForURL('**/themes/overview-440310');
    await page.waitForSelector('[data-testid="theme-editor"][data-state="ready"]');
    expect(await page.getAttribute('[data-testid="theme-editor"]', 'data-editable')).toBe('true');
    await page.fill('[data-testid="editor-theme-name"]', '坪山区指挥中心态势');
    await page.click('[data-testid="editor-save"]');
    await page.waitForSelector('[data-testid="editor-saved"][data-version="1"]');

    await page.goto(`${server.url}/console/district:440310/themes`);
    const own = '[data-testid="theme-row"][data-theme="overview-440310"]';
    await page.waitForSelector(own);
    expect(await page.getAttribute(own, 'data-editable')).toBe('true');
    expect(await page.textContent(`${own} [data-testid="theme-own"]`)).toBe('本厅专属');
    // the copy takes the common theme's place: the hall's wall, asked for its overview, shows it
    await wall.page.goto(`${server.url}/hall/district:440310?theme=overview`);
    await wall.page.waitForSelector('[data-layout="overview-440310"]');
    expect(director.errors).toEqual([]);
    expect(wall.errors).toEqual([]);
    expect([...director.external, ...wall.external]).toEqual([]);
  });
});
