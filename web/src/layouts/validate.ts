/**
 * Checks a layout before it is drawn: every widget inside the grid, no two overlapping, ids unique,
 * known types, and bindings of the kind each type reads. Returns readable errors; empty means valid.
 */
import type { MetricKey } from '@commandhall/shared/metrics';
import type { ScreenLayout, WidgetType, GridRect } from './types.ts';

/** Metric keys by the shape of their value. */
export const METRIC_SHAPES: Record<
  MetricKey,
  | 'number'
  | 'rate'
  | 'record'
  | 'series'
  | 'daily'
  | 'communities'
  | 'recent'
  | 'text'
  | 'ratio'
  | 'funnel'
  | 'stages'
  | 'units'
  | 'hot'
  | 'alerts'
  | 'alertMap'
> = {
  day: 'text',
  'appeals.today': 'number',
  'appeals.open': 'number',
  'appeals.overdue': 'number',
  'appeals.closedToday': 'number',
  'appeals.closedOnTimeToday': 'number',
  'appeals.onTimeRate': 'rate',
  'appeals.immediateRate': 'rate',
  'appeals.satisfactionRate': 'rate',
  'appeals.byStatus': 'record',
  'appeals.byCategory': 'record',
  'appeals.byChannel': 'record',
  'appeals.byNature': 'record',
  'appeals.hourlyToday': 'series',
  'appeals.hourlyYesterday': 'series',
  'appeals.daily': 'daily',
  'map.communities': 'communities',
  'alerts.today': 'number',
  'alerts.pending': 'number',
  'alerts.byAlgorithm': 'record',
  'alerts.byStatus': 'record',
  'inspections.today': 'number',
  'inspections.issuesToday': 'number',
  'scans.today': 'number',
  recent: 'recent',
  'appeals.extensionsPending': 'number',
  'appeals.dueSoon': 'number',
  'appeals.rework': 'ratio',
  'appeals.stageTimes': 'stages',
  'appeals.funnel': 'funnel',
  'appeals.overdueByUnit': 'units',
  'appeals.hotCategories': 'hot',
  'appeals.hotSubcategories': 'hot',
  'alerts.open': 'number',
  'alerts.queue': 'alerts',
  'alerts.pendingByLevel': 'record',
  'alerts.escalated': 'number',
  'alerts.detectionsToday': 'number',
  'alerts.byCommunity': 'record',
  'alerts.ackTime': 'ratio',
  'alerts.falsePositives': 'ratio',
  'alerts.confirmedClosed': 'ratio',
  'cameras.online': 'ratio',
  'map.alerts': 'alertMap',
};

type Shape = (typeof METRIC_SHAPES)[MetricKey];

/** What each widget type binds: the shapes, in order, and how many keys. */
const BINDINGS: Record<WidgetType, { shapes: Shape[][]; min: number; max: number }> = {
  title: { shapes: [], min: 0, max: 0 },
  kpis: { shapes: [['number', 'rate', 'ratio']], min: 1, max: 12 },
  bar: { shapes: [['record']], min: 1, max: 1 },
  pie: { shapes: [['record']], min: 1, max: 1 },
  hourly: { shapes: [['series'], ['series']], min: 1, max: 2 },
  daily: { shapes: [['daily']], min: 1, max: 1 },
  ranking: { shapes: [['communities']], min: 1, max: 1 },
  ticker: { shapes: [['recent']], min: 1, max: 1 },
  map: { shapes: [['communities'], ['recent']], min: 1, max: 2 },
  funnel: { shapes: [['funnel']], min: 1, max: 1 },
  stages: { shapes: [['stages']], min: 1, max: 1 },
  units: { shapes: [['units']], min: 1, max: 1 },
  hot: { shapes: [['hot']], min: 1, max: 1 },
};

export const WIDGET_TYPES = Object.keys(BINDINGS) as WidgetType[];

const overlap = (a: GridRect, b: GridRect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export function validateLayout(layout: ScreenLayout): string[] {
  const errors: string[] = [];
  const { grid } = layout;
  if (!(grid.width > 0 && grid.height > 0 && grid.cols > 0 && grid.rows > 0))
    errors.push(`layout "${layout.id}": grid needs a positive size, columns and rows`);
  const ids = new Set<string>();
  layout.widgets.forEach((w, i) => {
    const at = `widget "${w.id ?? i}"`;
    if (!w.id) errors.push(`widget #${i}: missing id`);
    else if (ids.has(w.id)) errors.push(`${at}: duplicate id`);
    ids.add(w.id);
    const spec = BINDINGS[w.type as WidgetType];
    if (!spec) {
      errors.push(`${at}: unknown type "${w.type}" (known: ${WIDGET_TYPES.join(', ')})`);
      return;
    }
    const { x, y, w: cw, h } = w.pos;
    if (![x, y, cw, h].every(Number.isInteger) || cw < 1 || h < 1 || x < 0 || y < 0)
      errors.push(`${at}: position must be whole grid units with width and height ≥ 1`);
    else if (x + cw > grid.cols || y + h > grid.rows)
      errors.push(`${at}: ${x},${y} ${cw}×${h} runs off the ${grid.cols}×${grid.rows} grid`);
    const bind = w.bind ?? [];
    if (bind.length < spec.min || bind.length > spec.max)
      errors.push(
        `${at}: type "${w.type}" binds ${spec.min === spec.max ? spec.min : `${spec.min}–${spec.max}`} metric(s), got ${bind.length}`,
      );
    bind.forEach((key, k) => {
      const shape = METRIC_SHAPES[key];
      const allowed = spec.shapes[Math.min(k, spec.shapes.length - 1)] ?? [];
      if (!shape) errors.push(`${at}: unknown metric "${key}"`);
      else if (!allowed.includes(shape))
        errors.push(`${at}: metric "${key}" is a ${shape}, type "${w.type}" needs ${allowed.join(' or ')}`);
    });
    if (w.type === 'kpis') {
      const items = (w.options as { items?: { key: string }[] } | undefined)?.items ?? [];
      for (const it of items as { key: string; field?: string }[]) {
        if (!bind.includes(it.key as MetricKey)) errors.push(`${at}: KPI "${it.key}" is not in its binding`);
        // an object metric shows one number from inside it, which must be named
        if (METRIC_SHAPES[it.key as MetricKey] === 'ratio' && !it.field) errors.push(`${at}: KPI "${it.key}" needs a "field"`);
      }
    }
  });
  for (let i = 0; i < layout.widgets.length; i++)
    for (let j = i + 1; j < layout.widgets.length; j++) {
      const a = layout.widgets[i],
        b = layout.widgets[j];
      if (a.pos && b.pos && overlap(a.pos, b.pos)) errors.push(`widgets "${a.id}" and "${b.id}" overlap`);
    }
  return errors;
}

/** Design-pixel rectangle of a grid rectangle (gaps between cells and around the grid). */
export function cellRect(grid: ScreenLayoutGrid, r: GridRect): { left: number; top: number; width: number; height: number } {
  const cw = (grid.width - grid.gap) / grid.cols;
  const ch = (grid.height - grid.gap) / grid.rows;
  return {
    left: grid.gap + r.x * cw,
    top: grid.gap + r.y * ch,
    width: r.w * cw - grid.gap,
    height: r.h * ch - grid.gap,
  };
}
type ScreenLayoutGrid = ScreenLayout['grid'];
