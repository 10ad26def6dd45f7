/**
 * The JSON shapes of the Open311 answers (the XML carries the same fields) and the query strings
 * the routes accept, as TypeBox schemas: what the routes validate and what the API docs show.
 */
import { Type } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const ErrorsJson = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
export const DiscoveryJson = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      specification: Type.String(),
      url: Type.String(),
      changeset: Type.String(),
      type: Type.String(),
      formats: Type.Array(Type.String()),
    }),
  ),
});
export const ServicesJson = Type.Array(
  Type.Object({
    service_code: Type.String(),
    service_name: Type.String(),
    description: Type.String(),
    metadata: Type.Boolean(),
    type: Type.String(),
    keywords: Type.String(),
    group: Type.String(),
  }),
);
export const DefinitionJson = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Type.String(),
      datatype: Type.String(),
      required: Type.Boolean(),
      datatype_description: Nullable(Type.String()),
      order: Type.Integer(),
      description: Type.String(),
      values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
    }),
  ),
});
export const RequestJson = Type.Object({
  service_request_id: Type.String(),
  status: Type.String(),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Nullable(Type.String()),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Type.String(),
  updated_datetime: Type.String(),
  expected_datetime: Type.String(),
  address: Nullable(Type.String()),
  address_id: Type.Null(),
  zipcode: Type.Null(),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: Type.Optional(Type.String()),
});
export const CreatedJson = Type.Array(
  Type.Object({ service_request_id: Type.String(), service_notice: Nullable(Type.String()), account_id: Type.Null() }),
);
export const errorResponses = { 400: ErrorsJson, 403: ErrorsJson, 404: ErrorsJson, 429: ErrorsJson };
/** The spec lets list filters be comma-separated or "declared multiple times" (`?status=open&status=closed`). */
const Repeatable = (maxLength: number, description: string) =>
  Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems: 200 })], { description });
export const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);
export const FilterQuery = Type.Object(
  {
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })),
    api_key: Type.Optional(Type.String({ maxLength: 300, description: 'Producer key allowed appeal.created (also X-API-Key)' })),
    service_request_id: Type.Optional(Repeatable(20_000, 'Comma-separated ids; overrides every other filter')),
    service_code: Type.Optional(Repeatable(1000, 'Comma-separated service codes (or the parameter repeated)')),
    start_date: Type.Optional(Type.String({ maxLength: 40, description: 'W3C date-time; default: 90 days before end_date' })),
    end_date: Type.Optional(Type.String({ maxLength: 40, description: 'W3C date-time; default: now' })),
    status: Type.Optional(Repeatable(20, 'open, closed or open,closed')),
  },
  { additionalProperties: true },
);
export const CommonQuery = Type.Object(
  { jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })), api_key: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: true },
);
