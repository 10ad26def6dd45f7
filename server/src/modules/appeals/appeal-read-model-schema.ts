/**
 * The tables of the appeals read model (`appeals.sqlite`) and how a row reads back as a record:
 * statuses and reporter kinds are stored as small integers, texts in a table of their own (list
 * queries never read them), and each sort's key columns.
 */
import { APPEAL_STATUSES, type AppealStatus, type Satisfaction } from '@commandhall/shared/appeal-lifecycle';
import { REPORTER_KINDS, type ReporterKind } from '@commandhall/shared/components';
import type { AppealRecord, AppealSort } from './appeal-read-model.ts';

/** Bump when the tables or their meaning change: the model is then rebuilt from the log. */
export const SCHEMA_VERSION = '3'; // 2: reporter_kind; 3: an appeal that ends lets its pending extension request lapse (folded again)

/** Status ↔ stored code, in lifecycle order: sorting by status sorts by stage. */
export const STATUS_CODE: Record<AppealStatus, number> = {
  collected: 0,
  verified: 1,
  dispatched: 2,
  handling: 3,
  resolved: 4,
  closed: 5,
  rejected: 6,
};
export const STATUS_OF: AppealStatus[] = [];
for (const s of APPEAL_STATUSES) {
  if (STATUS_CODE[s] === undefined) throw new Error(`appeal status "${s}" has no code in the read model: add it and bump SCHEMA_VERSION`);
  STATUS_OF[STATUS_CODE[s]] = s;
}

/** Reporter kind ↔ stored code: a narrow integer in the table and in the filter index. */
export const REPORTER_KIND_CODE: Record<ReporterKind, number> = { resident: 0, enterprise: 1 };
export const REPORTER_KIND_OF: ReporterKind[] = [];
for (const k of REPORTER_KINDS) {
  if (REPORTER_KIND_CODE[k] === undefined)
    throw new Error(`reporter kind "${k}" has no code in the read model: add it and bump SCHEMA_VERSION`);
  REPORTER_KIND_OF[REPORTER_KIND_CODE[k]] = k;
}

export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- what lists filter and sort on, narrow so that scans and status updates stay cheap
  CREATE TABLE IF NOT EXISTS appeals (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    community TEXT NOT NULL,
    street TEXT NOT NULL,
    status INTEGER NOT NULL,
    open INTEGER NOT NULL,
    category TEXT NOT NULL,
    subcategory TEXT,
    channel TEXT NOT NULL,
    nature TEXT NOT NULL,
    reporter_kind INTEGER NOT NULL DEFAULT 0,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    unit TEXT,
    created_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    verified_at INTEGER,
    dispatched_at INTEGER,
    resolved_at INTEGER,
    closed_at INTEGER,
    updated_at INTEGER NOT NULL,
    satisfaction TEXT,
    pending_until INTEGER,
    pending_since INTEGER,
    pending_by TEXT,
    pending_reason TEXT,
    extensions INTEGER NOT NULL DEFAULT 0,
    reworks INTEGER NOT NULL DEFAULT 0,
    reopens INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL
  );
  -- the free text and the personal data, written once, read for the rows of a page
  CREATE TABLE IF NOT EXISTS appeal_texts (
    rid INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    address TEXT,
    reporter_name TEXT,
    reporter_phone TEXT
  );
  -- one index per scope level × sort: rows come out in page order (rid rides along in each)
  CREATE INDEX IF NOT EXISTS appeals_created ON appeals (created_at);
  CREATE INDEX IF NOT EXISTS appeals_street_created ON appeals (street, created_at);
  CREATE INDEX IF NOT EXISTS appeals_community_created ON appeals (community, created_at);
  CREATE INDEX IF NOT EXISTS appeals_deadline ON appeals (deadline);
  CREATE INDEX IF NOT EXISTS appeals_street_deadline ON appeals (street, deadline);
  CREATE INDEX IF NOT EXISTS appeals_community_deadline ON appeals (community, deadline);
  CREATE INDEX IF NOT EXISTS appeals_status ON appeals (status, created_at);
  CREATE INDEX IF NOT EXISTS appeals_street_status ON appeals (street, status, created_at);
  CREATE INDEX IF NOT EXISTS appeals_community_status ON appeals (community, status, created_at);
  -- the few open appeals among the many closed ones: overdue lists never wade through history
  CREATE INDEX IF NOT EXISTS appeals_open ON appeals (deadline) WHERE open = 1;
  CREATE INDEX IF NOT EXISTS appeals_street_open ON appeals (street, deadline) WHERE open = 1;
  CREATE INDEX IF NOT EXISTS appeals_community_open ON appeals (community, deadline) WHERE open = 1;
  CREATE INDEX IF NOT EXISTS appeals_pending ON appeals (created_at) WHERE pending_until IS NOT NULL;
  CREATE INDEX IF NOT EXISTS appeals_street_pending ON appeals (street, created_at) WHERE pending_until IS NOT NULL;
  CREATE INDEX IF NOT EXISTS appeals_community_pending ON appeals (community, created_at) WHERE pending_until IS NOT NULL;
  -- counts of the few enterprise appeals (涉企诉求, reporter_kind 1): they read these rows alone, at any scope level
  CREATE INDEX IF NOT EXISTS appeals_community_enterprise ON appeals (community, created_at) WHERE reporter_kind = 1;
  CREATE INDEX IF NOT EXISTS appeals_category ON appeals (category, created_at);
  -- counts: every filter column, so that a count reads this index and never the rows
  CREATE INDEX IF NOT EXISTS appeals_filter
    ON appeals (community, category, status, channel, nature, subcategory, reporter_kind, created_at, deadline, open, pending_until);
  -- the timeline: an index into the event log, which holds the events themselves
  CREATE TABLE IF NOT EXISTS appeal_events (rid INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (rid, seq)) WITHOUT ROWID;
