/**
 * The geography file format (see docs/geography.md): one GeoJSON FeatureCollection holding the
 * area a deployment serves (a district, or a city and its districts), the streets and their
 * communities, each a Polygon or MultiPolygon feature with `level`, `code`, `name`, `nameEn`,
 * `parent` and `center` properties.
 */
import { CODE_DIGITS, SCOPE_LEVELS, type ScopeId, type ScopeLevel, type ScopeNode } from '@commandhall/shared/scope';

export type AreaLevel = ScopeLevel;

export const LEVELS: readonly AreaLevel[] = SCOPE_LEVELS;

/** Statistical division codes: 4 digits for a city, 6 for a district, 9 for a street, 12 for a community (15 for a grid cell, in the grid file). */
export { CODE_DIGITS };

/**
 * The level an area's `parent` must have. A city has none; a district has its city in a city's
 * file and none in a district's own file (it is then the top).
 */
export const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = {
  city: null,
  district: 'city',
  street: 'district',
  community: 'street',
  grid: 'community',
};

/** The only format version this server reads; a file without `formatVersion` is taken as this one. */
export const FORMAT_VERSION = 1;

/** Share of a community's area allowed outside its street (and a street's outside the district). */
export const CONTAINMENT_TOLERANCE = 0.01;

export interface AreaInfo {
  code: string;
  level: AreaLevel;
  name: string;
  nameEn: string;
  parent: string | null;
  /** [lon, lat] in WGS84, for labels and fly-to. */
  center: [number, number];
}

export type Position = number[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface Geography {
  /** The area the deployment serves, at the top of the tree: the district, or the city. */
  root: AreaInfo;
  /** The root's scope id: `district:440310`, or `city:…` in a city deployment. */
  rootScope: ScopeId;
  /** Sorted by code (one in a district's deployment). */
  districts: AreaInfo[];
  /** Sorted by code. */
  streets: AreaInfo[];
  /** Sorted by code. */
  communities: AreaInfo[];
  /** Grid cells (网格), sorted by code: empty when the deployment has no grid file (grid.ts). */
  cells: AreaInfo[];
  /** Scope tree from the root (city → districts →) streets → communities (→ grid cells), children sorted by code. */
  tree: ScopeNode;
  /** The validated FeatureCollection (with the grid cells, when loaded), served to the web as is. */
  geojson: unknown;
  /** The area with this code, at any level. */
  area(code: string): AreaInfo | undefined;
  /**
   * Code of the community containing the point, or null when it is outside every community.
   * A point exactly on a shared boundary goes to the community with the lowest code.
   */
  locate(lon: number, lat: number): string | null;
  /**
   * The code of the smallest area a point of a community lies in: its grid cell, or the community
   * itself when the community has no cells. A point the rounding of cell outlines left between two
   * cells goes to the cell with the nearest centre.
   */
  placeOf(community: string, lon: number, lat: number): string;
  /**
   * True when `innerCode` lies in `outerCode` by the code hierarchy (grid cell in community, in
   * street, in district, in city). An area contains itself; unknown codes are contained by nothing.
   */
  contains(outerCode: string, innerCode: string): boolean;
}

/** How a feature is named in messages: level, code and name, as far as they are known. */
export function describeFeature(index: number, props: Record<string, unknown> | null): string {
  const parts: string[] = [];
  if (props) {
    if (typeof props.level === 'string') parts.push(props.level);
    if (typeof props.code === 'string' || typeof props.code === 'number') parts.push(String(props.code));
    if (typeof props.name === 'string' && props.name !== '') parts.push(props.name);
  }
  return parts.length > 0 ? `feature #${index} (${parts.join(' ')})` : `feature #${index}`;
}
