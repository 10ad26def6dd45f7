/**
 * The masking policy: what a principal without PII clearance sees of every record that can carry
 * a citizen's personal data. One table per record kind names how each field is treated; the
 * `redact…` functions apply the table, and every path that returns such a record (REST lists and
 * details, timelines, CSV and Excel, Open311 JSON and XML, live patches, alert updates, the alert
 * queue, the wall) calls them at its boundary. The detectors for free text are in pii-text.ts.
 *
 * Treatments:
 * - `shown`: not personal (codes, times, statuses, the staff who acted, counts);
 * - `name` → `张**`; `phone` → `138****1234`; `address` → cut at its street (`…坪山街道`);
 * - `text` → free text with phone numbers in any written form, ID-card numbers, names after
 *   cues, house and room numbers, e-mails, plates, bank cards masked, and every value the record
 *   itself knows to be personal (its reporter's name and phone, its exact address) wherever it
 *   appears;
 * - `coordinate` → rounded to 3 decimals (about 100 m): enough for a map, not for a door.
 *
 * Ticker items (the live `recent` list) are public: walls show them. Their coordinates are
 * rounded for everyone.
 *
 * The tables come from the classification table (classification.ts): a field is masked here
 * exactly when it is classified `personal`. Records of the grid and its components go through
 * `classify`, which applies every level (leaves out what is above the reader's clearance).
 */
import { maskAddress, maskName, maskPersonalText, maskPhone, type KnownPersonalData } from './pii-text.ts';
import { CLASSIFICATION, clearanceOf, sees, type ClassTable, type FieldTreatment, type Reader, type RecordKind } from './classification.ts';

export { maskAddress, maskIdNumber, maskName, maskPersonalText, maskPhone, type KnownPersonalData } from './pii-text.ts';

/** Who is asking: only the clearance matters here. */
export interface Clearance {
  pii: boolean;
}

// FIELD_TREATMENTS and FieldTreatment are classification.ts's (exported from the package's index)
/** Field (a dotted path into the record) → its treatment without clearance. */
export type MaskingTable = Readonly<Record<string, FieldTreatment>>;

/** Decimals a coordinate keeps without clearance: 0.001° is about 110 m of latitude, 100 m of longitude here. */
export const COORDINATE_DECIMALS = 3;

/** `114.325325` → `114.325`. */
export function roundCoordinate(v: number): number {
  const f = 10 ** COORDINATE_DECIMALS;
  return Math.round(v * f) / f;
}

/**
 * The masking table of a record kind, from the classification table (classification.ts): a field
 * is masked exactly when it is personal, by its `mask`; every other field is shown.
 */
export function maskingOf(table: ClassTable): MaskingTable {
  return Object.fromEntries(Object.entries(table).map(([f, c]) => [f, c.level === 'personal' && c.mask ? c.mask : 'shown']));
}

/** An appeal record as the API, exports and Open311 carry it (AppealFull, and the read model's AppealRecord). */
export const APPEAL_MASKING = maskingOf(CLASSIFICATION.appeal);

/** One step of an appeal's timeline (TimelineStep). */
export const TIMELINE_MASKING = maskingOf(CLASSIFICATION.timeline);

/** A video alert (AlertView): where it was seen can be a home's door, and notes are free text. */
export const ALERT_MASKING = maskingOf(CLASSIFICATION.alert);

/** An item of the live ticker (TickerItem): public, so masked for everyone. */
export const TICKER_MASKING = maskingOf(CLASSIFICATION.ticker);

/** Every treatment that is not `shown`, for tests and docs. */
export function maskedFields(table: MaskingTable): string[] {
  return Object.entries(table)
    .filter(([, t]) => t !== 'shown')
    .map(([f]) => f);
}

function treat(value: unknown, how: FieldTreatment, known: KnownPersonalData): unknown {
  if (how === 'coordinate') return typeof value === 'number' ? roundCoordinate(value) : value;
  if (typeof value !== 'string') return value;
  switch (how) {
    case 'name':
      return maskName(value);
    case 'phone':
      // a masked phone keeps only 7 digits: masking it again would take more of them
      return value.includes('*') ? value : maskPhone(value);
    case 'address':
      return maskAddress(value);
    case 'text':
      return maskPersonalText(value, known);
    default:
      return value;
  }
}

