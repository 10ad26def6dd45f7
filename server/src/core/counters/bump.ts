/** Adds `by` to a keyed counter, deleting keys that reach zero so snapshots stay small. */
export function bump(counter: Record<string, number>, key: string, by = 1): void {
  const v = (counter[key] ?? 0) + by;
  if (v === 0) delete counter[key];
  else counter[key] = v;
}

/** A record with a zero for every key. */
export const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** num / den to 4 decimals; null without a denominator. */
export const rate = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);

export const oneDecimal = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
