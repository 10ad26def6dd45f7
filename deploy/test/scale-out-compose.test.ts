/**
 * The scale-out deployment files (deploy/scale-out) say what the server reads: every variable the
 * nodes are given is one the server knows, there are two nodes or more on one PostgreSQL and one
 * Redis, each with a health check on /readyz, and the balancer names every node, keeps a client on
 * one (the polling fallback needs it) and passes WebSocket upgrades. (Docker itself does not run
 * on the test machines: this reads the files.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../server/src/config.ts';

const DIR = join(import.meta.dirname, '..', 'scale-out');
const compose = parse(readFileSync(join(DIR, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: string[] }; depends_on?: unknown }>;
};
const nginx = readFileSync(join(DIR, 'nginx.conf'), 'utf8');
const nodes = Object.entries(compose.services).filter(([, s]) => s.environment?.DATABASE_URL);

describe('the scale-out compose file', () => {
  it('runs two nodes or more, each on the one PostgreSQL and Redis, with a readiness check', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const [, s] of nodes) {
      expect(s.environment!.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(s.environment!.REDIS_URL).toBe('redis://redis:6379');
      expect(s.healthcheck!.test.join(' ')).toContain('/readyz');
    }
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.redis.healthcheck).toBeDefined();
  });

  it('gives the nodes only settings the server knows', () => {
    const known = new Set(Object.keys(ConfigSchema.properties));
    for (const [, s] of nodes) expect(Object.keys(s.environment!).filter((k) => !known.has(k))).toEqual([]);
  });

  it('the city override gives every node the synthetic city, with files the image holds, and only settings the server knows', () => {
    const city = parse(readFileSync(join(DIR, '..', 'city', 'compose.city.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment: Record<string, string> }>;
    };
    const known = new Set(Object.keys(ConfigSchema.properties));
    expect(Object.keys(city.services).sort()).toEqual(nodes.map(([name]) => name).sort());
    for (const s of Object.values(city.services)) {
      expect(Object.keys(s.environment).filter((k) => !known.has(k))).toEqual([]);
      // the Dockerfile copies the repository to /app
      for (const file of [s.environment.GEOGRAPHY_FILE, s.environment.PROFILES_FILE])
        expect(existsSync(join(DIR, '..', '..', file.replace(/^\/app\//, '')))).toBe(true);
    }
  });

  it('balances over every node, sticky, with WebSocket upgrades', () => {
    for (const [name] of nodes) expect(nginx).toContain(`server ${name}:8080`);
    expect(nginx).toMatch(/^\s*ip_hash;/m);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });
});
