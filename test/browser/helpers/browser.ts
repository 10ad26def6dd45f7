/**
 * Debian's Chromium driven by playwright-core, with a fresh profile per launch. Records every
 * request that leaves the machine (there must be none) and every page error.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, SCREENSHOTS } from './paths.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Requests to anything but the local server (data: and blob: URLs aside). */
  external: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function launch(viewport = { width: 1920, height: 1080 }): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'ch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport,
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const external: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') external.push(r.url());
  });
  page.on('pageerror', (e) =>
    errors.push(`pageerror: ${e.message}${e.stack ? ` @ ${e.stack.split('\n').slice(1, 4).join(' | ').trim()}` : ''}`),
  );
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return {
    context,
    page,
    external,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the map has loaded its style and drawn a frame with nothing pending. */
export async function waitForMap(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="map"]')?.getAttribute('data-ready') === 'true', null, { timeout });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (window as any).__commandHall.map;
        if (map.loaded() && !map.isMoving()) {
          map.once('idle', () => resolve());
          map.triggerRepaint();
        } else map.once('idle', () => resolve());
      }),
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
