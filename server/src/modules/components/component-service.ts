/**
 * The components a principal may see: lists by scope, type and status, one component's detail
 * with what went through its smart code, and the public view the scan page shows. Statuses come
 * from the component projection (the components not normal); places and names from the registry
 * and the geography. Every view goes out through the classification table (`classify`).
 */
import {
  COMPONENT_STATUSES,
  canReadScope,
  classify,
  parseScope,
  scopeId,
  streetOf,
  type AccessPrincipal,
  type ComponentStatus,
  type Reader,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import { RequestError } from '../../util/request-error.ts';
import type { CityProjections } from '../city-projections.ts';
import type { ComponentRegistry, RegisteredComponent } from './component-registry.ts';
import type { RaisedAppeal, ScanRecord } from './component-activity.ts';

export class ComponentError extends RequestError {}

export interface ComponentView {
  id: string;
  type: string;
  lon: number;
  lat: number;
  cell: string;
  cellName: string;
  community: string;
  communityName: string;
  street: string;
  streetName: string;
  road: string | null;
  status: ComponentStatus;
}

export interface ComponentDetail extends ComponentView {
  scansTotal?: number;
  appealsTotal?: number;
  scans?: ScanRecord[];
  appeals?: (RaisedAppeal & { status: string | null })[];
}

export interface ListQuery {
  scope?: string;
  type?: string;
  status?: ComponentStatus;
  limit?: number;
  offset?: number;
}

export const LIST_MAX = 500;

/** Whoever reads: its scope for the checks, its role and clearance for the classification. */
export type ComponentReader = AccessPrincipal & { role: string; pii: boolean };

export class ComponentService {
  constructor(
    readonly registry: ComponentRegistry,
    private geo: Geography,
    private engine: CityProjections,
  ) {}

  statusOf(id: string): ComponentStatus {
    return this.engine.components.get(id)?.status ?? 'normal';
  }

  /** The component with the names of where it stands (no classification applied). */
  view(c: RegisteredComponent, status: ComponentStatus = this.statusOf(c.id)): ComponentView {
    const street = streetOf(c.community);
    return {
      id: c.id,
      type: c.type,
      lon: c.lon,
      lat: c.lat,
      cell: c.cell,
      cellName: this.geo.area(c.cell)?.name ?? c.cell,
      community: c.community,
      communityName: this.geo.area(c.community)?.name ?? c.community,
      street,
      streetName: this.geo.area(street)?.name ?? street,
      road: c.road,
      status,
    };
  }

  /** The scope asked, checked against the reader's area: 403 outside it, 404 for no such area. */
  checkScope(who: AccessPrincipal, scope: string | undefined): string {
    const s = scope ?? who.scope;
    if (!parseScope(s)) throw new ComponentError(400, 'invalid_scope', `"${s}" is not a scope (e.g. community:440310001001)`);
    if (!canReadScope(who, s)) throw new ComponentError(403, 'forbidden', 'this scope is outside your area');
    if (!this.engine.hasScope(s)) throw new ComponentError(404, 'unknown_scope', `unknown scope "${s}"`);
    return s;
  }

  list(who: ComponentReader, q: ListQuery): { scope: string; total: number; items: ComponentView[] } {
    const scope = this.checkScope(who, q.scope);
    const limit = Math.min(q.limit ?? 100, LIST_MAX);
    const offset = q.offset ?? 0;
    const notNormal = this.engine.components;
    const keep = (type: string, id: string) =>
      (!q.type || type === q.type) && (!q.status || (notNormal.get(id)?.status ?? 'normal') === q.status);
    const items: ComponentView[] = [];
    let total = 0;
    for (const c of this.registry.within(scope, q.type || q.status ? keep : undefined)) {
      if (total >= offset && items.length < limit) items.push(classify('component', this.view(c), who));
      total++;
    }
    return { scope, total, items };
  }

  /** One component in the reader's area, with its scans and the appeals raised through it; 404 otherwise. */
  detail(who: ComponentReader, id: string): ComponentDetail {
    const c = this.registry.get(id);
    if (!c || !canReadScope(who, scopeId('grid', c.cell))) throw new ComponentError(404, 'not_found', `no component "${id}" in your area`);
    const activity = this.engine.componentActivity.of(id);
    const appeals = this.engine.appeals;
    const detail: ComponentDetail = {
      ...this.view(c),
      scansTotal: activity.scansTotal,
      appealsTotal: activity.appealsTotal,
      scans: activity.scans,
      appeals: activity.appeals.map((a) => ({ ...a, status: appeals.get(a.appealId)?.status ?? null })),
    };
    return classify('component', detail, who);
  }

  /** What anyone who scanned the code sees (public fields only), or 404. */
  publicView(id: string): ComponentView {
    const c = this.registry.get(id);
    if (!c) throw new ComponentError(404, 'not_found', `no city component has the code "${id}"`);
    return classify('component', this.view(c), null as Reader);
  }
}

export const STATUS_LIST = COMPONENT_STATUSES;
