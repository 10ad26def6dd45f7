/**
 * The type size of a KPI figure that fits its tile: the design's 36 px where there is room, smaller
 * for a long figure in a narrow tile (digits and signs are about 0.6 em wide in the wall's font, with
 * 8 px of padding a side), never below 20 px; undefined before the tile is measured (the CSS size).
 */
export const KPI_VALUE_PX = 36;
const MIN_PX = 20;
const EM_PER_CHAR = 0.6;

export function kpiValueSize(text: string, tileWidth: number): number | undefined {
  if (!(tileWidth > 0)) return undefined;
  const fit = Math.floor((tileWidth - 16) / (Math.max(1, text.length) * EM_PER_CHAR));
  return Math.max(MIN_PX, Math.min(KPI_VALUE_PX, fit));
}
