/**
 * PostgreSQL and Redis for the scale-out parts of the bench: whether they are reachable (and why
 * not), a fresh database per run (dropped afterwards), the CPU of PostgreSQL's processes that
 * serve it, and the removal of a run's Redis keys.
 *
 *   BENCH_POSTGRES_URL  an admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_REDIS_URL     default redis://127.0.0.1:6379
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { procCpuMs } from './proc.ts';

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const shown = (url: string) => url.replace(/\/\/[^@]*@/, '//');

async function admin<T>(run: (c: pg.Client) => Promise<T>, url = POSTGRES_ADMIN_URL): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Why PostgreSQL cannot be used, or null when it can. */
export async function postgresMissing(): Promise<string | null> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return null;
  } catch (err) {
    return `PostgreSQL is not reachable at ${shown(POSTGRES_ADMIN_URL)} (${(err as Error).message || (err as Error).name}); set BENCH_POSTGRES_URL`;
  }
}

/** Why Redis cannot be used, or null when it can. */
export async function redisMissing(): Promise<string | null> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  let cause = '';
  r.on('error', (e: Error) => (cause ||= e.message));
  try {
    await r.connect();
    const pong = await r.ping();
    return pong === 'PONG' ? null : `Redis at ${shown(REDIS_URL)} answered ${pong}`;
  } catch (err) {
    return `Redis is not reachable at ${shown(REDIS_URL)} (${cause || (err as Error).message}); set BENCH_REDIS_URL`;
  } finally {
    r.disconnect();
  }
}

export interface FreshDatabase {
  name: string;
  url: string;
  /** Events in its log. */
  count: () => Promise<number>;
  drop: () => Promise<void>;
}

/** Databases and Redis prefixes not yet removed, for a bench stopped midway (Ctrl-C, the watchdog). */
const leftovers = { databases: new Set<string>(), prefixes: new Set<string>() };

const dropDatabase = async (name: string) => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  leftovers.databases.delete(name);
};

/** A new, empty database on the server of POSTGRES_ADMIN_URL. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `b_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  leftovers.databases.add(name);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    count: () => admin(async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n), url.toString()),
    drop: () => dropDatabase(name),
  };
}

/** Removes what freshDatabase and redisPrefix made and nothing removed yet (the servers must be stopped first). */
export async function dropServices(): Promise<void> {
  for (const name of [...leftovers.databases]) await dropDatabase(name).catch(() => {});
  for (const prefix of [...leftovers.prefixes]) await dropRedisKeys(prefix).catch(() => {});
}

/**
 * PostgreSQL's processes that work for the database `name`: its backends (the nodes' pools) and
 * the shared WAL writer, checkpointer and background writer (which also serve any other database
 * on that server). Empty when PostgreSQL runs elsewhere (its processes are not in our /proc).
 */
async function postgresPids(name: string): Promise<number[]> {
  const { rows } = await admin((c) =>
    c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = $1 OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
      [name],
    ),
  );
  return rows.map((r) => r.pid).filter((pid) => Number.isFinite(procCpuMs(pid)));
}

/**
 * CPU PostgreSQL spent for a database between two calls (% of one core, NaN when its processes
 * cannot be read). A backend that ended inside the window is not counted; one that began inside
 * it counts from its start.
 */
export async function postgresCpuWindow(name: string): Promise<() => Promise<number>> {
  const start = new Map((await postgresPids(name)).map((pid) => [pid, procCpuMs(pid)]));
  const t0 = performance.now();
  return async () => {
    const pids = await postgresPids(name);
    const wallMs = performance.now() - t0;
    if (!pids.length) return NaN;
    let ms = 0;
    for (const pid of pids) ms += procCpuMs(pid) - (start.get(pid) ?? 0);
    return (100 * ms) / wallMs;
  };
}

/** Redis's process id when it runs on this machine (its CPU is then read from /proc), else undefined. */
export async function redisPid(): Promise<number | undefined> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  try {
    const pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
    return Number.isFinite(procCpuMs(pid)) ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** A key prefix for one run's Redis keys and streams. */
export function redisPrefix(): string {
  const prefix = `b${randomBytes(4).toString('hex')}:`;
  leftovers.prefixes.add(prefix);
  return prefix;
}

/** Deletes every Redis key under `prefix` (the adapter's stream, rate buckets). */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    leftovers.prefixes.delete(prefix);
  } finally {
    r.disconnect();
  }
}
