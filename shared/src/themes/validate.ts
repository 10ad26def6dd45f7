/**
 * Checks a theme (or a plain layout) before it is stored or drawn: its structure, every widget
 * inside the grid, no two overlapping, ids unique, known types, options of the right form, and
 * bindings of the kind each type reads, at scope levels where they mean something. Returns
 * readable problems, each with the path it is about; none means valid.
 */
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ScopeLevel } from '../scope.ts';
import type { MetricKey } from '../metrics.ts';
import { METRIC_SHAPES } from './metric-shapes.ts';
import { levelsOf, OPTIONS_REQUIRED, WIDGET_KINDS, WIDGET_TYPES } from './widget-catalog.ts';
import { THEME_SCHEMA_VERSION, type GridRect, type ScreenLayout, type Theme, type WidgetType } from './types.ts';

export interface ThemeIssue {
  /** Where: `widgets/3/pos`, `grid`, `levels`… (JSON-pointer-like, without the leading slash). */
  path: string;
  message: string;
}

const LEVELS = ['district', 'street', 'community'] as const;
const Int = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max });

const WidgetShape = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
    type: Type.String({ minLength: 1, maxLength: 40 }),
    pos: Type.Object({ x: Int(0, 1000), y: Int(0, 1000), w: Int(1, 1000), h: Int(1, 1000) }, { additionalProperties: false }),
    title: Type.Optional(Type.String({ maxLength: 60 })),
    bind: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 12 }),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

const GridShape = Type.Object(
  { width: Int(320, 16384), height: Int(240, 16384), cols: Int(1, 200), rows: Int(1, 200), gap: Int(0, 100) },
  { additionalProperties: false },
);

/** The stored form of a theme: what `PUT /api/v1/themes/:id` accepts. */
export const ThemeSchema = Type.Object(
  {
    schema: Type.Literal(THEME_SCHEMA_VERSION),
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    levels: Type.Array(Type.Union(LEVELS.map((l) => Type.Literal(l))), { minItems: 1, maxItems: 3, uniqueItems: true }),
    owner: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
    grid: GridShape,
    widgets: Type.Array(WidgetShape, { maxItems: 80 }),
  },
  { additionalProperties: false },
);

const themeCheck = Compile(ThemeSchema);
const optionChecks = Object.fromEntries(WIDGET_TYPES.map((t) => [t, Compile(WIDGET_KINDS[t].options)])) as Record<
  WidgetType,
  ReturnType<typeof Compile>
>;

