/**
 * Two nodes with one PostgreSQL log and one Redis (REDIS_URL: the Socket.IO streams adapter):
 * what every node derives from the log reaches each client once, from its own node (an alert
 * acknowledged on B reaches a socket of A once, not once per node), and what only one node
 * knows goes to every node's clients once (themes:changed). Needs PostgreSQL and Redis; skipped,
 * saying why, where they are absent.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { AlertUpdate, ClientToServerEvents, ServerToClientEvents } from '@commandhall/shared';
import { LIULIAN, credsOf, makeApp, post, tempDir } from '../helpers.ts';
import { person } from '../appeals/fixtures.ts';
import { actOnAlert, detection } from '../alerts/fixtures.ts';
import { REDIS_URL, freshDatabase, postgresMissing, redisMissing, saySkipped } from '../services.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const missing = (await postgresMissing()) ?? (await redisMissing());
if (missing) saySkipped('two nodes with PostgreSQL and Redis', missing);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing)('two nodes with one PostgreSQL and one Redis', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let aUrl: string;
  let drop: () => Promise<void>;
  const dirs = [tempDir(), tempDir()];
  const clients: Client[] = [];

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    // a prefix of this run's own: other runs on the same Redis do not cross
    const env = { DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:` };
    a = await makeApp({ dataDir: dirs[0].dir, env });
    b = await makeApp({ dataDir: dirs[1].dir, env });
    aUrl = await a.listen({ port: 0, host: '127.0.0.1' });
    await b.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await a?.close();
    await b?.close();
    await drop?.();
    for (const d of dirs) d.remove();
  });

  async function watcherOnA(scope: string): Promise<Client> {
    const director = await person(a, `watcher-${randomBytes(3).toString('hex')}`, 'district_director', 'district:440310');
    const s: Client = io(`${aUrl}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: director.cookie! } });
    clients.push(s);
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    const ack = await s.timeout(5000).emitWithAck('scope:watch', { scope });
    if (!('data' in ack)) throw new Error('watch failed');
    return s;
  }

  it('an alert acknowledged on B reaches a socket of A once', async () => {
    const s = await watcherOnA(`community:${LIULIAN.code}`);
    const updates: AlertUpdate[] = [];
    s.on('alert:update', (u) => u.alert.id === 'VA-2N-1' && updates.push(u));

    expect((await post(a, [detection(Date.now() - 5000, 'VA-2N-1')])).json()).toMatchObject({ accepted: 1 });
    for (let i = 0; i < 100 && !updates.length; i++) await pause(50);
    expect(updates.map((u) => u.kind)).toEqual(['raised']);
    for (let i = 0; i < 100 && !b.engine.alertOf('VA-2N-1'); i++) await pause(50);

    const director = await person(b, 'street-director-b', 'street_director', 'street:440310001');
    const res = await actOnAlert(b, director, 'VA-2N-1', { action: 'acknowledge' });
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 100 && updates.length < 2; i++) await pause(50);
    await pause(1500); // a copy from the other node, if there were one, would be here by now
    expect(updates.map((u) => [u.kind, u.alert.status])).toEqual([
      ['raised', 'raised'],
      ['acknowledged', 'acknowledged'],
    ]);
  });

  it('a hall’s rotation saved on B is announced to a socket of A once', async () => {
    const s = await watcherOnA('district:440310');
    const changes: unknown[] = [];
    s.on('themes:changed', (c) => changes.push(c));
    const { cookie, csrf } = credsOf(b);
    const res = await b.inject({
      method: 'PUT',
      url: '/api/v1/halls/district:440310/playlist',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { entries: [{ themeId: 'appeals', seconds: 600 }] },
    });
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 100 && !changes.length; i++) await pause(50);
    await pause(1000);
    expect(changes).toHaveLength(1);
  });
});
