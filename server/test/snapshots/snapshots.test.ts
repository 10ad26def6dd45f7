/**
 * Snapshots: uploads judged by their bytes (real JPEG, PNG and WebP files pass; a text file sent as
 * image/jpeg does not), size-limited, content-addressed on disk; served only to principals whose
 * scope holds the camera's community, with cache headers and nosniff, and a 404 that tells nobody
 * else anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_MAX_BYTES, snapshotIdOf } from '@commandhall/shared/cameras';
import { KENGZI, LIULIAN, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { addCamera, asAdmin, person, producerKey, wall, type As } from '../cameras/helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const JPEG = fixture('camera.jpg');
const PNG = fixture('camera.png');
const WEBP = fixture('camera.webp');

const EMBEDDED = process.env.TEST_STORE !== 'postgres';

describe('snapshots', () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  let video = '';
  const who: Record<string, As> = {};

  const upload = (body: Buffer, opts: { camera?: string; type?: string; key?: string; takenAt?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      query: { cameraId: opts.camera ?? 'CAM-L-1', ...(opts.takenAt ? { takenAt: opts.takenAt } : {}) },
      headers: { authorization: `Bearer ${opts.key ?? video}`, 'content-type': opts.type ?? 'image/jpeg' },
      payload: body,
    });
  const fetch = (as: As, url: string, headers: Record<string, string> = {}) =>
    app.inject({
      url,
      headers: { ...(as.cookie ? { cookie: as.cookie } : {}), ...(as.token ? { authorization: `Bearer ${as.token}` } : {}), ...headers },
    });

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    video = await producerKey(app, 'video-platform', ['video_alert.raised']);
    await addCamera(app, { id: 'CAM-L-1', name: 'l', location: { lon: LIULIAN.lon, lat: LIULIAN.lat } });
    await addCamera(app, { id: 'CAM-K-1', name: 'k', location: { lon: KENGZI.lon, lat: KENGZI.lat } });
    who.admin = asAdmin(app);
    who.street = await person(app, 'street1', 'street_director', 'street:440310001');
    who.liulian = await person(app, 'liulian', 'community_director', `community:${LIULIAN.code}`);
    who.kengzi = await person(app, 'kengzi', 'community_director', `community:${KENGZI.code}`);
    who.sibling = await person(app, 'sibling', 'community_director', 'community:440310001002');
    who.wall = await wall(app, `community:${LIULIAN.code}`);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  let jpegUrl = '';

  it('stores a real JPEG under its content hash and answers with its id and URL', async () => {
    const res = await upload(JPEG, { takenAt: new Date(clock.now() - 5000).toISOString() });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({ cameraId: 'CAM-L-1', community: LIULIAN.code, mediaType: 'image/jpeg', bytes: JPEG.length });
    expect(s.takenAt).toBe(new Date(clock.now() - 5000).toISOString());
    expect(s.id).toMatch(/^SN-[A-Za-z0-9_-]{20}$/);
    expect(snapshotIdOf(s.url)).toBe(s.id);
    // embedded, the bytes are a file named by their hash (in PostgreSQL, a column of the row)
    const file = join(tmp.dir, 'snapshots', s.sha256.slice(0, 2), `${s.sha256}.jpg`);
    if (EMBEDDED) expect(readFileSync(file).equals(JPEG)).toBe(true);
    jpegUrl = s.url;
    // the alerts engine's look-up: id → camera and community
    expect(await app.snapshots.get(s.id)).toMatchObject({ cameraId: 'CAM-L-1', community: LIULIAN.code });
  });

  it('makes no second snapshot when the same image is uploaded again for the same camera', async () => {
    const again = await upload(JPEG);
    expect(again.statusCode).toBe(200);
    expect(again.json().url).toBe(jpegUrl);
    const other = await upload(JPEG, { camera: 'CAM-K-1' });
    expect(other.statusCode).toBe(201);
    expect(other.json()).toMatchObject({ community: KENGZI.code, sha256: again.json().sha256 });
    expect(other.json().id).not.toBe(again.json().id);
  });

  it('takes PNG and WebP by their bytes, whatever the header says', async () => {
    const png = await upload(PNG, { type: 'application/octet-stream' });
    expect(png.statusCode).toBe(201);
    expect(png.json().mediaType).toBe('image/png');
    const webp = await upload(WEBP, { type: 'image/jpeg' });
    expect(webp.statusCode).toBe(201);
    expect(webp.json().mediaType).toBe('image/webp');
  });

  it('refuses a text file sent as image/jpeg, and what is no image at all', async () => {
    const text = Buffer.from('<html><script>alert(1)</script></html>\n');
    for (const body of [
      text,
      Buffer.from('GIF89a\x01\x00\x01\x00'),
      Buffer.from([0xff, 0xd8]),
      Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt '),
    ]) {
      const res = await upload(body);
      expect(res.statusCode, body.toString('latin1').slice(0, 10)).toBe(415);
      expect(res.json().error.code).toBe('not_an_image');
    }
    expect((await upload(JPEG, { type: 'text/plain' })).statusCode).toBe(415);
    expect((await upload(JPEG, { type: 'application/json' })).statusCode).toBe(400);
  });

  it('refuses an image over the size limit', async () => {
    const big = Buffer.alloc(SNAPSHOT_MAX_BYTES + 1, 0);
    JPEG.copy(big);
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('too_large');
    const justRight = Buffer.alloc(SNAPSHOT_MAX_BYTES, 0);
    JPEG.copy(justRight);
    expect((await upload(justRight)).statusCode).toBe(201);
  });

  it('takes uploads only from the video platform, for registered cameras', async () => {
    const unknown = await upload(JPEG, { camera: 'CAM-NOBODY' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('unknown_camera');
    const hotline = await producerKey(app, 'hotline', ['appeal.created']);
    expect((await upload(JPEG, { key: hotline })).statusCode).toBe(403);
    expect((await upload(JPEG, { key: 'nonsense' })).statusCode).toBe(401);
    const future = await upload(JPEG, { takenAt: new Date(clock.now() + 3_600_000).toISOString() });
    expect(future.statusCode).toBe(400);
  });

  it('serves the image to principals whose scope holds the camera’s community, with cache headers and nosniff', async () => {
    for (const as of [who.admin, who.street, who.liulian, who.wall]) {
      const res = await fetch(as, jpegUrl);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(JPEG)).toBe(true);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+, immutable$/);
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    }
    const etag = (await fetch(who.liulian, jpegUrl)).headers.etag as string;
    const cached = await fetch(who.liulian, jpegUrl, { 'if-none-match': etag });
    expect(cached.statusCode).toBe(304);
    expect(cached.rawPayload.length).toBe(0);
  });

  it('is a plain 404 for everyone else, exactly as for an id that does not exist', async () => {
    const missing = await fetch(who.admin, '/api/v1/snapshots/SN-AAAAAAAAAAAAAAAAAAAA');
    expect(missing.statusCode).toBe(404);
    for (const as of [who.kengzi, who.sibling]) {
      const res = await fetch(as, jpegUrl);
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(missing.body);
      expect(res.headers['content-type']).toBe(missing.headers['content-type']);
      expect(res.headers.etag).toBeUndefined();
      // knowing the hash does not help
      const etag = (await fetch(who.admin, jpegUrl)).headers.etag as string;
      expect((await fetch(as, jpegUrl, { 'if-none-match': etag })).statusCode).toBe(404);
    }
    expect((await fetch(who.admin, '/api/v1/snapshots/..%2F..%2Fauth.sqlite')).statusCode).toBe(404);
    expect((await fetch({}, jpegUrl)).statusCode).toBe(401);
  });

  it('goes into an alert as its snapshotUrl', async () => {
    const res = await post(app, [
      {
        id: 'VA-1.raised',
        type: 'video_alert.raised',
        occurredAt: new Date(clock.now()).toISOString(),
        data: {
          alertId: 'VA-1',
          cameraId: 'CAM-L-1',
          algorithm: 'shop_outside',
          confidence: 0.9,
          location: { lon: LIULIAN.lon, lat: LIULIAN.lat },
          snapshotUrl: jpegUrl,
        },
      },
    ]);
    expect(res.json().accepted).toBe(1);
  });

  it('prunes snapshots older than the retention, with the files no snapshot uses any more', async () => {
    const s = (await app.snapshots.get(snapshotIdOf(jpegUrl)!))!;
    const file = join(tmp.dir, 'snapshots', s.sha256.slice(0, 2), `${s.sha256}.jpg`);
    clock.advance(60_000);
    const fresh = await upload(PNG, { camera: 'CAM-K-1' });
    expect(fresh.statusCode).toBe(201);
    const removed = await app.snapshots.prune(clock.now() - 30_000);
    expect(removed).toBeGreaterThanOrEqual(5);
    expect(await app.snapshots.get(s.id)).toBeNull();
    if (EMBEDDED) expect(existsSync(file)).toBe(false);
    expect((await fetch(who.admin, jpegUrl)).statusCode).toBe(404);
    expect((await fetch(who.admin, fresh.json().url)).statusCode).toBe(200);
  });
});
