/**
 * The events that producers send to `POST /api/v1/events`. Every event carries an id chosen by its
 * producer (ingest is idempotent on it) and the time it happened. Schemas are structural; the
 * server checks meaning (known codes, legal transitions, place inside the district) on arrival.
 */
import { Type, type Static } from 'typebox';
import { APPEAL_STATUSES, SATISFACTION_LEVELS } from './appeal-lifecycle.ts';
import { COMPONENT_EVENT_STATUSES, INSPECTION_KINDS, REPORTER_KINDS, SCAN_PURPOSES } from './components.ts';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:\\-]+$', description });
const Code = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Text = (max: number, description: string) => Type.String({ maxLength: max, description });

export const Location = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 longitude' }),
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 latitude' }),
    address: Type.Optional(Text(200, 'Address as reported (personal data when exact)')),
  },
  { additionalProperties: false },
);
export type Location = Static<typeof Location>;

/** Optional community code: when absent the server places the point by point-in-polygon. */
const CommunityCode = Type.Optional(Type.String({ pattern: '^\\d{12}$', description: '12-digit community code' }));

export const Reporter = Type.Object(
  {
    name: Type.Optional(Text(50, 'Reporter name (personal data)')),
    phone: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9+\\- ]*$', description: 'Reporter phone (personal data)' })),
  },
  { additionalProperties: false },
);

export const AppealCreatedData = Type.Object(
  {
    appealId: Id('Appeal id, unique per district'),
    channel: Code('Channel code from the taxonomy'),
    nature: Code('Nature code from the taxonomy'),
    category: Code('Top-level category code from the taxonomy'),
    subcategory: Type.Optional(Code('Second-level category code')),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Text(4000, 'What the citizen reported')),
    location: Location,
    communityCode: CommunityCode,
    reporter: Type.Optional(Reporter),
    reporterKind: Type.Optional(Type.Enum(REPORTER_KINDS, { description: 'Who raised it: resident (default) or enterprise (涉企诉求)' })),
    deadline: Type.Optional(Type.String({ format: 'date-time', description: 'Deadline; default from the rules' })),
    componentId: Type.Optional(Id('The city component it is about: the smart code it was reported through (channel smart_code)')),
  },
  { additionalProperties: false },
);

export const AppealTransitionedData = Type.Object(
  {
    appealId: Id('Appeal id'),
    to: Type.Enum(APPEAL_STATUSES, { description: 'New status' }),
    unit: Type.Optional(Text(100, 'Responsible unit, on dispatch')),
    note: Type.Optional(Text(1000, 'Note by the person acting')),
    satisfaction: Type.Optional(Type.Enum(SATISFACTION_LEVELS, { description: 'Rating given on closure' })),
  },
  { additionalProperties: false },
);

export const EXTENSION_ACTIONS = ['requested', 'approved', 'denied'] as const;
export type ExtensionAction = (typeof EXTENSION_ACTIONS)[number];

/**
 * A deadline extension (延期): the handling unit requests a later deadline with a reason; a
 * director approves (the deadline moves to `until`, or to the requested one) or denies it.
 */
export const AppealExtensionData = Type.Object(
  {
    appealId: Id('Appeal id'),
    action: Type.Enum(EXTENSION_ACTIONS, { description: 'requested, approved or denied' }),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'New deadline (required when requesting)' })),
    reason: Type.Optional(Text(1000, 'Why (required when requesting or denying)')),
    by: Type.Optional(Text(100, 'Who acted')),
  },
  { additionalProperties: false },
);

export const VideoAlertRaisedData = Type.Object(
  {
    alertId: Id('Alert id'),
    cameraId: Id('Camera id'),
    algorithm: Code('Video AI algorithm code from the taxonomy'),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    location: Location,
    communityCode: CommunityCode,
    snapshotUrl: Type.Optional(Text(500, 'Snapshot image')),
  },
  { additionalProperties: false },
);

/** An alert's id, or the id of a detection merged into it (docs/alerts.md): both name the alert. */
const AlertId = Id('Alert id (or the id of a detection merged into it)');
const By = Type.Optional(Text(100, 'Who acted'));
const Note = Type.Optional(Text(1000, 'Note by the person acting'));

