/**
 * What every snapshot store promises the snapshot service (modules/snapshots/snapshot-store.ts),
 * checked on the files on disk (SQLite) and on PostgreSQL alike: an image kept byte for byte with
 * its record, the same bytes from the same camera one snapshot, an image read back until its
 * snapshot is pruned, prunes by time that leave what others still use, and another node (a second
 * store on the same data) serving what the first stored. On PostgreSQL also what several nodes
 * writing at once need: the same upload sent to several nodes together is one snapshot, and
 * uploads during a prune are never left without their bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSnapshot, SnapshotStore } from '../../src/modules/snapshots/snapshot-store.ts';
import { SqliteSnapshotStore } from '../../src/modules/snapshots/sqlite-snapshot-store.ts';
import { PostgresSnapshotStore } from '../../src/modules/snapshots/postgres-snapshot-store.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const JPEG = fixture('camera.jpg');
const PNG = fixture('camera.png');
const WEBP = fixture('camera.webp');

const T0 = Date.parse('2026-11-27T02:00:00Z');
const HOUR = 3_600_000;
const shot = (data: Buffer, over: Partial<NewSnapshot> = {}): NewSnapshot => ({
  cameraId: 'CAM-L-1',
  community: '440310001001',
  mediaType: 'image/jpeg',
  data,
  takenAt: T0 - 2000,
  createdAt: T0,
  producer: 'PK-video',
  ...over,
});
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

interface Opened {
  store: SnapshotStore;
  /** Another node: a second store on the same data. */
  another: () => Promise<SnapshotStore>;
  close: () => Promise<void>;
}
interface Kind {
  name: string;
  open: () => Promise<Opened>;
}

const sqlite: Kind = {
  name: 'SQLite and files',
  open: async () => {
    const tmp = tempDir();
    const stores = [new SqliteSnapshotStore(tmp.dir)];
    return {
      store: stores[0],
      another: async () => (stores.push(new SqliteSnapshotStore(tmp.dir)), stores[stores.length - 1]),
      close: async () => {
        for (const s of stores) s.close();
        tmp.remove();
      },
    };
  },
};

