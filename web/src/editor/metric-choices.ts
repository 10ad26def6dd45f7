/**
 * Which metrics a widget can bind in each of its slots: those whose shape its type accepts there
 * (the widget catalog's `shapes`, the last entry repeating), as the validator will check them.
 */
import { METRIC_SHAPES, WIDGET_KINDS, type MetricShape, type WidgetType } from '@commandhall/shared/themes';
import type { MetricKey } from '@commandhall/shared/metrics';

const ALL_KEYS = (Object.keys(METRIC_SHAPES) as MetricKey[]).sort();

/** Shapes the `index`-th bound metric of a widget of this type may have. */
export function shapesAt(type: WidgetType, index: number): readonly MetricShape[] {
  const { shapes } = WIDGET_KINDS[type];
  return shapes[Math.min(index, shapes.length - 1)] ?? [];
}

/** Metric keys a widget of this type may bind at slot `index`, in alphabetical order. */
export function metricChoices(type: WidgetType, index: number): MetricKey[] {
  const allowed = shapesAt(type, index);
  return ALL_KEYS.filter((k) => allowed.includes(METRIC_SHAPES[k]));
}

/**
 * The binding slots the editor shows: every bound metric, and empty ones up to the type's minimum;
 * whether one more can be added and which can be removed.
 */
export function bindSlots(
  type: WidgetType,
  bind: readonly string[],
): { slots: number; canAdd: boolean; removable: (i: number) => boolean } {
  const { min, max } = WIDGET_KINDS[type];
  return { slots: Math.max(bind.length, min), canAdd: bind.length < max, removable: (i) => i >= min && i < bind.length };
}
