import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import { IMMEDIATE_ELIGIBLE_NATURES, type CityEvent, type EventOf, type IngestResponse } from '@commandhall/shared';
import { snapshotIdOf } from '@commandhall/shared/cameras';
import { DistrictSimulator } from '../src/simulator/district-simulator.ts';
import { BOX_COLOUR, SNAPSHOT_HEIGHT, SNAPSHOT_WIDTH, renderSnapshot } from '../src/simulator/snapshot-image.ts';
import { seedSimulatorCameras } from '../src/simulator/camera-seed.ts';
import { simulatorLink } from '../src/simulator/camera-link.ts';
import type { CameraStatusChange } from '../src/modules/cameras/camera-registry.ts';
import { credsOf, get, makeApp, post, tempDir, testClock } from './helpers.ts';

describe('district simulator', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock(Date.parse('2026-11-27T08:00:00Z')); // 16:00 local
  let sim: DistrictSimulator;
  const responses: IngestResponse[] = [];
  const raised: EventOf<'video_alert.raised'>[] = [];
  /** Alerts that named a snapshot the store did not have when they were sent. */
  const unbacked: string[] = [];
  // through the ingest route, as every producer
  const send = async (events: CityEvent[]) => {
    for (const e of events) {
      if (e.type !== 'video_alert.raised') continue;
      raised.push(e);
      const id = snapshotIdOf(e.data.snapshotUrl);
      if (e.data.snapshotUrl && !(id && (await app.snapshots.get(id)))) unbacked.push(e.data.alertId);
    }
    const res = (await post(app, events)).json() as IngestResponse;
    responses.push(res);
    return res;
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    // the registry of the default deployment, and the simulator playing the video platform through the API
    await seedSimulatorCameras(app.cameras, app.geo, 42);
    sim = new DistrictSimulator(
      app.geo,
      {
        appealsPerDay: 800,
        speed: 1,
        seed: 42,
        utcOffsetMinutes: 480,
        now: clock.now,
        cameras: simulatorLink(app, credsOf(app).key, app.cameras.offlineAfterMs),
      },
      send,
    );
    await sim.backfill(7);
  });
  afterAll(async () => {
    await sim.stop();
    await app.close();
    tmp.remove();
  });

  it('sends only events the ingest API accepts', () => {
    expect(responses.length).toBeGreaterThan(10);
    expect(responses.reduce((s, r) => s + r.rejected + r.duplicate, 0)).toBe(0);
  });

  it('produces a believable week: volume, mixes, mostly on time, about 88 % immediate', () => {
    const appeals = [...app.engine.appeals.values()];
    const perDay = appeals.length / 7;
    expect(perDay).toBeGreaterThan(800); // plus appeals from confirmed video alerts
    expect(perDay).toBeLessThan(1300);
    const share = (pred: (a: (typeof appeals)[number]) => boolean, of = appeals) => of.filter(pred).length / of.length;
    expect(share((a) => a.channel === 'hotline_12345')).toBeGreaterThan(0.25);
    expect(share((a) => a.category === '5')).toBeGreaterThan(0.12);
    expect(new Set(appeals.map((a) => a.community)).size).toBe(24);
    expect(new Set(appeals.map((a) => a.category)).size).toBeGreaterThanOrEqual(15);
    const closed = appeals.filter((a) => a.status === 'closed' && a.resolvedAt !== null);
    expect(share((a) => a.resolvedAt! <= a.deadline, closed)).toBeGreaterThan(0.9);
    const eligible = appeals.filter((a) => IMMEDIATE_ELIGIBLE_NATURES.has(a.nature) && a.resolvedAt !== null);
    const immediate = share((a) => a.resolvedAt! - a.createdAt <= 3_600_000, eligible);
    expect(immediate).toBeGreaterThan(0.8);
    expect(immediate).toBeLessThan(0.96);
    const today = app.engine.snapshot('district:440310')!;
    expect(today['appeals.hourlyToday'][3]).toBeLessThan(today['appeals.hourlyToday'][10]); // night is quieter than mid-morning
    expect(today['alerts.today']).toBeGreaterThan(50);
    expect(today['inspections.today']).toBeGreaterThan(100);
    expect(today['scans.today']).toBeGreaterThan(50);
    expect(today['appeals.overdue']).toBeGreaterThan(0);
  });

  it('keeps the district alive in real time, faster with the speed-up', async () => {
    const before = app.engine.lastSeq;
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000);
      await sim.tick();
    }
    expect(app.engine.lastSeq).toBeGreaterThan(before);
  });
});

