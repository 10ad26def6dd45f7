/**
 * The city-component registry (城市部件): every component of the deployment one by one, with its
 * id (its smart code), type, place, grid cell and, for a smart pole, its road. Read once from
 * COMPONENTS_FILE (scripts/build-spatial.ts writes Pingshan's; docs/grid-and-components.md) and
 * held in typed arrays sorted by cell code, so that the components of any scope are one
 * contiguous run (codes nest by prefix) and a hundred thousand components cost a few megabytes.
 * Statuses are not here: they are facts of the event log (the component projection holds the
 * components that are not normal).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CODE_DIGITS, isKnown, parseScope, scopeId } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';

/** Pingshan's registry, used when the geography is Pingshan's and no COMPONENTS_FILE is set. */
export const DEFAULT_COMPONENTS_FILE: string = fileURLToPath(new URL('../../../../public/geo/pingshan-components.json', import.meta.url));

/** Offsets in the file are in 1e-5 degrees (about 1 m) from the cell's corner. */
const UNIT = 1e5;

export interface RegisteredComponent {
  id: string;
  type: string;
  lon: number;
  lat: number;
  /** Its grid cell's code. */
  cell: string;
  community: string;
  /** The road a smart pole stands on. */
  road: string | null;
}

/** Why a registry file was refused: every problem at once. */
export class ComponentRegistryError extends Error {
  constructor(
    readonly problems: string[],
    source?: string,
  ) {
    super(`component registry${source ? ` ${source}` : ''} is invalid:\n  - ${problems.slice(0, 20).join('\n  - ')}`);
  }
}

type Run = [number, number, number[], number[]?];
type Row = [string, number, number, Run[]];

export class ComponentRegistry {
  readonly size: number;
  readonly types: readonly string[];
  private ids: string[];
  private typeOf: Uint8Array;
  private lon: Float64Array;
  private lat: Float64Array;
  private cellOf: Uint32Array;
  private roadOf: Int16Array;
  private cells: string[];
  private roads: string[];
  private byId = new Map<string, number>();
  /** Cell code → [first, end) index of its components. */
  private runs = new Map<string, [number, number]>();

  private constructor(
    readonly district: string,
    data: { types: string[]; roads: string[]; rows: Row[] },
  ) {
    this.types = data.types;
    this.roads = data.roads;
    const rows = [...data.rows].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    let n = 0;
    for (const r of rows) for (const run of r[3]) n += run[2].length / 2;
    this.size = n;
    this.ids = new Array<string>(n);
    this.typeOf = new Uint8Array(n);
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.cellOf = new Uint32Array(n);
    this.roadOf = new Int16Array(n).fill(-1);
    this.cells = rows.map((r) => r[0]);
    let i = 0;
    rows.forEach(([cell, x0, y0, runs], c) => {
      const start = i;
      for (const [typeNo, first, xy, roads] of runs) {
        for (let k = 0; k < xy.length / 2; k++) {
          this.ids[i] = componentId(district, typeNo, first + k);
          this.typeOf[i] = typeNo - 1;
          this.lon[i] = Math.round(x0 + xy[2 * k]) / UNIT;
          this.lat[i] = Math.round(y0 + xy[2 * k + 1]) / UNIT;
          this.cellOf[i] = c;
          if (roads) this.roadOf[i] = roads[k];
          this.byId.set(this.ids[i], i);
          i++;
        }
      }
      this.runs.set(cell, [start, i]);
    });
  }

  /**
   * Reads and checks a registry against the geography (its district, its cells, the taxonomy).
   * @throws ComponentRegistryError listing every problem
   */
  static parse(json: unknown, geo: Geography, source?: string): ComponentRegistry {
    const problems: string[] = [];
    const doc = json as { district?: unknown; types?: unknown; roads?: unknown; cells?: unknown };
    if (typeof doc !== 'object' || doc === null) throw new ComponentRegistryError(['not a JSON object'], source);
    if (typeof doc.district !== 'string' || doc.district !== geo.root.code)
      problems.push(`district ${JSON.stringify(doc.district)} is not the geography's (${geo.root.code})`);
    const types = Array.isArray(doc.types) ? (doc.types as unknown[]) : [];
    if (types.length === 0 || types.length > 99) problems.push('"types" must list 1 to 99 component types');
    types.forEach((t, i) => {
      if (typeof t !== 'string' || !isKnown('componentType', t))
        problems.push(`types[${i}] ${JSON.stringify(t)} is not a component type of the taxonomy`);
    });
    const roads = Array.isArray(doc.roads) ? (doc.roads as unknown[]).map(String) : [];
    const rows = Array.isArray(doc.cells) ? (doc.cells as Row[]) : [];
    if (!Array.isArray(doc.cells)) problems.push('"cells" must be an array');
    const seen = new Set<string>();
    const serials = new Map<number, Set<number>>();
    rows.forEach((r, i) => {
      const at = `cells[${i}]`;
      if (!Array.isArray(r) || r.length !== 4 || !Array.isArray(r[3])) return problems.push(`${at}: not [cell, x0, y0, runs]`);
      const [cell, x0, y0, runs] = r;
      if (typeof cell !== 'string' || cell.length !== CODE_DIGITS.grid || geo.area(cell)?.level !== 'grid')
        problems.push(`${at}: ${JSON.stringify(cell)} is not a grid cell of the geography`);
      if (seen.has(cell)) problems.push(`${at}: cell ${cell} listed twice`);
      seen.add(cell);
      if (!Number.isInteger(x0) || !Number.isInteger(y0)) problems.push(`${at}: x0 and y0 must be integers (1e-5 degrees)`);
      for (const run of runs) {
        const [typeNo, first, xy, poleRoads] = run;
        if (!Number.isInteger(typeNo) || typeNo < 1 || typeNo > types.length)
          problems.push(`${at}: type number ${typeNo} is not in "types"`);
        if (!Array.isArray(xy) || xy.length % 2 !== 0 || !xy.every(Number.isInteger)) problems.push(`${at}: offsets must be integer pairs`);
        if (!Number.isInteger(first) || first < 1 || first + xy.length / 2 - 1 > 999_999) problems.push(`${at}: serials out of 1–999999`);
        if (
          poleRoads &&
          (!Array.isArray(poleRoads) || poleRoads.length !== xy.length / 2 || poleRoads.some((k) => !(k >= -1 && k < roads.length)))
        )
          problems.push(`${at}: roads must name one road (or -1) per component`);
        const used = serials.get(typeNo) ?? new Set<number>();
        serials.set(typeNo, used);
        for (let k = 0; k < xy.length / 2; k++) {
          if (used.has(first + k)) {
            problems.push(`${at}: serial ${first + k} of type ${typeNo} used twice`);
            break;
          }
          used.add(first + k);
        }
      }
    });
    if (problems.length > 0) throw new ComponentRegistryError(problems, source);
    return new ComponentRegistry(geo.root.code, { types: types as string[], roads, rows });
  }

