/**
 * The camera registry in `cameras.sqlite` beside the event log: cameras are reference data that
 * administrators edit, not facts of the district's record, so they live outside the log.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import type { CameraStatus } from '@commandhall/shared/cameras';
import type { CameraRecord, CameraStore } from './camera-store.ts';

const cameraOf = (r: Record<string, unknown>): CameraRecord => ({
  id: r.id as string,
  name: r.name as string,
  lon: r.lon as number,
  lat: r.lat as number,
  address: (r.address as string | null) ?? null,
  community: r.community as string,
  status: r.status as CameraStatus,
  lastHeartbeatAt: (r.last_heartbeat_at as number | null) ?? null,
  statusSince: r.status_since as number,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

export class SqliteCameraStore implements CameraStore {
  private db: Database.Database;
  private insertStmt: Database.Statement;
  private updateStmt: Database.Statement;
  private livenessStmt: Database.Statement;

  constructor(dataDir: string) {
    this.db = openSqlite(dataDir, 'cameras', {
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS cameras (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        address TEXT,
        community TEXT NOT NULL,
        status TEXT NOT NULL,
        last_heartbeat_at INTEGER,
        status_since INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS cameras_community ON cameras (community);
    `,
      ],
    });
    this.insertStmt = this.db.prepare(
      `INSERT INTO cameras (id, name, lon, lat, address, community, status, last_heartbeat_at, status_since, created_at, updated_at)
       VALUES (@id, @name, @lon, @lat, @address, @community, @status, @lastHeartbeatAt, @statusSince, @createdAt, @updatedAt)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.updateStmt = this.db.prepare(
      `UPDATE cameras SET name = @name, lon = @lon, lat = @lat, address = @address, community = @community, status = @status,
       last_heartbeat_at = @lastHeartbeatAt, status_since = @statusSince, updated_at = @updatedAt WHERE id = @id`,
    );
    this.livenessStmt = this.db.prepare(
      'UPDATE cameras SET status = @status, last_heartbeat_at = @lastHeartbeatAt, status_since = @statusSince WHERE id = @id',
    );
  }

  async all(): Promise<CameraRecord[]> {
    return (this.db.prepare('SELECT * FROM cameras ORDER BY id').all() as Record<string, unknown>[]).map(cameraOf);
  }

  async insert(c: CameraRecord): Promise<boolean> {
    return this.insertStmt.run(c).changes === 1;
  }

  async update(c: CameraRecord): Promise<void> {
    this.updateStmt.run(c);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM cameras WHERE id = ?').run(id).changes === 1;
  }

  async saveLiveness(rows: Pick<CameraRecord, 'id' | 'status' | 'lastHeartbeatAt' | 'statusSince'>[]): Promise<void> {
    if (!rows.length) return;
    this.db.transaction(() => {
      for (const r of rows)
        this.livenessStmt.run({ id: r.id, status: r.status, lastHeartbeatAt: r.lastHeartbeatAt, statusSince: r.statusSince });
    })();
  }

  close(): void {
    this.db.close();
  }
}