describe('district simulator as the video platform', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock(Date.parse('2026-11-27T08:00:00Z'));
  const raised: EventOf<'video_alert.raised'>[] = [];
  const unbacked: string[] = [];
  const rejected: IngestResponse[] = [];
  const changes: CameraStatusChange[] = [];
  let sim: DistrictSimulator;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    await seedSimulatorCameras(app.cameras, app.geo, 7);
    app.cameras.onStatusChange((c) => changes.push(c));
    sim = new DistrictSimulator(
      app.geo,
      {
        appealsPerDay: 200,
        speed: 4,
        seed: 7,
        utcOffsetMinutes: 480,
        now: clock.now,
        // far more outages than a real day has, so that a short run sees several begin and end
        cameraOutagesPerDay: 150,
        cameras: simulatorLink(app, credsOf(app).key, app.cameras.offlineAfterMs),
      },
      async (events) => {
        for (const e of events) {
          if (e.type !== 'video_alert.raised') continue;
          raised.push(e);
          const id = snapshotIdOf(e.data.snapshotUrl);
          if (!(id && (await app.snapshots.get(id)))) unbacked.push(e.data.alertId);
        }
        const res = (await post(app, events)).json() as IngestResponse;
        if (res.rejected || res.duplicate) rejected.push(res);
        return res;
      },
    );
    // an hour and a half of live running, a step every 30 s, the registry sweeping after each
    for (let i = 0; i < 180; i++) {
      clock.advance(30_000);
      await sim.tick();
      await app.cameras.sweep();
    }
  });
  afterAll(async () => {
    await sim.stop();
    await app.close();
    tmp.remove();
  });

  it('uploads a snapshot before raising each alert and puts its URL in the alert', () => {
    expect(raised.length).toBeGreaterThan(3);
    expect(unbacked).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('draws a decodable street scene with a detection box', async () => {
    const alert = raised[0];
    const res = await get(app, alert.data.snapshotUrl!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(res.rawPayload);
    expect([png.width, png.height]).toEqual([SNAPSHOT_WIDTH, SNAPSHOT_HEIGHT]);
    const colours = new Set<number>();
    let box = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
      if (png.data[i] === BOX_COLOUR[0] && png.data[i + 1] === BOX_COLOUR[1] && png.data[i + 2] === BOX_COLOUR[2]) box++;
    }
    expect(colours.size).toBeGreaterThan(15);
    expect(box).toBeGreaterThan(300); // the box's outline and its label tag
    const snapshot = (await app.snapshots.get(snapshotIdOf(alert.data.snapshotUrl)!))!;
    expect(snapshot).toMatchObject({
      cameraId: alert.data.cameraId,
      community: alert.data.communityCode,
      takenAt: Date.parse(alert.occurredAt),
    });
  });

  it('draws the same picture for the same alert, so that a retried upload is no second snapshot', () => {
    const o = {
      key: 'VA-x',
      algorithm: 'bin_overflow',
      confidence: 0.8,
      cameraId: 'CAM-1',
      community: '440310001001',
      localTime: '2026-11-27 16:00:00',
    };
    expect(renderSnapshot(o).equals(renderSnapshot(o))).toBe(true);
    expect(renderSnapshot(o).equals(renderSnapshot({ ...o, key: 'VA-y' }))).toBe(false);
  });

  it('keeps the cameras online with heartbeats, and lets a few go offline and come back now and then', () => {
    const wentOffline = changes.filter((c) => c.to === 'offline');
    const cameBack = changes.filter((c) => c.to === 'online' && wentOffline.some((o) => o.cameraId === c.cameraId && o.at < c.at));
    expect(wentOffline.length).toBeGreaterThan(2);
    expect(cameBack.length).toBeGreaterThan(0);
    const rate = app.cameras.onlineRate('district:440310');
    expect(rate.total).toBe(192);
    expect(rate.online).toBeGreaterThan(192 * 0.8);
    expect(rate.online).toBeLessThan(192);
  });
});
