/**
 * Opens the server's PostgreSQL database (scale-out mode, `DATABASE_URL`): one connection pool for
 * the process, and each store's schema brought up to date by its numbered migrations, kept in one
 * table (`commandhall_migrations`: store, version). Nodes that start together take turns through
 * an advisory lock, so a migration runs once, whichever node gets there first.
 */
import pg from 'pg';

/** Advisory lock keys of the whole server, in one place so that no two uses collide. */
export const LOCK = {
  migrations: 0x43480001,
  /** Held by whoever appends to the event log, until its transaction commits. */
  append: 0x43480002,
  /** Held, on a session of its own, by the node that runs the once-only jobs (core/leader.ts). */
  leader: 0x43480003,
  /** With a hash of an owner and a kind (two-key form): held while a node counts and adds that owner's import/export jobs. */
  jobOwner: 0x43480004,
  /** Held while a node creates the first-start accounts, keys and devices (modules/auth/bootstrap.ts). */
  authBootstrap: 0x43480005,
} as const;

// int8 (bigint) columns as numbers: seqs and epoch milliseconds stay far below 2^53
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function openPool(url: string, max = 10): pg.Pool {
  // keepAlive: a peer that vanished (a node's machine, a failed-over primary) is found by TCP, not waited for
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'commandhall', keepAlive: true });
  // an idle client losing its server (a failover, a restart) must not crash the process: the pool drops it
  pool.on('error', () => {});
  return pool;
}

/** Runs `work` in one transaction on a client of its own: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    client.release();
  }
}

/** Runs the store's migrations not yet applied, in order, each in a transaction with its record. */
export async function migrate(pool: pg.Pool, store: string, migrations: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK.migrations]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS commandhall_migrations (
         store TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         PRIMARY KEY (store, version))`,
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM commandhall_migrations WHERE store = $1', [
      store,
    ]);
    const at = rows[0].v ?? 0;
    if (at > migrations.length)
      throw new Error(
        `the ${store} tables have schema version ${at}, newer than this server's ${migrations.length}: they were written by a later version of Command Hall`,
      );
    for (let v = at; v < migrations.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(migrations[v]);
        await client.query('INSERT INTO commandhall_migrations (store, version) VALUES ($1, $2)', [store, v + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${v + 1} of the ${store} tables failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK.migrations]).catch(() => {});
    client.release();
  }
}
