import { describe, expect, it } from 'vitest';
import {
  appeals as appealAnalysis,
  cellRect,
  overview as districtWall,
  validateLayout,
  type ScreenLayout,
} from '@commandhall/shared/themes';
import { consoleLayout } from '../src/layouts/index.ts';

const base = (widgets: ScreenLayout['widgets']): ScreenLayout => ({
  id: 't',
  name: 't',
  grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
  widgets,
});

describe('layout validation', () => {
  it('accepts the shipped layouts', () => {
    expect(validateLayout(districtWall)).toEqual([]);
    expect(validateLayout(consoleLayout)).toEqual([]);
    expect(validateLayout(appealAnalysis)).toEqual([]);
  });

  it('the district wall has every headline widget the wall needs', () => {
    const types = districtWall.widgets.map((w) => w.type).sort();
    expect(types).toEqual(['bar', 'bar', 'daily', 'hourly', 'kpis', 'kpis', 'map', 'pie', 'ranking', 'ticker', 'title']);
    const kpis = districtWall.widgets.find((w) => w.id === 'kpis')!;
    expect(kpis.bind).toEqual([
      'appeals.today',
      'appeals.open',
      'appeals.overdue',
      'appeals.closedToday',
      'appeals.onTimeRate',
      'appeals.immediateRate',
      'appeals.satisfactionRate',
    ]);
  });

  it.each([districtWall, appealAnalysis])('the $id screen fills its grid: every cell covered exactly once', (layout) => {
    const g = layout.grid;
    const cover = new Array(g.cols * g.rows).fill(0);
    for (const w of layout.widgets)
      for (let x = w.pos.x; x < w.pos.x + w.pos.w; x++) for (let y = w.pos.y; y < w.pos.y + w.pos.h; y++) cover[y * g.cols + x]++;
    expect(cover.every((c) => c === 1)).toBe(true);
  });

  it('the analysis screen covers the four parts the district reads', () => {
    const bound = new Set(appealAnalysis.widgets.flatMap((w) => w.bind));
    // overall situation, type analysis, handling analysis, hot events
    for (const key of ['appeals.onTimeRate', 'appeals.rework', 'appeals.byCategory', 'appeals.byNature', 'appeals.funnel'])
      expect(bound.has(key as never), key).toBe(true);
    for (const key of ['appeals.stageTimes', 'appeals.overdueByUnit', 'appeals.hotCategories', 'appeals.hotSubcategories'])
      expect(bound.has(key as never), key).toBe(true);
  });

  it('an object metric on a KPI tile must name the number to show', () => {
    const bad: ScreenLayout = {
      ...appealAnalysis,
      widgets: [
        {
          id: 'k',
          type: 'kpis',
          pos: { x: 0, y: 0, w: 4, h: 2 },
          bind: ['appeals.rework'],
          options: { items: [{ key: 'appeals.rework', label: 'x', format: 'rate' }] },
        },
      ],
    };
    expect(validateLayout(bad)).toEqual(['widget "k": KPI "appeals.rework" needs a "field"']);
  });

  it('reports overlap, off-grid, duplicate ids, unknown types and wrong bindings', () => {
    const errors = validateLayout(
      base([
        { id: 'a', type: 'bar', pos: { x: 0, y: 0, w: 10, h: 5 }, bind: ['appeals.byCategory'], options: { taxonomy: 'category' } },
        { id: 'b', type: 'bar', pos: { x: 5, y: 2, w: 10, h: 5 }, bind: ['appeals.byChannel'], options: { taxonomy: 'channel' } },
        { id: 'c', type: 'ticker', pos: { x: 40, y: 20, w: 10, h: 5 }, bind: ['recent'] },
        { id: 'c', type: 'hourly', pos: { x: 0, y: 10, w: 4, h: 4 }, bind: ['appeals.today'] },
        { id: 'd', type: 'sparkline', pos: { x: 0, y: 20, w: 2, h: 2 }, bind: [] } as never,
        { id: 'e', type: 'pie', pos: { x: 20, y: 20, w: 2, h: 2 }, bind: [] },
        {
          id: 'f',
          type: 'kpis',
          pos: { x: 30, y: 0, w: 4, h: 2 },
          bind: ['appeals.today'],
          options: { items: [{ key: 'appeals.open', label: 'x', format: 'count' }] },
        },
        { id: 'g', type: 'daily', pos: { x: 30, y: 5, w: 0, h: 2 }, bind: ['appeals.daily'] },
      ]),
    );
    const text = errors.join('\n');
    expect(text).toMatch(/"a" and "b" overlap/);
    expect(text).toMatch(/"c": 40,20 10×5 runs off the 48×27 grid/);
    expect(text).toMatch(/"c": duplicate id/);
    expect(text).toMatch(/metric "appeals.today" is a number, type "hourly" needs series/);
    expect(text).toMatch(/unknown type "sparkline"/);
    expect(text).toMatch(/"e": type "pie" binds 1 metric\(s\), got 0/);
    expect(text).toMatch(/KPI "appeals.open" is not in its binding/);
    expect(text).toMatch(/"g": position must be whole grid units/);
  });

  it('places cells in design pixels with gaps between and around', () => {
    const g = districtWall.grid;
    const full = cellRect(g, { x: 0, y: 0, w: g.cols, h: g.rows });
    expect(full).toEqual({ left: 12, top: 12, width: 1920 - 24, height: 1080 - 24 });
    const a = cellRect(g, { x: 0, y: 0, w: 12, h: 9 });
    const b = cellRect(g, { x: 12, y: 0, w: 12, h: 9 });
    expect(b.left - (a.left + a.width)).toBeCloseTo(12);
  });
});
