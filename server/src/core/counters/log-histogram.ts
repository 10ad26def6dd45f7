/**
 * Bounded duration statistics: a count, an exact sum and a log-scale histogram, mergeable and
 * subtractable, so that a window of days is the sum of one small record per day. Memory is fixed
 * (BUCKETS counters) whatever the number of samples: a median over a million appeals costs the
 * same as over ten.
 */

const MINUTE = 60_000;
/** Buckets per doubling: the geometric centre of a bucket is within 2^(1/16) − 1 ≈ 4.4 % of any value in it. */
export const BUCKETS_PER_DOUBLING = 8;
/** Doublings above one minute before the last, open-ended bucket: 2^18 minutes ≈ 182 days. */
const DOUBLINGS = 18;
/** Bucket 0 holds samples under a minute; bucket i ≥ 1 holds [2^((i−1)/8), 2^(i/8)) minutes. */
export const BUCKETS = 1 + DOUBLINGS * BUCKETS_PER_DOUBLING + 1;

/** The bucket a duration (ms) falls in. */
export function bucketOf(ms: number): number {
  if (!(ms >= MINUTE)) return 0;
  const i = 1 + Math.floor(Math.log2(ms / MINUTE) * BUCKETS_PER_DOUBLING);
  return Math.min(i, BUCKETS - 1);
}

/** The value (minutes) a bucket stands for: its geometric centre; 0.5 for under a minute. */
export function bucketMinutes(i: number): number {
  if (i === 0) return 0.5;
  if (i === BUCKETS - 1) return 2 ** DOUBLINGS;
  return 2 ** ((i - 0.5) / BUCKETS_PER_DOUBLING);
}

export class DurationStats {
  count = 0;
  /** Sum of the samples, ms (integers: exact far beyond any realistic volume). */
  sumMs = 0;
  readonly buckets = new Uint32Array(BUCKETS);

  add(ms: number): void {
    this.count++;
    this.sumMs += ms;
    this.buckets[bucketOf(ms)]++;
  }

  /** Adds (sign 1) or removes (sign −1) every sample of `other`. */
  merge(other: DurationStats, sign: 1 | -1 = 1): void {
    this.count += sign * other.count;
    this.sumMs += sign * other.sumMs;
    for (let i = 0; i < BUCKETS; i++) this.buckets[i] += sign * other.buckets[i];
  }

  clear(): void {
    this.count = 0;
    this.sumMs = 0;
    this.buckets.fill(0);
  }

  meanMinutes(): number | null {
    return this.count > 0 ? this.sumMs / this.count / MINUTE : null;
  }

  /** The lower median (the ⌈n/2⌉-th smallest sample), as its bucket's value in minutes. */
  medianMinutes(): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(this.count / 2);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return bucketMinutes(i);
    }
    return bucketMinutes(BUCKETS - 1); // unreachable while counts agree
  }
}
