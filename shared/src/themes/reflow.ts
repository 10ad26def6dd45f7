/**
 * A 16:9 layout reflowed for another aspect class (aspect.ts), so that every theme (built-in,
 * generated or drawn in the editor) has a layout for every shape of wall without anyone drawing
 * six. The 16:9 layouts of command halls are built alike: a title bar, often a strip of KPIs, and
 * columns of widgets (a chart column, the map, a list column). Reflowing keeps that order and the
 * widgets' sizes where it can:
 *
 * - wider screens (21:9, 32:9, 48:9) give the side columns room by splitting a tall column's rows
 *   into side-by-side sub-columns, rather than stretching every widget sideways; the widest
 *   column (the map's) only widens;
 * - a portrait screen stacks: the widest column across the full width, the others side by side
 *   below it;
 * - a small screen draws at its own pixels, so that text stays at its design size instead of
 *   shrinking with the whole screen, and shows less to make the room: the widest column and the
 *   column beside it, that one with its first two rows.
 *
 * Positions are scaled edge by edge (a shared edge lands on the same cell), so a layout without
 * gaps or overlaps stays so.
 */
import { ASPECT_GRIDS, VARIANT_CLASSES, type VariantClass } from './aspect.ts';
import type { AnyWidgetSpec, GridRect, GridSpec, ScreenLayout } from './types.ts';

export interface LayoutVariant {
  grid: GridSpec;
  widgets: AnyWidgetSpec[];
  /** Reflowed from the base layout (and reflowed again when it changes); false or absent: drawn by hand. */
  auto?: boolean;
}

interface Block {
  /** Left edge and width, in base columns. */
  x: number;
  w: number;
  widgets: AnyWidgetSpec[];
  /** Its widgets grouped into rows that each span the block (top to bottom), or null when they do not line up. */
  rows: AnyWidgetSpec[][] | null;
}

/** Splits a column's widgets into rows spanning its width, or null when they do not line up so. */
function rowsOf(widgets: AnyWidgetSpec[], x: number, w: number): AnyWidgetSpec[][] | null {
  const byTop = new Map<string, AnyWidgetSpec[]>();
  for (const wd of widgets) {
    const k = `${wd.pos.y}:${wd.pos.h}`;
    byTop.set(k, [...(byTop.get(k) ?? []), wd]);
  }
  const rows = [...byTop.values()].sort((a, b) => a[0].pos.y - b[0].pos.y);
  for (const r of rows) if (r.reduce((s, wd) => s + wd.pos.w, 0) !== w || Math.min(...r.map((wd) => wd.pos.x)) !== x) return null;
  for (let i = 1; i < rows.length; i++) if (rows[i][0].pos.y < rows[i - 1][0].pos.y + rows[i - 1][0].pos.h) return null;
  return rows;
}

/** The base layout's parts: title bar, a strip across (nearly) the whole width under it, and columns. */
function partsOf(base: ScreenLayout) {
  const cols = base.grid.cols;
  const titles: AnyWidgetSpec[] = base.widgets.filter((w) => w.type === 'title');
  const top = titles.length ? Math.max(...titles.map((w) => w.pos.y + w.pos.h)) : 0;
  // a strip is lifted out of the columns only when it spans three quarters of the width or more
  const stripCandidates: AnyWidgetSpec[] = base.widgets.filter((w) => w.type !== 'title' && w.pos.y === top && w.pos.h <= base.grid.rows / 5);
  const stripWidth = stripCandidates.reduce((s, w) => s + w.pos.w, 0);
  const strip = stripWidth >= cols * 0.75 ? stripCandidates : [];
  const stripBottom = strip.length ? Math.max(...strip.map((w) => w.pos.y + w.pos.h)) : top;
  const body = base.widgets.filter((w) => !titles.includes(w) && !strip.includes(w));
  // column edges: where no widget crosses
  const edges = [0];
  for (let x = 1; x < cols; x++) if (!body.some((w) => w.pos.x < x && x < w.pos.x + w.pos.w)) edges.push(x);
  edges.push(cols);
  const blocks: Block[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const x = edges[i];
    const w = edges[i + 1] - x;
    const widgets = body.filter((wd) => wd.pos.x >= x && wd.pos.x < x + w);
    if (widgets.length) blocks.push({ x, w, widgets, rows: rowsOf(widgets, x, w) });
  }
  return { titles, top, strip, stripBottom, blocks };
}

/** Integer edges scaled from `from` cells to `to`: shared edges stay shared. */
const edge = (v: number, from: number, to: number) => Math.round((v * to) / from);

