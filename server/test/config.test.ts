import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../src/config.ts';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', TICK_MS: 500, SIMULATOR: 'on', SIM_SPEED: 1 });
    expect(c.DATA_DIR).toMatch(/data$/);
  });

  it('reads PORT, HOST and DATA_DIR from the environment', () => {
    const c = loadConfig({ PORT: '9090', HOST: '0.0.0.0', DATA_DIR: '/tmp/x' });
    expect(c).toMatchObject({ PORT: 9090, HOST: '0.0.0.0', DATA_DIR: '/tmp/x' });
  });

  it('stops with a message naming every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', TICK_MS: '5', SIMULATOR: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/PORT="eighty" is not an integer/);
    expect(msg).toMatch(/TICK_MS=5: must be >= 50/);
    expect(msg).toMatch(/SIMULATOR/);
  });

  it('has safe defaults for accounts and security, and never echoes ADMIN_PASSWORD', () => {
    expect(loadConfig({})).toMatchObject({
      DEMO_MODE: 'on',
      COOKIE_SECURE: 'auto',
      TRUST_PROXY: 'off',
      LOGIN_MAX_FAILURES: 5,
      LOGIN_LOCKOUT_MINUTES: 15,
      SESSION_HOURS: 12,
    });
    expect(loadConfig({}).CORS_ORIGINS).toBeUndefined();
    expect(loadConfig({ DEMO_MODE: 'off', INGEST_RATE_PER_SECOND: '2.5' })).toMatchObject({
      DEMO_MODE: 'off',
      INGEST_RATE_PER_SECOND: 2.5,
    });
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short-pw' })).toThrow(/ADMIN_PASSWORD=\(hidden\)/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short-pw' })).not.toThrow(/short-pw/);
    expect(() => loadConfig({ DEMO_MODE: 'maybe' })).toThrow(/DEMO_MODE/);
  });
});
