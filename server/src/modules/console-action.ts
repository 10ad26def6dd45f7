/**
 * The one path of a console action on a record (an appeal, a video alert): find it in the caller's
 * area, check the action against role and state, write the events through ingest with the acting
 * person as producer, and audit every attempt — denied, failed or ok — with what it would have
 * changed. The record services say only what differs: how to find, check, write and answer.
 */
import type { CityEvent, IngestResponse } from '@commandhall/shared';
import type { BatchOptions, Producer } from '../core/ingest/ingest-service.ts';
import type { AuditEntry } from './auth/auth-store.ts';
import { RequestError } from '../util/request-error.ts';

/** Writes one audit line; awaited, so that the answer leaves after its line is stored. */
export type Audit = (target: string, outcome: AuditEntry['outcome'], details: Record<string, unknown>) => Promise<void>;

export interface ActionWrite {
  events: CityEvent[];
  /** What the audit line keeps of the write (the event id, from → to, …). */
  details: Record<string, unknown>;
  batch?: BatchOptions;
}

export interface ConsoleAction<T, C, R> {
  /** The id as asked: the audit's target when no record is found. */
  requested: string;
  audit: Audit;
  ingest: (events: CityEvent[], producer: Producer, batch?: BatchOptions) => Promise<IngestResponse>;
  actor: string;
  /** The record in the caller's area; throws a RequestError (404) otherwise. */
  find: () => T | Promise<T>;
  target: (record: T) => string;
  /** Audit details of every outcome (the requested id where it differs, …). */
  base?: (record: T) => Record<string, unknown>;
  /** The record's status, named in the audit of a refused check. */
  status: (record: T) => string;
  /** Whether the role and the state allow it; throws a RequestError (400, 403, 409) otherwise. */
  check: (record: T) => C;
  write: (record: T, checked: C) => ActionWrite;
  /** Another screen or an upstream system moved the record between the check and the write. */
  conflict: (reason: string | undefined) => RequestError;
  answer: (record: T, write: ActionWrite) => Promise<R>;
}

export async function runConsoleAction<T, C, R>(a: ConsoleAction<T, C, R>): Promise<R> {
  let record: T;
  try {
    record = await a.find();
  } catch (err) {
    await a.audit(a.requested, 'denied', { error: (err as Error).message });
    throw err;
  }
  const target = a.target(record);
  const base = a.base?.(record) ?? {};
  let checked: C;
  try {
    checked = a.check(record);
  } catch (err) {
    if (err instanceof RequestError)
      await a.audit(target, err.statusCode === 403 ? 'denied' : 'failed', { ...base, status: a.status(record), error: err.message });
    throw err;
  }
  const write = a.write(record, checked);
  const res = await a.ingest(write.events, { id: a.actor }, write.batch);
  const details = { ...base, ...write.details };
  const failed = res.results.find((r) => r.status !== 'accepted');
  if (failed) {
    // in an atomic batch the others are refused as "not stored": the reason is the one that refused
    const reason = res.results.find((r) => r.status === 'rejected' && !r.reason?.startsWith('not stored'))?.reason ?? failed.reason;
    await a.audit(target, 'failed', { ...details, error: reason });
    throw a.conflict(reason);
  }
  await a.audit(target, 'ok', details);
  return a.answer(record, write);
}
