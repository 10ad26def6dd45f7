/**
 * Checks a theme (or a plain layout) before it is stored or drawn: its structure, every widget
 * inside the grid, no two overlapping, ids unique, known types, options of the right form, and
 * bindings of the kind each type reads, at scope levels where they mean something. Returns
 * problems, each with the path it is about, a stable code with its params (for a client to say it
 * in its own language) and an English message; none means valid.
 */
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { SCOPE_LEVELS, parseScope, type ScopeLevel } from '../scope.ts';
import { ownerHall } from './playlist.ts';
import { VARIANT_CLASSES } from './aspect.ts';
import type { MetricKey } from '../metrics.ts';
import { METRIC_SHAPES } from './metric-shapes.ts';
import { levelsOf, OPTIONS_REQUIRED, WIDGET_KINDS, WIDGET_TYPES } from './widget-catalog.ts';
import { THEME_SCHEMA_VERSION, type GridRect, type ScreenLayout, type Theme, type WidgetType } from './types.ts';

/** What each kind of problem carries besides its path, for a client to say it in its own language. */
export interface ThemeIssueParams {
  /** The theme is not the right shape; `detail` is TypeBox's English text, `keyword` the rule broken. */
  structure: { keyword: string; detail: string };
  duplicate_id: { id: string };
  unknown_type: { id: string; type: string };
  /** Position not in whole grid units, or width or height below 1. */
  bad_position: { id: string };
  off_grid: { id: string; x: number; y: number; w: number; h: number; cols: number; rows: number };
  /** `levels`: the theme's levels at which this widget type cannot be shown. */
  wrong_level: { id: string; type: string; levels: ScopeLevel[] };
  bind_count: { id: string; type: string; min: number; max: number; got: number };
  unknown_metric: { id: string; metric: string; index: number };
  metric_shape: { id: string; metric: string; index: number; shape: string; type: string; allowed: string[] };
  options_required: { id: string; type: string };
  /** Options not of the type's form; `at`: the path inside the widget (`options/items/0/label`), `detail`: TypeBox's English text. */
  options_invalid: { id: string; type: string; at: string; keyword: string; detail: string };
  kpi_not_bound: { id: string; metric: string };
  kpi_field: { id: string; metric: string };
  rolling_field: { id: string; metric: string };
  table_source: { id: string; source: string; metric: string };
  /** Widgets `a` (the earlier) and `b` (the one at the issue's path) overlap. */
  overlap: { a: string; b: string };
  /** A community's own theme with levels other than community alone. */
  owner_levels: { levels: ScopeLevel[] };
  hall_level: { theme: string; levels: ScopeLevel[]; level: ScopeLevel };
  hall_owner: { theme: string; owner: string; community: string };
}

export type ThemeIssueCode = keyof ThemeIssueParams;

const CODES: Record<ThemeIssueCode, true> = {
  structure: true,
  duplicate_id: true,
  unknown_type: true,
  bad_position: true,
  off_grid: true,
  wrong_level: true,
  bind_count: true,
  unknown_metric: true,
  metric_shape: true,
  options_required: true,
  options_invalid: true,
  kpi_not_bound: true,
  kpi_field: true,
  rolling_field: true,
  table_source: true,
  overlap: true,
  owner_levels: true,
  hall_level: true,
  hall_owner: true,
};
/** Every code `validateTheme` may give. */
export const THEME_ISSUE_CODES = Object.keys(CODES) as readonly ThemeIssueCode[];

/**
 * One problem: where (`path`, JSON-pointer-like without the leading slash: `widgets/3/pos`, `grid`,
 * `levels`…), what (`code`, stable, with its `params`), and an English sentence (`message`) for the
 * API and logs. Clients show `code` and `params` in their own language.
 */
export type ThemeIssue = {
  [C in ThemeIssueCode]: { path: string; code: C; params: ThemeIssueParams[C]; message: string };
}[ThemeIssueCode];

const issue = <C extends ThemeIssueCode>(path: string, code: C, params: ThemeIssueParams[C], message: string) =>
  ({ path, code, params, message }) as ThemeIssue;

