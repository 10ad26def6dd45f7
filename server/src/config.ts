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
  TICK_MS: Type.Integer({ minimum: 50, maximum: 10_000, default: 500, description: 'Live patch interval' }),
  UTC_OFFSET_MINUTES: Type.Integer({ minimum: -720, maximum: 840, default: 480, description: 'District local time (no DST)' }),
  GEOGRAPHY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'District GeoJSON; default Pingshan' })),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  SIMULATOR: Type.Union([OnOff], { default: 'on', description: 'Run the built-in district simulator' }),
  SIM_SPEED: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 1, description: 'Simulator speed-up factor' }),
  SIM_APPEALS_PER_DAY: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 800, description: 'Appeals per simulated day' }),
  SIM_BACKFILL_DAYS: Type.Integer({ minimum: 0, maximum: 90, default: 30, description: 'History generated on first start' }),
  SIM_SEED: Type.Integer({ default: 20261127, description: 'Random seed of the simulator' }),
});
export type Config = Static<typeof ConfigSchema> & { DATA_DIR: string };

const check = Compile(ConfigSchema);
const INTEGER_KEYS = ['PORT', 'TICK_MS', 'UTC_OFFSET_MINUTES', 'SIM_APPEALS_PER_DAY', 'SIM_BACKFILL_DAYS', 'SIM_SEED'];
const NUMBER_KEYS = ['SIM_SPEED'];

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
    problems.push(`${key}=${JSON.stringify(raw[key])}: ${e.message}${desc ? ` (${desc})` : ''}`);
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  const config = raw as Config;
  config.DATA_DIR = resolve(config.DATA_DIR);
  return config;
}
