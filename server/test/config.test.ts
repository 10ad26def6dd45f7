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
});
