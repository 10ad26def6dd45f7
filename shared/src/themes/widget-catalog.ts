/**
 * What each widget type needs: the shapes of the metrics it binds (in order), how many, the scope
 * levels it makes sense at, and the schema of its options. The theme validator reads this; the
 * editor offers its choices from it.
 */
import { Type, type TSchema } from 'typebox';
import { SCOPE_LEVELS, type ScopeLevel } from '../scope.ts';
import type { MetricShape } from './metric-shapes.ts';
import { MAP_LAYERS, type WidgetType } from './types.ts';

export interface WidgetKind {
  /** Allowed shapes of the 1st, 2nd… bound metric (the last entry repeats). */
  shapes: MetricShape[][];
  min: number;
  max: number;
  /** Levels at which the widget means something; absent: all. */
  levels?: ScopeLevel[];
  options: TSchema;
}

const ALL_LEVELS: ScopeLevel[] = [...SCOPE_LEVELS];
/** Widgets that compare the scope's communities need more than one community. */
const ABOVE_COMMUNITY: ScopeLevel[] = SCOPE_LEVELS.filter((l) => l !== 'community' && l !== 'grid');

const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 50 }));
const Label = Type.String({ minLength: 1, maxLength: 60 });
const Field = Type.Optional(Type.String({ minLength: 1, maxLength: 40 }));
const Format = Type.Optional(Type.Union([Type.Literal('count'), Type.Literal('rate')]));
const Taxonomy = Type.Optional(
  Type.Union(['category', 'channel', 'nature', 'algorithm', 'status', 'alertStatus', 'field'].map((k) => Type.Literal(k))),
);
const None = Type.Object({}, { additionalProperties: false });
const opts = (props: Parameters<typeof Type.Object>[0]) => Type.Object(props, { additionalProperties: false });

const KpiItem = opts({
  key: Type.String({ minLength: 1 }),
  label: Label,
  format: Type.Union([Type.Literal('count'), Type.Literal('rate')]),
  tone: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('alert'), Type.Literal('good')])),
  field: Field,
});

export const WIDGET_KINDS: Record<WidgetType, WidgetKind> = {
  title: { shapes: [], min: 0, max: 0, options: opts({ subtitle: Type.Optional(Type.String({ maxLength: 60 })) }) },
  kpis: {
    shapes: [['number', 'rate', 'ratio', 'record']],
    min: 1,
    max: 12,
    options: opts({
      items: Type.Array(KpiItem, { minItems: 1, maxItems: 12 }),
      columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    }),
  },
  rolling: {
    shapes: [['number', 'rate', 'ratio', 'record']],
    min: 1,
    max: 1,
    options: opts({ label: Label, field: Field, unit: Type.Optional(Type.String({ maxLength: 8 })), format: Format }),
  },
  bar: {
    shapes: [['record']],
    min: 1,
    max: 1,
    options: opts({
      taxonomy: Taxonomy,
      limit: Limit,
      color: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
      horizontal: Type.Optional(Type.Boolean()),
    }),
  },
  line: {
    shapes: [
      ['daily', 'series'],
      ['daily', 'series'],
    ],
    min: 1,
    max: 2,
    options: opts({ area: Type.Optional(Type.Boolean()) }),
  },
  pie: { shapes: [['record']], min: 1, max: 1, options: opts({ taxonomy: Taxonomy, limit: Limit, rose: Type.Optional(Type.Boolean()) }) },
  gauge: {
    shapes: [['rate', 'ratio']],
    min: 1,
    max: 1,
    options: opts({ label: Label, field: Field, warnBelow: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) }),
  },
  hourly: { shapes: [['series'], ['series']], min: 1, max: 2, options: None },
  daily: { shapes: [['daily']], min: 1, max: 1, options: None },
  ranking: {
    shapes: [['communities']],
    min: 1,
    max: 1,
    levels: ABOVE_COMMUNITY,
    options: opts({
      sortBy: Type.Optional(Type.Union(['today', 'open', 'overdue', 'alertsToday'].map((k) => Type.Literal(k)))),
      limit: Limit,
    }),
  },
  table: {
    shapes: [['alerts', 'recent', 'units']],
    min: 1,
    max: 1,
    options: opts({
      source: Type.Union([Type.Literal('alerts'), Type.Literal('recent'), Type.Literal('units')]),
      limit: Limit,
      secondsPerRow: Type.Optional(Type.Number({ minimum: 0.5, maximum: 30 })),
    }),
  },
  ticker: { shapes: [['recent']], min: 1, max: 1, options: opts({ limit: Limit }) },
  alertQueue: { shapes: [['alerts']], min: 1, max: 1, options: opts({ limit: Limit }) },
  map: {
    shapes: [['communities'], ['recent', 'alertMap']],
    min: 1,
    max: 3,
    options: opts({
      interactive: Type.Optional(Type.Boolean()),
      legend: Type.Optional(Type.Boolean()),
      layers: Type.Optional(Type.Array(Type.Union(MAP_LAYERS.map((l) => Type.Literal(l))), { uniqueItems: true })),
    }),
  },
  text: {
    shapes: [],
    min: 0,
    max: 0,
    options: opts({
      text: Type.String({ minLength: 1, maxLength: 2000 }),
      size: Type.Optional(Type.Integer({ minimum: 10, maximum: 200 })),
      align: Type.Optional(Type.Union([Type.Literal('left'), Type.Literal('center')])),
    }),
  },
  clock: { shapes: [], min: 0, max: 0, options: opts({ seconds: Type.Optional(Type.Boolean()), date: Type.Optional(Type.Boolean()) }) },
  image: {
    shapes: [],
    min: 0,
    max: 0,
    options: opts({
      // shipped with the app or inline: a command hall has no internet
      src: Type.String({
        minLength: 1,
        maxLength: 200_000,
        pattern: '^(/themes/[A-Za-z0-9._/-]+|data:image/(png|jpeg|svg\\+xml|webp);base64,[A-Za-z0-9+/=]+)$',
      }),
      fit: Type.Optional(Type.Union([Type.Literal('contain'), Type.Literal('cover')])),
      alt: Type.Optional(Type.String({ maxLength: 100 })),
    }),
  },
  funnel: { shapes: [['funnel']], min: 1, max: 1, options: None },
  stages: { shapes: [['stages']], min: 1, max: 1, options: None },
  units: { shapes: [['units']], min: 1, max: 1, options: opts({ limit: Limit }) },
  hot: {
    shapes: [['hot']],
    min: 1,
    max: 1,
    options: opts({ taxonomy: Type.Union([Type.Literal('category'), Type.Literal('subcategory')]), limit: Limit }),
  },
};

export const WIDGET_TYPES = Object.keys(WIDGET_KINDS) as WidgetType[];
export const levelsOf = (type: WidgetType): ScopeLevel[] => WIDGET_KINDS[type].levels ?? ALL_LEVELS;

/** Widgets whose options must be given (the rest have defaults for everything). */
export const OPTIONS_REQUIRED: ReadonlySet<WidgetType> = new Set(['kpis', 'rolling', 'gauge', 'table', 'text', 'image', 'hot']);
