/**
 * The one definition of a valid event. Ingest accepts an event only if `validateEvent` says so
 * (the server adds one thing: placing its point in the district); projections read the event's
 * times with `instantOf`, the same strict parser, so whatever ingest accepted they can fold.
 *
 * Beyond the schema's shape an event must mean something sane:
 * - times are RFC 3339 with an offset (`2026-12-01T10:00:00+08:00`), read strictly: real calendar
 *   dates, hours 00–23, seconds 00–59. A leap second (`23:59:60`) is refused with a reason, not
 *   normalised: none has been inserted since 2016, JavaScript cannot represent one, and a
 *   producer that sends one should say which second it meant. RFC 9557 suffixes (`[Asia/Shanghai]`)
 *   are refused too: the offset already says where the instant is;
 * - `occurredAt` lies within the deployment's history window and at most a few minutes ahead;
 * - a deadline or a requested deadline lies after the event that sets it, within two years;
 * - text carries no control characters (tab and line breaks aside), no bidirectional overrides
 *   (a wall would show the text reversed) and no lone UTF-16 surrogates (not storable as UTF-8);
 * - taxonomy codes are known, a subcategory belongs to its category, on-site handling does not
 *   exceed the issues found, a title or a dismissal reason is not blank.
 */
import { Compile } from 'typebox/compile';
import { EVENT_SCHEMAS, EVENT_TYPES, type CityEvent, type EventType } from './events.ts';
import { isKnown, isSubcategoryOf } from './taxonomy.ts';
import { defaultDeadline } from './appeal-rules.ts';
import { instantOf, parseInstant } from './time.ts';

/** Clock skew tolerated between a producer and the server. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Default history window: events older than this many days are refused (a decade of appeals). */
export const DEFAULT_HISTORY_DAYS = 3660;
/** How far after the event that sets it a deadline may lie. */
export const MAX_DEADLINE_AHEAD_MS = 730 * 86_400_000;

const DAY_MS = 86_400_000;

/** When validity is judged: the server's clock and the oldest instant the deployment keeps. */
export interface ValidityWindow {
  now: number;
  /** Oldest `occurredAt` accepted (epoch ms); `now − DEFAULT_HISTORY_DAYS` when absent. */
  earliest?: number;
}

export type Validated = { ok: true; event: CityEvent } | { ok: false; reason: string };

/** The deadline an appeal starts with: the one it was given, else the one the rules give. */
export function initialDeadline(e: Extract<CityEvent, { type: 'appeal.created' }>): number {
  const d = e.data;
  return d.deadline !== undefined ? instantOf(d.deadline) : defaultDeadline(instantOf(e.occurredAt), d.nature, d.category, d.subcategory);
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---- text ----

/**
 * C0 controls but tab and line breaks, DEL, C1 controls, bidirectional embeddings, overrides and
 * isolates, and lone surrogates.
 */
const BAD_TEXT =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(value: unknown, path: string): string | null {
  if (typeof value === 'string') {
    const m = BAD_TEXT.exec(value);
    if (!m) return null;
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    const what = code >= 'D800' && code <= 'DFFF' ? 'a lone surrogate' : 'a control character';
    return `${path} contains ${what} (U+${code}) at position ${m.index}`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = textProblem(value[i], `${path}/${i}`);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = textProblem(v, `${path}/${k}`);
      if (p) return p;
    }
  }
  return null;
}

/** Blank: nothing but white space and invisible format characters (zero-width spaces, joiners). */
const isBlank = (text: string) => text.replace(/[\s\p{Cf}]/gu, '') === '';

// ---- shape ----

const validators = Object.fromEntries(EVENT_TYPES.map((t) => [t, Compile(EVENT_SCHEMAS[t])])) as Record<
  EventType,
  ReturnType<typeof Compile>
>;

