/**
 * Scopes name the areas that statistics, screens and permissions are bounded by:
 * `district:440310` → `street:<9-digit code>` → `community:<12-digit code>`.
 */
export type ScopeLevel = 'district' | 'street' | 'community';
export type ScopeId = `${ScopeLevel}:${string}`;

const PATTERNS: Record<ScopeLevel, RegExp> = {
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
  const re = PATTERNS[level];
  return re && re.test(code) ? { level, code } : null;
}

export const scopeId = (level: ScopeLevel, code: string): ScopeId => `${level}:${code}`;

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

/**
 * The code of the street a community belongs to. Community codes extend their street's code by
 * three digits (GB/T 10114: 440310001001 is a community of street 440310001).
 */
export const streetOf = (communityCode: string): string => communityCode.slice(0, 9);

/** Scope path from the district down to a community: the scopes an event's counters update. */
export function scopePath(districtCode: string, communityCode: string): ScopeId[] {
  return [scopeId('district', districtCode), scopeId('street', streetOf(communityCode)), scopeId('community', communityCode)];
}
