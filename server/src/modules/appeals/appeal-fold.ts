/**
 * The fold of one event into the appeals read model, as plain data: given the appeal's stored
 * columns (or none yet), what they become. Both stores, SQLite and PostgreSQL, read the row, call
 * this and write what it returns, so that the rules (what a transition stamps, when a rework or a
 * reopening counts, how an extension moves the deadline) exist once and every store folds the log
 * alike. Pure: no database, no clock.
 *
 * An event that cannot be folded throws (the caller quarantines it): an unknown status, a missing
 * required field, an unreadable time. Nothing that names no known appeal throws for that reason
 * alone; it changes nothing, as in the engine.
 */
// modules, not the package's index: the read model's writer thread loads this file and should start fast
import { OPEN_STATUSES } from '@commandhall/shared/appeal-lifecycle';
import { initialDeadline } from '@commandhall/shared/event-validity';
import { instantOf } from '@commandhall/shared/time';
import { streetOf } from '@commandhall/shared/scope';
import type { StoredEvent } from '../../core/store/event-store.ts';
import { APPEAL_COLUMNS, REPORTER_KIND_CODE, STATUS_CODE, type Row, type TextRow } from './appeal-read-model-schema.ts';

/** A row of `appeals` without its arrival number (rid), which the store assigns. */
export type AppealColumns = Omit<Row, 'rid'>;
/** A row of `appeal_texts` without its rid: written once, on creation. */
export type AppealTexts = Omit<TextRow, 'rid'>;

/** `settled`: a transition that ends the appeal while an extension request was pending, which lapses with it. */
export type AppealUpdate = 'transitioned' | 'settled' | 'requested' | 'decided';

/** What folding an event does: a new appeal with its texts, or new values for an existing one. */
export type AppealFold = { kind: 'created'; columns: AppealColumns; texts: AppealTexts } | { kind: AppealUpdate; columns: AppealColumns };

const TRANSITION_COLUMNS: readonly (keyof AppealColumns)[] = [
  'status',
  'open',
  'unit',
  'verified_at',
  'dispatched_at',
  'resolved_at',
  'closed_at',
  'satisfaction',
  'reworks',
  'reopens',
  'updated_at',
  'last_seq',
];
const REQUEST_COLUMNS: readonly (keyof AppealColumns)[] = ['pending_until', 'pending_since', 'pending_by', 'pending_reason'];
/**
 * The columns each kind of update may change; the others keep their value. A store may write just
 * these (SQLite does: an UPDATE that leaves the sort columns out leaves their indexes alone).
 */
export const UPDATED_COLUMNS: Record<AppealUpdate, readonly (keyof AppealColumns)[]> = {
  transitioned: TRANSITION_COLUMNS,
  settled: [...TRANSITION_COLUMNS, ...REQUEST_COLUMNS],
  requested: [...REQUEST_COLUMNS, 'updated_at', 'last_seq'],
  decided: ['deadline', 'extensions', ...REQUEST_COLUMNS, 'updated_at', 'last_seq'],
};

/** Columns that may not be empty: an event leaving one empty cannot be folded. */
const REQUIRED: readonly (keyof AppealColumns)[] = [
  'id',
  'community',
  'street',
  'status',
  'open',
  'category',
  'channel',
  'nature',
  'reporter_kind',
  'lon',
  'lat',
  'created_at',
  'deadline',
  'updated_at',
  'extensions',
  'reworks',
  'reopens',
  'last_seq',
];

/** The appeal an appeal event is about, as the event gives it: the row to read before folding. */
export function appealIdOf(stored: StoredEvent): unknown {
  return (stored.event.data as { appealId?: unknown }).appealId;
}

/** The appeal's columns (a row as read may carry its rid and more). */
export function columnsOf(row: AppealColumns): AppealColumns {
  const out = {} as Record<string, unknown>;
  for (const c of APPEAL_COLUMNS) out[c] = row[c];
  return out as unknown as AppealColumns;
}

const missing = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function required<T extends object>(table: string, row: T, columns: readonly (keyof T)[]): void {
  for (const c of columns) if (missing(row[c])) throw new Error(`${table}.${String(c)} may not be empty (NOT NULL)`);
}

/**
 * `stored` (an `appeal.*` event) folded into `current`, the appeal's columns as stored (undefined:
 * no such appeal yet). Null when it changes nothing: an appeal created twice, a step for an
 * appeal never created, a type the read model does not keep.
 */
