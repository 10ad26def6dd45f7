/**
 * Snapshots on disk: the images under `DATA_DIR/snapshots/<2 hex>/<sha256>.<ext>` (content-addressed:
 * identical images are one file), their records in `snapshots.sqlite`. A file is written under a
 * temporary name and renamed, so a crash never leaves half an image under a real name.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open-sqlite.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { SnapshotMediaType } from '@commandhall/shared/cameras';
import { EXTENSION } from './sniff.ts';
import type { NewSnapshot, SnapshotRecord, SnapshotStore } from './snapshot-store.ts';

const recordOf = (r: Record<string, unknown>): SnapshotRecord => ({
  id: r.id as string,
  cameraId: r.camera_id as string,
  community: r.community as string,
  mediaType: r.media_type as SnapshotMediaType,
  bytes: r.bytes as number,
  sha256: r.sha256 as string,
  takenAt: r.taken_at as number,
  createdAt: r.created_at as number,
  producer: r.producer as string,
});

/** `SN-` and 20 characters of randomness (120 bits): unguessable, though access is checked anyway. */
const newId = () => `SN-${randomBytes(15).toString('base64url')}`;

export class SqliteSnapshotStore implements SnapshotStore {
  private db: Database.Database;
  private root: string;
  /** Writes and prunes one after another: a prune never removes a file a write has just counted on. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.root = join(dataDir, 'snapshots');
    mkdirSync(this.root, { recursive: true });
    this.db = openSqlite(dataDir, 'snapshots', {
      migrations: [
        `
      CREATE TABLE IF NOT EXISTS snapshots (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        community TEXT NOT NULL,
        media_type TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        taken_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        producer TEXT NOT NULL,
        UNIQUE (camera_id, sha256)
      );
      CREATE INDEX IF NOT EXISTS snapshots_created ON snapshots (created_at);
      CREATE INDEX IF NOT EXISTS snapshots_sha ON snapshots (sha256);
    `,
      ],
    });
  }

  async get(id: string): Promise<SnapshotRecord | null> {
    const r = this.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? recordOf(r) : null;
  }

  put(s: NewSnapshot): Promise<{ snapshot: SnapshotRecord; created: boolean }> {
    return this.serial(async () => {
      const sha256 = createHash('sha256').update(s.data).digest('hex');
      const same = this.db.prepare('SELECT * FROM snapshots WHERE camera_id = ? AND sha256 = ?').get(s.cameraId, sha256) as
        Record<string, unknown> | undefined;
      if (same) return { snapshot: recordOf(same), created: false };
      const path = this.pathOf(sha256, s.mediaType);
      if (!(await exists(path))) {
        await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
        const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(tmp, s.data);
        await rename(tmp, path);
      }
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
      this.db
        .prepare(
          `INSERT INTO snapshots (id, camera_id, community, media_type, bytes, sha256, taken_at, created_at, producer)
           VALUES (@id, @cameraId, @community, @mediaType, @bytes, @sha256, @takenAt, @createdAt, @producer)`,
        )
        .run(snapshot);
      return { snapshot, created: true };
    });
  }

  async open(s: SnapshotRecord): Promise<Readable | null> {
    const path = this.pathOf(s.sha256, s.mediaType);
    return (await exists(path)) ? createReadStream(path) : null;
  }

  prune(before: number): Promise<number> {
    return this.serial(async () => {
      const old = this.db.prepare('SELECT sha256, media_type FROM snapshots WHERE created_at < ?').all(before) as {
        sha256: string;
        media_type: SnapshotMediaType;
      }[];
      if (!old.length) return 0;
      const stillUsed = this.db.prepare('SELECT 1 FROM snapshots WHERE sha256 = ? LIMIT 1');
      const orphans = this.db.transaction(() => {
        this.db.prepare('DELETE FROM snapshots WHERE created_at < ?').run(before);
        const files = new Map(old.map((o) => [`${o.sha256}/${o.media_type}`, o]));
        return [...files.values()].filter((o) => !stillUsed.get(o.sha256));
      })();
      for (const o of orphans) await unlink(this.pathOf(o.sha256, o.media_type)).catch(() => undefined);
      return old.length;
    });
  }

  close(): void {
    this.db.close();
  }

  private pathOf(sha256: string, type: SnapshotMediaType): string {
    return join(this.root, sha256.slice(0, 2), `${sha256}.${EXTENSION[type]}`);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
