/** Reading bound values defensively: a metric may be missing, or not the shape the theme expected. */

/** A record of counts (not a share like `{ rate: null }`): every value a number. */
const isCounts = (v: object): boolean => !Array.isArray(v) && !('rate' in v) && Object.values(v).every((x) => typeof x === 'number');

/**
 * The number a metric holds, or the number `field` names inside an object metric; null otherwise.
 * A record of counts keyed by code carries no key for a code not seen today: that one is 0 (not
 * for a share, `shares: true`, whose missing rate is unknown).
 */
export function numberIn(value: unknown, field?: string, opts: { shares?: boolean } = {}): number | null {
  let v = value;
  if (field !== undefined && value !== null && typeof value === 'object') {
    v = (value as Record<string, unknown>)[field];
    if (v === undefined && !opts.shares && isCounts(value)) return 0;
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A list metric, or an empty list. */
export const listIn = <T>(value: unknown): readonly T[] => (Array.isArray(value) ? (value as T[]) : []);

/** A record metric of numbers, or undefined. */
export function recordIn(value: unknown): Record<string, number> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number>) : undefined;
}
