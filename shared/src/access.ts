/**
 * Who may read which scope. Shared so that the console's scope picker offers exactly what the
 * server allows; the server is still the one that enforces it.
 */
import { parseScope, type ScopeLevel, type ScopeNode } from './scope.ts';

export const ROLES = ['admin', 'district_director', 'street_director', 'community_director', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** The level a role's scope must have (operators work at any level). */
export const ROLE_LEVEL: Record<Role, ScopeLevel | null> = {
  admin: 'district',
  district_director: 'district',
  street_director: 'street',
  community_director: 'community',
  operator: null,
};

export type PrincipalKind = 'user' | 'device';

/** What access checks need to know about whoever is asking. */
export interface AccessPrincipal {
  kind: PrincipalKind;
  /** Scope the principal is bound to, e.g. `street:440310001`. */
  scope: string;
}

const RANK: Record<ScopeLevel, number> = { district: 0, street: 1, community: 2 };

/**
 * True when `inner` is `outer` or lies below it. Scope codes nest by prefix (district 6 digits,
 * street 9, community 12), and both ids must be well formed: a forged string never matches.
 */
export function scopeWithin(outer: string, inner: string): boolean {
  const o = parseScope(outer);
  const i = parseScope(inner);
  if (!o || !i) return false;
  return (
    RANK[o.level] <= RANK[i.level] && i.code.startsWith(o.code) && i.code.length === { district: 6, street: 9, community: 12 }[i.level]
  );
}

/**
 * A principal reads its scope and everything below it: a street director the street and its
 * communities, a hall's wall device its hall's area (a district wall may show a street's figures).
 */
export function canReadScope(p: AccessPrincipal, scope: string): boolean {
  return scopeWithin(p.scope, scope);
}

/** The part of the scope tree rooted at the principal's scope, or null when it is not in the tree. */
export function subtreeOf(tree: ScopeNode, scope: string): ScopeNode | null {
  if (tree.id === scope) return tree;
  for (const child of tree.children) {
    const found = subtreeOf(child, scope);
    if (found) return found;
  }
  return null;
}

/** Every scope id in a tree, depth first. */
export function scopeIds(tree: ScopeNode): string[] {
  return [tree.id, ...tree.children.flatMap(scopeIds)];
}
