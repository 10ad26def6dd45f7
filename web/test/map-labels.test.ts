import { describe, expect, it } from 'vitest';
import { insideRings, placeLabels, type LabelBox } from '../src/map/labels.ts';

const view = { width: 400, height: 400 };
const square = (x: number, y: number, r: number): [number, number][][] => [
  [
    [x - r, y - r],
    [x + r, y - r],
    [x + r, y + r],
    [x - r, y + r],
    [x - r, y - r],
  ],
];

describe('map labels', () => {
  it('tells whether a point lies inside an outline, holes excluded', () => {
    const ring = square(100, 100, 50);
    expect(insideRings(100, 100, ring)).toBe(true);
    expect(insideRings(151, 100, ring)).toBe(false);
    const withHole = [...ring, ...square(100, 100, 10)];
    expect(insideRings(100, 100, withHole)).toBe(false);
    expect(insideRings(130, 100, withHole)).toBe(true);
  });

  it('never lets two labels overlap', () => {
    const boxes: LabelBox[] = Array.from({ length: 40 }, (_, i) => ({
      id: `l${i}`,
      x: 150 + (i % 7) * 9,
      y: 150 + Math.floor(i / 7) * 7,
      w: 56,
      h: 18,
      priority: i,
      alternatives: [{ w: 28, h: 14 }],
    }));
    const placed = placeLabels(boxes, view);
    expect(placed.size).toBeGreaterThan(4);
    const rects = [...placed].map(([id, p]) => {
      const b = boxes.find((x) => x.id === id)!;
      const s = p.variant === undefined ? b : b.alternatives![p.variant];
      const x = b.x + p.dx,
        y = b.y + p.dy;
      return { l: x - s.w / 2, r: x + s.w / 2, t: y - s.h / 2, b: y + s.h / 2 };
    });
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i],
          c = rects[j];
        expect(a.l < c.r && a.r > c.l && a.t < c.b && a.b > c.t).toBe(false);
      }
  });

  it('uses the short form where the full name does not fit, and keeps each label on its own area', () => {
    const area = square(200, 200, 14); // a small community: 28 px across
    const placed = placeLabels(
      [
        // Cluster circles left and right of a small community (28 px across).
        { id: 'c1', x: 160, y: 200, w: 36, h: 36, priority: 99, fixed: true },
        { id: 'c2', x: 240, y: 200, w: 36, h: 36, priority: 99, fixed: true },
        // The full name is too wide between them, and anywhere else it would leave its area.
        {
          id: 'small',
          x: 200,
          y: 200,
          w: 60,
          h: 18,
          priority: 5,
          alternatives: [{ w: 24, h: 12 }],
          accept: (x, y) => insideRings(x, y, area),
        },
      ],
      view,
    );
    const p = placed.get('small')!;
    expect(p.variant).toBe(0);
    expect(insideRings(200 + p.dx, 200 + p.dy, area)).toBe(true);
  });

  it('hides a label that can only be placed off its own area', () => {
    const area = square(200, 200, 4);
    const placed = placeLabels(
      [
        { id: 'cluster', x: 200, y: 200, w: 36, h: 36, priority: 99, fixed: true },
        { id: 'tiny', x: 200, y: 200, w: 40, h: 16, priority: 1, accept: (x, y) => insideRings(x, y, area) },
      ],
      view,
    );
    expect(placed.has('tiny')).toBe(false);
  });

  it('keeps a label where it was while that spot is still free', () => {
    const box = (previous?: { dx: number; dy: number }): LabelBox[] => [
      { id: 'a', x: 100, y: 100, w: 40, h: 16, priority: 1, previous },
      { id: 'b', x: 300, y: 300, w: 40, h: 16, priority: 2 },
    ];
    expect(placeLabels(box(), view).get('a')).toEqual({ dx: 0, dy: 0 });
    expect(placeLabels(box({ dx: 0, dy: -19 }), view).get('a')).toEqual({ dx: 0, dy: -19 });
  });
});
