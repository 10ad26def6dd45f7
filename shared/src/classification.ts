/**
 * Data classification of appeal and alert records, and the masking that every path returning
 * them (lists, detail, exports, live pushes, Open311) applies for principals without clearance
 * for personal data: `张**`, `138****1234`, an address cut at its street or community.
 */

export const CLASSIFICATION_LEVELS = ['public', 'internal', 'personal'] as const;
/**
 * `public`: may appear on a wall or in Open311; `internal`: staff within the scope;
 * `personal`: identifies a citizen: shown unmasked only with PII clearance.
 */
export type ClassificationLevel = (typeof CLASSIFICATION_LEVELS)[number];

/** Level of every field of an appeal record (dotted paths for nested fields). */
export const APPEAL_FIELD_LEVELS = {
  id: 'internal',
  channel: 'public',
  nature: 'public',
  category: 'public',
  subcategory: 'public',
  title: 'internal',
  description: 'internal', // free text: phone numbers in it are masked too
  'location.lon': 'internal',
  'location.lat': 'internal',
  'location.address': 'personal',
  community: 'public',
  status: 'public',
  unit: 'internal',
  note: 'internal',
  satisfaction: 'internal',
  createdAt: 'public',
  deadline: 'public',
  resolvedAt: 'public',
  closedAt: 'public',
  overdue: 'public',
  'reporter.name': 'personal',
  'reporter.phone': 'personal',
  reporterKind: 'public', // resident or enterprise: who, not which one
} as const satisfies Record<string, ClassificationLevel>;

/** Level of every field of a video alert record. */
export const ALERT_FIELD_LEVELS = {
  id: 'internal',
  cameraId: 'internal',
  algorithm: 'public',
  confidence: 'internal',
  snapshotUrl: 'internal',
  'location.lon': 'internal',
  'location.lat': 'internal',
  'location.address': 'internal', // a shop front or a street corner, not a home
  community: 'public',
  status: 'public',
  raisedAt: 'public',
  by: 'internal',
  reason: 'internal',
  appealId: 'internal',
  // the alert as merged and escalated (AlertView)
  level: 'public',
  escalated: 'public',
  escalatedAt: 'public',
  count: 'public',
  lastDetectedAt: 'public',
  acknowledgedAt: 'public',
  decidedAt: 'public',
  cameraName: 'internal',
  note: 'internal',
} as const satisfies Record<string, ClassificationLevel>;

/** `张三丰` → `张**`: the family name stays (one character; compound surnames are rare). */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** `13812341234` → `138****1234`; other numbers keep at most their first 3 and last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 11) return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
  if (digits.length >= 7) return '*'.repeat(digits.length - 4) + digits.slice(-4);
  return '*'.repeat(digits.length);
}

/**
 * Cuts an address after its community (社区/村) or, failing that, its street or town (街道/镇/乡):
 * `深圳市坪山区坪山街道六联社区深坪路12号3栋501` → `深圳市坪山区坪山街道六联社区`. An address with
 * neither keeps its district (区/县) at most; with nothing recognisable, nothing is left.
 */
export function maskAddress(address: string): string {
  for (const pattern of [/^.*?(社区|村)/, /^.*?(街道|镇|乡)/, /^.*?(区|县)/]) {
    const m = address.match(pattern);
    if (m) return m[0];
  }
  return '';
}

const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Who is asking: only the clearance matters here. */
export interface Clearance {
  pii: boolean;
}

/** The personal parts of an appeal as records carry them; other fields pass through untouched. */
export interface RedactableAppeal {
  reporter?: { name?: string; phone?: string } | null;
  location?: { lon: number; lat: number; address?: string } | null;
  description?: string | null;
}

/**
 * An appeal as a principal may see it: unchanged with PII clearance; otherwise reporter name,
 * phone and exact address masked, and mobile numbers inside the description masked. Never
 * changes its argument.
 */
export function redactAppeal<T extends RedactableAppeal>(record: T, principal: Clearance): T {
  if (principal.pii) return record;
  const out: T = { ...record };
  if (record.reporter) {
    const r = { ...record.reporter };
    if (r.name !== undefined) r.name = maskName(r.name);
    if (r.phone !== undefined) r.phone = maskPhone(r.phone);
    out.reporter = r;
  }
  if (record.location && record.location.address !== undefined)
    out.location = { ...record.location, address: maskAddress(record.location.address) };
  if (typeof record.description === 'string') out.description = record.description.replace(MOBILE_IN_TEXT, maskPhone);
  return out;
}

/** Fields of a record at a level, e.g. every `personal` field of an appeal. */
export function fieldsAt(levels: Record<string, ClassificationLevel>, level: ClassificationLevel): string[] {
  return Object.entries(levels)
    .filter(([, l]) => l === level)
    .map(([f]) => f);
}
