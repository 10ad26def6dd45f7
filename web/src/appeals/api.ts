/**
 * The appeals API as the console uses it: the filtered, scope-bounded, cursor-paged list, one
 * appeal with its timeline and the video alert it came from, and the actions a person may take. The server masks personal fields
 * for people without clearance and refuses what the role or the lifecycle does not allow; the
 * console shows its message as it is.
 */
import { api } from '../api/http.ts';
import type { AppealStatus } from '@commandhall/shared/appeal-lifecycle';
import type { ReporterKind } from '@commandhall/shared/components';
import type { ActionBody } from '@commandhall/shared/appeal-actions';
import type * as Api from '@commandhall/shared/appeal-view';
import { offsetSuffix } from '../deployment.ts';

export type { ActionBody, AppealAction } from '@commandhall/shared/appeal-actions';

/** The times of an appeal: ISO strings in the API, epoch ms in the console. */
type AppealTime = 'createdAt' | 'deadline' | 'verifiedAt' | 'dispatchedAt' | 'resolvedAt' | 'closedAt' | 'updatedAt';
type Extension = NonNullable<Api.AppealSummary['extension']>;
/** An API record with its times in epoch ms. */
type InMs<T extends Api.AppealSummary> = Omit<T, AppealTime | 'extension'> & {
  [K in AppealTime]: null extends Api.AppealSummary[K] ? number | null : number;
} & { extension: (Omit<Extension, 'until' | 'requestedAt'> & { until: number; requestedAt: number }) | null };

/** A row of the list. */
export type AppealRow = InMs<Api.AppealSummary>;
/** One appeal with its description. */
export type Appeal = InMs<Api.AppealFull>;

/** A timeline step with its times in epoch ms. */
export type TimelineStep = Omit<Api.TimelineStep, 'at' | 'until'> & { at: number; until?: number };

/** The video alert an appeal was created from, with its detection time in epoch ms. */
export type SourceAlert = Omit<Api.SourceAlert, 'detectedAt'> & { detectedAt: number };

export type AppealDetail = Omit<Api.AppealDetail, 'appeal' | 'timeline' | 'sourceAlert'> & {
  appeal: Appeal;
  timeline: TimelineStep[];
  /** Null when the appeal came from no alert, or from one outside the caller's area. */
  sourceAlert: SourceAlert | null;
};

export interface AppealFilters {
  scope: string;
  status?: AppealStatus[];
  category?: string;
  channel?: string;
  nature?: string;
  /** resident or enterprise (涉企诉求); none: both. */
  reporterKind?: ReporterKind;
  overdue?: boolean;
  /** pending: an extension request awaits a decision; none: no request pending. */
  extension?: 'pending' | 'none';
  /** Local dates, YYYY-MM-DD (district time). */
  from?: string;
  to?: string;
  sort?: 'created' | 'deadline' | 'status';
  order?: 'asc' | 'desc';
}

export type AppealPage = Omit<Api.AppealList, 'items'> & { items: AppealRow[] };

const ms = (iso: string) => Date.parse(iso);
const msOrNull = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** The console works in epoch ms: the API's ISO times are read once, here. */
function normalise<T extends Api.AppealSummary>(a: T): InMs<T> {
  return {
    ...a,
    createdAt: ms(a.createdAt),
    deadline: ms(a.deadline),
    verifiedAt: msOrNull(a.verifiedAt),
    dispatchedAt: msOrNull(a.dispatchedAt),
    resolvedAt: msOrNull(a.resolvedAt),
    closedAt: msOrNull(a.closedAt),
    updatedAt: ms(a.updatedAt),
    extension: a.extension && { ...a.extension, until: ms(a.extension.until), requestedAt: ms(a.extension.requestedAt) },
  };
}

/** District-local day bounds: the district keeps one UTC offset all year (the deployment's). */
export const dayStart = (d: string) => `${d}T00:00:00${offsetSuffix()}`;
export const nextDayStart = (d: string) => new Date(Date.parse(dayStart(d)) + 86_400_000).toISOString();

export function listQuery(f: AppealFilters, limit: number, cursor?: string): Record<string, string | undefined> {
  return {
    scope: f.scope,
    status: f.status?.length ? f.status.join(',') : undefined,
    category: f.category,
    channel: f.channel,
    nature: f.nature,
    reporterKind: f.reporterKind,
    overdue: f.overdue === undefined ? undefined : String(f.overdue),
    extension: f.extension,
    from: f.from ? new Date(dayStart(f.from)).toISOString() : undefined,
    to: f.to ? nextDayStart(f.to) : undefined,
    sort: f.sort,
    order: f.order,
    limit: String(limit),
    cursor,
  };
}

export async function listAppeals(f: AppealFilters, limit: number, cursor?: string, signal?: AbortSignal): Promise<AppealPage> {
  const r = await api<Api.AppealList>('/api/v1/appeals', { query: listQuery(f, limit, cursor), signal });
  return { ...r, items: r.items.map(normalise) };
}

export async function getAppeal(id: string): Promise<AppealDetail> {
  const r = await api<Api.AppealDetail>(`/api/v1/appeals/${encodeURIComponent(id)}`);
  return {
    ...r,
    appeal: normalise(r.appeal),
    timeline: r.timeline.map((s) => ({ ...s, at: ms(s.at), until: s.until === undefined ? undefined : ms(s.until) })),
    sourceAlert: r.sourceAlert ? { ...r.sourceAlert, detectedAt: ms(r.sourceAlert.detectedAt) } : null,
  };
}

export function actOn(id: string, body: ActionBody): Promise<unknown> {
  return api(`/api/v1/appeals/${encodeURIComponent(id)}/actions`, { method: 'POST', body });
}
