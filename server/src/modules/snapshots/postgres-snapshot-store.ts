/**
 * Snapshots in PostgreSQL, for the scale-out mode (`DATABASE_URL`): record and image bytes in one
 * row (`bytea`), so that every node serves every image and no shared disk is needed. That suits
 * what is kept: an alert's still is tens to hundreds of KB (2 MiB at most), and retention is days
 * (SNAPSHOT_RETENTION_DAYS), so the table holds what a few days of alerts bring, not an archive.
 * The bytes are stored out of line and uncompressed (`STORAGE EXTERNAL`): JPEG, PNG and WebP are
 * compressed already, and reads of the record never touch them.
 *
 * Unlike the files on disk, identical images of two cameras are two rows, not one file: each
 * snapshot owns its bytes, so a prune is one `DELETE` by time with no orphans to look for, and it
 * needs no lock against uploads. Several nodes may write at once: an upload is one
 * `INSERT … ON CONFLICT (camera_id, sha256) DO NOTHING`, so the same image from the same camera
 * sent to two nodes together is one snapshot, which both answer with.
 */
import type pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { SnapshotMediaType } from '@commandhall/shared/cameras';
import { migrate } from '../../core/store/open-postgres.ts';
import type { NewSnapshot, SnapshotRecord, SnapshotStore } from './snapshot-store.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS snapshots (
     id TEXT PRIMARY KEY,
     camera_id TEXT NOT NULL,
     community TEXT NOT NULL,
     media_type TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     taken_at BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     producer TEXT NOT NULL,
     data BYTEA NOT NULL,
     UNIQUE (camera_id, sha256)
   );
   ALTER TABLE snapshots ALTER COLUMN data SET STORAGE EXTERNAL;
   CREATE INDEX IF NOT EXISTS snapshots_created ON snapshots (created_at);`,
];

/** Everything but the bytes. */
const COLUMNS = 'id, camera_id, community, media_type, bytes, sha256, taken_at, created_at, producer';

interface Row {
  id: string;
  camera_id: string;
  community: string;
  media_type: string;
  bytes: number;
  sha256: string;
  taken_at: number;
  created_at: number;
  producer: string;
}

const recordOf = (r: Row): SnapshotRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  community: r.community,
  mediaType: r.media_type as SnapshotMediaType,
  bytes: r.bytes,
  sha256: r.sha256,
  takenAt: r.taken_at,
  createdAt: r.created_at,
  producer: r.producer,
});

/** `SN-` and 20 characters of randomness (120 bits): unguessable, though access is checked anyway. */
const newId = () => `SN-${randomBytes(15).toString('base64url')}`;

/**
 * How often an upload tries again when the snapshot it collided with was pruned before it could
 * be read: once is all it takes (the next insert meets no conflict); a few is for safety.
 */
const PUT_ATTEMPTS = 5;

export class PostgresSnapshotStore implements SnapshotStore {
  private constructor(private pool: pg.Pool) {}

  /** Brings the `snapshots` tables up to date (once, whichever node comes first) and opens the store on the app's pool. */
  static async open(pool: pg.Pool): Promise<PostgresSnapshotStore> {
    await migrate(pool, 'snapshots', MIGRATIONS);
    return new PostgresSnapshotStore(pool);
  }

  async get(id: string): Promise<SnapshotRecord | null> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM snapshots WHERE id = $1`, [id]);
    return rows.length ? recordOf(rows[0]) : null;
  }

  async put(s: NewSnapshot): Promise<{ snapshot: SnapshotRecord; created: boolean }> {
    const sha256 = createHash('sha256').update(s.data).digest('hex');
    for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
      const snapshot: SnapshotRecord = {
        id: newId(),
        cameraId: s.cameraId,
        community: s.community,
        mediaType: s.mediaType,
        bytes: s.data.length,
        sha256,
        takenAt: s.takenAt,
        createdAt: s.createdAt,
        producer: s.producer,
      };
      // a concurrent insert of the same camera and bytes makes this one wait for its commit, then do nothing
      const inserted = await this.pool.query(
        `INSERT INTO snapshots (id, camera_id, community, media_type, bytes, sha256, taken_at, created_at, producer, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (camera_id, sha256) DO NOTHING`,
        [
          snapshot.id,
          snapshot.cameraId,
          snapshot.community,
          snapshot.mediaType,
          snapshot.bytes,
          sha256,
          snapshot.takenAt,
          snapshot.createdAt,
          snapshot.producer,
          s.data,
        ],
      );
      if (inserted.rowCount === 1) return { snapshot, created: true };
      const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM snapshots WHERE camera_id = $1 AND sha256 = $2`, [
        s.cameraId,
        sha256,
      ]);
      if (rows.length) return { snapshot: recordOf(rows[0]), created: false };
      // the stored one was pruned between the insert and the look-up: insert again
    }
    throw new Error(`snapshot of camera ${s.cameraId} not stored: it kept colliding with one pruned before it could be read`);
  }

  async open(s: SnapshotRecord): Promise<Readable | null> {
    const { rows } = await this.pool.query<{ data: Buffer }>('SELECT data FROM snapshots WHERE id = $1', [s.id]);
    if (!rows.length) return null;
    const stream = new PassThrough();
    stream.end(rows[0].data);
    return stream;
  }

  async prune(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM snapshots WHERE created_at < $1', [before])).rowCount ?? 0;
  }

  /** The pool belongs to the app (every store shares it): closing the store leaves it open. */
  close(): void {}
}
