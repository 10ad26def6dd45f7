/**
 * The scope tree ((city →) district → streets → communities) and the geography drawn on the map.
 * Both are loaded once from the server: the tree from `GET /api/v1/scopes`, the geography from
 * `GET /api/v1/geography` (which also carries the English names). Either alone is enough to name
 * every scope.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { CODE_DIGITS, levelAbove, parseScope, type ScopeLevel, type ScopeNode } from '@commandhall/shared/scope';
import { rootScope } from '../deployment.ts';
import type { Lang } from '../format/number.ts';

/** The deployment's geography, whichever district or city it serves. */
export const GEO_URL = '/api/v1/geography';

export interface GeoProps {
  level: ScopeLevel;
  code: string;
  name: string;
  nameEn?: string;
  parent?: string | null;
  center: [number, number];
  schematic?: boolean;
}
export interface GeoFeature {
  type: 'Feature';
  id?: string | number;
  properties: GeoProps;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}
export interface GeoCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

export interface ScopeInfo {
  id: string;
  level: ScopeLevel;
  code: string;
  name: string;
  nameEn: string;
  center: [number, number];
  parent: string | null;
  children: string[];
  /** [west, south, east, north], from the geography when loaded. */
  bbox: [number, number, number, number] | null;
}

function bboxOf(g: GeoFeature['geometry']): [number, number, number, number] {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  const rings = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  for (const poly of rings)
    for (const ring of poly)
      for (const [x, y] of ring) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
  return [w, s, e, n];
}

const idOf = (level: ScopeLevel, code: string) => `${level}:${code}`;

/** `parent` may be a bare code or a scope id; fall back to the code prefix (none for the top). */
function parentIdOf(p: GeoProps): string | null {
  const up = levelAbove(p.level);
  if (!up) return null;
  if (typeof p.parent === 'string' && p.parent) return p.parent.includes(':') ? p.parent : idOf(up, p.parent);
  // a district without a parent is the top of a district's own geography
  return p.level === 'district' ? null : idOf(up, p.code.slice(0, CODE_DIGITS[up]));
}

/** Builds the index from the tree and/or the geography (pure, for tests). */
export function buildScopeIndex(tree: ScopeNode | null, geo: GeoCollection | null): Map<string, ScopeInfo> {
  const index = new Map<string, ScopeInfo>();
  const walk = (n: ScopeNode, parent: string | null) => {
    index.set(n.id, {
      id: n.id,
      level: n.level,
      code: n.code,
      name: n.name,
      nameEn: n.name,
      center: n.center,
      parent,
      children: n.children.map((c) => c.id),
      bbox: null,
    });
    n.children.forEach((c) => walk(c, n.id));
  };
  if (tree) walk(tree, null);
  if (geo) {
    for (const f of geo.features) {
      const p = f.properties;
      if (!p || !p.level || !p.code) continue;
      const id = idOf(p.level, p.code);
      const parentId = parentIdOf(p);
      const cur = index.get(id);
      if (cur) {
        cur.nameEn = p.nameEn || cur.nameEn;
        cur.bbox = bboxOf(f.geometry);
        if (!cur.name) cur.name = p.name;
      } else {
        index.set(id, {
          id,
          level: p.level,
          code: p.code,
          name: p.name,
          nameEn: p.nameEn || p.name,
          center: p.center,
          parent: parentId,
          children: [],
          bbox: bboxOf(f.geometry),
        });
      }
    }
    if (!tree) {
      for (const s of index.values()) if (s.parent && index.has(s.parent)) index.get(s.parent)!.children.push(s.id);
      for (const s of index.values()) s.children.sort();
    }
  }
  return index;
}

export const useScopesStore = defineStore('scopes', () => {
  const tree = shallowRef<ScopeNode | null>(null);
  const geo = shallowRef<GeoCollection | null>(null);
  const index = shallowRef<Map<string, ScopeInfo>>(new Map());
  const loadError = ref<string | null>(null);
  const scopeErrors = ref<Record<string, string>>({});
  let loading: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function fetchJson<T>(url: string): Promise<T> {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** Loads both once; retries every few seconds while the server is not up yet. */
  function load(): Promise<void> {
    loading ??= (async () => {
      for (let attempt = 0; ; attempt++) {
        const [t, g] = await Promise.allSettled([
          tree.value ? Promise.resolve(tree.value) : fetchJson<ScopeNode>('/api/v1/scopes'),
          geo.value ? Promise.resolve(geo.value) : fetchJson<GeoCollection>(GEO_URL),
        ]);
        if (t.status === 'fulfilled') tree.value = t.value;
        if (g.status === 'fulfilled') geo.value = g.value;
        index.value = buildScopeIndex(tree.value, geo.value);
        if (tree.value && geo.value) {
          loadError.value = null;
          return;
        }
        loadError.value = [t, g]
          .filter((r) => r.status === 'rejected')
          .map((r) => String((r as PromiseRejectedResult).reason))
          .join('; ');
        await new Promise<void>((r) => {
          const timer = setTimeout(r, Math.min(10_000, 1000 * 2 ** attempt));
          wake = () => (clearTimeout(timer), r());
        });
        wake = null;
      }
    })();
    return loading;
  }

  /** Try again now (someone just signed in or paired): the tree needs a principal. */
  function retryNow(): void {
    wake?.();
  }

  const get = (id: string | null | undefined) => (id ? index.value.get(id) : undefined);

  function name(id: string, lang: Lang): string {
    const s = index.value.get(id);
    if (!s) return parseScope(id)?.code ?? id;
    return lang === 'en' ? s.nameEn : s.name;
  }

  /** The top first (the district, or the city), down to `id`. */
  function path(id: string): ScopeInfo[] {
    const out: ScopeInfo[] = [];
    for (let s = index.value.get(id); s; s = s.parent ? index.value.get(s.parent) : undefined) out.unshift(s);
    return out;
  }

  /** The deployment's top (its district, or its city), as far as the index knows it. */
  const root = computed(() => index.value.get(rootScope()) ?? [...index.value.values()].find((s) => s.parent === null) ?? null);

  function setScopeError(scope: string, msg: string) {
    scopeErrors.value = { ...scopeErrors.value, [scope]: msg };
  }

  return { tree, geo, index, loadError, scopeErrors, load, retryNow, get, name, path, root, setScopeError };
});