  /**
   * The registry of `file`, or Pingshan's for Pingshan's geography with grid cells; null (and a
   * warning) when there is none.
   */
  static load(geo: Geography, file: string | undefined, warn: (msg: string) => void): ComponentRegistry | null {
    const path =
      file ??
      (geo.rootScope === 'district:440310' && geo.cells.length > 0 && existsSync(DEFAULT_COMPONENTS_FILE)
        ? DEFAULT_COMPONENTS_FILE
        : undefined);
    if (!path) {
      warn(
        `no city-component registry for ${geo.root.name}: components are counts only, with no map layer and no smart codes (set COMPONENTS_FILE)`,
      );
      return null;
    }
    if (geo.cells.length === 0) throw new ComponentRegistryError(['components are placed in grid cells: set GRID_FILE too'], path);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ComponentRegistryError([(err as Error).message], path);
    }
    return ComponentRegistry.parse(json, geo, path);
  }

  private at(i: number): RegisteredComponent {
    const cell = this.cells[this.cellOf[i]];
    const road = this.roadOf[i];
    return {
      id: this.ids[i],
      type: this.types[this.typeOf[i]],
      lon: this.lon[i],
      lat: this.lat[i],
      cell,
      community: cell.slice(0, CODE_DIGITS.community),
      road: road >= 0 ? this.roads[road] : null,
    };
  }

  get(id: string): RegisteredComponent | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.at(i);
  }

  /** The index range of a scope's components (cells sorted by code: one run per scope). */
  private range(scope: string): [number, number] {
    const s = parseScope(scope);
    if (!s) return [0, 0];
    if (s.level === 'grid') return this.runs.get(s.code) ?? [0, 0];
    let lo = -1;
    let hi = -1;
    for (const [cell, [a, b]] of this.runs)
      if (cell.startsWith(s.code)) {
        if (lo < 0) lo = a;
        hi = b;
      }
    return lo < 0 ? [0, 0] : [lo, hi];
  }

  /** How many components lie in the scope. */
  count(scope: string): number {
    const [a, b] = this.range(scope);
    return b - a;
  }

  /** The scope's components in registry order (by cell, then type and serial), optionally filtered. */
  *within(scope: string, keep?: (type: string, id: string) => boolean): Generator<RegisteredComponent> {
    const [a, b] = this.range(scope);
    for (let i = a; i < b; i++) if (!keep || keep(this.types[this.typeOf[i]], this.ids[i])) yield this.at(i);
  }

  private byCommunityType: Map<string, number[]> | null = null;

  /**
   * The `n`-th component (from 1) of a type in a community, in registry order, or undefined past
   * the last: how a producer that counts by the community registry (the simulator) finds a real one.
   */
  nth(community: string, type: string, n: number): RegisteredComponent | undefined {
    if (!this.byCommunityType) {
      this.byCommunityType = new Map();
      for (let i = 0; i < this.size; i++) {
        const key = `${this.cells[this.cellOf[i]].slice(0, CODE_DIGITS.community)}|${this.types[this.typeOf[i]]}`;
        const list = this.byCommunityType.get(key);
        if (list) list.push(i);
        else this.byCommunityType.set(key, [i]);
      }
    }
    const i = this.byCommunityType.get(`${community}|${type}`)?.[n - 1];
    return i === undefined ? undefined : this.at(i);
  }

  /** Components per type in each cell, for the figures of the grid level. */
  countsByCell(): Map<string, Record<string, number>> {
    const out = new Map<string, Record<string, number>>();
    for (const [cell, [a, b]] of this.runs) {
      const counts: Record<string, number> = {};
      for (let i = a; i < b; i++) {
        const t = this.types[this.typeOf[i]];
        counts[t] = (counts[t] ?? 0) + 1;
      }
      out.set(cell, counts);
    }
    return out;
  }

  /** The scopes of the cells that have components. */
  scopes(): string[] {
    return [...this.runs.keys()].map((c) => scopeId('grid', c));
  }
}

/** A component's id: the district's code, its type number (2 digits) and its serial (6 digits). */
export function componentId(district: string, typeNo: number, serial: number): string {
  return `${district}${String(typeNo).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
}
