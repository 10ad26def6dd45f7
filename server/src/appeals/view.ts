/**
 * Appeals as the API returns them: records with ISO times and the overdue flag at the time of the
 * request, masked for principals without clearance; timelines as steps that say what happened and
 * never echo the raw event (the creation event carries the reporter). TypeBox schemas beside each
 * shape, for the routes' response validation and /docs.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { redactAppeal, type AppealStatus, type Clearance } from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';
import { isOverdue, type AppealRecord } from '../store/appeal-read-model.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { APPEAL_ACTIONS } from './actions.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
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
export type AppealSummary = Static<typeof AppealSummary>;

export const AppealFull = Type.Intersect([AppealSummary, Type.Object({ description: Nullable(Type.String()) })]);
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
export type TimelineStep = Static<typeof TimelineStep>;

export const DispatchSuggestion = Type.Object({
  ruleId: Type.String(),
  level: Type.String(),
  unit: Type.String(),
  unitEn: Type.String(),
});

export const AppealDetail = Type.Object({
  appeal: AppealFull,
  timeline: Type.Array(TimelineStep),
  suggestion: Type.Object(
    { ...DispatchSuggestion.properties },
    { description: 'The unit the dispatch rules name for this appeal; dispatch defaults to it' },
  ),
  actions: Type.Array(Type.Enum(APPEAL_ACTIONS), { description: 'What the caller may do now' }),
});
export type AppealDetail = Static<typeof AppealDetail>;

export const AppealList = Type.Object({
  items: Type.Array(AppealSummary),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last one' })),
  total: Type.Integer({ description: 'Matches, counted up to 10,000' }),
  totalExact: Type.Boolean({ description: 'False when the count stopped at its cap: there are more' }),
});

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A record as the caller may see it, without the description. */
export function summaryOf(a: AppealRecord, geo: Geography, now: number, who: Clearance): AppealSummary {
  return redactAppeal(viewOf(a, geo, now, who), who);
}

/** The record with its description, masked alike. */
export function fullOf(a: AppealRecord, geo: Geography, now: number, who: Clearance): AppealFull {
  return redactAppeal({ ...viewOf(a, geo, now, who), description: a.description }, who);
}

/** The API shape before masking (masking twice would mask the masked phone again). */
function viewOf(a: AppealRecord, geo: Geography, now: number, who: Clearance): AppealSummary {
  return {
    id: a.id,
    community: a.community,
    communityName: geo.area(a.community)?.name ?? '',
    street: a.street,
    streetName: geo.area(a.street)?.name ?? '',
    status: a.status,
    category: a.category,
    subcategory: a.subcategory,
    channel: a.channel,
    nature: a.nature,
    title: a.title,
    location: { ...a.location },
    reporter: a.reporter && { ...a.reporter },
    unit: a.unit,
    createdAt: iso(a.createdAt),
    deadline: iso(a.deadline),
    verifiedAt: isoOrNull(a.verifiedAt),
    dispatchedAt: isoOrNull(a.dispatchedAt),
    resolvedAt: isoOrNull(a.resolvedAt),
    closedAt: isoOrNull(a.closedAt),
    updatedAt: iso(a.updatedAt),
    overdue: isOverdue(a, now),
    satisfaction: a.satisfaction,
    extension: a.extension && {
      until: iso(a.extension.until),
      requestedAt: iso(a.extension.requestedAt),
      requestedBy: a.extension.requestedBy,
      reason: a.extension.reason === null ? null : maskText(a.extension.reason, who),
    },
    extensions: a.extensions,
    reworks: a.reworks,
    reopens: a.reopens,
  };
}

/** Free text masked as a description is (mobile numbers in it) for callers without clearance. */
export function maskText(text: string, who: Clearance): string {
  return redactAppeal({ description: text }, who).description!;
}

/** The appeal's events as steps, in log order; free text masked as the record is. */
export function timelineOf(events: StoredEvent[], who: Clearance): TimelineStep[] {
  let status: AppealStatus | null = null;
  const steps: TimelineStep[] = [];
  for (const s of events) {
    const e = s.event;
    const base = { seq: s.seq, eventId: e.id, type: e.type, at: iso(Date.parse(e.occurredAt)), by: s.producer };
    switch (e.type) {
      case 'appeal.created':
        status = 'collected';
        steps.push({ ...base, to: 'collected', channel: e.data.channel });
        break;
      case 'appeal.transitioned': {
        const step: TimelineStep = { ...base, to: e.data.to };
        if (status) step.from = status;
        if (e.data.unit !== undefined) step.unit = e.data.unit;
        if (e.data.note !== undefined) step.note = maskText(e.data.note, who);
        if (e.data.satisfaction !== undefined) step.satisfaction = e.data.satisfaction;
        status = e.data.to;
        steps.push(step);
        break;
      }
      case 'appeal.extension': {
        const step: TimelineStep = { ...base, action: e.data.action, by: e.data.by ?? s.producer };
        if (e.data.until !== undefined) step.until = iso(Date.parse(e.data.until));
        if (e.data.reason !== undefined) step.reason = maskText(e.data.reason, who);
        steps.push(step);
        break;
      }
    }
  }
  return steps;
}
