/**
 * The geography file format (see docs/geography.md): one GeoJSON FeatureCollection holding the
 * district, its streets and their communities, each a Polygon or MultiPolygon feature with
 * `level`, `code`, `name`, `nameEn`, `parent` and `center` properties.
 */
import type { ScopeNode } from '@commandhall/shared/scope';

export type AreaLevel = 'district' | 'street' | 'community';

export const LEVELS: readonly AreaLevel[] = ['district', 'street', 'community'];

/** Statistical division codes: 6 digits for a district, 9 for a street, 12 for a community. */
export const CODE_DIGITS: Record<AreaLevel, number> = { district: 6, street: 9, community: 12 };

/** The level an area's `parent` must have (the district has none). */
export const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = { district: null, street: 'district', community: 'street' };

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
  district: AreaInfo;
  /** Sorted by code. */
  streets: AreaInfo[];
  /** Sorted by code. */
  communities: AreaInfo[];
  /** Scope tree: district → streets → communities, children sorted by code. */
  tree: ScopeNode;
  /** The raw validated FeatureCollection, served to the web as is. */
  geojson: unknown;
  /** The area with this code, at any level. */
  area(code: string): AreaInfo | undefined;
  /**
   * Code of the community containing the point, or null when it is outside every community.
   * A point exactly on a shared boundary goes to the community with the lowest code.
   */
  locate(lon: number, lat: number): string | null;
  /**
   * True when `innerCode` lies in `outerCode` by the code hierarchy (community in street, community
   * or street in district). An area contains itself; unknown codes are contained by nothing.
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
