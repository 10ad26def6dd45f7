/**
 * The camera registry in PostgreSQL, for the scale-out mode (`DATABASE_URL`): the same table as
 * `cameras.sqlite`, shared by every node, so that a camera an administrator adds on one node is
 * there for the others (each registry still reads it when it opens: see camera-registry.ts).
 *
 * Every write is one statement, atomic on its own, except a liveness batch: that is one
 * transaction which locks its rows in id order before it writes, so two nodes saving heartbeats
 * for the same cameras at once wait for each other instead of deadlocking. Ids sort by their
 * bytes (`COLLATE "C"`), as SQLite sorts them, whatever the database's locale.
 */
import type pg from 'pg';
import type { CameraStatus } from '@commandhall/shared/cameras';
import { inTransaction, migrate } from '../../core/store/open-postgres.ts';
import type { CameraRecord, CameraStore } from './camera-store.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS cameras (
     id TEXT COLLATE "C" PRIMARY KEY,
     name TEXT NOT NULL,
     lon DOUBLE PRECISION NOT NULL,
     lat DOUBLE PRECISION NOT NULL,
     address TEXT,
     community TEXT NOT NULL,
     status TEXT NOT NULL,
     last_heartbeat_at BIGINT,
     status_since BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS cameras_community ON cameras (community);`,
];

interface Row {
  id: string;
  name: string;
  lon: number;
  lat: number;
  address: string | null;
  community: string;
  status: string;
  last_heartbeat_at: number | null;
  status_since: number;
  created_at: number;
  updated_at: number;
}

const cameraOf = (r: Row): CameraRecord => ({
  id: r.id,
  name: r.name,
  lon: r.lon,
  lat: r.lat,
  address: r.address ?? null,
  community: r.community,
  status: r.status as CameraStatus,
  lastHeartbeatAt: r.last_heartbeat_at ?? null,
  statusSince: r.status_since,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type Liveness = Pick<CameraRecord, 'id' | 'status' | 'lastHeartbeatAt' | 'statusSince'>;

export class PostgresCameraStore implements CameraStore {
  private constructor(private pool: pg.Pool) {}

  /** Brings the `cameras` tables up to date (once, whichever node comes first) and opens the store on the app's pool. */
  static async open(pool: pg.Pool): Promise<PostgresCameraStore> {
    await migrate(pool, 'cameras', MIGRATIONS);
    return new PostgresCameraStore(pool);
  }

  async all(): Promise<CameraRecord[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM cameras ORDER BY id');
    return rows.map(cameraOf);
  }

  async insert(c: CameraRecord): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO cameras (id, name, lon, lat, address, community, status, last_heartbeat_at, status_since, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO NOTHING`,
      [c.id, c.name, c.lon, c.lat, c.address, c.community, c.status, c.lastHeartbeatAt, c.statusSince, c.createdAt, c.updatedAt],
    );
    return rowCount === 1;
  }

  /** Every field but `createdAt`, which stays as inserted (as in SQLite). */
  async update(c: CameraRecord): Promise<void> {
    await this.pool.query(
      `UPDATE cameras SET name = $2, lon = $3, lat = $4, address = $5, community = $6, status = $7,
       last_heartbeat_at = $8, status_since = $9, updated_at = $10 WHERE id = $1`,
      [c.id, c.name, c.lon, c.lat, c.address, c.community, c.status, c.lastHeartbeatAt, c.statusSince, c.updatedAt],
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM cameras WHERE id = $1', [id])).rowCount === 1;
  }

  async saveLiveness(rows: Liveness[]): Promise<void> {
    if (!rows.length) return;
    // the same camera twice in a batch: the later row wins, as when SQLite writes them in turn
    const last = new Map<string, Liveness>();
    for (const r of rows) last.set(r.id, r);
    const batch = [...last.values()];
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT 1 FROM cameras WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [batch.map((r) => r.id)]);
      await client.query(
        `UPDATE cameras AS c SET status = u.status, last_heartbeat_at = u.last_heartbeat_at, status_since = u.status_since
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u (id, status, last_heartbeat_at, status_since)
           WHERE c.id = u.id`,
        [batch.map((r) => r.id), batch.map((r) => r.status), batch.map((r) => r.lastHeartbeatAt), batch.map((r) => r.statusSince)],
      );
    });
  }

  /** The pool belongs to the app (every store shares it): closing the store leaves it open. */
  close(): void {}
}
