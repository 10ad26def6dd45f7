/**
 * Liveness: the video platform's heartbeats bring cameras online; silence longer than the
 * allowance takes them offline (on a clock the test moves); listeners hear each change, and the
 * online rate of every scope follows. No test here waits for real time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_CAMERA_OFFLINE_MS, type CameraChange, type CameraStatusChange } from '../../src/modules/cameras/camera-registry.ts';
import { KENGZI, LIULIAN, makeApp, tempDir, testClock } from '../helpers.ts';
import { addCamera, heartbeats, producerKey, request, asAdmin } from './helpers.ts';

const SECOND = 1000;

describe('camera heartbeats', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  let video = '';
  const statusChanges: CameraStatusChange[] = [];
  const changes: CameraChange[] = [];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    video = await producerKey(app, 'video-platform', ['video_alert.raised', 'video_alert.acknowledged']);
    for (const [id, where] of [
      ['CAM-L-1', LIULIAN],
      ['CAM-L-2', LIULIAN],
      ['CAM-K-1', KENGZI],
    ] as const)
      await addCamera(app, { id, name: id, location: { lon: where.lon, lat: where.lat } });
    app.cameras.onStatusChange((c) => statusChanges.push(c));
    app.cameras.onChange((c) => changes.push(c));
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  const status = (id: string) => app.cameras.get(id)!.status;

  it('brings the cameras it names online and lists the ids nobody registered', async () => {
    const res = await heartbeats(app, video, [{ cameraId: 'CAM-L-1' }, { cameraId: 'CAM-K-1' }, { cameraId: 'CAM-NOBODY' }]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 2, unknown: ['CAM-NOBODY'], unknownCount: 1 });
    expect(status('CAM-L-1')).toBe('online');
    expect(status('CAM-K-1')).toBe('online');
    expect(status('CAM-L-2')).toBe('offline');
    expect(app.cameras.get('CAM-L-1')!.lastHeartbeatAt).toBe(clock.now());
    expect(statusChanges.map((c) => [c.cameraId, c.from, c.to, c.at])).toEqual([
      ['CAM-L-1', 'offline', 'online', clock.now()],
      ['CAM-K-1', 'offline', 'online', clock.now()],
    ]);
    expect(changes.filter((c) => c.kind === 'status').map((c) => c.scopes)).toContainEqual([
      'district:440310',
      'street:440310001',
      `community:${LIULIAN.code}`,
      `grid:${app.geo.placeOf(LIULIAN.code, app.cameras.get('CAM-L-1')!.lon, app.cameras.get('CAM-L-1')!.lat)}`,
    ]);
  });

  it('shows the status on the camera layer, with the online rate of each scope', async () => {
    expect(app.cameras.onlineRate(`community:${LIULIAN.code}`)).toEqual({ online: 1, total: 2, rate: 0.5 });
    expect(app.cameras.onlineRate('street:440310001')).toEqual({ online: 1, total: 2, rate: 0.5 });
    expect(app.cameras.onlineRate(`community:${KENGZI.code}`)).toEqual({ online: 1, total: 1, rate: 1 });
    expect(app.cameras.onlineRate('district:440310')).toEqual({ online: 2, total: 3, rate: 2 / 3 });
    expect(app.cameras.onlineRate('community:440310001002')).toEqual({ online: 0, total: 0, rate: null });
    expect(app.cameras.onlineRates().get('street:440310005')).toEqual({ online: 1, total: 1, rate: 1 });
    const layer = (await request(app, asAdmin(app), 'GET', `/api/v1/cameras?scope=community:${LIULIAN.code}`)).json();
    expect(layer.summary).toEqual({ online: 1, total: 2, rate: 0.5 });
    expect(layer.cameras.find((c: any) => c.id === 'CAM-L-1')).toMatchObject({
      status: 'online',
      lastHeartbeatAt: new Date(clock.now()).toISOString(),
    });
  });

  it('takes a camera offline once it has been silent for longer than the allowance, and not before', async () => {
    const heardAt = clock.now();
    clock.advance(60 * SECOND);
    await heartbeats(app, video, [{ cameraId: 'CAM-K-1' }]);
    clock.set(heardAt + DEFAULT_CAMERA_OFFLINE_MS);
    expect(await app.cameras.sweep()).toEqual([]);
    expect(status('CAM-L-1')).toBe('online');
    clock.advance(1);
    const swept = await app.cameras.sweep();
    expect(swept.map((c) => [c.cameraId, c.to, c.at])).toEqual([['CAM-L-1', 'offline', heardAt + DEFAULT_CAMERA_OFFLINE_MS]]);
    expect(status('CAM-L-1')).toBe('offline');
    expect(status('CAM-K-1')).toBe('online');
    expect(statusChanges.at(-1)).toMatchObject({ cameraId: 'CAM-L-1', from: 'online', to: 'offline', lastHeartbeatAt: heardAt });
    expect(app.cameras.onlineRate('district:440310')).toEqual({ online: 1, total: 3, rate: 1 / 3 });
    // nothing more to do: a second sweep changes nothing
    expect(await app.cameras.sweep()).toEqual([]);
  });

  it('counts a heartbeat stamped in the future as now, and one stamped too long ago as no sign of life', async () => {
    clock.advance(10 * SECOND);
    const future = new Date(clock.now() + 3_600_000).toISOString();
    await heartbeats(app, video, [{ cameraId: 'CAM-L-2', at: future }]);
    expect(app.cameras.get('CAM-L-2')).toMatchObject({ status: 'online', lastHeartbeatAt: clock.now() });
    const stale = new Date(clock.now() - DEFAULT_CAMERA_OFFLINE_MS - 1).toISOString();
    const before = app.cameras.get('CAM-L-1')!.lastHeartbeatAt!;
    await heartbeats(app, video, [{ cameraId: 'CAM-L-1', at: stale }]);
    expect(status('CAM-L-1')).toBe('offline');
    expect(app.cameras.get('CAM-L-1')!.lastHeartbeatAt).toBe(Date.parse(stale));
    expect(Date.parse(stale)).toBeGreaterThan(before);
  });

  it('is for the video platform: other producer keys, people and anonymous callers are refused', async () => {
    const appeals = await producerKey(app, 'hotline', ['appeal.created']);
    const res = await heartbeats(app, appeals, [{ cameraId: 'CAM-L-1' }]);
    expect(res.statusCode).toBe(403);
    expect((await heartbeats(app, 'not-a-key', [{ cameraId: 'CAM-L-1' }])).statusCode).toBe(401);
    const asPerson = await app.inject({
      method: 'POST',
      url: '/api/v1/cameras/heartbeats',
      headers: { cookie: asAdmin(app).cookie!, 'x-csrf-token': asAdmin(app).csrf! },
      payload: { heartbeats: [{ cameraId: 'CAM-L-1' }] },
    });
    expect(asPerson.statusCode).toBe(401);
    expect((await heartbeats(app, video, [])).statusCode).toBe(400);
    expect(status('CAM-L-1')).toBe('offline');
  });

  it('after a restart, gives cameras that were online a full allowance before calling them offline', async () => {
    await heartbeats(app, video, [{ cameraId: 'CAM-K-1' }, { cameraId: 'CAM-L-2' }]);
    await app.close();
    clock.advance(DEFAULT_CAMERA_OFFLINE_MS * 10); // the server was down for half an hour
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    expect(status('CAM-K-1')).toBe('online');
    expect(app.cameras.onlineRate('district:440310')).toEqual({ online: 2, total: 3, rate: 2 / 3 });
    expect(await app.cameras.sweep()).toEqual([]);
    clock.advance(DEFAULT_CAMERA_OFFLINE_MS / 2);
    await heartbeats(app, video, [{ cameraId: 'CAM-K-1' }]);
    clock.advance(DEFAULT_CAMERA_OFFLINE_MS / 2 + 1);
    expect((await app.cameras.sweep()).map((c) => c.cameraId)).toEqual(['CAM-L-2']);
    expect(status('CAM-K-1')).toBe('online');
  });
});
