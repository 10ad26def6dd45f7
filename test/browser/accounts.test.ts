/**
 * People and displays in the browser: sign-in (a failure that says nothing about which part was
 * wrong), a community director who sees its community and nothing above it, an administrator who
 * pairs a wall display from the admin page, the display opening its hall's wall from the pairing
 * link, and dropping to the "not paired" screen when the administrator revokes it. With demo mode
 * off, nothing opens without credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { metricsOf, seedDistrict } from './helpers/seed.ts';

const ADMIN_PASSWORD = 'browser-admin-pass-2026';
const COMMUNITY = 'community:440310001001';
/** A wrong password and calls before signing in answer 401, which Chromium logs as a console error. */
const realErrors = (errors: string[]) => errors.filter((e) => !/status of 401/.test(e));

async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  if (!page.url().includes('/signin')) await page.goto(`${base}/signin`);
  await page.fill('[data-testid="signin-username"]', username);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
}

describe('accounts (demo mode)', () => {
  let server: TestServer;
  let director: TestBrowser;
  let admin: TestBrowser;
  let display: TestBrowser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer({ env: { ADMIN_PASSWORD } });
    await seedDistrict(server.url);
    [director, admin, display] = await Promise.all([launch({ width: 1440, height: 900 }), launch({ width: 1440, height: 900 }), launch()]);
  });

  afterAll(async () => {
    await Promise.all([director?.close(), admin?.close(), display?.close()]);
    await server?.dispose();
  });

  it('refuses a wrong password without saying which part was wrong, then lets the director in', async () => {
    const { page } = director;
    await signIn(page, server.url, 'community', 'not-the-password');
    const error = await page.waitForSelector('[data-testid="signin-error"]');
    expect(await error.textContent()).toBe('用户名或密码错误');
    expect(page.url()).toContain('/signin');

    await signIn(page, server.url, 'community', 'demo-community-2026');
    await page.waitForURL(`**/console/${COMMUNITY}`);
    expect(await page.textContent('[data-testid="user-who"]')).toContain('社区指挥长');
  });

  it('shows a community director its community only: picker, figures and URLs', async () => {
    const { page } = director;
    // the picker offers exactly the one community, and its grid cells below it
    await page.waitForSelector('.st-item');
    const items = await page.$$eval('.st-item', (els) => els.map((e) => e.getAttribute('data-testid')));
    expect(items[0]).toBe(`scope-${COMMUNITY}`);
    expect(items.length).toBeGreaterThan(1);
    expect(items.slice(1).every((id) => id?.startsWith(`scope-grid:${COMMUNITY.split(':')[1]}`))).toBe(true);
    // the street and district above it are named in the breadcrumb but are not links
    expect(await page.$$eval('[data-testid="breadcrumb"] a', (as) => as.length)).toBe(0);
    // the headline figures are the community's
    const m = await metricsOf(server.url, COMMUNITY);
    await page.waitForFunction(
      (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
      m['appeals.today'],
      { timeout: 10_000 },
    );
    // typing the district's address sends it back to its own area
    await page.goto(`${server.url}/console/district:440310`);
    await page.waitForURL(`**/console/${COMMUNITY}`);
    await page.goto(`${server.url}/admin/users`);
    await page.waitForURL(`**/console/${COMMUNITY}`);
    await screenshot(page, 'console-community-director-1440x900');
    expect(realErrors(director.errors)).toEqual([]);
  });

  it('signs out back to the sign-in page', async () => {
    const { page } = director;
    await page.click('[data-testid="sign-out"]');
    await page.waitForURL('**/signin');
    // the console is now the demo wall's again: no user menu of the director
    await page.goto(`${server.url}/console/${COMMUNITY}`);
    await page.waitForSelector('[data-testid="to-signin"]');
  });

  it('pairs a display from the admin page; revoking it sends the display to "not paired" within seconds', async () => {
    const { page } = admin;
    await page.goto(`${server.url}/admin/devices`);
    await page.waitForURL('**/signin?next=**');
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.waitForURL('**/admin/devices');
    await page.fill('[data-testid="device-name"]', 'liulian-hall');
    await page.selectOption('[data-testid="device-scope"]', COMMUNITY);
    await page.click('[data-testid="device-create"]');
    const link = (await page.textContent('[data-testid="device-link"]'))!.trim();
    expect(link).toMatch(/\/pair#token=chd_/);
    await screenshot(page, 'admin-devices-1440x900');

    const wall = display.page;
    await wall.goto(link);
    // paired: the root opens its own hall's rotation, and the token left the address bar
    await wall.waitForURL(`**/hall/${COMMUNITY}`);
    await wall.goto(`${server.url}/wall/${COMMUNITY}`);
    const m = await metricsOf(server.url, COMMUNITY);
    await wall.waitForFunction(
      (v) => document.querySelector('[data-testid="kpi-appeals.today"]')?.getAttribute('data-raw') === String(v),
      m['appeals.today'],
      { timeout: 15_000 },
    );
    await wall.goto(`${server.url}/wall/district:440310`);
    await wall.waitForURL(`**/wall/${COMMUNITY}`);

    // the administrator sees the display running, from its heartbeat
    await page.reload();
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="wall-row"]')].some((r) =>
          /liulian-hall.*六联社区.*overview-community/.test(r.textContent ?? ''),
        ),
      null,
      { timeout: 15_000 },
    );

    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="device-revoke-liulian-hall"]');
    await wall.waitForURL('**/pair?reason=revoked', { timeout: 15_000 });
    expect(await wall.textContent('[data-testid="pair-state"]')).toContain('本大屏尚未配对');
    await wall.waitForSelector('[data-testid="pair-revoked"]');

    // the audit log shows the pairing and the revocation
    await page.click('[data-testid="admin-tab-audit"]');
    await page.waitForFunction(() => /device\.revoke/.test(document.querySelector('[data-testid="audit-rows"]')?.textContent ?? ''));
    expect(realErrors(admin.errors)).toEqual([]);
    expect(realErrors(display.errors)).toEqual([]);
    expect([...admin.external, ...display.external, ...director.external]).toEqual([]);
  });
});

describe('accounts (demo mode off)', () => {
  let server: TestServer;
  let b: TestBrowser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer({ env: { ADMIN_PASSWORD, DEMO_MODE: 'off' } });
    b = await launch({ width: 1440, height: 900 });
  });

  afterAll(async () => {
    await b?.close();
    await server?.dispose();
  });

  it('sends a display without a token to pairing and a person to sign-in', async () => {
    const { page } = b;
    await page.goto(`${server.url}/`);
    await page.waitForURL('**/pair');
    await page.waitForSelector('[data-testid="pair-form"]');
    await screenshot(page, 'pair-1920x1080');
    await page.goto(`${server.url}/console/district:440310`);
    await page.waitForURL('**/signin?next=**');
    // a wrong token is refused with the server's reason
    await page.goto(`${server.url}/pair`);
    await page.fill('[data-testid="pair-token"]', 'chd_' + 'x'.repeat(43));
    await page.click('[data-testid="pair-submit"]');
    await page.waitForSelector('[data-testid="pair-error"]');
  });

  it('lets the administrator in, to the district console', async () => {
    const { page } = b;
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.waitForURL('**/console/district:440310');
    await page.waitForSelector('[data-testid="to-admin"]');
    expect(realErrors(b.errors)).toEqual([]);
  });
});
