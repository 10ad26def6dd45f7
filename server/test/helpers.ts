/** Test helpers: an app on a temporary data folder with a controllable clock, and event builders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { hashToken, newToken } from '../src/modules/auth/tokens.ts';
import { DEFAULT_GEOGRAPHY_FILE, loadGeography } from '../src/geography/index.ts';
import { freshDatabase } from './services.ts';

/** A clock tests move by hand. Starts at 2026-11-27 10:00 in Shenzhen (02:00 UTC). */
export function testClock(start = Date.parse('2026-11-27T02:00:00Z')) {
  let t = start;
  const now = () => t;
  return { now, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'commandhall-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TEST_ADMIN_PASSWORD = 'test-admin-password';

/**
 * The suite's second run (`server-pg` in vitest.config.ts, TEST_STORE=postgres) puts every app's
 * event log, and with it every store that follows DATABASE_URL (accounts included), in PostgreSQL: one fresh database per data folder, so that an app opened again on the
 * same folder (a restart) finds its log, as it would find its SQLite file. Dropped after the file.
 */
const testDatabases = new Map<string, { url: string; drop: () => Promise<void> }>();
async function sharedLogFor(dataDir: string): Promise<{ DATABASE_URL?: string }> {
  if (process.env.TEST_STORE !== 'postgres') return {};
  let db = testDatabases.get(dataDir);
  if (!db) testDatabases.set(dataDir, (db = await freshDatabase()));
  return { DATABASE_URL: db.url };
}
export async function dropTestDatabases(): Promise<void> {
  for (const db of testDatabases.values()) await db.drop();
  testDatabases.clear();
}

/** The test key's secret per shared database: a second node on it uses the first one's. */
const sharedTestKeys = new Map<string, string>();

/**
 * The test producer key `test`, unlimited: its secret renewed for this app, except on a database
 * another app of this run already holds it on (two nodes share their accounts, keys included:
 * renewing would take it away from the first).
 */
async function testKey(app: FastifyInstance, databaseUrl: string | undefined): Promise<string> {
  const known = databaseUrl && sharedTestKeys.get(databaseUrl);
  if (known && (await app.auth.producerFromKey(known))) return known;
  const key = newToken('key');
  const existing = await app.auth.store.keyByName('test');
  if (existing) await app.auth.store.renewKey(existing.id, hashToken(key));
  else await app.auth.issueProducerKey({ name: 'test', ratePerSecond: 0, token: key }, { actor: 'test', ip: null });
  if (databaseUrl) sharedTestKeys.set(databaseUrl, key);
  return key;
}

/** Credentials makeApp prepared for each app: a producer key for post(), an admin session for get(). */
const creds = new WeakMap<FastifyInstance, { key: string; cookie: string; csrf: string }>();

/**
 * An app on `dataDir`, demo mode off unless `env` turns it on, with a producer key for every
 * event type (unlimited rate) and a signed-in administrator, used by post() and get().
 */
export async function makeApp(opts: {
  dataDir: string;
  now?: () => number;
  env?: Record<string, string>;
  /** Where the app's log goes (none by default). */
  logger?: Parameters<typeof buildApp>[0]['logger'];
}): Promise<FastifyInstance> {
  const config: Config = loadConfig({
    ...(await sharedLogFor(opts.dataDir)),
    SIMULATOR: 'off',
    DEMO_MODE: 'off',
    // tests move the clock by days: the test admin's session must outlive them
    SESSION_HOURS: '720',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    TICK_MS: '100',
    DATA_DIR: opts.dataDir,
    ...opts.env,
  });
  const app = await buildApp({ config, now: opts.now, logger: opts.logger ?? false });
  const key = await testKey(app, config.DATABASE_URL);
  const login = await app.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.9');
  // with ADMIN_PASSWORD='' the admin's password is generated: there is no admin session then
  if (!login.ok && config.ADMIN_PASSWORD) throw new Error('test admin cannot sign in');
  creds.set(
    app,
    login.ok ? { key, cookie: `ch_session=${login.session}; ch_csrf=${login.csrf}`, csrf: login.csrf } : { key, cookie: '', csrf: '' },
  );
  return app;
}

/** The test producer key, the admin's cookie header and CSRF token of an app from makeApp. */
export function credsOf(app: FastifyInstance) {
  const c = creds.get(app);
  if (!c) throw new Error('not an app from makeApp');
  return c;
}

/** GET as the signed-in administrator. */
export async function get(app: FastifyInstance, url: string) {
  return app.inject({ method: 'GET', url, headers: { cookie: credsOf(app).cookie } });
}

const geography = loadGeography(DEFAULT_GEOGRAPHY_FILE);

/** A point inside a community of the default geography (its centre): where its events happen. */
export function pointOf(community: string): { lon: number; lat: number } {
  const c = geography.area(community)?.center;
  if (!c) throw new Error(`no community ${community} in the default geography`);
  return { lon: c[0], lat: c[1] };
}

// A point inside 六联社区 (坪山街道): its approximate centre.
export const LIULIAN = { code: '440310001001', lon: 114.325325, lat: 22.695235 };
export const KENGZI = { code: '440310005001', lon: 114.378589, lat: 22.749569 };

let n = 0;
export function appealCreated(
  at: number,
  over: Partial<{
    appealId: string;
    id: string;
    where: { lon: number; lat: number };
    category: string;
    channel: string;
    nature: string;
  }> = {},
): CityEvent {
  const appealId = over.appealId ?? `AP-${++n}`;
  return {
    id: over.id ?? `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: over.channel ?? 'hotline_12345',
      nature: over.nature ?? 'request',
      category: over.category ?? '5',
      title: '路灯不亮',
      location: { lon: (over.where ?? LIULIAN).lon, lat: (over.where ?? LIULIAN).lat },
      reporter: { name: '张三', phone: '13812341234' },
    },
  };
}

export function appealMoved(at: number, appealId: string, to: string, extra: Record<string, unknown> = {}): CityEvent {
  return {
    id: `${appealId}.${to}.${at}`,
    type: 'appeal.transitioned',
    occurredAt: new Date(at).toISOString(),
    data: { appealId, to, ...extra },
  } as CityEvent;
}

export function alertRaised(at: number, alertId: string, where = LIULIAN, algorithm = 'shop_outside'): CityEvent {
  return {
    id: `${alertId}.raised`,
    type: 'video_alert.raised',
    occurredAt: new Date(at).toISOString(),
    data: { alertId, cameraId: 'CAM-1', algorithm, confidence: 0.9, location: { lon: where.lon, lat: where.lat } },
  };
}

/** Posts a batch with the app's test producer key. */
export async function post(app: FastifyInstance, events: unknown[]) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${credsOf(app).key}` },
    payload: { events },
  });
}
