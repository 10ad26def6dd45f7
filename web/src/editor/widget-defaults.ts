/**
 * What a widget starts as when it is added from the palette or changes type: metrics of the right
 * shapes, the options its type needs, and a size that suits it. Every default passes
 * `validateTheme` at each level its type is shown at (web/test/editor-defaults.test.ts).
 */
import {
  levelsOf,
  THEME_SCHEMA_VERSION,
  WIDGET_TYPES,
  type AnyWidgetSpec,
  type GridRect,
  type GridSpec,
  type Theme,
  type WidgetOptionsMap,
  type WidgetType,
} from '@commandhall/shared/themes';
import { parseScope, type ScopeLevel } from '@commandhall/shared/scope';
import type { MetricKey } from '@commandhall/shared/metrics';

interface Default<T extends WidgetType = WidgetType> {
  bind: MetricKey[];
  options?: WidgetOptionsMap[T];
  /** Size on the common 48×27 grid; scaled to others. */
  size: { w: number; h: number };
  /** Drawn without a frame, so a title would not show. */
  untitled?: boolean;
}

// a small framed placeholder until someone puts a real image in (a wall never loads remote images)
const PLACEHOLDER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90"><rect x="1" y="1" width="158" height="88" fill="#0a1d36" stroke="#56b4e9"/></svg>';
export const PLACEHOLDER_IMAGE = `data:image/svg+xml;base64,${btoa(PLACEHOLDER_SVG)}`;

