/**
 * Acting on an appeal in the console: an operator of 坪山街道 finds an appeal with the filters,
 * opens it (personal data masked: the operator has no clearance), verifies it, dispatches it to
 * the unit the dispatch guide suggests, and sees the status, the timeline and the list follow; a
 * dispatch away from the suggestion needs a reason. A community director reads its own community's
 * appeals and is sent back from another community's list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { communities, ingest, type Community } from './helpers/seed.ts';

const STREET = 'street:440310001';
let server: TestServer;
let b: TestBrowser;
let place: Community;
const id = `BC-${Date.now().toString(36)}`;

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/signin`);
  await page.fill('[data-testid="signin-username"]', username);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForURL('**/console/**');
}

const statusOf = (page: Page) => page.getAttribute('[data-testid="appeal-status"]', 'data-status');

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  place = (await communities(server.url)).find((c) => c.code === '440310001001')!;
  await ingest(server.url, [
    {
      id: `${id}.created`,
      type: 'appeal.created',
      occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      data: {
        appealId: id,
        channel: 'hotline_12345',
        nature: 'complaint',
        category: '5',
        subcategory: '5-01',
        title: '六联社区道路垃圾堆积无人清理',
        description: '市民反映路口垃圾三天无人清理，联系电话13812345678。',
        location: { lon: place.center[0], lat: place.center[1], address: '深圳市坪山区坪山街道六联社区环城路12号' },
        communityCode: place.code,
        reporter: { name: '张三丰', phone: '13812345678' },
      },
    },
    {
      id: `${id}-E.created`,
      type: 'appeal.created',
      occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      data: {
        appealId: `${id}-E`,
        channel: 'enterprise',
        nature: 'request',
        category: '5',
        title: '园区企业门前道路破损影响货车通行',
        location: { lon: place.center[0], lat: place.center[1] },
        communityCode: place.code,
        reporterKind: 'enterprise',
      },
    },
  ]);
  b = await launch({ width: 1600, height: 900 });
});

afterAll(async () => {
  await b?.close();
  await server?.dispose();
});

describe('acting on an appeal in the console', () => {
  it('finds the appeal with the filters and opens it, personal data masked for an operator', async () => {
    const { page } = b;
    await signIn(page, 'operator', 'demo-operator-2026');
    expect(page.url()).toContain(`/console/${STREET}`);
    await page.click('[data-testid="tab-appeals"]');
    await page.waitForURL(`**/console/${STREET}/appeals`);
    await page.selectOption('[data-testid="filter-category"]', '5');
    await page.click('[data-testid="filter-status-collected"]');
    // the filters are in the URL, so a reload or a shared link shows the same list
    await page.waitForURL(/category=5/);
    expect(page.url()).toContain('status=collected');
    const row = page.locator(`[data-testid="appeal-row"][data-id="${id}"]`);
    await row.waitFor();
    await row.click();
    await page.waitForSelector('[data-testid="appeal-detail"] [data-testid="appeal-title"]');
    expect(await page.textContent('[data-testid="appeal-title"]')).toBe('六联社区道路垃圾堆积无人清理');
    expect(await page.textContent('[data-testid="appeal-reporter"]')).toBe('张** · 138****5678');
    const address = (await page.textContent('[data-testid="appeal-address"]'))!;
    expect(address).not.toContain('环城路12号');
    expect(await page.textContent('[data-testid="appeal-description"]')).not.toContain('13812345678');
    expect(await statusOf(page)).toBe('collected');
  });

  it('verifies, then dispatches to the suggested unit; status, timeline and list follow', async () => {
    const { page } = b;
    await page.click('[data-testid="action-verify"]');
    await page.click('[data-testid="action-submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="appeal-status"]')?.getAttribute('data-status') === 'verified');
    // the list (filtered to collected) no longer holds it
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="appeal-row"][data-id="${id}"]`), id);

    await page.click('[data-testid="action-dispatch"]');
    const suggested = await page.inputValue('[data-testid="action-unit"]');
    expect(suggested.length).toBeGreaterThan(0);
    await page.click('[data-testid="action-submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="appeal-status"]')?.getAttribute('data-status') === 'dispatched');
    expect(await page.textContent('[data-testid="appeal-unit"]')).toBe(suggested);
    const steps = await page.$$eval('[data-testid="appeal-timeline"] li', (els) => els.map((e) => e.textContent ?? ''));
    expect(steps).toHaveLength(3);
    expect(steps[1]).toContain('已核实');
    expect(steps[2]).toContain('已派遣');
    expect(steps[2]).toContain('user:operator');
    await screenshot(page, 'console-appeal-1600x900');
  });

  it('refuses a dispatch away from the suggestion without a reason, before asking the server', async () => {
    const { page } = b;
    // dispatched → back to verified ("return"), then dispatch elsewhere: needs a reason
    await page.click('[data-testid="action-return"]');
    await page.fill('[data-testid="action-reason"]', '派错单位，退回重派');
    await page.click('[data-testid="action-submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="appeal-status"]')?.getAttribute('data-status') === 'verified');
    await page.click('[data-testid="action-dispatch"]');
    await page.fill('[data-testid="action-unit"]', '坪山街道城市管理办公室');
    await page.click('[data-testid="action-submit"]');
    expect(await page.textContent('[data-testid="action-error"]')).toBe('请填写理由');
    await page.fill('[data-testid="action-reason"]', '属地街道处理更快');
    await page.click('[data-testid="action-submit"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="appeal-status"]')?.getAttribute('data-status') === 'dispatched');
    expect(await page.textContent('[data-testid="appeal-unit"]')).toBe('坪山街道城市管理办公室');
    expect(b.errors).toEqual([]);
    expect(b.external).toEqual([]);
  });

  it('exports the filtered list as CSV with progress, then hands over the file', async () => {
    const { page } = b;
    await page.goto(`${server.url}/console/${STREET}/appeals?category=5`);
    await page.waitForSelector(`[data-testid="appeal-row"][data-id="${id}"]`);
    const download = page.waitForEvent('download');
    await page.click('[data-testid="export-csv"]');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const text = await new Promise<string>((resolve, reject) => {
      let out = '';
      void file.createReadStream().then((s) =>
        s
          .setEncoding('utf8')
          .on('data', (d: string) => (out += d))
          .on('end', () => resolve(out))
          .on('error', reject),
      );
    });
    expect(text).toContain(id);
    // the operator has no clearance: the file is masked too
    expect(text).not.toContain('张三丰');
    expect(text).toContain('张**');
    await page.waitForSelector('[data-testid="export-done"]');
  });

  it('filters enterprise appeals (反映人: 企业), kept in the URL, tagged in the list and named in the detail', async () => {
    const { page } = b;
    await page.goto(`${server.url}/console/${STREET}/appeals?category=5`);
    await page.waitForSelector(`[data-testid="appeal-row"][data-id="${id}"]`);
    await page.selectOption('[data-testid="filter-reporter-kind"]', 'enterprise');
    await page.waitForURL(/reporterKind=enterprise/);
    const row = page.locator(`[data-testid="appeal-row"][data-id="${id}-E"]`);
    await row.waitFor();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="appeal-row"][data-id="${id}"]`), id);
    const kinds = await page.$$eval('[data-testid="appeal-row"]', (trs) => trs.map((tr) => tr.getAttribute('data-reporter-kind')));
    expect(new Set(kinds)).toEqual(new Set(['enterprise']));
    expect(await row.locator('[data-testid="appeal-enterprise"]').textContent()).toBe('企业');
    await row.click();
    await page.waitForSelector('[data-testid="appeal-reporter-kind"]');
    expect(await page.textContent('[data-testid="appeal-reporter-kind"]')).toBe('企业');
    expect(page.url()).toContain('reporterKind=enterprise');
  });

  it('writes dates as the district does (2026-11-28), not as the browser’s locale would (11/28/2026)', async () => {
    const { page } = b;
    await page.goto(`${server.url}/console/${STREET}/appeals`);
    await page.waitForSelector(`[data-testid="appeal-row"][data-id="${id}"]`);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.fill('[data-testid="filter-from"]', today.replace(/-/g, '/'));
    await page.press('[data-testid="filter-from"]', 'Tab');
    await page.waitForURL(new RegExp(`from=${today}`));
    expect(await page.inputValue('[data-testid="filter-from"]')).toBe(today);
    expect(await page.getAttribute('[data-testid="filter-to"]', 'placeholder')).toBe('年-月-日');
    await page.waitForSelector(`[data-testid="appeal-row"][data-id="${id}"]`);
    // a date that does not exist is marked, and the filter keeps what it had
    await page.fill('[data-testid="filter-to"]', '2026-02-30');
    await page.press('[data-testid="filter-to"]', 'Tab');
    expect(await page.getAttribute('[data-testid="filter-to"]', 'aria-invalid')).toBe('true');
    expect(page.url()).not.toContain('to=');
  });

  it('imports history from a CSV, naming each bad row by its line', async () => {
    const { page } = b;
    await signIn(page, 'street', 'demo-street-2026');
    await page.goto(`${server.url}/console/${STREET}/appeals`);
    await page.click('[data-testid="import-open"]');
    const csv = [
      'appeal_id,created_at,channel,nature,category,title,lon,lat,status',
      `HIST-${id}-1,2026-10-08 09:12,hotline_12345,request,5,垃圾桶满溢,${place.center[0]},${place.center[1]},collected`,
      `HIST-${id}-2,2026-10-08 09:30,no_such_channel,request,5,路灯不亮,${place.center[0]},${place.center[1]},collected`,
    ].join('\n');
    await page.setInputFiles('[data-testid="import-file"]', { name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-job"][data-state="done"]');
    const rows = await page.$$eval('[data-testid="import-errors"] tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^3/);
    expect(rows[0]).toContain('no_such_channel');
    expect(await page.textContent('[data-testid="import-counts"]')).toContain('新增 1');
  });

  it('lets a community director open its own community’s appeals and no other community’s list', async () => {
    const other = await launch({ width: 1600, height: 900 });
    try {
      const { page } = other;
      await page.goto(`${server.url}/signin`);
      await page.fill('[data-testid="signin-username"]', 'community');
      await page.fill('[data-testid="signin-password"]', 'demo-community-2026');
      await page.click('[data-testid="signin-submit"]');
      await page.waitForURL('**/console/**');
      // 六联社区 is the demo community director's own: the appeal opens there
      await page.goto(`${server.url}/console/community:440310001001/appeals/${id}`);
      await page.waitForSelector('[data-testid="appeal-title"]');
      // but typing another community's appeal list sends it back to its own
      await page.goto(`${server.url}/console/community:440310002001/appeals`);
      await page.waitForURL('**/console/community:440310001001/appeals');
    } finally {
      await other.close();
    }
  });
});
