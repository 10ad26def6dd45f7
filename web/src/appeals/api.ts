/**
 * The appeals API as the console uses it: the filtered, scope-bounded, cursor-paged list, one
 * appeal with its timeline, and the actions a person may take. The server masks personal fields
 * for people without clearance and refuses what the role or the lifecycle does not allow; the
 * console shows its message as it is.
 */
import { api } from '../api/http.ts';
import type { AppealStatus } from '@commandhall/shared/appeal-lifecycle';

export interface Appeal {
  id: string;
  community: string;
  street: string;
  status: AppealStatus;
  category: string;
  subcategory: string | null;
  channel: string;
  nature: string;
  title: string;
  description: string | null;
  location: { lon: number; lat: number; address?: string };
  reporter: { name?: string; phone?: string } | null;
  unit: string | null;
  createdAt: number;
  deadline: number;
  resolvedAt: number | null;
  closedAt: number | null;
  updatedAt: number;
  overdue: boolean;
  satisfaction: string | null;
  extension: { until: number; requestedAt: number; requestedBy: string; reason: string | null } | null;
  extensions: number;
  reworks: number;
  reopens: number;
}

export interface TimelineStep {
  seq: number;
  type: string;
  at: number;
  /** New status for transitions; the extension step for extensions. */
  to?: string;
  action?: string;
  by: string;
  unit?: string;
  note?: string;
  reason?: string;
  until?: number;
  satisfaction?: string;
}

export interface DispatchSuggestion {
  unit: string;
  unitEn?: string;
  level: string;
}

export interface AppealDetail {
  appeal: Appeal;
  timeline: TimelineStep[];
  suggestion: DispatchSuggestion | null;
  /** Actions this principal may take now. */
  actions: AppealAction[];
}

export const APPEAL_ACTIONS = [
  'verify',
  'dispatch',
  'handle',
  'resolve',
  'close',
  'return',
  'reject',
  'reopen',
  'extend_request',
  'extend_approve',
  'extend_deny',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

export interface ActionBody {
  action: AppealAction;
  unit?: string;
  reason?: string;
  note?: string;
  until?: string;
  satisfaction?: string;
}

export interface AppealFilters {
  scope: string;
  status?: AppealStatus[];
  category?: string;
  channel?: string;
  nature?: string;
  overdue?: boolean;
  /** pending: an extension request awaits a decision; none: no request pending. */
  extension?: 'pending' | 'none';
  /** Local dates, YYYY-MM-DD (district time). */
  from?: string;
  to?: string;
  sort?: 'created' | 'deadline' | 'status';
  order?: 'asc' | 'desc';
}

export interface AppealPage {
  items: Appeal[];
  nextCursor: string | null;
  total: number;
  totalExact: boolean;
}

/** Times may arrive as ISO strings or epoch ms: the console works in epoch ms. */
const ms = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : null);

function normalise(raw: Record<string, unknown>): Appeal {
  const a = raw as unknown as Appeal & Record<string, unknown>;
  const ext = a.extension as (Record<string, unknown> & Appeal['extension']) | null;
  return {
    ...a,
    createdAt: ms(a.createdAt)!,
    deadline: ms(a.deadline)!,
    resolvedAt: ms(a.resolvedAt),
    closedAt: ms(a.closedAt),
    updatedAt: ms(a.updatedAt) ?? ms(a.createdAt)!,
    overdue: typeof a.overdue === 'boolean' ? a.overdue : false,
    extension: ext ? { ...ext, until: ms(ext.until)!, requestedAt: ms(ext.requestedAt)! } : null,
  };
}

/** District-local day bounds: the district keeps UTC+8 all year. */
export const dayStart = (d: string) => `${d}T00:00:00+08:00`;
export const nextDayStart = (d: string) => new Date(Date.parse(dayStart(d)) + 86_400_000).toISOString();

export function listQuery(f: AppealFilters, limit: number, cursor?: string): Record<string, string | undefined> {
  return {
    scope: f.scope,
    status: f.status?.length ? f.status.join(',') : undefined,
    category: f.category,
    channel: f.channel,
    nature: f.nature,
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
  const r = await api<AppealPage & { items: Record<string, unknown>[] }>('/api/v1/appeals', { query: listQuery(f, limit, cursor), signal });
  return { ...r, items: r.items.map(normalise) };
}

export async function getAppeal(id: string): Promise<AppealDetail> {
  const r = await api<
    { appeal: Record<string, unknown>; timeline: (TimelineStep & Record<string, unknown>)[] } & Omit<AppealDetail, 'appeal' | 'timeline'>
  >(`/api/v1/appeals/${encodeURIComponent(id)}`);
  return {
    ...r,
    appeal: normalise(r.appeal),
    timeline: r.timeline.map((s) => ({ ...s, at: ms(s.at)!, until: s.until === undefined ? undefined : ms(s.until)! })),
    actions: r.actions ?? [],
    suggestion: r.suggestion ?? null,
  };
}

export function actOn(id: string, body: ActionBody): Promise<unknown> {
  return api(`/api/v1/appeals/${encodeURIComponent(id)}/actions`, { method: 'POST', body });
}
