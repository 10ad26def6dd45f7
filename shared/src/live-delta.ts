/**
 * What a live patch carries: for each key of a scope's figures that changed since the previous
 * patch, either its new value whole (`changes`) or an edit of the value the client already holds
 * (`edits`), whichever is smaller. Lists travel as the runs of the previous list they keep and the
 * items they add (the ticker gains a few items a tick and drops as many off its end; the alert
 * queue gains, changes and loses one alert at a time); objects as the entries that changed, at any
 * depth. The server builds patches with `diffMetrics`; clients apply them with `applyPatchTo`.
 *
 * An edit only makes sense against exactly the value the previous patch produced: clients apply a
 * patch only when its `seq` follows theirs (anything else is a gap, and a gap means a fresh
 * snapshot), and an edit that does not fit what the client holds throws `EditMismatch`, which a
 * client treats as a gap too. So nothing on screen depends on more than "every patch since the
 * snapshot, in order", the rule the live channel always had.
 */
import type { MetricKey, MetricsPatch, ScopeMetrics } from './metrics.ts';

/**
 * One part of a list edit: `[from, to]` keeps the previous list's items `from` (inclusive) to `to`
 * (exclusive); `{ add }` puts these new items in. The new list is the parts one after another.
 */
export type ListPart = [from: number, to: number] | { add: unknown[] };

/** A list rebuilt from the previous one, e.g. `{ list: [{ add: [item] }, [0, 29]] }`: one item in front, the last dropped. */
export interface ListEdit {
  list: ListPart[];
}

/**
 * An object's entries: `set` puts these entries whole (new keys go last, as in the server's
 * object), `edit` edits these entries in place, `del` removes these keys.
 */
export interface ObjectEdit {
  set?: Record<string, unknown>;
  edit?: Record<string, ValueEdit>;
  del?: string[];
}

export type ValueEdit = ListEdit | ObjectEdit;

/** Edits of a scope's figures, by key (keys sent whole are in the patch's `changes` instead). */
export type MetricsEdits = Partial<Record<MetricKey, ValueEdit>>;

/** An edit that does not fit the value it is applied to: the client is not where the server thinks. */
export class EditMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditMismatch';
  }
}

// ------------------------------------------------------------------ building edits (server)

/** Returned by `diffValue` when the new value is best sent whole. */
export const WHOLE = Symbol('whole');

type Json = unknown;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string that identifies a JSON value's content (objects and arrays by their JSON text). */
function contentKey(v: Json): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : `${typeof v}:${String(v)}`;
}

const size = (v: Json): number => JSON.stringify(v)?.length ?? 0;

/** Array-index keys come first in ascending order in every JS object, whatever the insertion order. */
function isIndexKey(k: string): boolean {
  if (k.length === 0 || k.length > 10 || (k.length > 1 && k[0] === '0')) return false;
  for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) < 48 || k.charCodeAt(i) > 57) return false;
  return Number(k) < 4294967295;
}

/** The key order of an object built by inserting `keys` in this order. */
function objectOrder(keys: string[]): string[] {
  const index = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return index.length ? [...index, ...keys.filter((k) => !isIndexKey(k))] : keys;
}

