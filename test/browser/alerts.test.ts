/**
 * A video AI alert from detection to a case, across screens: the video platform uploads a snapshot
 * and raises an alert; the district wall pops it up at once with its picture; an operator of the
 * street sees it in the console queue and acknowledges it, and the wall's popup goes; confirming
 * it opens an appeal linked to the alert, and it leaves the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';
import { ensureWebBuilt } from './helpers/build.ts';
import { launch, screenshot, type TestBrowser } from './helpers/browser.ts';
import { ingest } from './helpers/seed.ts';

const KEY = { 'x-api-key': 'demo-producer-key' };
/** A 4×3 PNG (the snapshot route judges images by their bytes). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGNkYPjPwMDAxMDAwMAAAB8AAgH3ddYAAAAASUVORK5CYII=',
  'base64',
);
const COMMUNITY = '440310001001';

let server: TestServer;
let wall: TestBrowser;
let desk: TestBrowser;
const alertId = `VA-BT-${Date.now().toString(36)}`;

beforeAll(async () => {
  ensureWebBuilt();
  server = await startServer();
  [wall, desk] = await Promise.all([launch(), launch({ width: 1600, height: 900 })]);
});

afterAll(async () => {
  await Promise.all([wall?.close(), desk?.close()]);
  await server?.dispose();
});

describe('a video alert across screens', () => {
  it('pops up on the wall at once, with its snapshot', async () => {
    await wall.page.goto(`${server.url}/wall/district:440310`);
    await wall.page.waitForSelector('[data-testid="kpi-appeals.today"]');
    // the operator's console is open on the street's alert queue
    await desk.page.goto(`${server.url}/signin`);
    await desk.page.fill('[data-testid="signin-username"]', 'operator');
    await desk.page.fill('[data-testid="signin-password"]', 'demo-operator-2026');
    await desk.page.click('[data-testid="signin-submit"]');
    await desk.page.waitForURL('**/console/**');
    await desk.page.goto(`${server.url}/console/street:440310001/alerts`);
    await desk.page.waitForSelector('[data-testid="alerts-panel"]');

    const cams = (await (await fetch(`${server.url}/api/v1/cameras?scope=community:${COMMUNITY}`)).json()) as {
      cameras: { id: string; location: { lon: number; lat: number } }[];
    };
    const cam = cams.cameras[0];
    const up = await fetch(`${server.url}/api/v1/snapshots?cameraId=${encodeURIComponent(cam.id)}`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(up.status, await up.clone().text()).toBeLessThan(300);
    const snapshot = (await up.json()) as { id: string };
    await ingest(server.url, [
      {
        id: `${alertId}.raised`,
        type: 'video_alert.raised',
        occurredAt: new Date(Date.now() - 2000).toISOString(),
        data: {
          alertId,
          cameraId: cam.id,
          algorithm: 'shop_outside',
          confidence: 0.93,
          location: { lon: cam.location.lon, lat: cam.location.lat },
          communityCode: COMMUNITY,
          snapshotUrl: `/api/v1/snapshots/${snapshot.id}`,
        },
      },
    ]);

    const popup = await wall.page.waitForSelector(`[data-testid="alert-popup"][data-alert="${alertId}"]`, { timeout: 5000 });
    expect(await popup.$eval('[data-testid="alert-popup-algorithm"]', (e) => e.textContent)).toBe('店外经营');
    expect(await popup.$eval('[data-testid="alert-popup-place"]', (e) => e.textContent)).toContain('六联社区');
    await wall.page.waitForFunction(
      () =>
        ((document.querySelector('[data-testid="alert-popup"] [data-testid="alert-snapshot"]') as HTMLImageElement | null)?.naturalWidth ??
          0) > 0,
    );
    await screenshot(wall.page, 'wall-alert-popup-1920x1080');
  });

  it('acknowledged in the console, it leaves the wall’s popup and shows acknowledged', async () => {
    const item = desk.page.locator(`[data-testid="alert-item"][data-alert="${alertId}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-status')).toBe('raised');
    await item.locator('[data-testid="alert-acknowledge"]').click();
    await wall.page.waitForSelector(`[data-testid="alert-popup"][data-alert="${alertId}"]`, { state: 'detached', timeout: 5000 });
    await desk.page.waitForSelector(`[data-testid="alert-item"][data-alert="${alertId}"][data-status="acknowledged"]`);
    await screenshot(desk.page, 'console-alerts-1600x900');
  });

  it('confirmed, it becomes an appeal linked to the alert and leaves the queue', async () => {
    await desk.page.locator(`[data-testid="alert-item"][data-alert="${alertId}"] [data-testid="alert-confirm"]`).click();
    await desk.page.waitForSelector(`[data-testid="alert-item"][data-alert="${alertId}"]`, { state: 'detached', timeout: 5000 });
    const alert = (await (await fetch(`${server.url}/api/v1/alerts/${alertId}`)).json()) as {
      alert?: { status: string; appealId: string };
    };
    const a = alert.alert ?? (alert as unknown as { status: string; appealId: string });
    expect(a.status).toBe('confirmed');
    expect(a.appealId).toBeTruthy();
    const appeal = await fetch(`${server.url}/api/v1/appeals/${a.appealId}`);
    expect(appeal.status).toBe(200);
    expect(((await appeal.json()) as { appeal: { channel: string } }).appeal.channel).toBe('video_ai');
    expect([...wall.errors, ...desk.errors]).toEqual([]);
    expect([...wall.external, ...desk.external]).toEqual([]);
  });
});
