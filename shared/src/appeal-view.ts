/**
 * Appeals as the API returns them (`GET /api/v1/appeals`, `GET /api/v1/appeals/:id`): records with
 * ISO times and the overdue flag at the time of the request, masked for principals without
 * clearance; timelines as steps that say what happened and never echo the raw event (the creation
 * event carries the reporter). The server validates its answers and documents /docs with these
 * schemas; the console reads the same shapes through their `Static` types.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { APPEAL_ACTIONS } from './appeal-actions.ts';
import { ALERT_STATUSES } from './alert-lifecycle.ts';
import { REPORTER_KINDS } from './components.ts';

const Nullable = <T extends TSchema>(t: T, options?: { description?: string }) => Type.Union([t, Type.Null()], options);
const Time = (description: string) => Type.String({ format: 'date-time', description });
const NullableTime = (description: string) => Nullable(Time(description));

export const AppealSummary = Type.Object({
  id: Type.String(),
  community: Type.String({ description: '12-digit community code' }),
  communityName: Type.String(),
  street: Type.String({ description: '9-digit street code' }),
  streetName: Type.String(),
  status: Type.String(),
  category: Type.String(),
  subcategory: Nullable(Type.String()),
  channel: Type.String(),
  nature: Type.String(),
  title: Type.String(),
  location: Type.Object({
    lon: Type.Number(),
    lat: Type.Number(),
    address: Type.Optional(Type.String({ description: 'Cut at the community or street without PII clearance' })),
  }),
  reporter: Nullable(
    Type.Object({
      name: Type.Optional(Type.String({ description: 'Masked (张**) without PII clearance' })),
      phone: Type.Optional(Type.String({ description: 'Masked (138****1234) without PII clearance' })),
    }),
  ),
  reporterKind: Type.Enum(REPORTER_KINDS, { description: 'Who raised it: resident or enterprise (涉企诉求)' }),
  unit: Nullable(Type.String({ description: 'Responsible unit, from the last dispatch' })),
  createdAt: Time('Collected'),
  deadline: Time('Current deadline (moved by approved extensions)'),
  verifiedAt: NullableTime('Last verified'),
  dispatchedAt: NullableTime('Last dispatched'),
  resolvedAt: NullableTime('Last resolved'),
  closedAt: NullableTime('Last closed'),
  updatedAt: Time('Time of the latest event'),
  overdue: Type.Boolean({ description: 'Open and past its deadline now' }),
  satisfaction: Nullable(Type.String()),
  extension: Nullable(
    Type.Object(
      {
        until: Time('Deadline asked for'),
        requestedAt: Time('When it was asked for'),
        requestedBy: Type.String(),
        reason: Nullable(Type.String()),
      },
      { description: 'A pending extension request' },
    ),
  ),
  extensions: Type.Integer({ description: 'Approved extensions' }),
  reworks: Type.Integer({ description: 'Returns for rework' }),
  reopens: Type.Integer({ description: 'Reopenings after closure' }),
});
/** A list row: the record without its description. */
export type AppealSummary = Static<typeof AppealSummary>;

export const AppealFull = Type.Intersect([AppealSummary, Type.Object({ description: Nullable(Type.String()) })]);
/** One appeal with its description (free text, masked alike). */
export type AppealFull = Static<typeof AppealFull>;

export const TimelineStep = Type.Object({
  seq: Type.Integer({ description: 'Position in the event log' }),
  eventId: Type.String(),
  type: Type.String(),
  at: Time('When it happened'),
  by: Type.String({ description: 'Who acted: user:<name> for the console, else the producer' }),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  action: Type.Optional(Type.String({ description: 'Extension step: requested, approved, denied' })),
  unit: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  until: Type.Optional(Time('Deadline asked for or granted')),
  satisfaction: Type.Optional(Type.String()),
  channel: Type.Optional(Type.String()),
});
/** One event of an appeal, as a step: a status change (`to`) or an extension step (`action`). */
export type TimelineStep = Static<typeof TimelineStep>;

/** The unit the dispatch rules name (`DispatchSuggestion` of dispatch-rules.ts) as the API sends it. */
export const SuggestionView = Type.Object(
  {
    ruleId: Type.String(),
    level: Type.String(),
    unit: Type.String(),
    unitEn: Type.String(),
  },
  { description: 'The unit the dispatch rules name for this appeal; dispatch defaults to it' },
);
export type SuggestionView = Static<typeof SuggestionView>;

/**
 * The video alert whose confirmation created an appeal, in brief (the whole alert is
 * `GET /api/v1/alerts/:id`). Given only to callers who may see that alert.
 */
export const SourceAlert = Type.Object(
  {
    id: Type.String({ description: 'Alert id: the id of its first detection' }),
    algorithm: Type.String({ description: 'Algorithm code from the taxonomy' }),
    algorithmLabel: Type.String({ description: 'The algorithm’s name (Chinese), as the console shows it' }),
    algorithmLabelEn: Type.String({ description: 'The algorithm’s name in English' }),
    community: Type.String({ description: '12-digit community code of the alert' }),
    cameraId: Type.String(),
    cameraName: Nullable(Type.String({ description: 'From the camera registry; null for a camera it does not know' })),
    detectedAt: Time('Its first detection (when the alert was raised)'),
    status: Type.Enum(ALERT_STATUSES, { description: 'Its lifecycle status now (confirmed, as it created the appeal)' }),
    hasSnapshot: Type.Boolean({ description: 'A detection of it came with a snapshot' }),
    snapshotUrl: Nullable(Type.String({ description: 'Snapshot of its latest detection that had one' })),
  },
  { description: 'The video alert this appeal was created from, if the caller may see it' },
);
export type SourceAlert = Static<typeof SourceAlert>;

export const AppealDetail = Type.Object({
  appeal: AppealFull,
  timeline: Type.Array(TimelineStep),
  suggestion: SuggestionView,
  actions: Type.Array(Type.Enum(APPEAL_ACTIONS), { description: 'What the caller may do now' }),
  sourceAlert: Type.Optional(
    Nullable(SourceAlert, {
      description:
        'The video alert whose confirmation created this appeal; null for any other appeal, and when the alert lies outside the caller’s area',
    }),
  ),
});
/**
 * `GET /api/v1/appeals/:id`: the record, its timeline, the suggested unit, what the caller may do
 * and the video alert it came from.
 */
export type AppealDetail = Static<typeof AppealDetail>;

export const AppealList = Type.Object({
  items: Type.Array(AppealSummary),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last one' })),
  total: Type.Integer({ description: 'Matches, counted up to 10,000' }),
  totalExact: Type.Boolean({ description: 'False when the count stopped at its cap: there are more' }),
});
/** `GET /api/v1/appeals`: one page of the list. */
export type AppealList = Static<typeof AppealList>;
