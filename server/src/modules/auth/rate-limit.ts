/**
 * Limits: a token bucket per producer key, and sign-in lockout after repeated failures. Held in
 * memory by one node (`MemoryLimits`), or in Redis for all the nodes of a deployment
 * (`RedisLimits`, redis-limits.ts), so that a producer or a guesser cannot multiply its allowance
 * by the number of nodes behind the load balancer.
 */

/** What the auth service asks of its limits, wherever they are kept. */
export interface Limits {
  /** Takes one token of `key`'s bucket; 0 when allowed, else the seconds until one is available. */
  take(key: string, rate: number, burst: number): Promise<number>;
  /** When the key is locked, the time it opens again; otherwise null. */
  lockedUntil(key: string): Promise<number | null>;
  fail(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

export class MemoryLimits implements Limits {
  private buckets: TokenBuckets;
  private lockout: Lockout;
  constructor(now: () => number, maxFailures: number, lockoutMs: number) {
    this.buckets = new TokenBuckets(now);
    this.lockout = new Lockout(now, maxFailures, lockoutMs);
  }
  async take(key: string, rate: number, burst: number): Promise<number> {
    return this.buckets.take(key, rate, burst);
  }
  async lockedUntil(key: string): Promise<number | null> {
    return this.lockout.lockedUntil(key);
  }
  async fail(key: string): Promise<void> {
    this.lockout.fail(key);
  }
  async clear(key: string): Promise<void> {
    this.lockout.clear(key);
  }
}

/** Classic token bucket: `rate` tokens a second, at most `burst` saved up. */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private now: () => number) {}

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, rate: number, burst: number): number {
    if (rate <= 0) return 0; // unlimited
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }
}

/**
 * Counts failed sign-ins per key (a username, an IP) within a window; at `max` failures the key
 * is locked until the window since the first failure has passed. A success clears the username.
 */
export class Lockout {
  private failures = new Map<string, { count: number; first: number; lockedUntil: number }>();

  constructor(
    private now: () => number,
    private max: number,
    private windowMs: number,
  ) {}

  /** When the key is locked, the time it opens again; otherwise null. */
  lockedUntil(key: string): number | null {
    const f = this.failures.get(key);
    if (!f) return null;
    const t = this.now();
    if (f.lockedUntil > t) return f.lockedUntil;
    if (t - f.first >= this.windowMs) this.failures.delete(key);
    return null;
  }

  fail(key: string): void {
    const t = this.now();
    let f = this.failures.get(key);
    if (!f || t - f.first >= this.windowMs || (f.lockedUntil && f.lockedUntil <= t)) f = { count: 0, first: t, lockedUntil: 0 };
    f.count += 1;
    if (f.count >= this.max) f.lockedUntil = t + this.windowMs;
    this.failures.set(key, f);
    // the map must not grow without bound under a spray of usernames
    if (this.failures.size > 100_000) this.sweep();
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, f] of this.failures) if (f.lockedUntil <= t && t - f.first >= this.windowMs) this.failures.delete(k);
  }
}
