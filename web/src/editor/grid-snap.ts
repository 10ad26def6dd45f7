/**
 * Grid arithmetic of the editor's canvas: a pointer moved by some design pixels becomes a whole
 * number of grid cells, and a rectangle never leaves the grid. Pure, so a drag behaves the same in
 * a test as under a mouse.
 */
import type { GridRect, GridSpec } from '@commandhall/shared/themes';

/** Width and height of one cell, gap included (the step between two cells' left edges). */
export function cellStep(grid: GridSpec): { x: number; y: number } {
  return { x: (grid.width - grid.gap) / grid.cols, y: (grid.height - grid.gap) / grid.rows };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** A rectangle whose size and place fit the grid (at least one cell, inside it). */
export function clampRect(r: GridRect, grid: GridSpec): GridRect {
  const w = clamp(Math.round(r.w), 1, grid.cols);
  const h = clamp(Math.round(r.h), 1, grid.rows);
  return { x: clamp(Math.round(r.x), 0, grid.cols - w), y: clamp(Math.round(r.y), 0, grid.rows - h), w, h };
}

/** Where a widget dragged by (dx, dy) design pixels lands: the nearest cells, kept inside the grid. */
export function moveRect(start: GridRect, dx: number, dy: number, grid: GridSpec): GridRect {
  const step = cellStep(grid);
  return clampRect({ ...start, x: start.x + Math.round(dx / step.x), y: start.y + Math.round(dy / step.y) }, grid);
}

/** A widget's size after its corner handle moved by (dx, dy) design pixels; the top-left corner stays. */
export function resizeRect(start: GridRect, dx: number, dy: number, grid: GridSpec): GridRect {
  const step = cellStep(grid);
  const w = clamp(start.w + Math.round(dx / step.x), 1, grid.cols - start.x);
  const h = clamp(start.h + Math.round(dy / step.y), 1, grid.rows - start.y);
  return { x: start.x, y: start.y, w, h };
}

export const sameRect = (a: GridRect, b: GridRect) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

export const rectsOverlap = (a: GridRect, b: GridRect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A length and its halves down to 1: 12, 6, 3, 2, 1. */
function halves(n: number): number[] {
  const out = [n];
  while (n > 1) out.push((n = Math.ceil(n / 2)));
  return out;
}

/**
 * The first place (top to bottom, left to right) where a `w`×`h` rectangle overlaps nothing; when
 * none is that large, the largest of the sizes made by halving its sides that fits somewhere,
 * down to one cell. Null when the grid is full.
 */
export function firstFreeArea(grid: GridSpec, taken: readonly GridRect[], size: { w: number; h: number }): GridRect | null {
  const w0 = clamp(Math.round(size.w), 1, grid.cols);
  const h0 = clamp(Math.round(size.h), 1, grid.rows);
  const sizes = halves(w0)
    .flatMap((w) => halves(h0).map((h) => ({ w, h })))
    .sort((a, b) => b.w * b.h - a.w * a.h);
  for (const { w, h } of sizes)
    for (let y = 0; y + h <= grid.rows; y++)
      for (let x = 0; x + w <= grid.cols; x++) {
        const r = { x, y, w, h };
        if (!taken.some((t) => rectsOverlap(r, t))) return r;
      }
  return null;
}