export const VideoAlertAcknowledgedData = Type.Object({ alertId: AlertId, by: By, note: Note }, { additionalProperties: false });
export const VideoAlertConfirmedData = Type.Object(
  { alertId: AlertId, by: By, appealId: Type.Optional(Id('Appeal created from the alert')), note: Note },
  { additionalProperties: false },
);
export const VideoAlertDismissedData = Type.Object(
  { alertId: AlertId, by: By, reason: Type.String({ minLength: 1, maxLength: 500 }), note: Note },
  { additionalProperties: false },
);

export const GridInspectionData = Type.Object(
  {
    inspectionId: Id('Inspection id'),
    inspectorId: Id('Grid inspector'),
    gridId: Type.Optional(Code('Grid cell')),
    location: Location,
    communityCode: CommunityCode,
    issuesFound: Type.Integer({ minimum: 0, maximum: 1000 }),
    issuesHandledOnSite: Type.Integer({ minimum: 0, maximum: 1000 }),
    kind: Type.Optional(
      Type.Enum(INSPECTION_KINDS, {
        description: 'grid patrol (default), river-chief patrol (河长巡河), enterprise safety inspection or fire-safety check',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SmartCodeScanData = Type.Object(
  {
    scanId: Id('Scan id'),
    codeId: Id('Smart code on a city component'),
    componentType: Code('Component type (manhole cover, street light…)'),
    purpose: Type.Enum(SCAN_PURPOSES, { description: 'Why the code was scanned' }),
    location: Location,
    communityCode: CommunityCode,
  },
  { additionalProperties: false },
);

/**
 * A city component's status changed (a fault reported, a repair begun or finished, a device
 * offline or back online). Components no event has named are normal; see docs/metrics.md.
 */
export const ComponentStatusChangedData = Type.Object(
  {
    componentId: Id('Component id (its smart code)'),
    componentType: Code('Component type code from the taxonomy'),
    status: Type.Enum(COMPONENT_EVENT_STATUSES, { description: 'New status; online is the same as normal' }),
    location: Location,
    communityCode: CommunityCode,
  },
  { additionalProperties: false },
);

/** Event type → schema of its `data`. The single source for validation and documentation. */
export const EVENT_DATA_SCHEMAS = {
  'appeal.created': AppealCreatedData,
  'appeal.transitioned': AppealTransitionedData,
  'appeal.extension': AppealExtensionData,
  'video_alert.raised': VideoAlertRaisedData,
  'video_alert.acknowledged': VideoAlertAcknowledgedData,
  'video_alert.confirmed': VideoAlertConfirmedData,
  'video_alert.dismissed': VideoAlertDismissedData,
  'grid_inspection.reported': GridInspectionData,
  'smart_code.scanned': SmartCodeScanData,
  'component.status_changed': ComponentStatusChangedData,
} as const;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

const envelope = <K extends EventType>(type: K) =>
  Type.Object(
    {
      id: Id('Event id given by its producer; re-sending the same id is a no-op'),
      type: Type.Literal(type),
      occurredAt: Type.String({ format: 'date-time', description: 'When it happened (RFC 3339 with offset)' }),
      data: EVENT_DATA_SCHEMAS[type],
    },
    { additionalProperties: false },
  );

export const EVENT_SCHEMAS = Object.fromEntries(EVENT_TYPES.map((t) => [t, envelope(t)])) as {
  [K in EventType]: ReturnType<typeof envelope<K>>;
};

export const CityEvent = Type.Union(EVENT_TYPES.map((t) => EVENT_SCHEMAS[t]));
export type CityEvent = { [K in EventType]: Static<(typeof EVENT_SCHEMAS)[K]> }[EventType];
export type EventOf<K extends EventType> = Extract<CityEvent, { type: K }>;

/** Ingest limits, documented in the API and the README. */
export const INGEST_MAX_EVENTS = 1000;
export const INGEST_MAX_BYTES = 2 * 1024 * 1024;

export const IngestBatch = Type.Object(
  { events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: INGEST_MAX_EVENTS }) },
  { additionalProperties: false },
);

export const IngestItemResult = Type.Object({
  index: Type.Integer(),
  id: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  reason: Type.Optional(Type.String()),
});
export type IngestItemResult = Static<typeof IngestItemResult>;

export const IngestResponse = Type.Object({
  accepted: Type.Integer(),
  duplicate: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(IngestItemResult),
});
export type IngestResponse = Static<typeof IngestResponse>;