/** Places `widgets`, laid out in the box `src` (base cells), into the box `dst` (target cells). */
function place(widgets: AnyWidgetSpec[], src: GridRect, dst: GridRect): AnyWidgetSpec[] {
  return widgets.map((wd) => {
    const x0 = dst.x + edge(wd.pos.x - src.x, src.w, dst.w);
    const x1 = dst.x + edge(wd.pos.x + wd.pos.w - src.x, src.w, dst.w);
    const y0 = dst.y + edge(wd.pos.y - src.y, src.h, dst.h);
    const y1 = dst.y + edge(wd.pos.y + wd.pos.h - src.y, src.h, dst.h);
    return { ...wd, pos: { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) } } as AnyWidgetSpec;
  });
}

/** Splits rows, in order, into `n` groups of about equal height (contiguous: the reading order stays). */
function balance(rows: AnyWidgetSpec[][], n: number): AnyWidgetSpec[][][] {
  const h = (r: AnyWidgetSpec[]) => r[0].pos.h;
  const total = rows.reduce((s, r) => s + h(r), 0);
  const groups: AnyWidgetSpec[][][] = [];
  let current: AnyWidgetSpec[][] = [];
  let acc = 0;
  rows.forEach((r, i) => {
    const left = rows.length - i;
    const groupsLeft = n - groups.length;
    // close the group when it has its share, as long as every later group can still get a row
    if (current.length && groupsLeft > 1 && (acc + h(r) / 2 > (total / n) * (groups.length + 1) || left < groupsLeft)) {
      groups.push(current);
      current = [];
    }
    current.push(r);
    acc += h(r);
  });
  groups.push(current);
  return groups;
}

/** Lays out a group of rows as a column of its own: the rows stacked, keeping their relative heights. */
function stack(rows: AnyWidgetSpec[][], x: number, w: number, dst: GridRect): AnyWidgetSpec[] {
  const total = rows.reduce((s, r) => s + r[0].pos.h, 0);
  let y = 0;
  return rows.flatMap((r) => {
    const src: GridRect = { x, y: r[0].pos.y, w, h: r[0].pos.h };
    const top = dst.y + edge(y, total, dst.h);
    y += r[0].pos.h;
    const bottom = dst.y + edge(y, total, dst.h);
    return place(r, src, { x: dst.x, y: top, w: dst.w, h: bottom - top });
  });
}

/** Widths (in target columns) for `naturals`, adding up to `total`. */
function share(naturals: number[], total: number): number[] {
  const sum = naturals.reduce((a, b) => a + b, 0);
  let at = 0;
  let acc = 0;
  return naturals.map((n) => {
    acc += n;
    const next = Math.round((acc * total) / sum);
    const w = next - at;
    at = next;
    return w;
  });
}