const DEFAULTS: { [T in WidgetType]: Default<T> } = {
  title: { bind: [], size: { w: 48, h: 2 }, untitled: true },
  kpis: {
    bind: ['appeals.today', 'appeals.open', 'appeals.overdue'],
    options: {
      items: [
        { key: 'appeals.today', label: 'kpi.appealsToday', format: 'count' },
        { key: 'appeals.open', label: 'kpi.open', format: 'count' },
        { key: 'appeals.overdue', label: 'kpi.overdue', format: 'count', tone: 'alert' },
      ],
    },
    size: { w: 24, h: 4 },
    untitled: true,
  },
  rolling: { bind: ['appeals.today'], options: { label: 'kpi.appealsToday' }, size: { w: 8, h: 5 } },
  bar: { bind: ['appeals.byCategory'], options: { taxonomy: 'category', limit: 8 }, size: { w: 12, h: 9 } },
  line: { bind: ['appeals.daily'], options: { area: true }, size: { w: 16, h: 7 } },
  pie: { bind: ['appeals.byChannel'], options: { taxonomy: 'channel' }, size: { w: 12, h: 9 } },
  gauge: { bind: ['appeals.onTimeRate'], options: { label: 'kpi.onTimeRate' }, size: { w: 8, h: 7 } },
  hourly: { bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'], size: { w: 16, h: 7 } },
  daily: { bind: ['appeals.daily'], size: { w: 16, h: 7 } },
  ranking: { bind: ['map.communities'], options: { sortBy: 'today', limit: 8 }, size: { w: 12, h: 10 } },
  table: { bind: ['recent'], options: { source: 'recent', limit: 20 }, size: { w: 12, h: 10 } },
  ticker: { bind: ['recent'], options: { limit: 8 }, size: { w: 12, h: 8 } },
  alertQueue: { bind: ['alerts.queue'], options: { limit: 6 }, size: { w: 12, h: 10 } },
  map: { bind: ['map.communities', 'recent'], options: { legend: true }, size: { w: 24, h: 15 }, untitled: true },
  text: { bind: [], options: { text: '…', size: 20 }, size: { w: 12, h: 7 } },
  clock: { bind: [], options: { seconds: true, date: true }, size: { w: 8, h: 4 }, untitled: true },
  image: { bind: [], options: { src: PLACEHOLDER_IMAGE, fit: 'contain' }, size: { w: 12, h: 10 } },
  funnel: { bind: ['appeals.funnel'], size: { w: 12, h: 10 } },
  stages: { bind: ['appeals.stageTimes'], size: { w: 12, h: 10 } },
  units: { bind: ['appeals.overdueByUnit'], options: { limit: 7 }, size: { w: 12, h: 10 } },
  hot: { bind: ['appeals.hotCategories'], options: { taxonomy: 'category', limit: 5 }, size: { w: 12, h: 7 } },
};

/** The size a new widget of this type asks for on this grid (the common grid's, scaled). */
export function defaultSize(type: WidgetType, grid: GridSpec): { w: number; h: number } {
  const { w, h } = DEFAULTS[type].size;
  const fit = (v: number, of: number, n: number) => Math.min(n, Math.max(1, Math.round((v * n) / of)));
  return { w: fit(w, 48, grid.cols), h: fit(h, 27, grid.rows) };
}

/** Whether the widget type draws a title (frameless types bring their own look). */
export const takesTitle = (type: WidgetType) => !DEFAULTS[type].untitled;

/** A new widget of `type` at `pos`, with its default metrics and options (copies: safe to change). */
export function defaultWidget(type: WidgetType, id: string, pos: GridRect, title?: string): AnyWidgetSpec {
  const d = DEFAULTS[type];
  const spec = { id, type, pos: { ...pos }, bind: [...d.bind] } as AnyWidgetSpec;
  if (title && !d.untitled) spec.title = title;
  if (d.options) spec.options = structuredClone(d.options) as never;
  return spec;
}

/** The same widget as another type: place, id and title kept, metrics and options the new type's defaults. */
export function retype(w: AnyWidgetSpec, type: WidgetType): AnyWidgetSpec {
  return defaultWidget(type, w.id, w.pos, w.title);
}

/** `bar-2`: the type and the smallest number no other widget's id has. */
export function newWidgetId(type: WidgetType, widgets: readonly { id: string }[]): string {
  const ids = new Set(widgets.map((w) => w.id));
  const base = type.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 30) || 'widget';
  for (let n = 1; ; n++) if (!ids.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Types that can be shown in every hall the theme is for (ranking compares communities). */
export function typesFor(levels: readonly ScopeLevel[]): WidgetType[] {
  return WIDGET_TYPES.filter((t) => levels.every((l) => levelsOf(t).includes(l)));
}

/** How a theme names the hall that owns it: a community by its bare code (as themes always have), any other hall by its scope id. */
export const ownerOf = (hall: string): string => (hall.startsWith('community:') ? hall.slice('community:'.length) : hall);

/**
 * A hall's own copy of a common theme, not yet saved: shown in that hall alone, in the common
 * theme's place in its default rotation (its id extends the common one's), and its director's to edit.
 */
export function hallCopyDraft(theme: Theme, hall: string, name: string): Theme {
  const s = parseScope(hall)!;
  return {
    ...structuredClone(theme),
    id: `${theme.id}-${s.code}`.slice(0, 40),
    name: name.slice(0, 60),
    levels: [s.level],
    owner: ownerOf(hall),
  };
}

export const COMMON_GRID: GridSpec = { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 };

/**
 * A new theme, not yet saved, with a title bar to start from: a hall's own (shown in that hall
 * alone) when `hall` (a scope id, or a community's bare code) is given, else a common theme for the halls of `level`. Its id names the hall
 * (or level) and the moment, so two drafts never collide.
 */
export function newThemeDraft(hall: string | null, name: string, now = Date.now(), level: ScopeLevel = 'community'): Theme {
  // a bare 12-digit code names a community hall, as it always has
  const own = hall ? parseScope(hall.includes(':') ? hall : `community:${hall}`) : null;
  return {
    schema: THEME_SCHEMA_VERSION,
    id: own ? `own-${own.code}-${now.toString(36)}` : `${level}-${now.toString(36)}`,
    name: name.slice(0, 60),
    description: '',
    levels: own ? [own.level] : [level],
    ...(own ? { owner: ownerOf(`${own.level}:${own.code}`) } : {}),
    grid: { ...COMMON_GRID },
    widgets: [defaultWidget('title', 'title', { x: 0, y: 0, w: COMMON_GRID.cols, h: 2 })],
  };
}
