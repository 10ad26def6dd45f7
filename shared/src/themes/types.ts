/**
 * Screens are data. A layout places widgets on a grid at a design resolution, each bound to
 * metrics of the screen's scope; a theme is a layout that a command hall can show, stored and
 * versioned by the server, validated by `validateTheme` wherever it is loaded or saved. Everything
 * here is plain JSON (no functions) so that it travels over HTTP and into the editor unchanged.
 */
import type { MetricKey } from '../metrics.ts';
import type { ScopeLevel } from '../scope.ts';
import type { VariantClass } from './aspect.ts';
import type { LayoutVariant } from './reflow.ts';

export interface GridSpec {
  /** Design resolution in CSS pixels, scaled to the screen as a whole. */
  width: number;
  height: number;
  cols: number;
  rows: number;
  /** Space between widgets and around the grid, in design pixels. */
  gap: number;
}

export interface GridRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Taxonomy a chart translates its keys through (codes → names); `none` shows keys as given. */
export type TaxonomyKind = 'category' | 'channel' | 'nature' | 'algorithm' | 'status' | 'alertStatus' | 'field';

export interface KpiItem {
  key: MetricKey;
  label: string;
  format: 'count' | 'rate';
  /** 'alert': drawn in the warning colour when above zero. */
  tone?: 'normal' | 'alert' | 'good';
  /** For a metric that is an object (e.g. `appeals.rework`): the number inside it to show. */
  field?: string;
}

/**
 * Layers the map widget can draw (each from the scope's metrics or its registries): the areas
 * coloured by their open appeals (`communities`; inside a community, its grid cells: `grid`), the
 * latest appeals and alerts as points, the cameras, the city components (clusters and points by
 * status) and the smart poles alone, the heat map of appeals and alerts, the plain basemap
 * (roads and water).
 */
export const MAP_LAYERS = ['communities', 'points', 'cameras', 'alerts', 'grid', 'components', 'poles', 'heat', 'basemap'] as const;
export type MapLayer = (typeof MAP_LAYERS)[number];

/** What a map shows when neither its theme nor the person looking chose: the busy layers stay off. */
export const DEFAULT_MAP_LAYERS: readonly MapLayer[] = ['communities', 'points', 'cameras', 'alerts', 'grid', 'basemap'];

/**
 * The default layers of a hall's map by its level: a community's or a grid cell's map shows its
 * city components too (its cells and what stands in them, not one solid polygon); above, they
 * would bury the map in circles until someone asks for them.
 */
export function defaultMapLayers(level: string | undefined): readonly MapLayer[] {
  return level === 'community' || level === 'grid' ? [...DEFAULT_MAP_LAYERS, 'components'] : DEFAULT_MAP_LAYERS;
}

/** Columns of the scrolling table: which rows it reads decides which columns it may show. */
export type TableSource = 'alerts' | 'recent' | 'units';

/** Options per widget type; `validateTheme` checks each widget's binding against its type. */
export interface WidgetOptionsMap {
  /** The screen's heading: the scope's name, the clock and the connection state. */
  title: { subtitle?: string };
  /** A row or column of KPI tiles. */
  kpis: { items: KpiItem[]; columns?: number };
  /** One large number that rolls to each new value. */
  rolling: { label: string; field?: string; unit?: string; format?: 'count' | 'rate' };
  bar: { taxonomy?: TaxonomyKind; limit?: number; color?: number; horizontal?: boolean };
  /** A line chart of one or two day series (30 days) or hourly series (24 hours). */
  line: { area?: boolean };
  pie: { taxonomy?: TaxonomyKind; limit?: number; rose?: boolean };
  /** A dial from 0 to 100 % (a rate, or the `rate` inside a share). */
  gauge: { label: string; field?: string; warnBelow?: number };
  hourly: Record<string, never>;
  daily: Record<string, never>;
  /** Communities ranked by one of their figures. */
  ranking: { sortBy?: 'today' | 'open' | 'overdue' | 'alertsToday'; limit?: number };
  /** Rows that scroll upwards when there are more than fit. */
  table: { source: TableSource; limit?: number; secondsPerRow?: number };
  ticker: { limit?: number };
  /** The scope's open alerts, most urgent first, with their age. */
  alertQueue: { limit?: number };
  map: { interactive?: boolean; legend?: boolean; layers?: MapLayer[] };
  /** Static text (a notice, the hall's duty roster…). */
  text: { text: string; size?: number; align?: 'left' | 'center' };
  clock: { seconds?: boolean; date?: boolean };
  /** An image shipped with the app (a path under /themes/) or a data: URL; never a remote address. */
  image: { src: string; fit?: 'contain' | 'cover'; alt?: string };
  funnel: Record<string, never>;
  stages: Record<string, never>;
  units: { limit?: number };
  hot: { taxonomy: 'category' | 'subcategory'; limit?: number };
}

export type WidgetType = keyof WidgetOptionsMap;

export interface WidgetSpec<T extends WidgetType = WidgetType> {
  id: string;
  type: T;
  pos: GridRect;
  /** Title: an i18n key (`widget.byCategory`) or plain text; none for frameless widgets. */
  title?: string;
  /** Metric keys of the screen's scope the widget reads. */
  bind: MetricKey[];
  options?: WidgetOptionsMap[T];
}

export type AnyWidgetSpec = { [T in WidgetType]: WidgetSpec<T> }[WidgetType];

export interface ScreenLayout {
  id: string;
  /** i18n key or plain name. */
  name: string;
  grid: GridSpec;
  widgets: AnyWidgetSpec[];
}

/** The version of the theme format that this code reads and writes. */
export const THEME_SCHEMA_VERSION = 1;

/**
 * A theme: a layout a command hall shows in its rotation. Common themes serve every hall of the
 * levels they name; a hall's own theme names the hall that owns it and is shown only there, and
 * that hall's director may edit it: a community's "x" themes, or a district's (street's, city's)
 * own copy of a common theme.
 */
export interface Theme extends ScreenLayout {
  schema: typeof THEME_SCHEMA_VERSION;
  /** Scope levels whose halls can show it. */
  levels: ScopeLevel[];
  /**
   * For a hall's own theme: the hall, as a scope id (`district:440310`), or for a community as its
   * bare 12-digit code (`440310001001`, as community themes have always named it). See `ownerHall`.
   */
  owner?: string;
  /** One line on what the theme is for, shown in the editor and the playlist. */
  description?: string;
  /**
   * Its layout for each other shape of wall (aspect.ts); the base `grid` and `widgets` are the 16:9
   * one. A missing class, or one marked `auto`, is reflowed from the base (reflow.ts) whenever the
   * base changes; one drawn by hand is kept as drawn.
   */
  layouts?: Partial<Record<VariantClass, LayoutVariant>>;
}

/** A saved version of a theme, as the server stores it. */
export interface ThemeVersion {
  theme: Theme;
  version: number;
  savedAt: string;
  savedBy: string;
  /** Set when this version restored an earlier one. */
  restoredFrom?: number;
}

/** One step of a hall's rotation. */
export interface PlaylistEntry {
  themeId: string;
  /** How long the theme stays on the wall, seconds. */
  seconds: number;
}

/**
 * What a hall's displays rotate through. Every display of the hall computes the theme on screen
 * from the server's clock: the rotation started at `epoch` and repeats, so displays that never
 * talk to each other change together.
 */
export interface Playlist {
  scope: string;
  entries: PlaylistEntry[];
  /** ISO time the rotation is counted from. */
  epoch: string;
  version: number;
}