/** The layout of `base` (16:9, any grid) for the aspect class `cls`. */
export function reflow(base: ScreenLayout, cls: VariantClass): LayoutVariant {
  const g = ASPECT_GRIDS[cls];
  const grid: GridSpec = { width: g.width, height: g.height, cols: g.cols, rows: g.rows, gap: g.gap };
  const b = base.grid;
  const { titles, top, strip, stripBottom, blocks } = partsOf(base);
  // the title bar and the strip keep their height in pixels, as near as whole cells allow
  const rowsFor = (baseRows: number) => Math.max(1, Math.round(((baseRows * b.height) / b.rows / g.height) * g.rows));
  const titleRows = top ? rowsFor(top) : 0;
  const stripRows = strip.length ? rowsFor(stripBottom - top) : 0;
  const out: AnyWidgetSpec[] = [
    ...place(titles, { x: 0, y: 0, w: b.cols, h: top || 1 }, { x: 0, y: 0, w: g.cols, h: titleRows || 1 }),
    ...place(strip, { x: 0, y: top, w: b.cols, h: stripBottom - top }, { x: 0, y: titleRows, w: g.cols, h: stripRows }),
  ];
  const bodyTop = titleRows + stripRows;
  const bodyRows = g.rows - bodyTop;
  const srcBody = (blk: Block): GridRect => ({ x: blk.x, y: stripBottom, w: blk.w, h: b.rows - stripBottom });
  if (!blocks.length) return { grid, widgets: out, auto: true };
  const widest = blocks.reduce((a, blk) => (blk.w > a.w ? blk : a), blocks[0]);

  if (cls === 'portrait') {
    // the widest column across the top of the body, the others side by side below it
    const others = blocks.filter((blk) => blk !== widest);
    const mainRows = others.length ? Math.round(bodyRows * 0.45) : bodyRows;
    out.push(...place(widest.widgets, srcBody(widest), { x: 0, y: bodyTop, w: g.cols, h: mainRows }));
    const widths = share(
      others.map((blk) => blk.w),
      g.cols,
    );
    let x = 0;
    others.forEach((blk, i) => {
      out.push(...place(blk.widgets, srcBody(blk), { x, y: bodyTop + mainRows, w: widths[i], h: bodyRows - mainRows }));
      x += widths[i];
    });
    return { grid, widgets: out, auto: true };
  }

  if (cls === 'small') {
    // a small screen shows less rather than everything too small to read: the widest column and
    // the column after it (before it, when it is the last), that one down to its first two rows
    const at = blocks.indexOf(widest);
    const side = blocks[at + 1] ?? blocks[at - 1];
    const kept = side ? [widest, side].sort((p, q) => p.x - q.x) : [widest];
    const widths = share(
      kept.map((blk) => blk.w),
      g.cols,
    );
    let x = 0;
    kept.forEach((blk, i) => {
      const dst: GridRect = { x, y: bodyTop, w: widths[i], h: bodyRows };
      if (blk === widest || !blk.rows || blk.rows.length <= 2) out.push(...place(blk.widgets, srcBody(blk), dst));
      else out.push(...stack(blk.rows.slice(0, 2), blk.x, blk.w, dst));
      x += widths[i];
    });
    return { grid, widgets: out, auto: true };
  }

  // landscape: split the narrow columns' rows into sub-columns until the widgets would widen by no
  // more than two fifths
  const perCell = (b.width / b.cols) * (g.cols / g.width); // target columns per base column, at equal pixel size
  const splits = blocks.map(() => 1);
  const natural = () => blocks.reduce((s, blk, i) => s + blk.w * splits[i], 0) * perCell;
  for (;;) {
    if (natural() * 1.4 >= g.cols) break;
    let pick = -1;
    blocks.forEach((blk, i) => {
      const rows = blk.rows?.length ?? 0;
      if (blk === widest || blk.w > b.cols / 3 || rows <= splits[i]) return;
      if (pick < 0 || rows / splits[i] > (blocks[pick].rows!.length ?? 0) / splits[pick]) pick = i;
    });
    if (pick < 0) break;
    splits[pick]++;
  }
  const widths = share(
    blocks.map((blk, i) => blk.w * splits[i]),
    g.cols,
  );
  let x = 0;
  blocks.forEach((blk, i) => {
    const dst: GridRect = { x, y: bodyTop, w: widths[i], h: bodyRows };
    if (splits[i] === 1) out.push(...place(blk.widgets, srcBody(blk), dst));
    else {
      const groups = balance(blk.rows!, splits[i]);
      const sub = share(
        groups.map(() => 1),
        widths[i],
      );
      let sx = x;
      groups.forEach((rows, j) => {
        out.push(...stack(rows, blk.x, blk.w, { x: sx, y: bodyTop, w: sub[j], h: bodyRows }));
        sx += sub[j];
      });
    }
    x += widths[i];
  });
  return { grid, widgets: out, auto: true };
}

const reflowed = new WeakMap<ScreenLayout, Map<VariantClass, ScreenLayout>>();

/**
 * The layout a theme is drawn with on a screen of class `cls`: its own for that class when it
 * carries one, else reflowed from its 16:9 base (remembered per theme object). The result keeps
 * the theme's id and name.
 */
export function layoutFor<T extends ScreenLayout & { layouts?: Partial<Record<VariantClass, LayoutVariant>> }>(
  theme: T,
  cls: VariantClass | 'wide',
): ScreenLayout {
  if (cls === 'wide') return theme;
  const own = theme.layouts?.[cls];
  if (own) return { id: theme.id, name: theme.name, grid: own.grid, widgets: own.widgets };
  let byClass = reflowed.get(theme);
  if (!byClass) reflowed.set(theme, (byClass = new Map()));
  let out = byClass.get(cls);
  if (!out) {
    const v = reflow(theme, cls);
    byClass.set(cls, (out = { id: theme.id, name: theme.name, grid: v.grid, widgets: v.widgets }));
  }
  return out;
}

/**
 * The theme with every class's layout: those drawn by hand kept, the others (missing, or reflowed
 * before) reflowed from the base as it is now. What the server stores, so that a wall finds each
 * shape's layout in the theme itself.
 */
export function withLayouts<T extends ScreenLayout & { layouts?: Partial<Record<VariantClass, LayoutVariant>> }>(theme: T): T {
  const layouts: Partial<Record<VariantClass, LayoutVariant>> = {};
  for (const cls of VARIANT_CLASSES) {
    const own = theme.layouts?.[cls];
    layouts[cls] = own && !own.auto ? own : reflow(theme, cls);
  }
  return { ...theme, layouts };
}
