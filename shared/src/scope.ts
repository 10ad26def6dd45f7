/**
 * Scopes name the areas that statistics, screens and permissions are bounded by:
 * `city:<4 digits>` → `district:<6>` → `street:<9>` → `community:<12>`. A deployment serves one
 * area and everything below it: a district (the default, Pingshan: `district:440310`) or a whole
 * city. Codes nest by prefix (GB/T 10114: community 440310001001 lies in street 440310001, in
 * district 440310, in city 4403), so the scopes an event counts in follow from its community's
 * code alone.
 */
export const SCOPE_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];
export type ScopeId = `${ScopeLevel}:${string}`;

/** Digits of each level's code. */
export const CODE_DIGITS: Readonly<Record<ScopeLevel, number>> = { city: 4, district: 6, street: 9, community: 12 };

/** Depth of each level, the city first (0). */
export const LEVEL_RANK: Readonly<Record<ScopeLevel, number>> = { city: 0, district: 1, street: 2, community: 3 };

const PATTERNS: Record<ScopeLevel, RegExp> = {
  city: /^\d{4}$/,
  district: /^\d{6}$/,
  street: /^\d{9}$/,
  community: /^\d{12}$/,
};

export interface ParsedScope {
  level: ScopeLevel;
  code: string;
}

/** Parses `level:code`; returns null for anything that is not a well-formed scope id. */
export function parseScope(id: unknown): ParsedScope | null {
  if (typeof id !== 'string' || id.length > 40) return null;
  const i = id.indexOf(':');
  if (i < 0) return null;
  const level = id.slice(0, i) as ScopeLevel;
  const code = id.slice(i + 1);
  const re = Object.hasOwn(PATTERNS, level) ? PATTERNS[level] : undefined;
  return re && re.test(code) ? { level, code } : null;
}

export const scopeId = (level: ScopeLevel, code: string): ScopeId => `${level}:${code}`;

/** The level above (null for the city). */
export const levelAbove = (level: ScopeLevel): ScopeLevel | null => SCOPE_LEVELS[LEVEL_RANK[level] - 1] ?? null;

/** The level below (null for a community). */
export const levelBelow = (level: ScopeLevel): ScopeLevel | null => SCOPE_LEVELS[LEVEL_RANK[level] + 1] ?? null;

/** The levels from `top` down to the community, `top` first. */
export const levelsFrom = (top: ScopeLevel): ScopeLevel[] => SCOPE_LEVELS.slice(LEVEL_RANK[top]);

/** One node of the scope tree served at `GET /api/v1/scopes`. */
export interface ScopeNode {
  id: ScopeId;
  level: ScopeLevel;
  code: string;
  name: string;
  /** Centre of the area as [lon, lat] (WGS84), for labels and fly-to. */
  center: [number, number];
  children: ScopeNode[];
}

/** The code of the area at `level` that holds an area of a lower level (codes nest by prefix). */
export const codeAt = (level: ScopeLevel, code: string): string => code.slice(0, CODE_DIGITS[level]);

/**
 * The code of the street a community belongs to. Community codes extend their street's code by
 * three digits (GB/T 10114: 440310001001 is a community of street 440310001).
 */
export const streetOf = (communityCode: string): string => codeAt('street', communityCode);

/**
 * Scope path from the deployment's top level down to a community: the scopes an event's counters
 * update, the top first. `top` is the level of the area the deployment serves (`district` by default).
 */
export function scopePath(communityCode: string, top: ScopeLevel = 'district'): ScopeId[] {
  return levelsFrom(top).map((l) => scopeId(l, codeAt(l, communityCode)));
}
