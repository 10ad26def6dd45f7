/**
 * The appeal list's filters, as `GET /api/v1/appeals` takes them in its query and an export
 * (`POST /api/v1/appeal-exports`) in its body: one schema for their shape, one parser for their
 * meaning (statuses and codes that exist, dates that parse, "to" after "from"), so that an export
 * holds exactly the appeals the list shows.
 */
import { Type } from 'typebox';
import { APPEAL_STATUSES, REPORTER_KINDS, isKnown, type AppealStatus, type ReporterKind } from '@commandhall/shared';
import { APPEAL_SORTS, type AppealQuery, type AppealSort, type SortOrder } from './appeal-read-model.ts';
import { AppealError } from './actions.ts';

/** Largest page of the list. */
export const LIST_MAX = 200;
export const LIST_DEFAULT = 50;

const Code = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 64, description }));

/** The filters' properties: the list's query and an export's body both hold them. */
export const FilterProperties = {
  scope: Type.Optional(Type.String({ maxLength: 40, description: 'district:…, street:… or community:…; default: the caller’s scope' })),
  status: Type.Optional(
    Type.Union([Type.String({ maxLength: 120 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: APPEAL_STATUSES.length })], {
      description: `Any of ${APPEAL_STATUSES.join(', ')}: comma-separated or repeated`,
    }),
  ),
  category: Code('Top-level category code'),
  subcategory: Code('Second-level category code'),
  channel: Code('Channel code'),
  nature: Code('Nature code'),
  // a string, not an enum: an unknown value gets filtersOf's message, which names the kinds
  reporterKind: Type.Optional(
    Type.String({ minLength: 1, maxLength: 20, description: `Who raised it: ${REPORTER_KINDS.join(' or ')} (涉企诉求)` }),
  ),
  overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Open and past the deadline now' })),
  extension: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('none')], { description: 'An extension request is pending' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (RFC 3339)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (RFC 3339)' })),
  sort: Type.Optional(Type.Enum(APPEAL_SORTS, { description: 'created (default), deadline or status' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'desc (default) or asc' })),
};

/** The query of `GET /api/v1/appeals`: the filters and a page. */
export const ListQuery = Type.Object(
  {
    ...FilterProperties,
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: `Page size, 1–${LIST_MAX} (default ${LIST_DEFAULT})` })),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

/** The filters as they arrive (a JSON body may say `overdue` with a boolean). */
export interface FilterInput {
  status?: string | string[];
  category?: string;
  subcategory?: string;
  channel?: string;
  nature?: string;
  reporterKind?: string;
  overdue?: 'true' | 'false' | boolean;
  extension?: 'pending' | 'none';
  from?: string;
  to?: string;
  sort?: AppealSort;
  order?: SortOrder;
}

export interface ListQuery extends FilterInput {
  scope?: string;
  overdue?: 'true' | 'false';
  limit?: string;
  cursor?: string;
}

/** The filters' meaning: the read model's query without the scope, the page and the clock. */
export type Filters = Omit<AppealQuery, 'scope' | 'ids' | 'limit' | 'cursor' | 'now' | 'countCap'>;

/** List filters, checked for shape (the schema) and meaning (`listFiltersOf`). */
export interface ListFilters extends Filters {
  /** Default: the principal's scope. */
  scope?: string;
  limit: number;
  cursor?: string;
}

const bad = (message: string) => new AppealError(400, 'invalid_request', message);
const quoted = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');

/** Statuses and codes that exist, dates that parse, "to" after "from"; else AppealError 400. */
export function filtersOf(q: FilterInput): Filters {
  const statuses = [q.status ?? []]
    .flat()
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = statuses.filter((s) => !(APPEAL_STATUSES as readonly string[]).includes(s));
  if (unknown.length) throw bad(`unknown status ${quoted(unknown)}; one of ${APPEAL_STATUSES.join(', ')}`);
  for (const kind of ['category', 'subcategory', 'channel', 'nature'] as const) {
    const code = q[kind];
    if (code !== undefined && !isKnown(kind, code)) throw bad(`unknown ${kind} code "${code}"`);
  }
  const reporterKind = q.reporterKind;
  if (reporterKind !== undefined && !(REPORTER_KINDS as readonly string[]).includes(reporterKind))
    throw bad(`unknown reporterKind "${reporterKind}"; one of ${REPORTER_KINDS.join(', ')}`);
  const time = (name: 'from' | 'to') => {
    const text = q[name];
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw bad(`"${name}" is not a date-time: ${text}`);
    return ms;
  };
  const createdFrom = time('from');
  const createdTo = time('to');
  if (createdFrom !== undefined && createdTo !== undefined && createdTo <= createdFrom) throw bad('"to" must be later than "from"');
  return {
    statuses: statuses.length ? (statuses as AppealStatus[]) : undefined,
    category: q.category,
    subcategory: q.subcategory,
    channel: q.channel,
    nature: q.nature,
    reporterKind: reporterKind as ReporterKind | undefined,
    overdue: q.overdue === undefined ? undefined : q.overdue === true || q.overdue === 'true',
    extensionPending: q.extension === undefined ? undefined : q.extension === 'pending',
    createdFrom,
    createdTo,
    sort: q.sort,
    order: q.order,
  };
}

/** The list's query: the filters, and a page size in range. */
export function listFiltersOf(q: ListQuery): ListFilters {
  const filters = filtersOf(q);
  const limit = q.limit === undefined ? LIST_DEFAULT : Number(q.limit);
  if (limit < 1 || limit > LIST_MAX) throw bad(`limit must be 1–${LIST_MAX}, not ${q.limit}: page with the cursor for more`);
  return { ...filters, scope: q.scope, limit, cursor: q.cursor };
}