const LEVELS = SCOPE_LEVELS;
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
    levels: Type.Array(Type.Union(LEVELS.map((l) => Type.Literal(l))), { minItems: 1, maxItems: LEVELS.length, uniqueItems: true }),
    owner: Type.Optional(
      Type.String({ maxLength: 40, pattern: '^(\\d{12}|(city|district|street|community):\\d+)$', description: 'The hall that owns it' }),
    ),
    grid: GridShape,
    widgets: Type.Array(WidgetShape, { maxItems: 80 }),
    layouts: Type.Optional(
      Type.Object(
        Object.fromEntries(
          VARIANT_CLASSES.map((c) => [
            c,
            Type.Optional(
              Type.Object(
                { grid: GridShape, widgets: Type.Array(WidgetShape, { maxItems: 80 }), auto: Type.Optional(Type.Boolean()) },
                { additionalProperties: false },
              ),
            ),
          ]),
        ),
        { additionalProperties: false },
      ),
    ),
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
    return [...themeCheck.Errors(input)]
      .slice(0, 20)
      .map((e) => issue(pointer(e.instancePath), 'structure', { keyword: e.keyword, detail: e.message }, e.message));
  const theme = input as Theme;
  const issues = layoutIssues(theme, theme.levels);
  // each shape's layout is checked as the base is, its problems under layouts/<class>/
  for (const [cls, v] of Object.entries(theme.layouts ?? {}))
    if (v)
      for (const i of layoutIssues({ id: theme.id, name: theme.name, grid: v.grid, widgets: v.widgets }, theme.levels))
        issues.push({ ...i, path: `layouts/${cls}/${i.path}` });
  const hall = ownerHall(theme);
  const owner = parseScope(hall);
  if (hall && !owner)
    issues.push(issue('owner', 'structure', { keyword: 'owner', detail: 'not a hall' }, `owner "${theme.owner}" is not a hall`));
  if (owner && !(theme.levels.length === 1 && theme.levels[0] === owner.level))
    issues.push(
      issue(
        'levels',
        'owner_levels',
        { levels: [...theme.levels] },
        `a hall's own theme is shown at its hall's level (${owner.level}) only`,
      ),
    );
  if (opts.level && !theme.levels.includes(opts.level))
    issues.push(
      issue(
        'levels',
        'hall_level',
        { theme: theme.id, levels: [...theme.levels], level: opts.level },
        `theme "${theme.id}" is for ${theme.levels.join(', ')} halls, not a ${opts.level} hall`,
      ),
    );
  if (opts.community && hall && hall !== `community:${opts.community}`)
    issues.push(
      issue(
        'owner',
        'hall_owner',
        { theme: theme.id, owner: hall, community: opts.community },
        `theme "${theme.id}" belongs to the hall ${hall}`,
      ),
    );
  return issues;
}

/** Reports a problem of one widget: `path` inside it, and the English message after its name. */
type Say = <C extends ThemeIssueCode>(path: string, code: C, params: Omit<ThemeIssueParams[C], 'id'>, message: string) => void;

