/**
 * The appeals read model: one record per appeal, kept from the event log for lists, detail,
 * exports and Open311. It is a projection (rebuildable from the log) with a checkpoint, the last
 * log seq folded in, stored with the rows themselves: a crash loses nothing (the tail after the
 * checkpoint is applied again on start) and doubles nothing (events at or below it are skipped).
 *
 * Callers see this interface only, so that a PostgreSQL implementation can replace the SQLite one.
 * Records carry every field, personal ones included: whoever serves them masks them
 * (`redactAppeal`) for principals without clearance.
 */
import { OPEN_STATUSES, type AppealStatus, type Satisfaction } from '@commandhall/shared/appeal-lifecycle';
import type { ReporterKind } from '@commandhall/shared/components';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { FoldFailures } from '../../core/store/quarantine.ts';

/** A pending deadline-extension request. */
export interface PendingExtension {
  /** Requested deadline, epoch ms. */
  until: number;
  requestedAt: number;
  /** `data.by` of the request, or its producer. */
  requestedBy: string;
  reason: string | null;
}

export interface AppealRecord {
  id: string;
  /** 12-digit community code. */
  community: string;
  /** 9-digit street code (the community code's prefix). */
  street: string;
  status: AppealStatus;
  category: string;
  subcategory: string | null;
  channel: string;
  nature: string;
  title: string;
  /** Free text: may hold phone numbers (personal). */
  description: string | null;
  /** `address` is personal data. */
  location: { lon: number; lat: number; address?: string };
  /** Personal data. */
  reporter: { name?: string; phone?: string } | null;
  /** Who raised it: `enterprise` for 涉企诉求, else `resident` (also when the event does not say). */
  reporterKind: ReporterKind;
  /** Responsible unit, from the last dispatch. */
  unit: string | null;
  /** Times are epoch ms. `createdAt` is the creation event's occurredAt. */
  createdAt: number;
  /** Current deadline: from the creation (or the rules), moved by approved extensions. */
  deadline: number;
  verifiedAt: number | null;
  dispatchedAt: number | null;
  /** Last time it was resolved / closed (kept when it is later returned or reopened). */
  resolvedAt: number | null;
  closedAt: number | null;
  /** occurredAt of the latest event about the appeal. */
  updatedAt: number;
  /** Rating of the last closure. */
  satisfaction: Satisfaction | null;
  extension: PendingExtension | null;
  /** Approved extensions. */
  extensions: number;
  /** Returns for rework (resolved → handling). */
  reworks: number;
  /** Reopenings (closed → handling). */
  reopens: number;
  /** Seq of the latest event folded into this record. */
  lastSeq: number;
}

/** Open (still needs work) and past its deadline at `now`: the same rule the engine counts. */
export function isOverdue(a: Pick<AppealRecord, 'status' | 'deadline'>, now: number): boolean {
  return OPEN_STATUSES.has(a.status) && a.deadline <= now;
}

export const APPEAL_SORTS = ['created', 'deadline', 'status'] as const;
export type AppealSort = (typeof APPEAL_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** Largest page a query returns. */
export const MAX_PAGE = 1000;
/** Totals are counted up to this many matches; beyond it `totalExact` is false. */
export const DEFAULT_COUNT_CAP = 10_000;

export interface AppealQuery {
  /** `district:…`, `street:…` or `community:…`; the caller has checked the principal may read it. */
  scope: string;
  /** Any of these statuses (none: all). */
  statuses?: readonly AppealStatus[];
  category?: string;
  subcategory?: string;
  channel?: string;
  nature?: string;
  /** Raised by a resident or by an enterprise (涉企诉求). */
  reporterKind?: ReporterKind;
  /** true: open and past the deadline at `now`; false: everything else. */
  overdue?: boolean;
  /** true: an extension request is pending; false: none is. */
  extensionPending?: boolean;
  /** Created at or after, epoch ms. */
  createdFrom?: number;
  /** Created before, epoch ms. */
  createdTo?: number;
  /** Only these appeal ids (at most 200). */
  ids?: readonly string[];
  /**
   * `created` (default) sorts by creation time, `deadline` by the current deadline, `status` by
   * lifecycle stage (collected … closed, rejected) then creation time. Ties break by arrival.
   */
  sort?: AppealSort;
  /** Default `desc` (newest first). */
  order?: SortOrder;
  /** 1 … MAX_PAGE. */
  limit: number;
  /** `nextCursor` of the previous page, for the same sort and order. */
  cursor?: string;
  /** The instant `overdue` is judged at. */
  now: number;
  /** Count matches up to this many (default DEFAULT_COUNT_CAP); 0 skips counting. */
  countCap?: number;
}

export interface AppealPage {
  items: AppealRecord[];
  /** Position after the last item; null on the last page. */
  nextCursor: string | null;
  /** Matches, counted up to the cap (0 when counting was skipped). */
  total: number;
  /** False when the count stopped at the cap: there are at least `total`. */
  totalExact: boolean;
}

/** A cursor that is not one of ours, or belongs to another sort. */
export class CursorError extends Error {}

/**
 * Keyset paging position: the sort key of the last row and its arrival number. Opaque to
 * clients (base64url JSON); it names its sort so that it is never read under another one.
 */
export interface Cursor {
  sort: AppealSort;
  order: SortOrder;
  /** The last row's sort key values, then its tie-breaker. */
  key: number[];
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, ...c.key])).toString('base64url');
}

export function decodeCursor(text: string, sort: AppealSort, order: SortOrder): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('the cursor is not valid: use nextCursor from a previous page as it is');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length < 4 ||
    parsed.length > 5 ||
    !parsed.slice(2).every((n) => Number.isSafeInteger(n)) ||
    !(APPEAL_SORTS as readonly unknown[]).includes(parsed[0]) ||
    (parsed[1] !== 'asc' && parsed[1] !== 'desc')
  )
    throw new CursorError('the cursor is not valid: use nextCursor from a previous page as it is');
  if (parsed[0] !== sort || parsed[1] !== order)
    throw new CursorError(`the cursor belongs to sort=${parsed[0]}&order=${parsed[1]}, not sort=${sort}&order=${order}`);
  return { sort, order, key: parsed.slice(2) as number[] };
}

export interface AppealReadModel {
  /** Last log seq folded in. */
  checkpoint(): Promise<number>;
  /**
   * Folds stored events (in log order) into the records and the timelines, and moves the
   * checkpoint, atomically. Events at or below the checkpoint are skipped, so that applying a
   * batch twice changes nothing.
   */
  apply(events: StoredEvent[], failures?: FoldFailures): Promise<void>;
  /**
   * Present where the read model reads the log itself (the embedded one, on its thread): folds
   * everything up to `upTo` from its checkpoint. `apply` then only says how far.
   */
  catchUp?(upTo: number): Promise<void>;
  get(id: string): Promise<AppealRecord | undefined>;
  /** Log seqs of the events about the appeal, in log order (empty for an unknown appeal). */
  timeline(id: string): Promise<number[]>;
  list(q: AppealQuery): Promise<AppealPage>;
  /** Records and checkpoint forgotten: the next catch-up rebuilds everything from the log. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every page of a query, one after another, yielding to the event loop between pages: for
 * exports and feeds that walk a large result without holding a read transaction open.
 */
export async function* allPages(model: AppealReadModel, q: Omit<AppealQuery, 'cursor'>): AsyncGenerator<AppealRecord[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await model.list({ ...q, cursor, countCap: 0 });
    if (page.items.length) yield page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
    await new Promise((r) => setImmediate(r));
  }
}
