/**
 * Placement of the map's HTML labels: greedy, in priority order. A label tries its anchor point,
 * then just below, above, right and left of it, and takes the first spot that overlaps nothing
 * placed before and stays inside the view; with no such spot it is hidden. Pure, for tests.
 */
export interface LabelBox {
  id: string;
  x: number; // anchor, screen px
  y: number;
  w: number;
  h: number;
  priority: number; // higher first
  /** Obstacles (cluster circles) are placed as they are, never moved. */
  fixed?: boolean;
}

export interface Placement {
  dx: number;
  dy: number;
}

export function placeLabels(boxes: LabelBox[], view: { width: number; height: number }, margin = 3): Map<string, Placement> {
  const shown: { l: number; r: number; t: number; b: number }[] = [];
  const out = new Map<string, Placement>();
  const sorted = [...boxes].sort((a, c) => c.priority - a.priority || a.id.localeCompare(c.id));
  for (const b of sorted) {
    const candidates: Placement[] = b.fixed
      ? [{ dx: 0, dy: 0 }]
      : [
          { dx: 0, dy: 0 },
          { dx: 0, dy: b.h + margin },
          { dx: 0, dy: -(b.h + margin) },
          { dx: b.w / 2 + 8, dy: 0 },
          { dx: -(b.w / 2 + 8), dy: 0 },
        ];
    for (const c of candidates) {
      const x = b.x + c.dx,
        y = b.y + c.dy;
      const box = { l: x - b.w / 2, r: x + b.w / 2, t: y - b.h / 2, b: y + b.h / 2 };
      if (!b.fixed && (box.l < 0 || box.t < 0 || box.r > view.width || box.b > view.height)) continue;
      const hit = shown.some((s) => box.l < s.r + margin && box.r + margin > s.l && box.t < s.b + margin && box.b + margin > s.t);
      if (hit && !b.fixed) continue;
      shown.push(box);
      if (!b.fixed) out.set(b.id, c);
      break;
    }
  }
  return out;
}
