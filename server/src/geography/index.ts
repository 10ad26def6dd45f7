/** The district's geography: areas, scope tree, point → community lookup. See docs/geography.md. */
export type { AreaInfo, AreaLevel, Geography } from './format.ts';
export { GeographyError } from './errors.ts';
export { parseGeography, loadGeography, DEFAULT_GEOGRAPHY_FILE } from './geography.ts';