/** The checks a layout needs to be drawn (levels: those of the scopes it will be drawn for, if known). */
export function layoutIssues(layout: ScreenLayout, levels: readonly ScopeLevel[] = []): ThemeIssue[] {
  const issues: ThemeIssue[] = [];
  const { grid } = layout;
  const ids = new Set<string>();
  layout.widgets.forEach((w, i) => {
    const at = `widgets/${i}`;
    const say: Say = (path, code, params, message) =>
      issues.push(
        issue(path ? `${at}/${path}` : at, code, { id: w.id, ...params } as ThemeIssueParams[typeof code], `widget "${w.id}": ${message}`),
      );
    if (ids.has(w.id)) say('id', 'duplicate_id', {}, 'duplicate id');
    ids.add(w.id);
    const kind = WIDGET_KINDS[w.type as WidgetType];
    if (!kind) return say('type', 'unknown_type', { type: w.type }, `unknown type "${w.type}" (known: ${WIDGET_TYPES.join(', ')})`);
    const { x, y, w: cw, h } = w.pos;
    if (![x, y, cw, h].every(Number.isInteger) || cw < 1 || h < 1 || x < 0 || y < 0)
      say('pos', 'bad_position', {}, 'position must be whole grid units with width and height ≥ 1');
    else if (x + cw > grid.cols || y + h > grid.rows)
      say(
        'pos',
        'off_grid',
        { x, y, w: cw, h, cols: grid.cols, rows: grid.rows },
        `${x},${y} ${cw}×${h} runs off the ${grid.cols}×${grid.rows} grid`,
      );
    const wrong = levels.filter((l) => !levelsOf(w.type).includes(l));
    if (wrong.length)
      say(
        'type',
        'wrong_level',
        { type: w.type, levels: wrong },
        `type "${w.type}" cannot be shown at ${wrong.join(', ')} level (it compares communities)`,
      );
    const bind = w.bind ?? [];
    if (bind.length < kind.min || bind.length > kind.max)
      say(
        'bind',
        'bind_count',
        { type: w.type, min: kind.min, max: kind.max, got: bind.length },
        `type "${w.type}" binds ${kind.min === kind.max ? kind.min : `${kind.min}–${kind.max}`} metric(s), got ${bind.length}`,
      );
    bind.forEach((key, k) => {
      const shape = METRIC_SHAPES[key];
      const allowed = kind.shapes[Math.min(k, kind.shapes.length - 1)] ?? [];
      if (!shape) say(`bind/${k}`, 'unknown_metric', { metric: key, index: k }, `unknown metric "${key}"`);
      else if (!allowed.includes(shape))
        say(
          `bind/${k}`,
          'metric_shape',
          { metric: key, index: k, shape, type: w.type, allowed: [...allowed] },
          `metric "${key}" is a ${shape}, type "${w.type}" needs ${allowed.join(' or ')}`,
        );
    });
    optionIssues(w.type, w.options, bind, say);
  });
  for (let i = 0; i < layout.widgets.length; i++)
    for (let j = i + 1; j < layout.widgets.length; j++) {
      const a = layout.widgets[i],
        b = layout.widgets[j];
      if (a.pos && b.pos && overlap(a.pos, b.pos))
        issues.push(issue(`widgets/${j}/pos`, 'overlap', { a: a.id, b: b.id }, `widgets "${a.id}" and "${b.id}" overlap`));
    }
  return issues;
}

function optionIssues(type: WidgetType, options: unknown, bind: readonly MetricKey[], say: Say): void {
  if (options === undefined) {
    if (OPTIONS_REQUIRED.has(type)) say('options', 'options_required', { type }, `type "${type}" needs options`);
    return;
  }
  const check = optionChecks[type];
  if (!check.Check(options)) {
    for (const e of [...check.Errors(options)].slice(0, 3)) {
      const at = `options${e.instancePath}`;
      say(at, 'options_invalid', { type, at, keyword: e.keyword, detail: e.message }, `${at} ${e.message}`);
    }
    return;
  }
  const o = options as { items?: { key: string; field?: string }[]; field?: string; source?: string };
  const needsField = (key: string) => ['ratio', 'record'].includes(METRIC_SHAPES[key as MetricKey]);
  if (type === 'kpis')
    for (const it of o.items ?? []) {
      if (!bind.includes(it.key as MetricKey))
        say('options/items', 'kpi_not_bound', { metric: it.key }, `KPI "${it.key}" is not in its binding`);
      // an object metric shows one number from inside it, which must be named
      if (needsField(it.key) && !it.field) say('options/items', 'kpi_field', { metric: it.key }, `KPI "${it.key}" needs a "field"`);
    }
  // (a gauge reads the `rate` inside a share unless told otherwise)
  if (type === 'rolling' && bind[0] && needsField(bind[0]) && !o.field)
    say('options/field', 'rolling_field', { metric: bind[0] }, `metric "${bind[0]}" is an object: name the "field" to show`);
  if (type === 'table' && bind[0] && METRIC_SHAPES[bind[0]] !== o.source)
    say(
      'options/source',
      'table_source',
      { source: String(o.source), metric: bind[0] },
      `table source "${o.source}" does not match metric "${bind[0]}"`,
    );
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
