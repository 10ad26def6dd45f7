/** Reading bound values defensively: a metric may be missing, or not the shape the theme expected. */

/** The number a metric holds, or the number `field` names inside an object metric; null otherwise. */
export function numberIn(value: unknown, field?: string): number | null {
  const v = field !== undefined && value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A list metric, or an empty list. */
export const listIn = <T>(value: unknown): readonly T[] => (Array.isArray(value) ? (value as T[]) : []);

/** A record metric of numbers, or undefined. */
export function recordIn(value: unknown): Record<string, number> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number>) : undefined;
}
