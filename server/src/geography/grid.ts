/**
 * Grid cells (网格), the level below the community: read from their own GeoJSON file (GRID_FILE,
 * written by scripts/build-spatial.ts; docs/grid-and-components.md), validated against the
 * geography, and joined to it. The joined geography has the cells in its scope tree, its area
 * index and its served GeoJSON, and places a community's point in its cell (`placeOf`); the rest of
 * the server then treats `grid:` scopes like any other level.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scopeId, type ScopeNode } from '@commandhall/shared/scope';
import { GeographyError } from './errors.ts';
import { CODE_DIGITS, describeFeature, type AreaGeometry, type AreaInfo, type Geography } from './format.ts';
import { createLocator } from './locate.ts';
import { checkGeometry } from './validate-geometry.ts';

/** Pingshan's grid cells, used when the geography is Pingshan's and no GRID_FILE is set. */
export const DEFAULT_GRID_FILE: string = fileURLToPath(new URL('../../../public/geo/pingshan-grid.geojson', import.meta.url));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Cell {
  info: AreaInfo;
  geometry: AreaGeometry;
}

/** Checks a grid file against the geography: every problem at once, like the geography's own check. */
function validateCells(json: unknown, geo: Geography): { problems: string[]; cells: Cell[] } {
  const problems: string[] = [];
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features))
    return { problems: ['not a GeoJSON FeatureCollection with a "features" array'], cells: [] };
  const cells: Cell[] = [];
  const seen = new Set<string>();
  json.features.forEach((f: unknown, i: number) => {
    const props = isRecord(f) && isRecord(f.properties) ? f.properties : null;
    const label = describeFeature(i, props);
    const problem = (msg: string) => problems.push(`${label}: ${msg}`);
    if (!props || !isRecord(f)) return problem('not a Feature with properties');
    const geometry = checkGeometry(label, f.geometry);
    problems.push(...geometry.problems);
    const { level, code, parent, name, nameEn, center } = props;
    if (level !== 'grid') return problem(`property "level" must be "grid" (got ${JSON.stringify(level)})`);
    if (typeof code !== 'string' || !new RegExp(`^\\d{${CODE_DIGITS.grid}}$`).test(code))
      return problem(`a grid cell's code has ${CODE_DIGITS.grid} digits (got ${JSON.stringify(code)})`);
    if (seen.has(code)) return problem(`duplicate code ${code}`);
    seen.add(code);
    if (typeof parent !== 'string' || geo.area(parent)?.level !== 'community')
      return problem(`parent ${JSON.stringify(parent)} is not a community of the geography`);
    if (!code.startsWith(parent)) return problem(`code ${code} does not start with its community's code ${parent}`);
    if (typeof name !== 'string' || !name.trim()) return problem('missing or empty property "name"');
    const c = center;
    if (!Array.isArray(c) || c.length !== 2 || !c.every((v) => Number.isFinite(v)))
      return problem(`property "center" must be [lon, lat] (got ${JSON.stringify(c)})`);
    // a full containment test costs a polygon difference per cell at every start: the centre is
    // the cheap check that catches a cell filed under the wrong community
    if (geo.locate(c[0], c[1]) !== parent) problem(`its centre ${JSON.stringify(c)} is not in its community ${parent}`);
    if (!geometry.geometry) return;
    cells.push({
      info: Object.freeze({
        code,
        level: 'grid',
        name,
        nameEn: typeof nameEn === 'string' && nameEn ? nameEn : name,
        parent,
        center: Object.freeze([c[0], c[1]]) as [number, number],
      }),
      geometry: geometry.geometry,
    });
  });
  return { problems, cells: cells.sort((a, b) => (a.info.code < b.info.code ? -1 : 1)) };
}

/** The scope tree with each community's cells below it (a copy: the geography's own is left as it is). */
function treeWithCells(node: ScopeNode, byCommunity: Map<string, AreaInfo[]>): ScopeNode {
  const cells = node.level === 'community' ? (byCommunity.get(node.code) ?? []) : [];
  return {
    ...node,
    children:
      node.level === 'community'
        ? cells.map((c) => ({
            id: scopeId('grid', c.code),
            level: 'grid',
            code: c.code,
            name: c.name,
            center: [c.center[0], c.center[1]],
            children: [],
          }))
        : node.children.map((n) => treeWithCells(n, byCommunity)),
  };
}

/**
 * The geography with its grid cells.
 * @param json the grid file's parsed GeoJSON
 * @throws GeographyError listing every problem
 */
export function withGrid(geo: Geography, json: unknown, source?: string): Geography {
  const { problems, cells } = validateCells(json, geo);
  if (problems.length > 0) throw new GeographyError(problems, source);
  const byCommunity = new Map<string, AreaInfo[]>();
  const shapes = new Map<string, { code: string; geometry: AreaGeometry }[]>();
  for (const c of cells) {
    const p = c.info.parent!;
    byCommunity.set(p, [...(byCommunity.get(p) ?? []), c.info]);
    shapes.set(p, [...(shapes.get(p) ?? []), { code: c.info.code, geometry: c.geometry }]);
  }
  const locators = new Map([...shapes].map(([community, list]) => [community, createLocator(list)]));
  const index = new Map(cells.map((c) => [c.info.code, c.info]));
  const served = geo.geojson as { features: unknown[] };
  return {
    ...geo,
    cells: cells.map((c) => c.info),
    tree: treeWithCells(geo.tree, byCommunity),
    // what the map draws: only what the web needs of a cell (a grid file may carry more)
    geojson: {
      ...served,
      features: [
        ...served.features,
        ...cells.map((c) => ({ type: 'Feature', properties: { ...c.info, center: [...c.info.center] }, geometry: c.geometry })),
      ],
    },
    area: (code) => index.get(code) ?? geo.area(code),
    contains(outer, inner) {
      const cell = index.get(inner);
      if (!cell) return geo.contains(outer, inner);
      return outer === inner || geo.contains(outer, cell.parent!);
    },
    placeOf(community, lon, lat) {
      const locate = locators.get(community);
      if (!locate) return community;
      const found = locate(lon, lat);
      if (found) return found;
      // outside every cell of the community (a sliver between rounded outlines, or a point its
      // producer placed in the community by code): the cell whose centre is nearest
      let best = community;
      let d = Infinity;
      for (const c of byCommunity.get(community)!) {
        const e = (c.center[0] - lon) ** 2 + (c.center[1] - lat) ** 2;
        if (e < d) [best, d] = [c.code, e];
      }
      return best;
    },
  };
}

/**
 * The geography joined to its grid file: `GRID_FILE`, or Pingshan's for Pingshan's geography.
 * Without one the deployment runs without grid cells, and `warn` says so.
 */
export function loadGrid(geo: Geography, file: string | undefined, warn: (msg: string) => void): Geography {
  const path = file ?? (geo.rootScope === 'district:440310' && existsSync(DEFAULT_GRID_FILE) ? DEFAULT_GRID_FILE : undefined);
  if (!path) {
    warn(
      `no grid cells for ${geo.root.name}: the deployment runs without a grid level (set GRID_FILE; scripts/build-spatial.ts writes one)`,
    );
    return geo;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GeographyError([`grid file ${path}: ${(err as Error).message}`]);
  }
  return withGrid(geo, json, path);
}
