/**
 * Broadcasts compressed once for every screen (live/deflate-once.ts), with real sockets: a screen
 * that negotiated per-message deflate receives a patch in fewer bytes on the wire than its JSON,
 * decodes exactly what an uncompressed screen decodes, and so does a screen that did not offer
 * deflate; with LIVE_DEFLATE=off nothing is negotiated and the bytes on the wire are the JSON's.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ScopePatch, ServerToClientEvents } from '@commandhall/shared';
import { appealCreated, credsOf, makeApp, post, tempDir, KENGZI } from './helpers.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const SCOPE = `community:${KENGZI.code}`;

/** The TCP socket under a client's websocket: what it read is what crossed the wire. */
const wire = (c: Client) => (c.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } }).transport.ws._socket;

async function screen(url: string, app: FastifyInstance, offerDeflate = true): Promise<Client> {
  const c: Client = io(`${url}/live`, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: credsOf(app).cookie },
    ...(offerDeflate ? {} : { perMessageDeflate: false }),
  } as Parameters<typeof io>[1]);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', reject);
  });
  const ack = await c.timeout(5000).emitWithAck('scope:watch', { scope: SCOPE });
  if (!('data' in ack)) throw new Error('watch failed');
  return c;
}

/** Posts a burst of appeals and resolves with the patch that carries them and the bytes each screen read meanwhile. */
async function burst(app: FastifyInstance, screens: Client[]): Promise<{ patches: ScopePatch[]; read: number[] }> {
  const before = screens.map((c) => wire(c).bytesRead);
  const patches = screens.map(
    (c) =>
      new Promise<ScopePatch>((resolve) => {
        const on = (p: ScopePatch) => {
          if (p.scope !== SCOPE || !(p.changes.recent || p.edits?.recent)) return;
          c.off('metrics:patch', on);
          resolve(p);
        };
        c.on('metrics:patch', on);
      }),
  );
  const t = Date.now() - 60_000;
  await post(
    app,
    Array.from({ length: 20 }, (_, i) => appealCreated(t + i, { where: KENGZI })),
  );
  const got = await Promise.all(patches);
  return { patches: got, read: screens.map((c, k) => wire(c).bytesRead - before[k]) };
}

describe('live broadcasts compressed once', () => {
  const tmp = tempDir();
  let app: FastifyInstance;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, env: { TICK_MS: '200' } });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
    tmp.remove();
  });

  it('a screen that offers deflate reads a patch in far fewer bytes; one that does not reads the same patch whole', async () => {
    const a = await screen(url, app);
    const b = await screen(url, app);
    const plain = await screen(url, app, false);
    clients.push(a, b, plain);
    const { patches, read } = await burst(app, [a, b, plain]);
    const json = JSON.stringify(patches[0]).length;
    expect(json).toBeGreaterThan(2000);
    // every screen decoded the same patch
    expect(patches[1]).toEqual(patches[0]);
    expect(patches[2]).toEqual(patches[0]);
    // on the wire (ticks included): the compressed screens well under the JSON, the plain one above it
    expect(read[0]).toBeLessThan(json * 0.6);
    expect(read[1]).toBeLessThan(json * 0.6);
    expect(read[2]).toBeGreaterThan(json);
  });

  it('with LIVE_DEFLATE=off nothing is compressed', async () => {
    const dir = tempDir();
    const off = await makeApp({ dataDir: dir.dir, env: { TICK_MS: '200', LIVE_DEFLATE: 'off' } });
    try {
      const offUrl = await off.listen({ port: 0, host: '127.0.0.1' });
      const c = await screen(offUrl, off);
      clients.push(c);
      const { patches, read } = await burst(off, [c]);
      expect(read[0]).toBeGreaterThan(JSON.stringify(patches[0]).length);
    } finally {
      await off.close();
      dir.remove();
    }
  });
});
