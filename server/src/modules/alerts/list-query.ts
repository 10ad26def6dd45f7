/**
 * The alert list's query, as `GET /api/v1/alerts` takes it: one schema for its shape, one parser
 * for its meaning (a page size in range, a date that parses, statuses that exist), as the appeal
 * list does in appeals/list-filters.ts. The range is checked here, not by the schema, so that the
 * answer says what to do instead.
 */
import { Type, type Static } from 'typebox';
import { ALERT_STATUSES } from '@commandhall/shared';
import { AlertError } from './actions.ts';
import { parseStatuses, type AlertListQuery } from './alert-service.ts';

/** Largest page of the list. */
export const ALERT_LIST_MAX = 200;
export const ALERT_LIST_DEFAULT = 50;

export const AlertListParams = Type.Object(
  {
    scope: Type.Optional(Type.String({ maxLength: 40, description: 'district:…, street:… or community:…; default: the caller’s scope' })),
    status: Type.Optional(
      Type.String({
        maxLength: 120,
        description: `Comma-separated: any of ${ALERT_STATUSES.join(', ')}, open (raised and acknowledged: the default) or all`,
      }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Raised at or after (RFC 3339)' })),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,4}$', description: `Page size, 1–${ALERT_LIST_MAX} (default ${ALERT_LIST_DEFAULT})` }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type AlertListParams = Static<typeof AlertListParams>;

const bad = (message: string) => new AlertError(400, 'invalid_request', message);

/** The list's query: a page size in range, the date, the statuses; else AlertError 400 (checked in that order). */
export function alertListOf(q: AlertListParams): AlertListQuery {
  const limit = q.limit === undefined ? ALERT_LIST_DEFAULT : Number(q.limit);
  if (limit < 1 || limit > ALERT_LIST_MAX) throw bad(`limit must be 1–${ALERT_LIST_MAX}, not ${q.limit}: page with the cursor for more`);
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  if (from !== undefined && Number.isNaN(from)) throw bad(`"from" is not a date-time: ${q.from}`);
  return { scope: q.scope, statuses: parseStatuses(q.status), from, limit, cursor: q.cursor };
}
