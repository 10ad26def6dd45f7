/**
 * What every camera store promises the registry (modules/cameras/camera-store.ts), checked on
 * SQLite and on PostgreSQL alike: cameras kept field for field and listed by id, an id inserted
 * once, updates and liveness batches that write what they say and nothing else, deletes, and
 * another node (a second store on the same database) reading what the first wrote. On PostgreSQL
 * also what several nodes writing at once need: one insert of an id wins, and liveness batches
 * for the same cameras in opposite orders do not deadlock; and ids sort by their bytes, as in
 * SQLite, in a database whose locale sorts them otherwise.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CameraRecord, CameraStore } from '../../src/modules/cameras/camera-store.ts';
import { SqliteCameraStore } from '../../src/modules/cameras/sqlite-camera-store.ts';
import { PostgresCameraStore } from '../../src/modules/cameras/postgres-camera-store.ts';
import { openPool } from '../../src/core/store/open-postgres.ts';
import { tempDir } from '../helpers.ts';
import { freshDatabase, postgresMissing, saySkipped } from '../services.ts';

const T0 = Date.parse('2026-11-27T02:00:00Z');
const camera = (id: string, over: Partial<CameraRecord> = {}): CameraRecord => ({
  id,
  name: `camera ${id}`,
  lon: 114.0579123456789,
  lat: 22.5431987654321,
  address: null,
  community: '440310001001',
  status: 'offline',
  lastHeartbeatAt: null,
  statusSince: T0,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const byId = (a: CameraRecord, b: CameraRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface Opened {
  store: CameraStore;
  /** Another node: a second store on the same database. */
  another: () => Promise<CameraStore>;
  close: () => Promise<void>;
}
interface Kind {
  name: string;
  open: () => Promise<Opened>;
}

const sqlite: Kind = {
  name: 'SQLite',
  open: async () => {
    const tmp = tempDir();
    const stores = [new SqliteCameraStore(tmp.dir)];
    return {
      store: stores[0],
      another: async () => (stores.push(new SqliteCameraStore(tmp.dir)), stores[stores.length - 1]),
      close: async () => {
        for (const s of stores) s.close();
        tmp.remove();
      },
    };
  },
};

const missing = await postgresMissing();
if (missing) saySkipped('the camera store contract on PostgreSQL', missing);
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
      const store = await PostgresCameraStore.open(pool);
      return { pool, store };
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
  describe(`the camera store on ${kind.name}`, () => {
    let s: Opened;
    beforeEach(async () => void (s = await kind.open()));
    afterEach(() => s.close());

    it('keeps a camera field for field, inserts an id once, and lists cameras by id as bytes sort', async () => {
      expect(await s.store.all()).toEqual([]);
      const cams = [
        camera('CAM-b', { address: '留仙大道 1号', status: 'online', lastHeartbeatAt: T0 + 1234, statusSince: T0 + 1000 }),
        camera('CAM-B', { lon: -0.000001, lat: -89.999999, community: '440310002003' }),
        camera('CAM-10', { createdAt: T0 - 86_400_000 * 400, updatedAt: T0 + 5 }),
        camera('CAM-9'),
        camera('CAM_1'),
        camera('cam.1:x'),
      ];
      for (const c of cams) expect(await s.store.insert(c)).toBe(true);
      expect(await s.store.insert(camera('CAM-B', { name: 'a second one' }))).toBe(false);
      const all = await s.store.all();
      expect(all).toEqual([...cams].sort(byId));
      expect(all.map((c) => c.id)).toEqual(['CAM-10', 'CAM-9', 'CAM-B', 'CAM-b', 'CAM_1', 'cam.1:x']);
      expect(all.find((c) => c.id === 'CAM-B')!.name).toBe('camera CAM-B');
    });

    it('updates every field of one camera but its creation time, and nothing of the others', async () => {
      await s.store.insert(camera('CAM-1', { address: 'old address' }));
      await s.store.insert(camera('CAM-2'));
      const changed = camera('CAM-1', {
        name: 'moved',
        lon: 113.9,
        lat: 22.6,
        address: null,
        community: '440310002001',
        status: 'online',
        lastHeartbeatAt: T0 + 60_000,
        statusSince: T0 + 60_000,
        createdAt: T0 + 999_999,
        updatedAt: T0 + 70_000,
      });
      await s.store.update(changed);
      await s.store.update(camera('CAM-404')); // no such camera: nothing is made
      expect(await s.store.all()).toEqual([{ ...changed, createdAt: T0 }, camera('CAM-2')]);
      await s.store.update({ ...changed, address: 'new address', status: 'offline', lastHeartbeatAt: null });
      expect((await s.store.all())[0]).toMatchObject({ address: 'new address', status: 'offline', lastHeartbeatAt: null });
    });

    it('deletes a camera once', async () => {
      await s.store.insert(camera('CAM-1'));
      await s.store.insert(camera('CAM-2'));
      expect(await s.store.delete('CAM-1')).toBe(true);
      expect(await s.store.delete('CAM-1')).toBe(false);
      expect(await s.store.delete('CAM-404')).toBe(false);
      expect((await s.store.all()).map((c) => c.id)).toEqual(['CAM-2']);
      expect(await s.store.insert(camera('CAM-1', { name: 'again' }))).toBe(true);
      expect((await s.store.all()).map((c) => c.name)).toEqual(['again', 'camera CAM-2']);
    });

    it('saves liveness in batches: status, heartbeat and since, nothing else; unknown ids ignored, a later row winning', async () => {
      const ids = Array.from({ length: 300 }, (_, i) => `CAM-${String(i).padStart(3, '0')}`);
      for (const id of ids) await s.store.insert(camera(id, { name: `n${id}`, updatedAt: T0 + 7 }));
      await s.store.saveLiveness([]);
      await s.store.saveLiveness([
        ...ids.slice(0, 200).map((id, i) => ({ id, status: 'online' as const, lastHeartbeatAt: T0 + i, statusSince: T0 + i })),
        { id: 'CAM-999', status: 'online', lastHeartbeatAt: T0, statusSince: T0 },
        { id: 'CAM-000', status: 'offline', lastHeartbeatAt: T0 + 42, statusSince: T0 + 43 },
      ]);
      const all = await s.store.all();
      expect(all).toHaveLength(300);
      expect(all[0]).toEqual(camera('CAM-000', { name: 'nCAM-000', updatedAt: T0 + 7, lastHeartbeatAt: T0 + 42, statusSince: T0 + 43 }));
      expect(all[199]).toEqual(
        camera('CAM-199', { name: 'nCAM-199', updatedAt: T0 + 7, status: 'online', lastHeartbeatAt: T0 + 199, statusSince: T0 + 199 }),
      );
      expect(all.slice(200).every((c) => c.status === 'offline' && c.lastHeartbeatAt === null)).toBe(true);
      expect(all.filter((c) => c.status === 'online')).toHaveLength(199);
    });

    it('another node reads what the first wrote, and cannot insert its ids again', async () => {
      const other = await s.another();
      await s.store.insert(camera('CAM-1'));
      await s.store.insert(camera('CAM-2'));
      expect((await other.all()).map((c) => c.id)).toEqual(['CAM-1', 'CAM-2']);
      expect(await other.insert(camera('CAM-1', { name: 'twin' }))).toBe(false);
      await other.update(camera('CAM-1', { name: 'renamed', updatedAt: T0 + 1 }));
      await other.saveLiveness([{ id: 'CAM-2', status: 'online', lastHeartbeatAt: T0 + 5, statusSince: T0 + 5 }]);
      expect(await other.delete('CAM-404')).toBe(false);
      expect(await s.store.all()).toEqual([
        camera('CAM-1', { name: 'renamed', updatedAt: T0 + 1 }),
        camera('CAM-2', { status: 'online', lastHeartbeatAt: T0 + 5, statusSince: T0 + 5 }),
      ]);
      expect(await s.store.delete('CAM-1')).toBe(true);
      expect(await other.delete('CAM-1')).toBe(false);
      expect((await other.all()).map((c) => c.id)).toEqual(['CAM-2']);
    });
  });
}

