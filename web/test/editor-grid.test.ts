/** The editor's grid arithmetic: drags and resizes land on whole cells inside the grid; new widgets go to the first free area. */
import { describe, expect, it } from 'vitest';
import type { GridSpec } from '@commandhall/shared/themes';
import { cellStep, clampRect, firstFreeArea, moveRect, resizeRect } from '../src/editor/grid-snap.ts';

// 48×27 cells of 40 px (plus the 12 px outer gap): the common wall grid
const GRID: GridSpec = { width: 1932, height: 1092, cols: 48, rows: 27, gap: 12 };
const SMALL: GridSpec = { width: 400, height: 300, cols: 4, rows: 3, gap: 0 };

describe('moving a widget', () => {
  it('moves by whole cells, rounding the pointer to the nearest cell', () => {
    expect(cellStep(GRID)).toEqual({ x: 40, y: 40 });
    const start = { x: 2, y: 3, w: 6, h: 4 };
    expect(moveRect(start, 0, 0, GRID)).toEqual(start);
    expect(moveRect(start, 19, -19, GRID)).toEqual(start); // under half a cell: stays
    expect(moveRect(start, 21, -21, GRID)).toEqual({ x: 3, y: 2, w: 6, h: 4 });
    expect(moveRect(start, 200, 120, GRID)).toEqual({ x: 7, y: 6, w: 6, h: 4 });
  });

  it('stops at the edges of the grid, keeping its size', () => {
    const start = { x: 2, y: 3, w: 6, h: 4 };
    expect(moveRect(start, -10_000, -10_000, GRID)).toEqual({ x: 0, y: 0, w: 6, h: 4 });
    expect(moveRect(start, 10_000, 10_000, GRID)).toEqual({ x: 42, y: 23, w: 6, h: 4 });
  });
});

describe('resizing a widget', () => {
  it('grows and shrinks by whole cells from its top-left corner', () => {
    const start = { x: 1, y: 1, w: 2, h: 1 };
    expect(resizeRect(start, 100, 100, SMALL)).toEqual({ x: 1, y: 1, w: 3, h: 2 });
    expect(resizeRect(start, -49, 0, SMALL)).toEqual(start);
    expect(resizeRect(start, -51, 0, SMALL)).toEqual({ x: 1, y: 1, w: 1, h: 1 });
  });

  it('is never smaller than a cell nor larger than the grid leaves', () => {
    const start = { x: 1, y: 1, w: 2, h: 1 };
    expect(resizeRect(start, -1000, -1000, SMALL)).toEqual({ x: 1, y: 1, w: 1, h: 1 });
    expect(resizeRect(start, 1000, 1000, SMALL)).toEqual({ x: 1, y: 1, w: 3, h: 2 });
  });

  it('clamps a typed rectangle into the grid', () => {
    expect(clampRect({ x: 3.4, y: -2, w: 9, h: 0 }, SMALL)).toEqual({ x: 0, y: 0, w: 4, h: 1 });
    expect(clampRect({ x: 3, y: 2, w: 2, h: 2 }, SMALL)).toEqual({ x: 2, y: 1, w: 2, h: 2 });
  });
});

describe('the first free area', () => {
  it('is the top-left corner of an empty grid', () => {
    expect(firstFreeArea(GRID, [], { w: 12, h: 8 })).toEqual({ x: 0, y: 0, w: 12, h: 8 });
  });

  it('is below a full-width title, then beside what is there', () => {
    const title = { x: 0, y: 0, w: 48, h: 2 };
    expect(firstFreeArea(GRID, [title], { w: 12, h: 8 })).toEqual({ x: 0, y: 2, w: 12, h: 8 });
    expect(firstFreeArea(GRID, [title, { x: 0, y: 2, w: 12, h: 8 }], { w: 12, h: 8 })).toEqual({ x: 12, y: 2, w: 12, h: 8 });
  });

  it('finds a gap between widgets before the space below them', () => {
    const taken = [
      { x: 0, y: 0, w: 1, h: 3 },
      { x: 2, y: 0, w: 2, h: 3 },
    ];
    expect(firstFreeArea(SMALL, taken, { w: 1, h: 2 })).toEqual({ x: 1, y: 0, w: 1, h: 2 });
  });

  it('shrinks the size when nothing that large is free, and gives up on a full grid', () => {
    const taken = [{ x: 0, y: 0, w: 4, h: 2 }];
    expect(firstFreeArea(SMALL, taken, { w: 2, h: 2 })).toEqual({ x: 0, y: 2, w: 2, h: 1 });
    expect(firstFreeArea(SMALL, [{ x: 0, y: 0, w: 4, h: 3 }], { w: 1, h: 1 })).toBeNull();
  });
});
