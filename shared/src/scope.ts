/**
 * Scopes name the areas that statistics, screens and permissions are bounded by:
 * `city:<4 digits>` → `district:<6>` → `street:<9>` → `community:<12>` → `grid:<15>`. A deployment
 * serves one area and everything below it: a district (the default, Pingshan: `district:440310`)
 * or a whole city. Codes nest by prefix (GB/T 10114: community 440310001001 lies in street
 * 440310001, in district 440310, in city 4403), so the scopes an event counts in follow from the
 * code of the smallest area it lies in alone.
 *
 * A grid cell (网格) is coded as its community's 12 digits and a 3-digit sequence within the
 * community (440310001001007 is the 7th cell of 六联社区). That is the structure of the unit-grid
 * codes of CJ/T 213 (county, street, community, then a sequence), with a sequence of 3 digits so
 * that a dense community may have more than 99 cells; and it keeps the one rule every level obeys,
 * that a code starts with the code of the area it lies in.
 */
export const SCOPE_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];
export type ScopeId = `${ScopeLevel}:${string}`;

/** Digits of each level's code. */
export const CODE_DIGITS: Readonly<Record<ScopeLevel, number>> = { city: 4, district: 6, street: 9, community: 12, grid: 15 };

/** Depth of each level, the city first (0). */
export const LEVEL_RANK: Readonly<Record<ScopeLevel, number>> = { city: 0, district: 1, street: 2, community: 3, grid: 4 };

const PATTERNS: Record<ScopeLevel, RegExp> = {
  city: /^\d{4}$/,
  district: /^\d{6}$/,
  street: /^\d{9}$/,
  community: /^\d{12}$/,
  grid: /^\d{15}$/,
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

/** The level below (null for a grid cell). */
export const levelBelow = (level: ScopeLevel): ScopeLevel | null => SCOPE_LEVELS[LEVEL_RANK[level] + 1] ?? null;

/** The levels from `top` down to `bottom` (the grid cell unless told), `top` first. */
export const levelsFrom = (top: ScopeLevel, bottom: ScopeLevel = 'grid'): ScopeLevel[] =>
  SCOPE_LEVELS.slice(LEVEL_RANK[top], LEVEL_RANK[bottom] + 1);

/** The level whose codes have this many digits (a community's code is 12 digits long), or null. */
export function levelOfCode(code: string): ScopeLevel | null {
  return SCOPE_LEVELS.find((l) => CODE_DIGITS[l] === code.length) ?? null;
}

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

/** The scope of an area given by its code alone (`440310001001` → `community:440310001001`), or null. */
export function scopeOfCode(code: string): ScopeId | null {
  const level = levelOfCode(code);
  return level && PATTERNS[level].test(code) ? scopeId(level, code) : null;
}

/**
 * Scope path from the deployment's top level down to an area (a community, or a grid cell): the
 * scopes an event's counters update, the top first. `top` is the level of the area the deployment
 * serves (`district` by default); the area's level follows from the length of its code.
 */
export function scopePath(code: string, top: ScopeLevel = 'district'): ScopeId[] {
  const bottom = levelOfCode(code) ?? 'community';
  return levelsFrom(top, bottom).map((l) => scopeId(l, codeAt(l, code)));
}
