/**
 * 数据分级分类: every field of every record the API returns carries a classification level, in
 * one table (CLASSIFICATION below), and who may see what follows from it:
 *
 * | level       | what                                                           | who sees it                        |
 * | ----------- | -------------------------------------------------------------- | ---------------------------------- |
 * | `public`    | what a wall in a public hall may show: counts, codes, names    | everyone, walls and anonymous too  |
 * | `internal`  | working data of the administration: staff, units, counts       | operators, grid workers and above  |
 * | `sensitive` | what only those who answer for an area see: risk grades, staff | directors and administrators       |
 * |             | phones, enterprises' employee counts                           |                                    |
 * | `personal`  | data of a person: reporter, manager, legal representative, an  | people with PII clearance; masked  |
 * |             | address down to the door                                       |                                    |
 * |             |                                                                | (by the field's `mask`) for others |
 *
 * A field above the reader's clearance is left out, except a personal field with a `mask`, which
 * is masked instead (a reporter's phone as 138****1234). The masking policy (masking.ts) takes its
 * tables from here: a field is masked exactly when it is `personal`.
 */

/** How a personal field is masked for a reader without clearance (masking.ts applies them). */
export const FIELD_TREATMENTS = ['shown', 'name', 'phone', 'address', 'text', 'coordinate'] as const;
export type FieldTreatment = (typeof FIELD_TREATMENTS)[number];

export const CLASSIFICATION_LEVELS = ['public', 'internal', 'sensitive', 'personal'] as const;
export type Classification = (typeof CLASSIFICATION_LEVELS)[number];

export interface FieldClass {
  level: Classification;
  /** For a personal field: how it is masked for those without clearance (left out when absent). */
  mask?: Exclude<FieldTreatment, 'shown'>;
}
/** Field (a dotted path into the record) → its class. */
export type ClassTable = Readonly<Record<string, FieldClass>>;

const P: FieldClass = { level: 'public' };
const I: FieldClass = { level: 'internal' };
const S: FieldClass = { level: 'sensitive' };
const personal = (mask?: FieldClass['mask']): FieldClass => (mask ? { level: 'personal', mask } : { level: 'personal' });

/** An appeal (AppealFull, the read model's AppealRecord, exports, Open311). */
const appeal = {
  id: P,
  community: P,
  communityName: P,
  street: P,
  streetName: P,
  status: P,
  category: P,
  subcategory: P,
  channel: P,
  nature: P,
  title: personal('text'),
  description: personal('text'),
  'location.lon': personal('coordinate'),
  'location.lat': personal('coordinate'),
  'location.address': personal('address'),
  'reporter.name': personal('name'),
  'reporter.phone': personal('phone'),
  reporterKind: P, // resident or enterprise: who, not which one
  unit: I,
  createdAt: P,
  deadline: P,
  verifiedAt: P,
  dispatchedAt: P,
  resolvedAt: P,
  closedAt: P,
  updatedAt: P,
  overdue: P,
  satisfaction: I,
  'extension.until': I,
  'extension.requestedAt': I,
  'extension.requestedBy': I,
  'extension.reason': personal('text'),
  extensions: I,
  reworks: I,
  reopens: I,
  lastSeq: I,
} satisfies ClassTable;

/** One step of an appeal's timeline. */
const timeline = {
  seq: I,
  eventId: I,
  type: I,
  at: I,
  by: I,
  from: I,
  to: I,
  action: I,
  unit: I,
  note: personal('text'),
  reason: personal('text'),
  until: I,
  satisfaction: I,
  channel: I,
} satisfies ClassTable;

/** A video alert (walls show them: everything but where exactly and what people wrote is public). */
const alert = {
  id: P,
  status: P,
  level: P,
  escalated: P,
  escalatedAt: P,
  algorithm: P,
  community: P,
  cameraId: P,
  cameraName: P,
  'location.lon': personal('coordinate'),
  'location.lat': personal('coordinate'),
  'location.address': personal('address'),
  confidence: P,
  snapshotUrl: P,
  count: P,
  raisedAt: P,
  lastDetectedAt: P,
  acknowledgedAt: P,
  decidedAt: P,
  by: P,
  reason: personal('text'),
  note: personal('text'),
  appealId: P,
} satisfies ClassTable;

