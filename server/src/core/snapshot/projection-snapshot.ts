/**
 * Checkpoints of the in-memory projections, so that a start on a long log loads the state and
 * replays only the tail instead of the whole history. `projections.snapshot` in the data folder:
 * a header line (JSON) and the state (object-graph.ts, `v8.serialize`).
 *
 * A snapshot is used only if it is exactly what a replay would build up to its position:
 * - its key matches: a hash of the code that builds the projections (server/src/core and
 *   modules, shared/src and shared/data) and of the settings they fold with, so any change of a
 *   projection's code or of those settings invalidates it;
 * - the log has, at its position, the event it names (a log replaced, restored or cut short
 *   invalidates it);
 * - its bytes are those written (a checksum).
 * Otherwise the caller is told why, logs it, and replays the whole log into fresh projections.
 * The file is written beside and renamed into place, so a crash while writing leaves the old one.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { EventStore } from '../store/event-store.ts';
import { encodeGraph, restoreInto } from './object-graph.ts';

export const SNAPSHOT_FILE = 'projections.snapshot';
const FORMAT = 1;

interface Header {
  format: number;
  key: string;
  /** The last log position folded into the state, and the id of the event there. */
  seq: number;
  eventId: string;
  bytes: number;
  sha256: string;
  writtenAt: number;
}

/** Where the state is, and what it is of. */
export interface SnapshotTarget {
  dataDir: string;
  /** `projectionCodeKey(…)` of this server. */
  key: string;
  /** The projections' root object. */
  root: object;
  /** Property names of services attached from outside (left out; the fresh projections keep theirs). */
  skip: ReadonlySet<string>;
}

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CODE = ['server/src/core', 'server/src/modules', 'shared/src', 'shared/data'];

/** A hash of the projections' code and data and of `settings` (what they fold with: time zone, alert policy, geography). */
export function projectionCodeKey(settings: unknown): string {
  const h = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]))
      .sort();
  for (const root of CODE) {
    const dir = join(REPO, root);
    if (!existsSync(dir)) continue;
    for (const f of files(dir)) h.update(relative(REPO, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(JSON.stringify(settings));
  return h.digest('hex').slice(0, 32);
}

/** Writes the state as of log position `seq` (the event `eventId`); returns its size. Synchronous: the state cannot move meanwhile. */
export function writeSnapshot(t: SnapshotTarget, seq: number, eventId: string, now = Date.now()): number {
  const body = serialize(encodeGraph(t.root, t.skip));
  const header: Header = {
    format: FORMAT,
    key: t.key,
    seq,
    eventId,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    writtenAt: now,
  };
  const file = join(t.dataDir, SNAPSHOT_FILE);
  const part = `${file}.part`;
  const fd = openSync(part, 'w');
  try {
    writeSync(fd, `${JSON.stringify(header)}\n`);
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(part, file);
  return body.length;
}

/**
 * Restores the snapshot of the data folder into `t.root` (freshly built projections). Resolves to
 * the position it holds (and the event there), null when there is none, or the reason it cannot be used; after a
 * reason `t.root` may hold part of it, and must be built again.
 */
export async function loadSnapshot(
  t: SnapshotTarget,
  store: EventStore,
): Promise<{ seq: number; eventId: string } | { reason: string } | null> {
  const file = join(t.dataDir, SNAPSHOT_FILE);
  if (!existsSync(file)) return null;
  let header: Header;
  let body: Buffer;
  try {
    const all = readFileSync(file);
    const nl = all.indexOf(10);
    header = JSON.parse(all.subarray(0, nl).toString('utf8')) as Header;
    body = all.subarray(nl + 1);
  } catch (err) {
    return { reason: `it cannot be read (${(err as Error).message})` };
  }
  if (header.format !== FORMAT) return { reason: `it is of format ${header.format}, not ${FORMAT}` };
  if (header.key !== t.key) return { reason: 'the projections’ code or settings changed since it was written' };
  const [there] = await store.read([header.seq]);
  if (there?.event.id !== header.eventId)
    return { reason: `the log does not have its last event (#${header.seq}, ${header.eventId}) there: it belongs to another log` };
  if (body.length !== header.bytes || createHash('sha256').update(body).digest('hex') !== header.sha256)
    return { reason: `it is damaged (${statSync(file).size} bytes, checksum differs)` };
  try {
    restoreInto(t.root, deserialize(body), t.skip);
  } catch (err) {
    return { reason: `it could not be restored (${(err as Error).message})` };
  }
  return { seq: header.seq, eventId: header.eventId };
}
