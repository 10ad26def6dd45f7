/**
 * Appeals as the API returns them, from the read model's records: ISO times, the overdue flag at
 * the time of the request, personal fields masked for principals without clearance; timelines as
 * steps that say what happened and never echo the raw event (the creation event carries the
 * reporter); the video alert an appeal came from in brief. The shapes and their schemas are
 * shared's (`@commandhall/shared/appeal-view`).
 */
import {
  redactAppeal,
  redactTimelineStep,
  type KnownPersonalData,
  taxonomyLabel,
  type AlertView,
  type AppealFull,
  type AppealStatus,
  type AppealSummary,
  type Clearance,
  type SourceAlert,
  type TimelineStep,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import { isOverdue, type AppealRecord } from './appeal-read-model.ts';
import type { StoredEvent } from '../../core/store/event-store.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A record as the caller may see it, without the description. */
export function summaryOf(a: AppealRecord, geo: Geography, now: number, who: Clearance): AppealSummary {
  return redactAppeal(viewOf(a, geo, now), who);
}

/** The record with its description, masked alike. */
export function fullOf(a: AppealRecord, geo: Geography, now: number, who: Clearance): AppealFull {
  return redactAppeal({ ...viewOf(a, geo, now), description: a.description }, who);
}

/** The API shape before masking. */
function viewOf(a: AppealRecord, geo: Geography, now: number): AppealSummary {
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
    reporterKind: a.reporterKind,
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
      reason: a.extension.reason,
    },
    extensions: a.extensions,
    reworks: a.reworks,
    reopens: a.reopens,
  };
}

/** The appeal's events as steps, in log order; free text masked as the record's (`known`: its personal values). */
export function timelineOf(events: StoredEvent[], who: Clearance, known: KnownPersonalData): TimelineStep[] {
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
        if (e.data.note !== undefined) step.note = e.data.note;
        if (e.data.satisfaction !== undefined) step.satisfaction = e.data.satisfaction;
        status = e.data.to;
        steps.push(step);
        break;
      }
      case 'appeal.extension': {
        const step: TimelineStep = { ...base, action: e.data.action, by: e.data.by ?? s.producer };
        if (e.data.until !== undefined) step.until = iso(Date.parse(e.data.until));
        if (e.data.reason !== undefined) step.reason = e.data.reason;
        steps.push(step);
        break;
      }
    }
  }
  return steps.map((step) => redactTimelineStep(step, who, known));
}

/** The alert an appeal was created from, in brief, from its view (already redacted for the caller). */
export function sourceAlertOf(v: AlertView): SourceAlert {
  return {
    id: v.id,
    algorithm: v.algorithm,
    algorithmLabel: taxonomyLabel('algorithm', v.algorithm, 'zh'),
    algorithmLabelEn: taxonomyLabel('algorithm', v.algorithm, 'en'),
    community: v.community,
    cameraId: v.cameraId,
    cameraName: v.cameraName,
    detectedAt: v.raisedAt,
    status: v.status,
    hasSnapshot: v.snapshotUrl !== null,
    snapshotUrl: v.snapshotUrl,
  };
}