/**
 * A record as a principal without clearance sees it, by `table`; unchanged with clearance.
 * Never changes its argument (nested objects on a masked path are copied).
 */
export function redact<T extends object>(record: T, table: MaskingTable, who: Clearance, known: KnownPersonalData = {}): T {
  if (who.pii) return record;
  const out = { ...record } as Record<string, unknown>;
  const copied = new Set<string>();
  for (const [path, how] of Object.entries(table)) {
    if (how === 'shown') continue;
    const keys = path.split('.');
    let holder: Record<string, unknown> = out;
    let prefix = '';
    let reachable = true;
    for (const k of keys.slice(0, -1)) {
      prefix = prefix ? `${prefix}.${k}` : k;
      const inner = holder[k];
      if (typeof inner !== 'object' || inner === null) {
        reachable = false;
        break;
      }
      if (!copied.has(prefix)) {
        holder[k] = { ...(inner as object) };
        copied.add(prefix);
      }
      holder = holder[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (reachable && last in holder && holder[last] !== undefined && holder[last] !== null) holder[last] = treat(holder[last], how, known);
  }
  return out as T;
}

/** The personal values an appeal record carries itself: masked wherever its free text repeats them. */
export interface RedactableAppeal {
  reporter?: { name?: string; phone?: string } | null;
  location?: { lon: number; lat: number; address?: string } | null;
}

export function knownOf(record: RedactableAppeal): KnownPersonalData {
  const pick = (v: string | undefined) => (v ? [v] : []);
  return {
    names: pick(record.reporter?.name),
    phones: pick(record.reporter?.phone),
    addresses: pick(record.location?.address),
  };
}

/** An appeal as a principal may see it (APPEAL_MASKING). */
export function redactAppeal<T extends RedactableAppeal>(record: T, who: Clearance): T {
  return who.pii ? record : redact(record, APPEAL_MASKING, who, knownOf(record));
}

/** A timeline step of an appeal, its free text masked as the appeal's own (pass the appeal's `knownOf`). */
export function redactTimelineStep<T extends object>(step: T, who: Clearance, known: KnownPersonalData = {}): T {
  return redact(step, TIMELINE_MASKING, who, known);
}

/** A video alert as a principal may see it (ALERT_MASKING). */
export function redactAlert<T extends object>(view: T, who: Clearance): T {
  return redact(view, ALERT_MASKING, who);
}

/** A ticker item as every screen sees it (TICKER_MASKING, for everyone: walls are public). */
export function redactTicker<T extends object>(item: T): T {
  return redact(item, TICKER_MASKING, { pii: false });
}

/** Free text as a principal may see it. */
export function redactText(text: string, who: Clearance, known: KnownPersonalData = {}): string {
  return who.pii ? text : maskPersonalText(text, known);
}

/**
 * A record as a reader sees it by the classification table of its kind: fields above the reader's
 * clearance are left out, personal ones with a mask masked instead. Never changes its argument.
 */
export function classify<T extends object>(kind: RecordKind, record: T, who: Reader): T {
  const clearance = clearanceOf(who);
  const table = CLASSIFICATION[kind] as ClassTable;
  const out = structuredClone(record) as Record<string, unknown>;
  for (const [path, c] of Object.entries(table)) {
    if (sees(clearance, c.level)) continue;
    const keys = path.split('.');
    let holder: Record<string, unknown> | undefined = out;
    for (const k of keys.slice(0, -1)) {
      const inner: unknown = holder?.[k];
      holder = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined;
    }
    const last = keys[keys.length - 1];
    if (!holder || !(last in holder)) continue;
    if (c.level === 'personal' && c.mask) holder[last] = treat(holder[last], c.mask, {});
    else delete holder[last];
  }
  return out as T;
}
