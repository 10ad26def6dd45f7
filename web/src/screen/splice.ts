/**
 * Splicing: one logical screen across N×M monitors. Each monitor opens the same hall with the
 * wall's shape and its own place in it (`?tiles=2x1&tile=1,0`, columns × rows, zero-based), draws
 * the whole screen at the size of the whole wall and shows only its part, so content lines up
 * across the seams whatever each monitor's browser does. Bezels are not compensated.
 */
export interface Tile {
  cols: number;
  rows: number;
  col: number;
  row: number;
}

export const MAX_TILES = 8;
const ALONE: Tile = { cols: 1, rows: 1, col: 0, row: 0 };

/** Reads `tiles` and `tile` from a route query; anything malformed or out of range is one monitor alone. */
export function parseTile(query: Record<string, unknown>): Tile {
  const size = /^(\d)x(\d)$/.exec(String(query.tiles ?? ''));
  if (!size) return ALONE;
  const cols = Number(size[1]);
  const rows = Number(size[2]);
  const at = /^(\d),(\d)$/.exec(String(query.tile ?? '0,0'));
  if (!at || cols < 1 || rows < 1 || cols > MAX_TILES || rows > MAX_TILES) return ALONE;
  const col = Number(at[1]);
  const row = Number(at[2]);
  return col < cols && row < rows ? { cols, rows, col, row } : ALONE;
}

/** The whole wall's size in CSS pixels, from one monitor's viewport. */
export const wallSize = (tile: Tile, view: { width: number; height: number }) => ({
  width: view.width * tile.cols,
  height: view.height * tile.rows,
});

/** Where this monitor's part begins on the whole wall. */
export const tileOffset = (tile: Tile, view: { width: number; height: number }) => ({
  x: tile.col * view.width,
  y: tile.row * view.height,
});
