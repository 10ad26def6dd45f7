/**
 * Configuration from the environment, validated at start. Every setting has a default so that
 * `npm start` needs nothing; a bad value stops the start with a message naming the variable.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { resolve } from 'node:path';

const OnOff = Type.Union([Type.Literal('on'), Type.Literal('off')]);

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP port (0 picks a free one)' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on; 0.0.0.0 for the hall network' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'Where the event log lives' }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'Redis (scale-out mode): Socket.IO between the nodes (Redis streams adapter); unset, one node in memory',
    }),
  ),
  REDIS_PREFIX: Type.String({
    minLength: 1,
    maxLength: 60,
    pattern: '^[A-Za-z0-9:_-]+$',
    default: 'commandhall:',
    description: 'Prefix of every Redis key and stream of this deployment (several can share one Redis)',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL (scale-out mode): the event log is shared by every node; unset, it is embedded SQLite in DATA_DIR',
    }),
  ),
  TICK_MS: Type.Integer({ minimum: 50, maximum: 10_000, default: 500, description: 'Live patch interval' }),
  LIVE_DEFLATE: Type.Union([OnOff], {
    default: 'on',
    description: 'Compress live broadcasts (per-message deflate, once per broadcast for every screen); off sends them as they are',
  }),
  UTC_OFFSET_MINUTES: Type.Integer({ minimum: -720, maximum: 840, default: 480, description: 'District local time (no DST)' }),
  GEOGRAPHY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'GeoJSON of the district or city served; default Pingshan' })),
  PROFILES_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'Community registry (grid statistics, components) for GEOGRAPHY_FILE; default Pingshan' }),
  ),
  GRID_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'Grid cells (GeoJSON) of GEOGRAPHY_FILE; default Pingshan’s with Pingshan, none otherwise' }),
  ),
  COMPONENTS_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'City-component registry of GEOGRAPHY_FILE; default Pingshan’s with Pingshan, none otherwise',
    }),
  ),
  BASEMAP_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Offline basemap (roads, water; GeoJSON lines); default Pingshan’s with Pingshan, none otherwise',
    }),
  ),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s]+$',
      description: 'The address phones reach the app at: what smart-code QR codes point to (default: the address of the request)',
    }),
  ),
  SMART_CODE_REPORTS_PER_HOUR: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 10,
    description: 'Reports one address may file through smart-code pages per hour (and 3× that for one component from everyone)',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SIMULATOR: Type.Union([OnOff], { default: 'on', description: 'Run the built-in district simulator' }),
  SIM_SPEED: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 1, description: 'Simulator speed-up factor' }),
  SIM_APPEALS_PER_DAY: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 800, description: 'Appeals per simulated day' }),
  SIM_SCALE: Type.Number({
    minimum: 0.01,
    maximum: 1000,
    default: 1,
    description: 'Volume of every kind of simulated event, relative to Pingshan (1); a city is about 100',
  }),
  SIM_BACKFILL_DAYS: Type.Integer({ minimum: 0, maximum: 90, default: 30, description: 'History generated on first start' }),
  SIM_SEED: Type.Integer({ default: 20261127, description: 'Random seed of the simulator' }),
  CAMERA_OFFLINE_SECONDS: Type.Integer({
    minimum: 10,
    maximum: 86_400,
    default: 180,
    description: 'Silence after which a camera counts as offline',
  }),
  ALERT_MERGE_MINUTES: Type.Integer({
    minimum: 0,
    maximum: 1440,
    default: 10,
    description: 'Repeated detections (same camera and algorithm) within this many minutes merge into one alert',
  }),
  ALERT_ESCALATE_STREET_MINUTES: Type.Integer({
    minimum: 1,
    maximum: 1440,
    default: 5,
    description: 'An alert nobody acknowledges escalates from its community to its street after this many minutes',
  }),
  ALERT_ESCALATE_DISTRICT_MINUTES: Type.Integer({
    minimum: 1,
    maximum: 1440,
    default: 10,
    description: '…and from the street to the district this many minutes later',
  }),
  HISTORY_DAYS: Type.Integer({
    minimum: 1,
    maximum: 36_600,
    default: 3660,
    description: 'Events that happened more than this many days ago are refused at ingest (the history window)',
  }),
  SNAPSHOT_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30, description: 'How long alert snapshots are kept' }),
  JOB_LEASE_SECONDS: Type.Integer({
    minimum: 2,
    maximum: 3600,
    default: 30,
    description: 'An import or export whose node has not vouched for it this long is failed (its node stopped); scale-out mode',
  }),
  DEMO_MODE: Type.Union([OnOff], {
    default: 'on',
    description:
      'Demo accounts, the well-known demo producer key and a pre-paired district wall; off in production: then nothing is readable without credentials',
  }),
  ADMIN_PASSWORD: Type.Optional(
    Type.String({
      minLength: 10,
      maxLength: 200,
      description: 'Password of the first administrator; if unset, one is generated and printed once',
    }),
  ),
  COOKIE_SECURE: Type.Union(
    ['auto', 'on', 'off'].map((v) => Type.Literal(v)),
    { default: 'auto', description: 'Secure flag on cookies; auto: when the request came over https' },
  ),
  TRUST_PROXY: Type.Union([OnOff], { default: 'off', description: 'Trust X-Forwarded-* from a reverse proxy (client IP, https)' }),
  SESSION_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 12, description: 'Sign-in session lifetime' }),
  LOGIN_MAX_FAILURES: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'Failed sign-ins per username or IP before a lockout',
  }),
  LOGIN_LOCKOUT_MINUTES: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 15, description: 'Lockout after too many failed sign-ins' }),
  INGEST_RATE_PER_SECOND: Type.Number({
    minimum: 0,
    maximum: 10_000,
    default: 20,
    description: 'Batches per second per producer key (0: unlimited)',
  }),
  INGEST_BURST: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 100,
    description: 'Batches a producer key may send at once before the rate applies',
  }),
  CORS_ORIGINS: Type.Optional(
    Type.String({ minLength: 1, description: 'Comma-separated origins allowed to call the API from a browser; none by default' }),
  ),
});
export type Config = Static<typeof ConfigSchema> & { DATA_DIR: string };

const check = Compile(ConfigSchema);
const INTEGER_KEYS = [
  'PORT',
  'SMART_CODE_REPORTS_PER_HOUR',
  'TICK_MS',
  'UTC_OFFSET_MINUTES',
  'SIM_APPEALS_PER_DAY',
  'SIM_BACKFILL_DAYS',
  'SIM_SEED',
  'CAMERA_OFFLINE_SECONDS',
  'ALERT_MERGE_MINUTES',
  'ALERT_ESCALATE_STREET_MINUTES',
  'ALERT_ESCALATE_DISTRICT_MINUTES',
  'HISTORY_DAYS',
  'SNAPSHOT_RETENTION_DAYS',
  'JOB_LEASE_SECONDS',
  'SESSION_HOURS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_LOCKOUT_MINUTES',
  'INGEST_BURST',
];
const NUMBER_KEYS = ['SIM_SPEED', 'SIM_SCALE', 'INGEST_RATE_PER_SECOND'];
// never echoed in an error message: it would land in a log
const SECRET_KEYS = ['ADMIN_PASSWORD'];

export class ConfigError extends Error {}

/** Reads the settings from `env` (process.env by default) over the defaults, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    const text = env[key];
    if (text === undefined || text === '') {
      if ('default' in schema) raw[key] = schema.default;
      continue;
    }
    if (INTEGER_KEYS.includes(key) || NUMBER_KEYS.includes(key)) {
      const n = Number(text);
      if (!Number.isFinite(n) || (INTEGER_KEYS.includes(key) && !Number.isInteger(n))) {
        problems.push(`${key}="${text}" is not ${INTEGER_KEYS.includes(key) ? 'an integer' : 'a number'}`);
        continue;
      }
      raw[key] = n;
    } else raw[key] = text;
  }
  Object.assign(raw, overrides);
  for (const e of check.Errors(raw)) {
    const key = e.instancePath.slice(1) || Object.keys(e.params ?? {}).join(',');
    const desc = (ConfigSchema.properties as Record<string, { description?: string }>)[key]?.description;
    problems.push(`${key}=${SECRET_KEYS.includes(key) ? '(hidden)' : JSON.stringify(raw[key])}: ${e.message}${desc ? ` (${desc})` : ''}`);
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  const config = raw as Config;
  config.DATA_DIR = resolve(config.DATA_DIR);
  return config;
}