describe.skipIf(missing)('the camera store shared by several nodes (PostgreSQL)', () => {
  let s: Opened;
  beforeEach(async () => void (s = await postgres.open()));
  afterEach(() => s.close());

  it('one of two nodes inserting the same id at once gets it', async () => {
    const nodes = [s.store, await s.another(), await s.another()];
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(nodes.map((n, i) => n.insert(camera(`CAM-${round}`, { name: `node ${i}` }))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await nodes[2].all()).find((c) => c.id === `CAM-${round}`)!.name).toBe(`node ${winner}`);
    }
  });

  it('liveness batches of two nodes for the same cameras, in opposite orders at once, all land without a deadlock', async () => {
    const other = await s.another();
    const ids = Array.from({ length: 200 }, (_, i) => `CAM-${String(i).padStart(3, '0')}`);
    for (const id of ids) await s.store.insert(camera(id));
    const batch = (order: string[], at: number) =>
      order.map((id) => ({ id, status: 'online' as const, lastHeartbeatAt: at, statusSince: at }));
    const writes: Promise<void>[] = [];
    for (let round = 0; round < 15; round++) {
      writes.push(s.store.saveLiveness(batch(ids, T0 + round)));
      writes.push(other.saveLiveness(batch([...ids].reverse(), T0 + 1000 + round)));
      // a single update between them: it takes one row and must not close a circle either
      writes.push(
        other.update(camera(ids[round * 7], { status: 'online', lastHeartbeatAt: T0 + 5000, statusSince: T0, updatedAt: T0 + 1 })),
      );
    }
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const all = await s.store.all();
    expect(all).toHaveLength(200);
    expect(all.every((c) => c.status === 'online' && c.lastHeartbeatAt !== null)).toBe(true);
    // every camera got one whole batch's time (or the lone update's): no batch was half applied
    const times = new Set(all.filter((c) => c.lastHeartbeatAt !== T0 + 5000).map((c) => c.lastHeartbeatAt));
    expect(times.size).toBe(1);
  });

  it('lists cameras as bytes sort even where the database’s locale sorts otherwise', async () => {
    const db = await freshDatabase();
    databases.push(db.drop);
    const name = `${new URL(db.url).pathname.slice(1)}_en`;
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    const url = new URL(db.url);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString() });
    try {
      const ids = ['CAM-10', 'CAM-9', 'CAM-B', 'CAM-b', 'CAM_1', 'cam.1:x'];
      // the locale's own order is another: the test would pass without the store's say
      const { rows } = await pool.query<{ x: string }>('SELECT x FROM unnest($1::text[]) AS x ORDER BY x', [ids]);
      expect(rows.map((r) => r.x)).not.toEqual(ids);
      const store = await PostgresCameraStore.open(pool);
      for (const id of [...ids].reverse()) await store.insert(camera(id));
      expect((await store.all()).map((c) => c.id)).toEqual(ids);
    } finally {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('refuses tables written by a later version', async () => {
    const db = await freshDatabase();
    databases.push(db.drop);
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await PostgresCameraStore.open(pool);
      await pool.query("UPDATE commandhall_migrations SET version = 99 WHERE store = 'cameras'");
      await expect(PostgresCameraStore.open(pool)).rejects.toThrow(/cameras tables have schema version 99, newer than this server's 1/);
    } finally {
      await pool.end();
    }
  });
});
