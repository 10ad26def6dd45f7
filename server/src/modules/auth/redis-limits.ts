/**
 * The limits of rate-limit.ts kept in Redis, for every node of a deployment at once. Each check is
 * one Lua script, so two nodes taking the same key's last token, or counting the same failed
 * sign-in, cannot both win. Times come from the app's clock (the nodes' clocks are NTP-synced;
 * a tenth of a second of skew moves a bucket by a tenth of a token) and every key expires by
 * itself once it no longer matters.
 */
import type { Redis } from 'ioredis';
import type { Limits } from './rate-limit.ts';

// tokens refill at `rate` a second up to `burst`; answers 0 (taken) or the seconds to wait
const TAKE = `
local now, rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.max(1, math.ceil((1 - tokens) / rate)) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait`;

// a failure within the window counts; at `max` the key locks for the window
const FAIL = `
local now, max, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'count', 'first', 'locked')
local count, first, locked = tonumber(f[1]), tonumber(f[2]), tonumber(f[3]) or 0
if not count or now - first >= window or (locked > 0 and locked <= now) then count, first, locked = 0, now, 0 end
count = count + 1
if count >= max then locked = now + window end
redis.call('HSET', KEYS[1], 'count', count, 'first', first, 'locked', locked)
redis.call('PEXPIRE', KEYS[1], window * 2)
return count`;

export class RedisLimits implements Limits {
  constructor(
    private redis: Redis,
    private prefix: string,
    private now: () => number,
    private maxFailures: number,
    private lockoutMs: number,
  ) {}

  async take(key: string, rate: number, burst: number): Promise<number> {
    if (rate <= 0) return 0; // unlimited
    return Number(await this.redis.eval(TAKE, 1, `${this.prefix}bucket:${key}`, this.now(), rate, burst));
  }

  async lockedUntil(key: string): Promise<number | null> {
    const locked = Number(await this.redis.hget(`${this.prefix}lockout:${key}`, 'locked'));
    return locked > this.now() ? locked : null;
  }

  async fail(key: string): Promise<void> {
    await this.redis.eval(FAIL, 1, `${this.prefix}lockout:${key}`, this.now(), this.maxFailures, this.lockoutMs);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}lockout:${key}`);
  }
}