const pointer = (p: string) => p.replace(/^\//, '');
const overlap = (a: GridRect, b: GridRect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Structure first (a theme that is not even the right shape says only that), then meaning. */
export function validateTheme(input: unknown, opts: { level?: ScopeLevel; community?: string } = {}): ThemeIssue[] {
  if (!themeCheck.Check(input))
    return [...themeCheck.Errors(input)].slice(0, 20).map((e) => ({ path: pointer(e.instancePath), message: e.message }));
  const theme = input as Theme;
  const issues = layoutIssues(theme, theme.levels);
  if (theme.owner && !(theme.levels.length === 1 && theme.levels[0] === 'community'))
    issues.push({ path: 'levels', message: `a community's own theme is shown at community level only` });
  if (opts.level && !theme.levels.includes(opts.level))
    issues.push({ path: 'levels', message: `theme "${theme.id}" is for ${theme.levels.join(', ')} halls, not a ${opts.level} hall` });
  if (opts.community && theme.owner && theme.owner !== opts.community)
    issues.push({ path: 'owner', message: `theme "${theme.id}" belongs to community ${theme.owner}` });
  return issues;
}

/** The checks a layout needs to be drawn (levels: those of the scopes it will be drawn for, if known). */
export function layoutIssues(layout: ScreenLayout, levels: readonly ScopeLevel[] = []): ThemeIssue[] {
  const issues: ThemeIssue[] = [];
  const { grid } = layout;
  const ids = new Set<string>();
  layout.widgets.forEach((w, i) => {
    const at = `widgets/${i}`;
    const say = (path: string, message: string) =>
      issues.push({ path: path ? `${at}/${path}` : at, message: `widget "${w.id}": ${message}` });
    if (ids.has(w.id)) say('id', 'duplicate id');
    ids.add(w.id);
    const kind = WIDGET_KINDS[w.type as WidgetType];
    if (!kind) return say('type', `unknown type "${w.type}" (known: ${WIDGET_TYPES.join(', ')})`);
    const { x, y, w: cw, h } = w.pos;
    if (![x, y, cw, h].every(Number.isInteger) || cw < 1 || h < 1 || x < 0 || y < 0)
      say('pos', 'position must be whole grid units with width and height ≥ 1');
    else if (x + cw > grid.cols || y + h > grid.rows) say('pos', `${x},${y} ${cw}×${h} runs off the ${grid.cols}×${grid.rows} grid`);
    const wrong = levels.filter((l) => !levelsOf(w.type).includes(l));
    if (wrong.length) say('type', `type "${w.type}" cannot be shown at ${wrong.join(', ')} level (it compares communities)`);
    const bind = w.bind ?? [];
    if (bind.length < kind.min || bind.length > kind.max)
      say('bind', `type "${w.type}" binds ${kind.min === kind.max ? kind.min : `${kind.min}–${kind.max}`} metric(s), got ${bind.length}`);
    bind.forEach((key, k) => {
      const shape = METRIC_SHAPES[key];
      const allowed = kind.shapes[Math.min(k, kind.shapes.length - 1)] ?? [];
      if (!shape) say(`bind/${k}`, `unknown metric "${key}"`);
      else if (!allowed.includes(shape)) say(`bind/${k}`, `metric "${key}" is a ${shape}, type "${w.type}" needs ${allowed.join(' or ')}`);
    });
    optionIssues(w.type, w.options, bind, say);
  });
  for (let i = 0; i < layout.widgets.length; i++)
    for (let j = i + 1; j < layout.widgets.length; j++) {
      const a = layout.widgets[i],
        b = layout.widgets[j];
      if (a.pos && b.pos && overlap(a.pos, b.pos))
        issues.push({ path: `widgets/${j}/pos`, message: `widgets "${a.id}" and "${b.id}" overlap` });
    }
  return issues;
}

function optionIssues(type: WidgetType, options: unknown, bind: readonly MetricKey[], say: (path: string, message: string) => void): void {
  if (options === undefined) {
    if (OPTIONS_REQUIRED.has(type)) say('options', `type "${type}" needs options`);
    return;
  }
  const check = optionChecks[type];
  if (!check.Check(options)) {
    for (const e of [...check.Errors(options)].slice(0, 3)) say(`options${e.instancePath}`, `options${e.instancePath} ${e.message}`);
    return;
  }
  const o = options as { items?: { key: string; field?: string }[]; field?: string; source?: string };
  const needsField = (key: string) => ['ratio', 'record'].includes(METRIC_SHAPES[key as MetricKey]);
  if (type === 'kpis')
    for (const it of o.items ?? []) {
      if (!bind.includes(it.key as MetricKey)) say('options/items', `KPI "${it.key}" is not in its binding`);
      // an object metric shows one number from inside it, which must be named
      if (needsField(it.key) && !it.field) say('options/items', `KPI "${it.key}" needs a "field"`);
    }
  // (a gauge reads the `rate` inside a share unless told otherwise)
  if (type === 'rolling' && bind[0] && needsField(bind[0]) && !o.field)
    say('options/field', `metric "${bind[0]}" is an object: name the "field" to show`);
  if (type === 'table' && bind[0] && METRIC_SHAPES[bind[0]] !== o.source)
    say('options/source', `table source "${o.source}" does not match metric "${bind[0]}"`);
}

/** Readable one-line messages, for the renderer's error box. */
export const validateLayout = (layout: ScreenLayout): string[] => layoutIssues(layout).map((i) => i.message);

/** Design-pixel rectangle of a grid rectangle (gaps between cells and around the grid). */
export function cellRect(grid: ScreenLayout['grid'], r: GridRect): { left: number; top: number; width: number; height: number } {
  const cw = (grid.width - grid.gap) / grid.cols;
  const ch = (grid.height - grid.gap) / grid.rows;
  return {
    left: grid.gap + r.x * cw,
    top: grid.gap + r.y * ch,
    width: r.w * cw - grid.gap,
    height: r.h * ch - grid.gap,
  };
}