function sameOrder(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function diffList(prev: Json[], next: Json[]): ListEdit | typeof WHOLE | undefined {
  const prevKeys = prev.map(contentKey);
  const nextKeys = next.map(contentKey);
  if (prev.length === next.length && prevKeys.every((k, i) => k === nextKeys[i])) return undefined;
  const firstAt = new Map<string, number>();
  prevKeys.forEach((k, i) => firstAt.has(k) || firstAt.set(k, i));
  const parts: ListPart[] = [];
  let run: [number, number] | null = null;
  let adds: Json[] | null = null;
  for (let i = 0; i < next.length; i++) {
    const k = nextKeys[i];
    if (run && run[1] < prev.length && prevKeys[run[1]] === k) {
      run[1]++;
      continue;
    }
    // an item kept from the previous list: in its own place, or (objects only: a number that
    // happens to be equal is no reason to point elsewhere) wherever it was
    const j: number | undefined =
      i < prev.length && prevKeys[i] === k ? i : typeof next[i] === 'object' && next[i] !== null ? firstAt.get(k) : undefined;
    if (j !== undefined) {
      if (adds) parts.push({ add: adds });
      adds = null;
      if (run) parts.push(run);
      run = [j, j + 1];
    } else {
      if (run) parts.push(run);
      run = null;
      (adds ??= []).push(next[i]);
    }
  }
  if (adds) parts.push({ add: adds });
  if (run) parts.push(run);
  const edit: ListEdit = { list: parts };
  return size(edit) < size(next) ? edit : WHOLE;
}

function diffObject(prev: Record<string, Json>, next: Record<string, Json>): ObjectEdit | typeof WHOLE | undefined {
  const nextKeys = Object.keys(next);
  // an own `__proto__` entry cannot be set by assignment on the client: such an object goes whole
  if (Object.hasOwn(next, '__proto__') || Object.hasOwn(prev, '__proto__')) return WHOLE;
  const del = Object.keys(prev).filter((k) => !Object.hasOwn(next, k));
  const kept = Object.keys(prev).filter((k) => Object.hasOwn(next, k));
  const added = nextKeys.filter((k) => !Object.hasOwn(prev, k));
  // the client's object must come out in the server's key order (charts list entries in it)
  if (!sameOrder(objectOrder([...kept, ...added]), nextKeys)) return WHOLE;
  const set: Record<string, Json> = {};
  const edit: Record<string, ValueEdit> = {};
  let changed = del.length > 0;
  for (const k of nextKeys) {
    if (!Object.hasOwn(prev, k)) {
      set[k] = next[k];
      changed = true;
      continue;
    }
    const d = diffValue(prev[k], next[k]);
    if (d === undefined) continue;
    changed = true;
    if (d === WHOLE) set[k] = next[k];
    else edit[k] = d;
  }
  if (!changed) return undefined;
  const out: ObjectEdit = {};
  if (Object.keys(set).length) out.set = set;
  if (Object.keys(edit).length) out.edit = edit;
  if (del.length) out.del = del;
  return size(out) < size(next) ? out : WHOLE;
}

/**
 * How `next` differs from `prev`: undefined when they are equal (as JSON), `WHOLE` when sending
 * `next` whole is no larger than an edit, else the edit.
 */
export function diffValue(prev: Json, next: Json): ValueEdit | typeof WHOLE | undefined {
  if (prev === next) return undefined;
  if (Array.isArray(prev) && Array.isArray(next)) return diffList(prev, next);
  if (isPlainObject(prev) && isPlainObject(next)) return diffObject(prev, next);
  if (typeof prev === 'object' && prev !== null && typeof next === 'object' && next !== null) return WHOLE;
  return contentKey(prev) === contentKey(next) ? undefined : WHOLE;
}

/** The patch that takes a client from `prev` to `next` (the same scope); empty when nothing changed. */
export function diffMetrics(prev: ScopeMetrics, next: ScopeMetrics): { changes: MetricsPatch; edits: MetricsEdits } {
  const changes: Record<string, unknown> = {};
  const edits: Record<string, ValueEdit> = {};
  for (const key of Object.keys(next) as (keyof ScopeMetrics)[]) {
    if (key === 'scope') continue;
    const d = Object.hasOwn(prev, key) ? diffValue(prev[key], next[key]) : WHOLE;
    if (d === WHOLE) changes[key] = next[key];
    else if (d !== undefined) edits[key] = d;
  }
  return { changes: changes as MetricsPatch, edits: edits as MetricsEdits };
}

// ------------------------------------------------------------------ applying edits (clients)

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

function applyList(prev: unknown, parts: unknown): unknown[] {
  if (!Array.isArray(prev)) throw new EditMismatch('a list edit on a value that is not a list');
  if (!Array.isArray(parts)) throw new EditMismatch('a list edit without its parts');
  const out: unknown[] = [];
  for (const part of parts) {
    if (Array.isArray(part)) {
      const [from, to] = part as unknown[];
      if (part.length !== 2 || !isInt(from) || !isInt(to) || from < 0 || from > to || to > prev.length)
        throw new EditMismatch(`list range ${JSON.stringify(part)} outside a list of ${prev.length}`);
      for (let i = from; i < to; i++) out.push(prev[i]);
    } else if (isPlainObject(part) && Array.isArray(part.add)) out.push(...part.add);
    else throw new EditMismatch('a list part that is neither [from, to] nor { add }');
  }
  return out;
}

function applyObject(prev: unknown, e: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainObject(prev)) throw new EditMismatch('an object edit on a value that is not an object');
  const out: Record<string, unknown> = { ...prev };
  const { set, edit, del } = e;
  if (del !== undefined) {
    if (!Array.isArray(del)) throw new EditMismatch('del is not a list of keys');
    for (const k of del) {
      if (typeof k !== 'string' || !Object.hasOwn(out, k)) throw new EditMismatch(`del of a key not there: ${String(k).slice(0, 40)}`);
      delete out[k];
    }
  }
  if (set !== undefined) {
    if (!isPlainObject(set)) throw new EditMismatch('set is not an object');
    for (const k of Object.keys(set)) {
      if (k === '__proto__') throw new EditMismatch('set of __proto__');
      out[k] = set[k];
    }
  }
  if (edit !== undefined) {
    if (!isPlainObject(edit)) throw new EditMismatch('edit is not an object');
    for (const k of Object.keys(edit)) {
      if (!Object.hasOwn(out, k)) throw new EditMismatch(`edit of a key not there: ${k.slice(0, 40)}`);
      out[k] = applyEdit(out[k], edit[k] as ValueEdit);
    }
  }
  return out;
}

/**
 * The value `edit` makes of `prev`. Never changes `prev`: what did not change is shared with it.
 * Throws `EditMismatch` when the edit does not fit `prev` (or is malformed).
 */
export function applyEdit(prev: unknown, edit: ValueEdit): unknown {
  if (!isPlainObject(edit)) throw new EditMismatch('an edit that is not an object');
  if ('list' in edit) return applyList(prev, edit.list);
  return applyObject(prev, edit as Record<string, unknown>);
}

/**
 * A scope's figures after a patch: `changes` replace their keys, `edits` edit theirs. Never
 * changes `metrics`. Throws `EditMismatch` when an edit does not fit: the caller then asks for a
 * snapshot, as after a gap.
 */
export function applyPatchTo<M extends Partial<ScopeMetrics>>(metrics: M, patch: { changes: MetricsPatch; edits?: MetricsEdits }): M {
  const out: Record<string, unknown> = { ...metrics, ...patch.changes };
  if (patch.edits !== undefined) {
    if (!isPlainObject(patch.edits)) throw new EditMismatch('edits is not an object');
    for (const k of Object.keys(patch.edits)) {
      if (!Object.hasOwn(metrics, k)) throw new EditMismatch(`an edit of ${k.slice(0, 40)}, which the snapshot did not have`);
      out[k] = applyEdit(metrics[k as keyof M], patch.edits[k as MetricKey]!);
    }
  }
  return out as M;
}
