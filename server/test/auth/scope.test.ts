/**
 * Every crossing between areas, over HTTP and over the live channel, for every kind of principal:
 * each must be refused without a figure in the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ScopePatch, ScopeSnapshot } from '@commandhall/shared';
import { appealCreated, makeApp, post, tempDir, KENGZI, LIULIAN } from '../helpers.ts';

const SYS = { actor: 'test', ip: null };
const DISTRICT = 'district:440310';
const STREET = 'street:440310001'; // 坪山街道
const COMMUNITY = `community:${LIULIAN.code}`; // 六联社区, in 坪山街道
const SIBLING = 'community:440310001002'; // another community of the same street
const OTHER_STREET = 'street:440310005';
const OTHER_COMMUNITY = `community:${KENGZI.code}`; // in another street
const ALL = [DISTRICT, STREET, COMMUNITY, SIBLING, OTHER_STREET, OTHER_COMMUNITY];
const FORGED = [
  `${COMMUNITY} `,
  `${COMMUNITY}x`,
  ` ${COMMUNITY}`,
  `COMMUNITY:${LIULIAN.code}`,
  `community:${LIULIAN.code.slice(0, 11)}`,
  `community:${LIULIAN.code}0`,
  `community:440310001001\u0000`,
  'street:440310001/community:440310001001',
  `${STREET}:${LIULIAN.code}`,
  'district:*',
  'district:',
  '*',
  '',
  'community:440310001001,community:440310005001',
];

type Who = { name: string; cookie?: string; token?: string; allowed: string[] };

describe('scope checks', () => {
  let app: FastifyInstance;
  let url: string;
  const tmp = tempDir();
  const who: Record<string, Who> = {};
  const sockets: Socket[] = [];

  const signIn = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: `${username}-password` } });
    const c = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((s) => s.split(';')[0]);
    return c.join('; ');
  };
  const getAs = (w: Who, path: string) =>
    app.inject({
      url: path,
      headers: { ...(w.cookie ? { cookie: w.cookie } : {}), ...(w.token ? { authorization: `Bearer ${w.token}` } : {}) },
    });
  const connectAs = async (w: Who) => {
    const s = io(`${url}/live`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: w.cookie ? { cookie: w.cookie } : {},
      auth: w.token ? { token: w.token } : {},
    });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    return s;
  };
  const watch = (s: Socket, scope: unknown) => s.timeout(5000).emitWithAck('scope:watch', { scope }) as Promise<Ack<ScopeSnapshot>>;

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const users = [
      ['dir-district', 'district_director', DISTRICT],
      ['dir-street', 'street_director', STREET],
      ['dir-community', 'community_director', COMMUNITY],
      ['op-street', 'operator', STREET],
    ] as const;
    for (const [username, role, scope] of users)
      await app.auth.createUser({ username, password: `${username}-password`, role, scope }, SYS);
    const sibling = [SIBLING];
    who.district = { name: 'district director', cookie: await signIn('dir-district'), allowed: ALL };
    who.street = { name: 'street director', cookie: await signIn('dir-street'), allowed: [STREET, COMMUNITY, ...sibling] };
    who.community = { name: 'community director', cookie: await signIn('dir-community'), allowed: [COMMUNITY] };
    who.operator = { name: 'street operator', cookie: await signIn('op-street'), allowed: [STREET, COMMUNITY, ...sibling] };
    who.streetWall = {
      name: 'street wall',
      token: (await app.auth.issueDevice('street hall', STREET, SYS)).token,
      allowed: [STREET, COMMUNITY, ...sibling],
    };
    who.communityWall = {
      name: 'community wall',
      token: (await app.auth.issueDevice('community hall', COMMUNITY, SYS)).token,
      allowed: [COMMUNITY],
    };
    await post(app, [appealCreated(Date.now() - 1000, { where: LIULIAN }), appealCreated(Date.now() - 1000, { where: KENGZI })]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
    tmp.remove();
  });

  it('HTTP: every principal reads its area and is refused (403, no figures) everywhere else', async () => {
    for (const w of Object.values(who)) {
      for (const scope of ALL) {
        const res = await getAs(w, `/api/v1/metrics/${encodeURIComponent(scope)}`);
        if (w.allowed.includes(scope)) {
          expect(res.statusCode, `${w.name} → ${scope}`).toBe(200);
          expect(res.json().metrics.scope).toBe(scope);
        } else {
          expect(res.statusCode, `${w.name} → ${scope}`).toBe(403);
          expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'this scope is outside your area' } });
        }
      }
    }
  });

  it('HTTP: forged scope strings are refused for everyone', async () => {
    for (const w of Object.values(who)) {
      for (const scope of FORGED) {
        const res = await getAs(w, `/api/v1/metrics/${encodeURIComponent(scope)}`);
        expect([400, 403, 404], `${w.name} → ${JSON.stringify(scope)}`).toContain(res.statusCode);
        expect(res.json()).not.toHaveProperty('metrics');
        expect(res.body).not.toContain('appeals.today');
      }
    }
  });

  it('HTTP: the scope tree holds only the principal’s subtree', async () => {
    const tree = (await getAs(who.street, '/api/v1/scopes')).json();
    expect(tree.id).toBe(STREET);
    expect(tree.children.map((c: { id: string }) => c.id)).toContain(COMMUNITY);
    expect(JSON.stringify(tree)).not.toContain(OTHER_STREET.split(':')[1]);
    const small = (await getAs(who.community, '/api/v1/scopes')).json();
    expect(small).toMatchObject({ id: COMMUNITY });
    // a community's subtree is its grid cells
    expect(small.children.length).toBeGreaterThan(0);
    expect(small.children.every((c: { level: string; children: unknown[] }) => c.level === 'grid' && c.children.length === 0)).toBe(true);
    expect((await getAs(who.district, '/api/v1/scopes')).json().children).toHaveLength(6);
  });

  it('HTTP: a revoked or unknown device token gets 401, not the demo wall', async () => {
    const { device, token } = await app.auth.issueDevice('short-lived', STREET, SYS);
    expect((await getAs({ name: 'x', token, allowed: [] }, `/api/v1/metrics/${STREET}`)).statusCode).toBe(200);
    await app.auth.revokeDevice(device.id, SYS);
    expect((await getAs({ name: 'x', token, allowed: [] }, `/api/v1/metrics/${STREET}`)).statusCode).toBe(401);
    expect((await getAs({ name: 'x', token: 'chd_forged', allowed: [] }, `/api/v1/metrics/${STREET}`)).statusCode).toBe(401);
  });

  it('socket: every principal watches its area and gets a forbidden ack (no data) everywhere else, forged strings included', async () => {
    for (const w of Object.values(who)) {
      const s = await connectAs(w);
      for (const scope of [...ALL, ...FORGED]) {
        const res = await watch(s, scope);
        if (w.allowed.includes(scope)) expect(res, `${w.name} → ${scope}`).toHaveProperty('data.scope', scope);
        else if (ALL.includes(scope)) {
          expect(res, `${w.name} → ${scope}`).toEqual({ error: { code: 'forbidden', message: 'this scope is outside your area' } });
        } else {
          // forged: refused as outside the area, or as malformed when longer than any scope id
          expect(['forbidden', 'bad_payload'], `${w.name} → ${JSON.stringify(scope)}`).toContain(
            (res as { error: { code: string } }).error?.code,
          );
          expect(res).not.toHaveProperty('data');
        }
      }
      s.close();
    }
  });

  it('socket: changing scope after connect is refused and brings no patches of the other scope', async () => {
    const s = await connectAs(who.community);
    expect(await watch(s, COMMUNITY)).toHaveProperty('data');
    expect(await watch(s, OTHER_COMMUNITY)).toHaveProperty('error.code', 'forbidden');
    expect(await watch(s, STREET)).toHaveProperty('error.code', 'forbidden');
    expect(await watch(s, DISTRICT)).toHaveProperty('error.code', 'forbidden');
    const seen: ScopePatch[] = [];
    s.on('metrics:patch', (p: ScopePatch) => seen.push(p));
    await post(app, [appealCreated(Date.now() - 1000, { where: KENGZI }), appealCreated(Date.now() - 1000, { where: LIULIAN })]);
    await new Promise((r) => setTimeout(r, 400));
    expect(seen.map((p) => p.scope)).toEqual([COMMUNITY]);
  });

  it('socket: without credentials (demo mode off) the connection is refused', async () => {
    await expect(connectAs({ name: 'nobody', allowed: [] })).rejects.toThrow(/unauthorized/);
    await expect(connectAs({ name: 'bad token', token: 'chd_nope', allowed: [] })).rejects.toThrow(/unauthorized/);
  });

  it('socket: a cookie sent from a foreign page is not used', async () => {
    const s = io(`${url}/live`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: who.district.cookie!, origin: 'https://evil.example' },
    });
    sockets.push(s);
    await expect(
      new Promise((resolve, reject) => (s.once('connect', () => resolve(null)), s.once('connect_error', reject))),
    ).rejects.toThrow(/unauthorized/);
  });

  it('socket: a revoked device and a signed-out person drop off within seconds', async () => {
    const { device, token } = await app.auth.issueDevice('to revoke', COMMUNITY, SYS);
    const wall = await connectAs({ name: 'wall', token, allowed: [] });
    expect(await watch(wall, COMMUNITY)).toHaveProperty('data');
    const person = await connectAs({ name: 'p', cookie: await signIn('dir-community'), allowed: [] });
    expect(await watch(person, COMMUNITY)).toHaveProperty('data');
    const wallGone = new Promise((r) => wall.once('disconnect', r));
    const personGone = new Promise((r) => person.once('disconnect', r));
    await app.auth.revokeDevice(device.id, SYS);
    const user = (await app.auth.store.userByName('dir-community'))!;
    await app.auth.store.deleteSessionsOf(user.id); // as a sign-out everywhere does
    const t = Date.now();
    await Promise.all([wallGone, personGone]);
    expect(Date.now() - t).toBeLessThan(5000);
  });
});