`;

export interface Row {
  rid: number;
  id: string;
  community: string;
  street: string;
  status: number;
  /** 1 while the status needs work (OPEN_STATUSES), else 0. */
  open: number;
  category: string;
  subcategory: string | null;
  channel: string;
  nature: string;
  reporter_kind: number;
  lon: number;
  lat: number;
  unit: string | null;
  created_at: number;
  deadline: number;
  verified_at: number | null;
  dispatched_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  updated_at: number;
  satisfaction: string | null;
  pending_until: number | null;
  pending_since: number | null;
  pending_by: string | null;
  pending_reason: string | null;
  extensions: number;
  reworks: number;
  reopens: number;
  last_seq: number;
}

/** The columns of `appeals` but rid, in table order: what a fold writes. */
export const APPEAL_COLUMNS = [
  'id',
  'community',
  'street',
  'status',
  'open',
  'category',
  'subcategory',
  'channel',
  'nature',
  'reporter_kind',
  'lon',
  'lat',
  'unit',
  'created_at',
  'deadline',
  'verified_at',
  'dispatched_at',
  'resolved_at',
  'closed_at',
  'updated_at',
  'satisfaction',
  'pending_until',
  'pending_since',
  'pending_by',
  'pending_reason',
  'extensions',
  'reworks',
  'reopens',
  'last_seq',
] as const satisfies readonly (keyof Row)[];

export interface TextRow {
  rid: number;
  title: string;
  description: string | null;
  address: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
}

export function recordOf(r: Row, t: TextRow | undefined): AppealRecord {
  const location: AppealRecord['location'] = { lon: r.lon, lat: r.lat };
  if (t && t.address !== null) location.address = t.address;
  let reporter: AppealRecord['reporter'] = null;
  if (t && (t.reporter_name !== null || t.reporter_phone !== null)) {
    reporter = {};
    if (t.reporter_name !== null) reporter.name = t.reporter_name;
    if (t.reporter_phone !== null) reporter.phone = t.reporter_phone;
  }
  return {
    id: r.id,
    community: r.community,
    street: r.street,
    status: STATUS_OF[r.status],
    category: r.category,
    subcategory: r.subcategory,
    channel: r.channel,
    nature: r.nature,
    title: t?.title ?? '',
    description: t?.description ?? null,
    location,
    reporter,
    reporterKind: REPORTER_KIND_OF[r.reporter_kind] ?? 'resident',
    unit: r.unit,
    createdAt: r.created_at,
    deadline: r.deadline,
    verifiedAt: r.verified_at,
    dispatchedAt: r.dispatched_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
    satisfaction: r.satisfaction as Satisfaction | null,
    extension:
      r.pending_until === null
        ? null
        : {
            until: r.pending_until,
            requestedAt: r.pending_since ?? r.updated_at,
            requestedBy: r.pending_by ?? '',
            reason: r.pending_reason,
          },
    extensions: r.extensions,
    reworks: r.reworks,
    reopens: r.reopens,
    lastSeq: r.last_seq,
  };
}

/** Sort → the columns of its key, in order, before the rid tie-breaker. */
export const SORT_COLUMNS: Record<AppealSort, string[]> = {
  created: ['created_at'],
  deadline: ['deadline'],
  status: ['status', 'created_at'],
};
