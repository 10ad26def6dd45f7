/**
 * Screens are data: a layout places widgets on a grid at a design resolution, each bound to
 * metrics of the screen's scope. The "5+x" themes issue moves this schema to shared/ as themes;
 * keep it plain JSON-compatible data (no functions) so that it can be stored and validated there.
 */
import type { MetricKey } from '@commandhall/shared/metrics';

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

export type TaxonomyKind = 'category' | 'channel' | 'nature' | 'algorithm';

export interface KpiItem {
  key: MetricKey;
  label: string;
  format: 'count' | 'rate';
  /** 'alert': drawn in the warning colour when above zero. */
  tone?: 'normal' | 'alert' | 'good';
  /** For a metric that is an object (e.g. `appeals.rework`): the number inside it to show. */
  field?: string;
}

/** Options per widget type; the renderer checks each widget's binding against its type. */
export interface WidgetOptionsMap {
  title: { subtitle?: string };
  kpis: { items: KpiItem[]; columns?: number };
  bar: { taxonomy: TaxonomyKind; limit?: number; color?: number };
  pie: { taxonomy: TaxonomyKind; limit?: number; rose?: boolean };
  hourly: Record<string, never>;
  daily: Record<string, never>;
  ranking: { sortBy?: 'today' | 'open' | 'overdue'; limit?: number };
  ticker: { limit?: number };
  map: { interactive?: boolean; legend?: boolean };
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
  /** i18n key of the title; none for frameless widgets. */
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