const missing = await postgresMissing();
if (missing) saySkipped('the snapshot store contract on PostgreSQL', missing);
const databases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of databases) await drop();
});
const postgres: Kind = {
  name: 'PostgreSQL',
  open: async () => {
    const db = await freshDatabase();
    databases.push(db.drop);
    const pools: pg.Pool[] = [];
    const node = async () => {
      const pool = openPool(db.url, 4);
      pools.push(pool);
      return { pool, store: await PostgresSnapshotStore.open(pool) };
    };
    const first = await node();
    return {
      store: first.store,
      another: async () => (await node()).store,
      close: async () => {
        first.store.close();
        // close() leaves the app's pool open
        expect((await first.pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
        for (const p of pools) await p.end();
      },
    };
  },
};

for (const kind of missing ? [sqlite] : [sqlite, postgres]) {
  describe(`the snapshot store on ${kind.name}`, () => {
    let s: Opened;
    beforeEach(async () => void (s = await kind.open()));
    afterEach(() => s.close());

    it('keeps an image byte for byte with its record, found by id', async () => {
      const big = Buffer.concat([JPEG, randomBytes(1_500_000)]);
      const cases: [Buffer, NewSnapshot['mediaType']][] = [
        [JPEG, 'image/jpeg'],
        [PNG, 'image/png'],
        [WEBP, 'image/webp'],
        [big, 'image/jpeg'],
      ];
      for (const [data, mediaType] of cases) {
        const { snapshot, created } = await s.store.put(shot(data, { mediaType, cameraId: `CAM-${mediaType}` }));
        expect(created).toBe(true);
        expect(snapshot).toEqual({
          id: snapshot.id,
          cameraId: `CAM-${mediaType}`,
          community: '440310001001',
          mediaType,
          bytes: data.length,
          sha256: sha(data),
          takenAt: T0 - 2000,
          createdAt: T0,
          producer: 'PK-video',
        });
        expect(snapshot.id).toMatch(/^SN-[A-Za-z0-9_-]{20}$/);
        expect(await s.store.get(snapshot.id)).toEqual(snapshot);
        expect((await bytesOf(await s.store.open(snapshot)))!.equals(data)).toBe(true);
      }
      expect(await s.store.get('SN-AAAAAAAAAAAAAAAAAAAA')).toBeNull();
    });

    it('makes one snapshot of the same bytes from the same camera, and another for another camera or other bytes', async () => {
      const first = await s.store.put(shot(JPEG));
      const again = await s.store.put(shot(JPEG, { takenAt: T0 + 5, createdAt: T0 + HOUR, community: '440310002001' }));
      expect(again).toEqual({ snapshot: first.snapshot, created: false });
      const otherCamera = await s.store.put(shot(JPEG, { cameraId: 'CAM-K-1' }));
      expect(otherCamera.created).toBe(true);
      expect(otherCamera.snapshot.id).not.toBe(first.snapshot.id);
      expect(otherCamera.snapshot.sha256).toBe(first.snapshot.sha256);
      const otherBytes = await s.store.put(shot(Buffer.concat([JPEG, Buffer.from([0])])));
      expect(otherBytes.created).toBe(true);
      expect(new Set([first, otherCamera, otherBytes].map((p) => p.snapshot.id)).size).toBe(3);
      for (const p of [first, otherCamera]) expect((await bytesOf(await s.store.open(p.snapshot)))!.equals(JPEG)).toBe(true);
    });

    it('prunes what was stored before a time, keeping the bytes that a newer snapshot still uses', async () => {
      const old = await s.store.put(shot(JPEG, { createdAt: T0 - 2 * HOUR }));
      const edge = await s.store.put(shot(PNG, { mediaType: 'image/png', createdAt: T0 - HOUR }));
      const sameBytesNewer = await s.store.put(shot(JPEG, { cameraId: 'CAM-K-1', createdAt: T0 }));
      const oldWebp = await s.store.put(shot(WEBP, { mediaType: 'image/webp', createdAt: T0 - 3 * HOUR }));
      expect(await s.store.prune(T0 - 4 * HOUR)).toBe(0);
      expect(await s.store.prune(T0 - HOUR)).toBe(2); // strictly before: the one at T0 - 1 h stays
      expect(await s.store.get(old.snapshot.id)).toBeNull();
      expect(await s.store.get(oldWebp.snapshot.id)).toBeNull();
      expect(await s.store.open(oldWebp.snapshot)).toBeNull();
      expect(await s.store.get(edge.snapshot.id)).toEqual(edge.snapshot);
      expect((await bytesOf(await s.store.open(edge.snapshot)))!.equals(PNG)).toBe(true);
      expect((await bytesOf(await s.store.open(sameBytesNewer.snapshot)))!.equals(JPEG)).toBe(true);
      expect(await s.store.prune(T0 - HOUR)).toBe(0);
      // the same image again, after its snapshot went: a new one
      const back = await s.store.put(shot(WEBP, { mediaType: 'image/webp', createdAt: T0 + HOUR }));
      expect(back.created).toBe(true);
      expect(back.snapshot.id).not.toBe(oldWebp.snapshot.id);
      expect((await bytesOf(await s.store.open(back.snapshot)))!.equals(WEBP)).toBe(true);
      expect(await s.store.prune(T0 + 2 * HOUR)).toBe(3);
      for (const p of [edge, sameBytesNewer, back]) {
        expect(await s.store.get(p.snapshot.id)).toBeNull();
        expect(await s.store.open(p.snapshot)).toBeNull();
      }
    });

    it('another node serves what the first stored, and finds its uploads stored already', async () => {
      const other = await s.another();
      const { snapshot } = await s.store.put(shot(JPEG));
      expect(await other.get(snapshot.id)).toEqual(snapshot);
      expect((await bytesOf(await other.open(snapshot)))!.equals(JPEG)).toBe(true);
      expect(await other.put(shot(JPEG, { createdAt: T0 + 1 }))).toEqual({ snapshot, created: false });
      const second = await other.put(shot(PNG, { mediaType: 'image/png', createdAt: T0 + HOUR }));
      expect((await bytesOf(await s.store.open(second.snapshot)))!.equals(PNG)).toBe(true);
      expect(await other.prune(T0 + 1)).toBe(1);
      expect(await s.store.get(snapshot.id)).toBeNull();
      expect(await s.store.open(snapshot)).toBeNull();
      expect(await s.store.get(second.snapshot.id)).toEqual(second.snapshot);
    });
  });
}

describe.skipIf(missing)('the snapshot store shared by several nodes (PostgreSQL)', () => {
  let s: Opened;
  beforeEach(async () => void (s = await postgres.open()));
  afterEach(() => s.close());

  it('makes one snapshot of an upload sent to several nodes at once, which they all answer with', async () => {
    const nodes = [s.store, await s.another(), await s.another()];
    for (let round = 0; round < 10; round++) {
      const data = Buffer.concat([JPEG, Buffer.from(`round ${round}`)]);
      const puts = await Promise.all(nodes.flatMap((n) => [n.put(shot(data)), n.put(shot(data))]));
      expect(puts.filter((p) => p.created)).toHaveLength(1);
      expect(new Set(puts.map((p) => p.snapshot.id)).size).toBe(1);
      expect((await bytesOf(await nodes[2].open(puts[0].snapshot)))!.equals(data)).toBe(true);
    }
  });

  it('uploads while another node prunes: every snapshot stored is whole, every old one gone', async () => {
    const other = await s.another();
    for (let i = 0; i < 40; i++) await s.store.put(shot(Buffer.concat([JPEG, Buffer.from(`old ${i}`)]), { createdAt: T0 - HOUR }));
    const uploads = Array.from({ length: 40 }, (_, i) =>
      s.store.put(shot(Buffer.concat([JPEG, Buffer.from(`old ${i}`)]), { cameraId: i % 2 ? 'CAM-L-1' : 'CAM-K-1', createdAt: T0 })),
    );
    const pruned = other.prune(T0);
    const stored = await Promise.all(uploads);
    const n = await pruned;
    expect(n).toBe(40); // the old ones, whatever the order: no upload makes a row from before T0
    for (const { snapshot, created } of stored) {
      const found = await other.get(snapshot.id);
      if (!found) {
        // an upload that found its old snapshot, pruned right after
        expect(created).toBe(false);
        continue;
      }
      expect((await bytesOf(await other.open(found)))!.length).toBe(found.bytes);
    }
    expect(await other.prune(T0)).toBe(0);
  });

  it('refuses tables written by a later version', async () => {
    const db = await freshDatabase();
    databases.push(db.drop);
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await PostgresSnapshotStore.open(pool);
      await pool.query("UPDATE commandhall_migrations SET version = 99 WHERE store = 'snapshots'");
      await expect(PostgresSnapshotStore.open(pool)).rejects.toThrow(/snapshots tables have schema version 99, newer than this server's 1/);
    } finally {
      await pool.end();
    }
  });
});
