/**
 * The camera registry over HTTP: administration (administrators only, CSRF, audited), placement by
 * the geography, and the camera layer each principal reads: its own scope and nothing beyond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { KENGZI, LIULIAN, makeApp, tempDir } from '../helpers.ts';
import { addCamera, asAdmin, person, request, wall, type As } from './helpers.ts';

const SIBLING = '440310001002'; // another community of 坪山街道

describe('camera registry', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const who: Record<string, As> = {};

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir });
    who.admin = asAdmin(app);
    who.street = await person(app, 'street1', 'street_director', 'street:440310001');
    who.community = await person(app, 'liulian', 'community_director', `community:${LIULIAN.code}`);
    who.kengzi = await person(app, 'kengzi', 'community_director', `community:${KENGZI.code}`);
    who.wall = await wall(app, `community:${LIULIAN.code}`);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  const audit = async (action: string) =>
    (await request(app, who.admin, 'GET', `/api/v1/admin/audit?action=${action}`)).json().entries as Record<string, any>[];

  it('registers a camera in the community its location lies in, and audits it', async () => {
    const res = await request(app, who.admin, 'POST', '/api/v1/admin/cameras', {
      id: 'CAM-T-1',
      name: '六联社区路口',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat, address: '深坪路与六联路交叉口' },
    });
    expect(res.statusCode).toBe(201);
    const cam = res.json();
    expect(cam).toMatchObject({
      id: 'CAM-T-1',
      community: LIULIAN.code,
      status: 'offline',
      lastHeartbeatAt: null,
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat, address: '深坪路与六联路交叉口' },
    });
    const [entry] = await audit('camera.create');
    expect(entry).toMatchObject({ actor: 'user:admin', target: 'camera:CAM-T-1', outcome: 'ok' });
    expect(entry.details).toMatchObject({ community: LIULIAN.code });
  });

  it('takes a community when one is given, and refuses duplicates, unknown communities and points outside the district', async () => {
    const sibling = await addCamera(app, {
      id: 'CAM-T-2',
      name: 'b',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
      communityCode: SIBLING,
    });
    expect(sibling.community).toBe(SIBLING);
    const dup = await request(app, who.admin, 'POST', '/api/v1/admin/cameras', { id: 'CAM-T-1', name: 'x', location: { lon: 1, lat: 1 } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('camera_exists');
    const outside = await request(app, who.admin, 'POST', '/api/v1/admin/cameras', {
      id: 'CAM-T-9',
      name: 'x',
      location: { lon: 116.4, lat: 39.9 },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.code).toBe('outside_district');
    const unknown = await request(app, who.admin, 'POST', '/api/v1/admin/cameras', {
      id: 'CAM-T-9',
      name: 'x',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
      communityCode: '440310009999',
    });
    expect(unknown.statusCode).toBe(400);
    const badId = await request(app, who.admin, 'POST', '/api/v1/admin/cameras', {
      id: 'CAM 1/..',
      name: 'x',
      location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
    });
    expect(badId.statusCode).toBe(400);
    expect(app.cameras.get('CAM-T-9')).toBeUndefined();
  });

  it('moves a camera to the community of its new location, renames it, and audits what changed', async () => {
    const res = await request(app, who.admin, 'PATCH', '/api/v1/admin/cameras/CAM-T-2', {
      name: '坑梓路口',
      location: { lon: KENGZI.lon, lat: KENGZI.lat },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '坑梓路口', community: KENGZI.code, location: { lon: KENGZI.lon, lat: KENGZI.lat } });
    expect(res.json().location).not.toHaveProperty('address');
    const [entry] = await audit('camera.update');
    expect(entry).toMatchObject({ actor: 'user:admin', target: 'camera:CAM-T-2' });
    expect(entry.details.community).toEqual({ from: SIBLING, to: KENGZI.code });
    expect(entry.details.name).toEqual({ from: 'b', to: '坑梓路口' });
    expect(app.cameras.onlineRate(`community:${SIBLING}`).total).toBe(0);
    expect(app.cameras.onlineRate(`community:${KENGZI.code}`).total).toBe(1);
    expect((await request(app, who.admin, 'PATCH', '/api/v1/admin/cameras/CAM-NONE', { name: 'x' })).statusCode).toBe(404);
    expect((await request(app, who.admin, 'PATCH', '/api/v1/admin/cameras/CAM-T-2', {})).statusCode).toBe(400);
  });

  it('lists every camera for administrators and deletes one, audited', async () => {
    await addCamera(app, { id: 'CAM-T-3', name: 'c', location: { lon: LIULIAN.lon, lat: LIULIAN.lat } });
    const list = await request(app, who.admin, 'GET', '/api/v1/admin/cameras');
    expect(list.json().map((c: any) => c.id)).toEqual(['CAM-T-1', 'CAM-T-2', 'CAM-T-3']);
    const del = await request(app, who.admin, 'DELETE', '/api/v1/admin/cameras/CAM-T-3');
    expect(del.statusCode).toBe(204);
    expect(app.cameras.get('CAM-T-3')).toBeUndefined();
    expect((await request(app, who.admin, 'DELETE', '/api/v1/admin/cameras/CAM-T-3')).statusCode).toBe(404);
    const [entry] = await audit('camera.delete');
    expect(entry).toMatchObject({ actor: 'user:admin', target: 'camera:CAM-T-3', outcome: 'ok' });
  });

  it('keeps administration to administrators, with the CSRF header, and audits those who try', async () => {
    for (const as of [who.street, who.community]) {
      for (const [method, url] of [
        ['GET', '/api/v1/admin/cameras'],
        ['POST', '/api/v1/admin/cameras'],
        ['PATCH', '/api/v1/admin/cameras/CAM-T-1'],
        ['DELETE', '/api/v1/admin/cameras/CAM-T-1'],
      ] as const) {
        const res = await request(app, as, method, url, method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
      }
    }
    expect((await request(app, who.wall, 'DELETE', '/api/v1/admin/cameras/CAM-T-1')).statusCode).toBe(403);
    expect((await request(app, {}, 'GET', '/api/v1/admin/cameras')).statusCode).toBe(401);
    const noCsrf = await request(app, { cookie: who.admin.cookie }, 'DELETE', '/api/v1/admin/cameras/CAM-T-1');
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    expect(app.cameras.get('CAM-T-1')).toBeDefined();
    expect((await audit('admin.denied')).some((e) => e.actor === 'user:street1' && e.target.includes('/admin/cameras'))).toBe(true);
  });

  it('shows each principal the cameras of its own scope, and refuses scopes outside it', async () => {
    const ids = async (as: As, scope?: string) => {
      const res = await request(app, as, 'GET', `/api/v1/cameras${scope ? `?scope=${scope}` : ''}`);
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const liulian = await ids(who.community);
    expect(liulian.scope).toBe(`community:${LIULIAN.code}`);
    expect(liulian.cameras.map((c: any) => c.id)).toEqual(['CAM-T-1']);
    expect(liulian.cameras[0]).toMatchObject({ status: 'offline', community: LIULIAN.code, location: { lon: LIULIAN.lon } });
    expect(liulian.summary).toEqual({ online: 0, total: 1, rate: 0 });
    expect((await ids(who.kengzi)).cameras.map((c: any) => c.id)).toEqual(['CAM-T-2']);
    // the street holds LIULIAN, not KENGZI, which is in another street
    expect((await ids(who.street)).cameras.map((c: any) => c.id)).toEqual(['CAM-T-1']);
    expect((await ids(who.street, `community:${LIULIAN.code}`)).cameras.map((c: any) => c.id)).toEqual(['CAM-T-1']);
    expect((await ids(who.admin)).cameras.map((c: any) => c.id)).toEqual(['CAM-T-1', 'CAM-T-2']);
    expect((await ids(who.wall)).cameras.map((c: any) => c.id)).toEqual(['CAM-T-1']);

    for (const [as, scope] of [
      [who.community, `community:${KENGZI.code}`],
      [who.community, 'street:440310001'],
      [who.community, 'district:440310'],
      [who.street, `community:${KENGZI.code}`],
      [who.street, 'street:440310005'],
      [who.wall, 'district:440310'],
      [who.street, 'street:440310001 '],
    ] as const) {
      const res = await request(app, as, 'GET', `/api/v1/cameras?scope=${encodeURIComponent(scope)}`);
      expect(res.statusCode, scope).toBe(403);
      expect(res.body).not.toContain('CAM-');
    }
    expect((await request(app, who.admin, 'GET', '/api/v1/cameras?scope=community:440310009999')).statusCode).toBe(404);
    expect((await request(app, {}, 'GET', '/api/v1/cameras')).statusCode).toBe(401);
  });
});

describe('cameras of the default deployment', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it("registers the simulator's cameras in demo mode, once, and leaves an administrator's edits alone", async () => {
    let app = await makeApp({ dataDir: tmp.dir, env: { DEMO_MODE: 'on' } });
    try {
      expect(app.cameras.size).toBe(192);
      const cam = app.cameras.get(`CAM-${LIULIAN.code}-01`)!;
      expect(cam).toMatchObject({ community: LIULIAN.code, status: 'offline' });
      expect(app.geo.locate(cam.lon, cam.lat)).toBe(LIULIAN.code);
      expect(app.cameras.list(`community:${LIULIAN.code}`)).toHaveLength(8);
      expect(app.cameras.onlineRate('district:440310')).toEqual({ online: 0, total: 192, rate: 0 });
      const seeded = await app.auth.auditLog({ action: 'camera.seed', limit: 10, offset: 0 });
      expect(seeded.total).toBe(1);
      expect(seeded.entries[0]).toMatchObject({ actor: 'system:simulator', details: { added: 192 } });
      await app.cameras.update(cam.id, { name: '改过的名字' }, { actor: 'test', ip: null });
      await app.cameras.remove(`CAM-${LIULIAN.code}-02`, { actor: 'test', ip: null });
    } finally {
      await app.close();
    }
    app = await makeApp({ dataDir: tmp.dir, env: { DEMO_MODE: 'on' } });
    try {
      expect(app.cameras.get(`CAM-${LIULIAN.code}-01`)!.name).toBe('改过的名字');
      // a removed one is missing, so it comes back: the simulator's alerts name it
      expect(app.cameras.size).toBe(192);
      expect((await app.auth.auditLog({ action: 'camera.seed', limit: 10, offset: 0 })).entries[0].details).toMatchObject({ added: 1 });
    } finally {
      await app.close();
    }
  });

  it('registers nothing in production without the simulator', async () => {
    const prod = tempDir();
    const app = await makeApp({ dataDir: prod.dir });
    try {
      expect(app.cameras.size).toBe(0);
    } finally {
      await app.close();
      prod.remove();
    }
  });
});
