/**
 * The real services the scale-out tests need: PostgreSQL (a fresh database per test file, dropped
 * afterwards) and Redis. They run on the development machines and in CI (`.ci/run` starts them);
 * where they are absent the tests that need them are skipped, and the run says so and why.
 *
 *   TEST_POSTGRES_URL  an admin connection (default postgres://postgres@127.0.0.1:5432/postgres)
 *   TEST_REDIS_URL     default redis://127.0.0.1:6379
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let postgres: Promise<string | null> | null = null;

/** Why PostgreSQL cannot be used here, or null when it can. Asked once per test file. */
export function postgresMissing(): Promise<string | null> {
  postgres ??= (async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return null;
    } catch (err) {
      return `PostgreSQL is not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message}); set TEST_POSTGRES_URL or start it (../shared/STACK.md)`;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return postgres;
}

/** Why Redis cannot be used here, or null when it can. */
export async function redisMissing(): Promise<string | null> {
  const url = new URL(REDIS_URL);
  return new Promise((done) => {
    const s = new Socket();
    const fail = (why: string) => (s.destroy(), done(`Redis is not reachable at ${REDIS_URL} (${why}); set TEST_REDIS_URL or start it`));
    s.setTimeout(3000, () => fail('timed out'));
    s.once('error', (e) => fail(e.message));
    s.connect(Number(url.port || 6379), url.hostname, () => {
      s.write('PING\r\n');
      s.once('data', (d) => (s.destroy(), done(d.toString().startsWith('+PONG') ? null : `Redis answered ${d.toString().trim()}`)));
    });
  });
}

/**
 * Says once, in the run's output, what is skipped and why. CI (`.ci/run`, which starts the
 * services) sets COMMANDHALL_REQUIRE_SERVICES=1: there a missing service fails the file instead.
 */
export function saySkipped(what: string, why: string): void {
  if (process.env.COMMANDHALL_REQUIRE_SERVICES === '1') throw new Error(`${what} cannot run, and CI requires it: ${why}`);
  console.warn(`skipped: ${what}: ${why}`);
}

/** A fresh, empty database; `drop` removes it (and any connection left to it). */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