/** An item of the live ticker: public, its place rounded for everyone. */
const ticker = {
  id: P,
  type: P,
  at: P,
  community: P,
  label: P,
  status: P,
  lon: personal('coordinate'),
  lat: personal('coordinate'),
} satisfies ClassTable;

/** A city component: street furniture, where it stands is public (its smart code says so). */
const component = {
  id: P,
  type: P,
  lon: P,
  lat: P,
  cell: P,
  cellName: P,
  community: P,
  communityName: P,
  street: P,
  streetName: P,
  road: P,
  status: P,
  scansTotal: I,
  appealsTotal: I,
  scans: I,
  appeals: I,
} satisfies ClassTable;

/** A grid cell's record: its figures are public; who works it, internal; how to reach them, sensitive. */
const gridCell = {
  code: P,
  name: P,
  community: P,
  communityName: P,
  residents: P,
  households: P,
  buildings: P,
  housingUnits: P,
  legalEntities: P,
  components: P,
  'worker.id': I,
  'worker.name': I,
  'worker.phone': S,
} satisfies ClassTable;

/** A building (楼栋) of a grid cell. */
const building = {
  id: P,
  cell: P,
  name: P,
  use: P,
  floors: P,
  housingUnits: P,
  // an address down to the door locates homes: masked (cut at its street) without clearance
  address: personal('address'),
  residents: I,
  'manager.name': personal('name'),
  'manager.phone': personal('phone'),
  risk: S,
} satisfies ClassTable;

/** A legal entity (法人单位) of a grid cell. */
const entity = {
  id: P,
  cell: P,
  name: P,
  kind: P,
  industry: P,
  creditCode: I,
  address: personal('address'),
  employees: S,
  risk: S,
  'legalRep.name': personal('name'),
  'legalRep.phone': personal('phone'),
} satisfies ClassTable;

/** A grid inspection as the inspection list shows it. */
const inspection = {
  id: I,
  at: P,
  kind: P,
  cell: P,
  community: P,
  issuesFound: P,
  issuesHandledOnSite: P,
  inspectorId: I,
  lon: personal('coordinate'),
  lat: personal('coordinate'),
} satisfies ClassTable;

/** The one table: every record kind the API returns, every field of it. */
export const CLASSIFICATION = { appeal, timeline, alert, ticker, component, gridCell, building, entity, inspection } as const;
export type RecordKind = keyof typeof CLASSIFICATION;

/** Who is reading, as far as classification goes. */
export type Reader = { role: string; pii: boolean } | null;

/**
 * The highest level a reader sees unmasked: from its role, or `personal` with PII clearance.
 * Walls, producers and anonymous callers: public.
 */
export function clearanceOf(who: Reader): Classification {
  if (!who) return 'public';
  if (who.pii && who.role !== 'device') return 'personal';
  switch (who.role) {
    case 'operator':
    case 'grid_worker':
      return 'internal';
    case 'admin':
    case 'city_director':
    case 'district_director':
    case 'street_director':
    case 'community_director':
      return 'sensitive';
    default:
      return 'public';
  }
}

/** Whether a reader of `clearance` sees a field of `level` as it is. */
export const sees = (clearance: Classification, level: Classification): boolean =>
  CLASSIFICATION_LEVELS.indexOf(level) <= CLASSIFICATION_LEVELS.indexOf(clearance);

/** The fields of a kind a reader of `clearance` does not see as they are (masked or left out). */
export function hiddenFields(kind: RecordKind, clearance: Classification): string[] {
  return Object.entries(CLASSIFICATION[kind] as ClassTable)
    .filter(([, c]) => !sees(clearance, c.level))
    .map(([f]) => f);
}
