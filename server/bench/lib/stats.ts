/** Small statistics and formatting helpers for the benchmark. */

/** Nearest-rank percentile of an ascending-sorted array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function sortedCopy(xs: Iterable<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(xs: Iterable<number>): Summary {
  const s = sortedCopy(xs);
  let sum = 0;
  for (const x of s) sum += x;
  return {
    count: s.length,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

/** A number for a table: fixed decimals, thousands separators, "—" when not a number. */
export function fmt(x: number | null | undefined, decimals = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export const round = (x: number, decimals = 1): number => (Number.isFinite(x) ? Math.round(x * 10 ** decimals) / 10 ** decimals : NaN);

/** Process CPU in this process, in milliseconds of user + system time. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