/** Up to three schema errors, in words a producer can act on. */
function describeErrors(type: EventType, value: unknown): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of validators[type].Errors(value)) {
    // anyOf/boolean noise adds nothing for a person reading it
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    let msg = e.message;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
      msg = `has unknown field${extra && extra.length > 1 ? 's' : ''} ${extra?.map((x) => `"${x}"`).join(', ') ?? ''}`;
    } else if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties;
      msg = `is missing required field${missing && missing.length > 1 ? 's' : ''} ${missing?.map((x) => `"${x}"`).join(', ') ?? ''}`;
    }
    const line = `${e.instancePath || '(event)'} ${msg}`;
    if (!seen.has(line)) {
      lines.push(line);
      seen.add(line);
    }
    if (lines.length === 3) break;
  }
  return lines.join('; ') || 'does not match the event schema';
}

// ---- meaning ----

const CODE_FIELDS: [string, Parameters<typeof isKnown>[0]][] = [
  ['channel', 'channel'],
  ['nature', 'nature'],
  ['category', 'category'],
  ['algorithm', 'algorithm'],
  ['componentType', 'componentType'],
];

/** A later instant set by an event (deadline, requested deadline): after the event, within two years. */
function laterTimeProblem(field: string, text: string, after: number): string | null {
  const t = parseInstant(text);
  if (typeof t !== 'number') return `${field} "${text}" ${t.reason}`;
  if (t <= after) return `${field} ${text} is not after the event's occurredAt ${iso(after)}`;
  if (t > after + MAX_DEADLINE_AHEAD_MS) return `${field} ${text} is more than two years after the event`;
  return null;
}

function meaningProblem(e: CityEvent, at: number): string | null {
  const d = e.data as Record<string, unknown>;
  for (const [field, kind] of CODE_FIELDS) {
    if (typeof d[field] === 'string' && !isKnown(kind, d[field] as string))
      return `/data/${field} "${d[field]}" is not a known ${kind} code`;
  }
  if (typeof d.subcategory === 'string' && !isSubcategoryOf(d.category as string, d.subcategory))
    return `/data/subcategory "${d.subcategory}" is not a subcategory of category "${d.category}"`;
  switch (e.type) {
    case 'appeal.created':
      if (isBlank(e.data.title)) return '/data/title is blank';
      return e.data.deadline === undefined ? null : laterTimeProblem('/data/deadline', e.data.deadline, at);
    case 'appeal.extension':
      return e.data.until === undefined ? null : laterTimeProblem('/data/until', e.data.until, at);
    case 'video_alert.dismissed':
      return isBlank(e.data.reason) ? '/data/reason is blank' : null;
    case 'grid_inspection.reported':
      return e.data.issuesHandledOnSite > e.data.issuesFound
        ? `/data/issuesHandledOnSite (${e.data.issuesHandledOnSite}) exceeds /data/issuesFound (${e.data.issuesFound})`
        : null;
    default:
      return null;
  }
}

/**
 * Checks one incoming event: its shape against its type's schema, its times, its text and its
 * meaning. Returns the event, or a reason a person can act on (never a stack of schema jargon).
 * Never throws, whatever `raw` is.
 */
export function validateEvent(raw: unknown, window: ValidityWindow): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'an event must be a JSON object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as string[]).includes(type))
    return { ok: false, reason: `unknown event type ${JSON.stringify(type ?? null)}; expected one of ${EVENT_TYPES.join(', ')}` };
  if (!validators[type as EventType].Check(raw)) return { ok: false, reason: describeErrors(type as EventType, raw) };
  const event = raw as CityEvent;

  const at = parseInstant(event.occurredAt);
  if (typeof at !== 'number') return { ok: false, reason: `occurredAt "${event.occurredAt}" ${at.reason}` };
  const earliest = window.earliest ?? window.now - DEFAULT_HISTORY_DAYS * DAY_MS;
  if (at < earliest)
    return { ok: false, reason: `occurredAt ${event.occurredAt} is before the history this deployment keeps (from ${iso(earliest)})` };
  if (at > window.now + MAX_FUTURE_MS) return { ok: false, reason: `occurredAt ${event.occurredAt} is in the future` };

  const text = textProblem(event.data, '/data');
  if (text) return { ok: false, reason: text };
  const meaning = meaningProblem(event, at);
  return meaning ? { ok: false, reason: meaning } : { ok: true, event };
}
