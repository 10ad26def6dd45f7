/**
 * Rate limits and sign-in lockouts behave the same kept in memory (one node) and in Redis (every
 * node of a deployment), and in Redis two nodes share one allowance: a producer sending through
 * both gets no more than through one. Needs Redis for the second half; skipped, saying why.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryLimits, type Limits } from '../../src/modules/auth/rate-limit.ts';
import { RedisLimits } from '../../src/modules/auth/redis-limits.ts';
import { REDIS_URL, redisMissing, saySkipped } from '../services.ts';

const missing = await redisMissing();
if (missing) saySkipped('limits in Redis', missing);
const MAX = 3;
const LOCK_MS = 60_000;
const clients: Redis[] = [];
const prefix = `t${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  if (clients[0]) {
    const keys = await clients[0].keys(`${prefix}*`);
    if (keys.length) await clients[0].del(...keys);
  }
  for (const c of clients) c.disconnect();
});

function clock() {
  let t = Date.parse('2026-12-03T02:00:00Z');
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
const kinds: { name: string; make: (now: () => number) => Limits }[] = [
  { name: 'memory', make: (now) => new MemoryLimits(now, MAX, LOCK_MS) },
];
if (!missing)
  kinds.push({
    name: 'Redis',
    make: (now) => {
      const c = new Redis(REDIS_URL);
      clients.push(c);
      return new RedisLimits(c, `${prefix}${randomBytes(3).toString('hex')}:`, now, MAX, LOCK_MS);
    },
  });

for (const kind of kinds) {
  describe(`limits in ${kind.name}`, () => {
    it('a bucket gives its burst, then one token a 1/rate seconds, and says how long to wait', async () => {
      const t = clock();
      const l = kind.make(t.now);
      const takes = [];
      for (let i = 0; i < 5; i++) takes.push(await l.take('key:1', 2, 4));
      expect(takes).toEqual([0, 0, 0, 0, 1]); // 4 saved up, then wait
      t.advance(500); // half a second at 2/s: one token
      expect(await l.take('key:1', 2, 4)).toBe(0);
      expect(await l.take('key:1', 2, 4)).toBe(1);
      expect(await l.take('key:2', 2, 4)).toBe(0); // another key has its own
      expect(await l.take('key:3', 0, 1)).toBe(0); // rate 0: unlimited
    });

    it('locks a key after the failures allowed, until the window has passed; a success clears it', async () => {
      const t = clock();
      const l = kind.make(t.now);
      for (let i = 0; i < MAX - 1; i++) await l.fail('user:zhang');
      expect(await l.lockedUntil('user:zhang')).toBeNull();
      await l.fail('user:zhang');
      expect(await l.lockedUntil('user:zhang')).toBe(t.now() + LOCK_MS);
      t.advance(LOCK_MS + 1);
      expect(await l.lockedUntil('user:zhang')).toBeNull();
      await l.fail('user:li');
      await l.clear('user:li');
      for (let i = 0; i < MAX - 1; i++) await l.fail('user:li');
      expect(await l.lockedUntil('user:li')).toBeNull(); // the cleared failure no longer counts
    });
  });
}

describe.skipIf(missing)('limits shared by two nodes (Redis)', () => {
  it('one bucket and one lockout for the key, whichever node is asked', async () => {
    const t = clock();
    const c = new Redis(REDIS_URL);
    const d = new Redis(REDIS_URL);
    clients.push(c, d);
    const shared = `${prefix}shared:`;
    const [a, b] = [new RedisLimits(c, shared, t.now, MAX, LOCK_MS), new RedisLimits(d, shared, t.now, MAX, LOCK_MS)];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take('key:9', 1, 4)));
    expect(answers.filter((w) => w === 0)).toHaveLength(4);
    await a.fail('ip:10.0.0.1');
    await b.fail('ip:10.0.0.1');
    await a.fail('ip:10.0.0.1');
    expect(await b.lockedUntil('ip:10.0.0.1')).toBe(t.now() + LOCK_MS);
  });
});
