/**
 * Who may read which scope, and who may do what: the roles, their capabilities and the appeal and
 * alert actions each may take. Shared so that the console offers exactly what the server allows;
 * the server is still the one that enforces it.
 */
import { CODE_DIGITS, LEVEL_RANK, parseScope, type ScopeLevel, type ScopeNode } from './scope.ts';
import { APPEAL_ACTIONS, type AppealAction } from './appeal-actions.ts';
import { ALERT_ACTIONS, type AlertAction } from './alert-lifecycle.ts';

export const ROLES = [
  'admin',
  'city_director',
  'district_director',
  'street_director',
  'community_director',
  'operator',
  'grid_worker',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The level a role's scope must have. Operators work at any level; administrators at the top of
 * the deployment, whatever its level (the district, or the city in a city deployment): the server,
 * which knows the top, checks that. A grid worker (网格员) is bound to one grid cell.
 */
export const ROLE_LEVEL: Record<Role, ScopeLevel | null> = {
  admin: null,
  city_director: 'city',
  district_director: 'district',
  street_director: 'street',
  community_director: 'community',
  operator: null,
  grid_worker: 'grid',
};

export type PrincipalKind = 'user' | 'device';

/** Who acts: a person's role, or a wall device. */
export type Actor = Role | 'device';

/** How messages name each actor, in the plural. */
export const ACTOR_NAMES: Record<Actor, string> = {
  admin: 'administrators',
  device: 'wall displays',
  operator: 'operators',
  community_director: 'community directors',
  street_director: 'street directors',
  district_director: 'district directors',
  city_director: 'city directors',
  grid_worker: 'grid workers',
};

const DIRECTORS: readonly Role[] = ['city_director', 'district_director', 'street_director', 'community_director'];

/** Whether a role directs a hall (city, district, street or community): its rotation and its own themes are theirs. */
export const isDirector = (role: string): boolean => (DIRECTORS as readonly string[]).includes(role);

/**
 * What each capability needs. Administrators manage accounts, devices and themes, not cases; wall
 * devices only read. Everything is within the actor's own scope.
 */
const CAPABILITIES = {
  /** Import appeal history from CSV or Excel. */
  'appeals.import': ['admin', ...DIRECTORS],
  /** Act on appeals (which actions: APPEAL_ACTIONS_OF). */
  'appeals.act': ['operator', 'grid_worker', ...DIRECTORS],
  /** Act on video alerts (which actions: ALERT_ACTIONS_OF). */
  'alerts.act': ['operator', ...DIRECTORS],
  /** Accounts, devices, producer keys, the audit log and the quarantine. */
  'admin.manage': ['admin'],
  /** Import grid records (buildings, legal entities, grid workers) from CSV. */
  'records.import': ['admin', ...DIRECTORS],
  /** Print the smart-code labels of city components. */
  'components.labels': ['admin', 'operator', ...DIRECTORS],
} satisfies Record<string, readonly Actor[]>;

export type Capability = keyof typeof CAPABILITIES;

/** Whether an actor has a capability (within its scope). */
export function can(actor: Actor, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Actor[]).includes(actor);
}

/** Operators take every appeal action but deciding extension requests. */
const APPEAL_OPERATOR: readonly AppealAction[] = APPEAL_ACTIONS.filter((a) => a !== 'extend_approve' && a !== 'extend_deny');
/** Directors also decide extension requests (never their own: the server checks who asked). */
const APPEAL_DIRECTOR: readonly AppealAction[] = APPEAL_ACTIONS;

/** The appeal actions each actor may take (within its scope). */
export const APPEAL_ACTIONS_OF: Record<Actor, ReadonlySet<AppealAction>> = {
  admin: new Set(),
  device: new Set(),
  operator: new Set(APPEAL_OPERATOR),
  grid_worker: new Set(APPEAL_OPERATOR),
  community_director: new Set(APPEAL_DIRECTOR),
  street_director: new Set(APPEAL_DIRECTOR),
  district_director: new Set(APPEAL_DIRECTOR),
  city_director: new Set(APPEAL_DIRECTOR),
};

const ALERT_ALL: ReadonlySet<AlertAction> = new Set(ALERT_ACTIONS);
/** The alert actions each actor may take (within its scope). */
export const ALERT_ACTIONS_OF: Record<Actor, ReadonlySet<AlertAction>> = {
  admin: new Set(),
  device: new Set(),
  operator: ALERT_ALL,
  grid_worker: new Set(),
  community_director: ALERT_ALL,
  street_director: ALERT_ALL,
  district_director: ALERT_ALL,
  city_director: ALERT_ALL,
};

/** What access checks need to know about whoever is asking. */
export interface AccessPrincipal {
  kind: PrincipalKind;
  /** Scope the principal is bound to, e.g. `street:440310001`. */
  scope: string;
}

/**
 * True when `inner` is `outer` or lies below it. Scope codes nest by prefix (city 4 digits,
 * district 6, street 9, community 12, grid cell 15), and both ids must be well formed: a forged
 * string never matches.
 */
export function scopeWithin(outer: string, inner: string): boolean {
  const o = parseScope(outer);
  const i = parseScope(inner);
  if (!o || !i) return false;
  return LEVEL_RANK[o.level] <= LEVEL_RANK[i.level] && i.code.startsWith(o.code) && i.code.length === CODE_DIGITS[i.level];
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
