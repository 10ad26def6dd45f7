import type { WidgetSpec, WidgetType } from '@commandhall/shared/themes';

/** What the layout renderer passes to every widget: its spec, its bound values, in order, and the scope. */
export interface WidgetProps<T extends WidgetType> {
  spec: WidgetSpec<T>;
  values: readonly unknown[];
  scope: string;
}
