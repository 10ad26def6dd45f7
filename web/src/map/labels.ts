/**
 * Placement of the map's HTML labels: greedy, in priority order. A label tries its anchor point,
 * then just below, above, right and left of it, in its own size and then in each smaller form it
 * offers (a short name in a smaller type), and takes the first spot that overlaps nothing placed
 * before, stays inside the view and, when the label says how, still names the right place (its
 * centre inside its own area). With no such spot it is hidden: the area stays identifiable by its
 * hover tooltip and by zooming in. Where a label sat last time is tried first among spots of the
 * same form, so that labels do not hop about as cluster circles move. Pure, for tests.
 */
export interface LabelSize {
  w: number;
  h: number;
}

export interface LabelBox extends LabelSize {
  id: string;
  x: number; // anchor, screen px
  y: number;
  priority: number; // higher first
  /** Obstacles (cluster circles) are placed as they are, never moved. */
  fixed?: boolean;
  /** Smaller forms to try, in order, when the label fits nowhere in its own size. */
  alternatives?: readonly LabelSize[];
  /** Whether the label centred at (x, y) still names the right place; default: anywhere. */
  accept?: (x: number, y: number) => boolean;
  /** Where it was placed last time. */
  previous?: Placement;
}

export interface Placement {
  dx: number;
  dy: number;
  /** Index of the form used in `alternatives`; absent for the label's own size. */
  variant?: number;
}

interface Rect {
  l: number;
  r: number;
  t: number;
  b: number;
}

function slots(s: LabelSize, margin: number): { dx: number; dy: number }[] {
  return [
    { dx: 0, dy: 0 },
    { dx: 0, dy: s.h + margin },
    { dx: 0, dy: -(s.h + margin) },
    { dx: s.w / 2 + 8, dy: 0 },
    { dx: -(s.w / 2 + 8), dy: 0 },
  ];
}

export function placeLabels(boxes: LabelBox[], view: { width: number; height: number }, margin = 3): Map<string, Placement> {
  const shown: Rect[] = [];
  const out = new Map<string, Placement>();
  const sorted = [...boxes].sort((a, c) => c.priority - a.priority || a.id.localeCompare(c.id));
  const rectAt = (b: LabelBox, s: LabelSize, c: { dx: number; dy: number }): Rect => {
    const x = b.x + c.dx,
      y = b.y + c.dy;
    return { l: x - s.w / 2, r: x + s.w / 2, t: y - s.h / 2, b: y + s.h / 2 };
  };
  const free = (box: Rect) =>
    !shown.some((s) => box.l < s.r + margin && box.r + margin > s.l && box.t < s.b + margin && box.b + margin > s.t);
  for (const b of sorted) {
    if (b.fixed) {
      shown.push(rectAt(b, b, { dx: 0, dy: 0 }));
      continue;
    }
    const sizes: LabelSize[] = [b, ...(b.alternatives ?? [])];
    let found: Placement | null = null;
    for (let v = 0; v < sizes.length && !found; v++) {
      const s = sizes[v];
      const prev = b.previous && (b.previous.variant ?? 0) === v ? [{ dx: b.previous.dx, dy: b.previous.dy }] : [];
      for (const c of [...prev, ...slots(s, margin)]) {
        const box = rectAt(b, s, c);
        if (box.l < 0 || box.t < 0 || box.r > view.width || box.b > view.height) continue;
        if (!free(box)) continue;
        if (b.accept && !b.accept(b.x + c.dx, b.y + c.dy)) continue;
        shown.push(box);
        found = v === 0 ? { dx: c.dx, dy: c.dy } : { dx: c.dx, dy: c.dy, variant: v - 1 };
        break;
      }
    }
    if (found) out.set(b.id, found);
  }
  return out;
}

/** Whether a point lies inside a polygon given as rings (outer first, then holes); even-odd rule. */
export function insideRings(x: number, y: number, rings: readonly (readonly (readonly [number, number])[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