export function foldAppealEvent(current: AppealColumns | undefined, stored: StoredEvent): AppealFold | null {
  const e = stored.event;
  const seq = stored.seq;
  const t = instantOf(e.occurredAt);
  switch (e.type) {
    case 'appeal.created': {
      const d = e.data;
      if (!stored.community) return null; // never stored without one; the engine skips these too
      const columns: AppealColumns = {
        id: d.appealId,
        community: stored.community,
        street: streetOf(stored.community),
        status: STATUS_CODE.collected,
        open: 1,
        category: d.category,
        subcategory: d.subcategory ?? null,
        channel: d.channel,
        nature: d.nature,
        reporter_kind: REPORTER_KIND_CODE[d.reporterKind ?? 'resident'],
        lon: d.location.lon,
        lat: d.location.lat,
        unit: null,
        created_at: t,
        deadline: initialDeadline(e),
        verified_at: null,
        dispatched_at: null,
        resolved_at: null,
        closed_at: null,
        updated_at: t,
        satisfaction: null,
        pending_until: null,
        pending_since: null,
        pending_by: null,
        pending_reason: null,
        extensions: 0,
        reworks: 0,
        reopens: 0,
        last_seq: seq,
      };
      const texts: AppealTexts = {
        title: d.title,
        description: d.description ?? null,
        address: d.location.address ?? null,
        reporter_name: d.reporter?.name ?? null,
        reporter_phone: d.reporter?.phone ?? null,
      };
      // checked before the duplicate test: a second creation that could not be stored fails too
      required('appeals', columns, REQUIRED);
      if (current) return null;
      required('appeal_texts', texts, ['title']);
      return { kind: 'created', columns, texts };
    }
    case 'appeal.transitioned': {
      const d = e.data;
      if (!current) return null;
      const to = STATUS_CODE[d.to] as number | undefined;
      const from = current.status;
      const columns: AppealColumns = {
        ...columnsOf(current),
        status: to as number,
        open: OPEN_STATUSES.has(d.to) ? 1 : 0,
        unit: d.unit ?? current.unit,
        verified_at: to === STATUS_CODE.verified ? t : current.verified_at,
        dispatched_at: to === STATUS_CODE.dispatched ? t : current.dispatched_at,
        resolved_at: to === STATUS_CODE.resolved ? t : current.resolved_at,
        closed_at: to === STATUS_CODE.closed ? t : current.closed_at,
        satisfaction: to === STATUS_CODE.closed ? (d.satisfaction ?? null) : current.satisfaction,
        // a return for rework: resolved → handling; a reopening: closed → handling
        reworks: current.reworks + (from === STATUS_CODE.resolved && to === STATUS_CODE.handling ? 1 : 0),
        reopens: current.reopens + (from === STATUS_CODE.closed && to === STATUS_CODE.handling ? 1 : 0),
        updated_at: Math.max(current.updated_at, t),
        last_seq: seq,
      };
      required('appeals', columns, REQUIRED);
      if (columns.open === 0 && current.pending_until !== null)
        return {
          kind: 'settled',
          columns: { ...columns, pending_until: null, pending_since: null, pending_by: null, pending_reason: null },
        };
      return { kind: 'transitioned', columns };
    }
    case 'appeal.extension': {
      const d = e.data;
      const until = d.until ? instantOf(d.until) : null;
      if (!current) return null;
      const base = { ...columnsOf(current), updated_at: Math.max(current.updated_at, t), last_seq: seq };
      let fold: AppealFold;
      if (d.action === 'requested')
        fold = {
          kind: 'requested',
          columns: {
            ...base,
            pending_until: until,
            pending_since: t,
            pending_by: d.by ?? stored.producer,
            pending_reason: d.reason ?? null,
          },
        };
      else {
        // approved or denied: the request is settled; an approval moves the deadline to its date
        const approved = d.action === 'approved';
        fold = {
          kind: 'decided',
          columns: {
            ...base,
            deadline: approved ? (until ?? current.pending_until ?? current.deadline) : current.deadline,
            extensions: current.extensions + (approved ? 1 : 0),
            pending_until: null,
            pending_since: null,
            pending_by: null,
            pending_reason: null,
          },
        };
      }
      required('appeals', fold.columns, REQUIRED);
      return fold;
    }
    default:
      return null;
  }
}
