/**
 * No planted personal datum comes back unmasked, on any documented route or live event, to anyone
 * without PII clearance.
 *
 * The test plants personal data through the public entry points (ingest, Open311, the CSV
 * import, console actions) into every kind of record: an appeal's reporter, exact address, title,
 * description, timeline notes and extension reason; an alert's address, note and dismissal reason;
 * exact coordinates of homes. Then it walks every operation of the OpenAPI document as each kind
 * of principal, following export and import jobs to their files and job views, and connects to
 * the live channel as each, while more is planted. Every answer — whatever its status — is taken
 * apart (JSON values, CSV cells, XML text nodes, Excel cells) and searched for the needles of
 * planted-pii.ts. All leaks are collected and reported at once, one line each:
 * `role METHOD path → needle`.
 *
 * Every operation of the document needs a recipe in RECIPES (how to call it), so that a route
 * added later fails here until someone says how to walk it. A recipe may skip a route only when
 * its answer cannot carry personal data, and says why.
 *
 * Two sanity checks keep the walk honest: every recipe reached a success answer for someone and
 * never a server error (a broken recipe would hide leaks), and the cleared principals DO see the
 * planted data where it belongs (a detector that cannot find anything proves nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { io } from 'socket.io-client';
import { PNG } from 'pngjs';
import type { CityEvent } from '@commandhall/shared';
import { LIULIAN, credsOf, makeApp, tempDir, testClock } from '../helpers.ts';
import { COMMUNITY, DISTRICT, STREET } from '../appeals/fixtures.ts';
import { adminOf, person } from '../appeal-io/helpers.ts';
import {
  CAMERA_POINT,
  DOOR,
  HOME,
  HOME_ADDRESS,
  IMPORT_HOME,
  NOTE,
  O311_HOME,
  REPORTER,
  alertAcknowledged,
  alertDismissed,
  atomsOfCsv,
  atomsOfJson,
  atomsOfXlsx,
  atomsOfXml,
  findNeedles,
  importCsv,
  open311Form,
  piiAlert,
  piiAppeal,
  piiAppealHistory,
  piiCityEvents,
  DISMISS_REASON,
  EXTENSION_REASON,
  type Atom,
} from './planted-pii.ts';

const SYS = { actor: 'test', ip: null };
const MIN = 60_000;

// ---------------------------------------------------------------------------------------------
// principals
// ---------------------------------------------------------------------------------------------

interface Principal {
  label: string;
  /** PII clearance: sees personal data unmasked (on REST; never on the shared live channel). */
  cleared: boolean;
  /** What its requests carry. */
  headers: Record<string, string>;
  /** How it connects to /live: a session cookie, a token in the handshake, or nothing. */
  live: { cookie?: string; token?: string };
}

const principals: Principal[] = [];
const byLabel = (label: string) => principals.find((p) => p.label === label)!;

async function makePrincipals(app: FastifyInstance) {
  const user = async (label: string, cleared: boolean, who: { cookie: string; csrf: string }) =>
    principals.push({ label, cleared, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, live: { cookie: who.cookie } });
  // the bootstrap administrator has clearance (server/src/auth/bootstrap.ts)
  await user('admin', true, adminOf(app));
  await user('district-cleared', true, await person(app, 'walk-district-pii', 'district_director', DISTRICT, true));
  await user('district', false, await person(app, 'walk-district', 'district_director', DISTRICT));
  await user('street', false, await person(app, 'walk-street', 'street_director', STREET));
  await user('community', false, await person(app, 'walk-community', 'community_director', COMMUNITY));
  await user('operator', false, await person(app, 'walk-operator', 'operator', STREET));
  const wall = (await app.auth.issueDevice('walk-wall', DISTRICT, SYS)).token;
  principals.push({ label: 'wall', cleared: false, headers: { authorization: `Bearer ${wall}` }, live: { token: wall } });
  const key = credsOf(app).key;
  principals.push({ label: 'producer', cleared: false, headers: { 'x-api-key': key }, live: { token: key } });
  principals.push({ label: 'anonymous', cleared: false, headers: {}, live: {} });
}

// ---------------------------------------------------------------------------------------------
// what was planted (ids filled in by beforeAll)
// ---------------------------------------------------------------------------------------------

const P = {
  /** The appeal with everything: reporter, address, title, description, notes, extension. */
  appeal: 'PII-APPEAL-1',
  /** Alerts: acknowledged with a note, dismissed with a reason, confirmed into an appeal. */
  ackedAlert: 'PII-AL-1',
  dismissedAlert: 'PII-AL-2',
  confirmedAlert: 'PII-AL-3',
  /** Acted on through the console before the walk: acknowledged with a note, dismissed with a reason. */
  consoleAckedAlert: 'PII-AL-4',
  consoleDismissedAlert: 'PII-AL-5',
  /** Rejected through the console with a reason (the timeline's note). */
  rejectedAppeal: 'PII-APPEAL-2',
  open311: '',
  imported: 'IMP-PII-1',
  confirmedAppeal: '',
  snapshot: '',
  camera: 'CAM-PII-1',
  spareCamera: 'CAM-SPARE',
  spareUser: 'walk-spare',
  loginUser: 'walk-login',
  spareDevice: 0,
  spareKey: 0,
  /** A street light of 六联社区 (the component registry's): its detail, code, scan page and reports. */
  component: '',
  /** Every appeal that carries planted data. */
  get appeals() {
    return [this.appeal, this.rejectedAppeal, this.open311, this.imported, this.confirmedAppeal];
  },
  get alerts() {
    return [this.ackedAlert, this.dismissedAlert, this.confirmedAlert, this.consoleAckedAlert, this.consoleDismissedAlert];
  },
};
const LOGIN_PASSWORD = 'walk-login-password-1';
/** An appeal (collected) and an alert (raised) of its own for each principal to act on. */
const actAppeal = (w: Principal) => `ACT-${w.label}`;
const actAlert = (w: Principal) => `ALA-${w.label}`;
const themeId = (w: Principal) => `walk-${w.label}`;
const PNG_BYTES = PNG.sync.write(new PNG({ width: 2, height: 2 }));

/** A small valid theme of 六联社区 (the shape of server/test/themes/themes-api.test.ts). */
const theme = (id: string) => ({
  schema: 1,
  id,
  name: '六联社区通告',
  levels: ['community'],
  owner: LIULIAN.code,
  grid: { width: 1920, height: 1080, cols: 12, rows: 6, gap: 12 },
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 12, h: 1 }, bind: [] },
    { id: 'today', type: 'rolling', pos: { x: 0, y: 1, w: 6, h: 5 }, bind: ['appeals.today'], options: { label: '今日诉求' } },
  ],
});

// ---------------------------------------------------------------------------------------------
// recipes: how to call every documented operation
// ---------------------------------------------------------------------------------------------

type OpKey = string; // 'GET /api/v1/appeals/{id}'

interface Call {
  /** Values of the path's {params}; by default pathValue() of the path. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  /** A body that is not JSON. */
  raw?: { type: string; data: string | Buffer };
}

interface Answer {
  who: string;
  op: OpKey;
  url: string;
  status: number;
  type: string;
  atoms: Atom[];
  json?: unknown;
}

interface Trip {
  who: Principal;
  /** Calls an operation as `who`; the answer is recorded under that operation. */
  send(op: OpKey, call?: Call): Promise<Answer>;
}

type Recipe =
  /** The answer cannot carry personal data: say why. */
  | { skip: string }
  /** Walked inside another operation's recipe (a job's progress and file follow its start). */
  | { walkedBy: OpKey }
  /** These calls, each as every principal. */
  | { calls: (who: Principal) => Call[] }
  /** A sequence of calls that depend on each other. */
  | { run: (t: Trip) => Promise<void> };

/** A GET with path parameters from pathValue() and no query. */
const DEFAULT: Recipe = { calls: () => [{}] };
const each = (values: string[], call: (v: string) => Call): Recipe => ({ calls: () => values.map(call) });
/** A GET with each of these queries. */
const queries = (...qs: Record<string, string>[]): Recipe => ({ calls: () => qs.map((query) => ({ query })) });

/** The value of a path parameter when a call does not give one: by the route it belongs to. */
function pathValue(path: string, name: string): string | undefined {
  const table: [prefix: string, param: string, value: () => string][] = [
    ['/api/v1/appeals/', 'id', () => P.appeal],
    ['/api/v1/alerts/', 'id', () => P.ackedAlert],
    ['/api/v1/themes/', 'id', () => 'appeals'],
    ['/api/v1/halls/', 'scope', () => COMMUNITY],
    ['/api/v1/metrics/', 'scope', () => STREET],
    ['/api/v1/snapshots/', 'id', () => P.snapshot],
    ['/open311/v2/requests/', 'file', () => `${P.appeal}.json`],
    ['/open311/v2/services/', 'file', () => '5-02.json'],
    ['/api/v1/admin/users/', 'username', () => P.spareUser],
    ['/api/v1/admin/devices/', 'id', () => String(P.spareDevice)],
    ['/api/v1/admin/keys/', 'id', () => String(P.spareKey)],
    ['/api/v1/admin/cameras/', 'id', () => P.camera],
    ['/api/v1/components/', 'id', () => P.component],
    ['/api/v1/code/', 'id', () => P.component],
  ];
  return table.find(([prefix, param]) => path.startsWith(prefix) && param === name)?.[2]();
}

const form = (data: string): Call['raw'] => ({ type: 'application/x-www-form-urlencoded', data });

/** Polls a job's progress until it is finished (or the answer is not a job). */
async function untilDone(t: Trip, op: OpKey, id: string): Promise<Answer> {
  for (let i = 0; i < 2000; i++) {
    const a = await t.send(op, { params: { id } });
    const state = (a.json as { state?: string } | undefined)?.state;
    if (a.status !== 200 || state === 'done' || state === 'failed') return a;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`${op} ${id} never finished`);
}

/** Starts an export in each format, follows the job and fetches the file. */
async function exportRun(t: Trip) {
  for (const format of ['csv', 'xlsx']) {
    const start = await t.send('POST /api/v1/appeal-exports', { json: { format } });
    // someone who may not export still gets answers from the job routes: those are walked too
    const id = start.status === 202 ? (start.json as { id: string }).id : 'no-such-job';
    await untilDone(t, 'GET /api/v1/appeal-exports/{id}', id);
    await t.send('GET /api/v1/appeal-exports/{id}/file', { params: { id } });
  }
}

/** Imports a file with a good row and a rejected one, and follows the job to its report. */
async function importRun(t: Trip) {
  const csv = importCsv(`IMP-${t.who.label}`, `IMP-BAD-${t.who.label}`);
  const start = await t.send('POST /api/v1/appeal-imports', { query: { name: '历史诉求.csv' }, raw: { type: 'text/csv', data: csv } });
  const id = start.status === 202 ? (start.json as { id: string }).id : 'no-such-job';
  await untilDone(t, 'GET /api/v1/appeal-imports/{id}', id);
}

/** Imports a buildings file whose manager is a planted person, and a row refused for its phone. */
async function gridImportRun(t: Trip) {
  const cell = app.geo.placeOf(LIULIAN.code, HOME.lon, HOME.lat);
  const csv = [
    'id,cell,name,address,use,floors,housingUnits,residents,managerName,managerPhone,risk',
    `GB-${t.who.label},${cell},六联花园7栋,${HOME_ADDRESS},residential,18,120,300,${REPORTER.name},${REPORTER.phone},low`,
    `GB-BAD-${t.who.label},${cell},六联花园8栋,${HOME_ADDRESS},residential,18,120,300,${REPORTER.name},电话${REPORTER.phone},low`,
  ].join('\n');
  const start = await t.send('POST /api/v1/grid/imports', { query: { kind: 'buildings' }, raw: { type: 'text/csv', data: csv } });
  const id = start.status === 202 ? (start.json as { id: string }).id : 'no-such-job';
  await untilDone(t, 'GET /api/v1/grid/imports/{id}', id);
}

/** A batch with a new appeal and an event refused for its phone: the refusal must not quote it. */
function eventsBatch(w: Principal, at: number): Call {
  const bad = piiAppeal(at, `EV-BAD-${w.label}`) as Extract<CityEvent, { type: 'appeal.created' }>;
  const refused = { ...bad, data: { ...bad.data, reporter: { name: REPORTER.name, phone: `电话${REPORTER.phone}` } } };
  return { json: { events: [piiAppeal(at, `EV-${w.label}`), refused] } };
}

/** What each principal does to its own alert: every action is walked, each with its free text. */
const ALERT_ACTION: Record<string, Record<string, string>> = {
  'district-cleared': { action: 'confirm', note: NOTE },
  district: { action: 'dismiss', reason: DISMISS_REASON, note: NOTE },
  street: { action: 'acknowledge', note: NOTE },
  community: { action: 'confirm', note: NOTE },
  operator: { action: 'dismiss', reason: DISMISS_REASON },
};

let at = 0; // the test clock's now, set in beforeAll

/**
 * Every operation of the OpenAPI document, in the order each principal walks them: writes before
 * the reads and deletes that depend on them, sign-out never.
 */
const RECIPES: Record<OpKey, Recipe> = {
  // --- health, sign-in, who am I
  'GET /healthz': DEFAULT,
  'GET /readyz': DEFAULT,
  'GET /metrics': DEFAULT,
  'POST /api/v1/auth/login': { calls: () => [{ json: { username: P.loginUser, password: LOGIN_PASSWORD } }] },
  'GET /api/v1/auth/me': DEFAULT,
  'POST /api/v1/auth/logout': {
    skip: 'answers 204 with no body (401/403 with a fixed error otherwise), and would end the session of the principal walking',
  },

  // --- planting through the public entry points, as whoever may
  'POST /api/v1/events': { calls: (w) => [eventsBatch(w, at - 20 * MIN)] },
  'POST /open311/v2/requests.json': { calls: () => [{ raw: form(open311Form()) }] },
  'POST /open311/v2/requests.xml': { calls: () => [{ raw: form(open311Form()) }] },
  'POST /api/v1/appeal-imports': { run: importRun },
  'GET /api/v1/appeal-imports/{id}': { walkedBy: 'POST /api/v1/appeal-imports' },
  'POST /api/v1/appeals/{id}/actions': {
    calls: (w) => [{ params: { id: actAppeal(w) }, json: { action: 'verify', note: NOTE } }],
  },
  'POST /api/v1/alerts/{id}/actions': {
    calls: (w) => [{ params: { id: actAlert(w) }, json: ALERT_ACTION[w.label] ?? { action: 'acknowledge', note: NOTE } }],
  },

  // --- appeals
  'GET /api/v1/appeals': queries({}, { scope: COMMUNITY, limit: '200' }, { extension: 'pending' }),
  'GET /api/v1/appeals/{id}': { calls: () => P.appeals.map((id) => ({ params: { id } })) },
  'POST /api/v1/appeal-exports': { run: exportRun },
  'GET /api/v1/appeal-exports/{id}': { walkedBy: 'POST /api/v1/appeal-exports' },
  'GET /api/v1/appeal-exports/{id}/file': { walkedBy: 'POST /api/v1/appeal-exports' },

  // --- alerts
  'GET /api/v1/alerts': queries({}, { status: 'all', limit: '200' }, { scope: COMMUNITY, status: 'all' }),
  'GET /api/v1/alerts/{id}': { calls: () => P.alerts.map((id) => ({ params: { id } })) },

  // --- Open311 reads
  'GET /open311/v2/discovery.json': DEFAULT,
  'GET /open311/v2/discovery.xml': DEFAULT,
  'GET /open311/v2/services.json': DEFAULT,
  'GET /open311/v2/services.xml': DEFAULT,
  'GET /open311/v2/services/{file}': each(['5-02.json', '5-02.xml'], (file) => ({ params: { file } })),
  'GET /open311/v2/requests.json': { calls: () => [{}, { query: { service_request_id: P.appeals.join(',') } }] },
  'GET /open311/v2/requests.xml': { calls: () => [{}, { query: { service_request_id: P.appeals.join(',') } }] },
  'GET /open311/v2/requests/{file}': {
    calls: () => P.appeals.flatMap((id) => ['json', 'xml'].map((f) => ({ params: { file: `${id}.${f}` } }))),
  },

  // --- the live channel's REST mirrors, the map
  'GET /api/v1/scopes': DEFAULT,
  'GET /api/v1/metrics/{scope}': each([DISTRICT, STREET, COMMUNITY], (scope) => ({ params: { scope } })),
  'GET /api/v1/geography': DEFAULT,
  'GET /api/v1/deployment': DEFAULT,
  'GET /api/v1/geography/basemap': DEFAULT,

  // --- grid records (a building with a planted manager; each principal imports one of its own)
  'GET /api/v1/grid/cells': queries({}, { scope: COMMUNITY }),
  'GET /api/v1/grid/buildings': queries({}, { scope: COMMUNITY, limit: '500' }),
  'GET /api/v1/grid/entities': queries({}, { scope: COMMUNITY }),
  'GET /api/v1/grid/inspections': queries({}, { scope: COMMUNITY, issues: 'found' }),
  'GET /api/v1/classification': DEFAULT,
  'POST /api/v1/grid/imports': { run: gridImportRun },
  'GET /api/v1/grid/imports/{id}': { walkedBy: 'POST /api/v1/grid/imports' },

  // --- city components, smart codes and the heat map (a report plants a phone and a note)
  'GET /api/v1/components': queries({}, { scope: COMMUNITY, limit: '20' }, { status: 'fault' }),
  'GET /api/v1/components/map': queries(
    { bbox: '114.25,22.6,114.45,22.8', zoom: '11' },
    { scope: COMMUNITY, bbox: '114.3,22.68,114.34,22.71', zoom: '17' },
  ),
  'GET /api/v1/components/{id}': DEFAULT,
  'GET /api/v1/components/{id}/code.svg': DEFAULT,
  'GET /api/v1/components/labels.svg': { calls: () => [{ query: { scope: COMMUNITY, type: 'street_light' } }] },
  'GET /api/v1/heat': queries({}, { scope: COMMUNITY, window: '30d' }),
  'GET /api/v1/code/{id}': DEFAULT,
  'POST /api/v1/code/{id}/reports': { calls: () => [{ json: { category: '5', description: `路灯不亮 ${NOTE}`, phone: REPORTER.phone } }] },

  // --- cameras and snapshots
  'GET /api/v1/cameras': { calls: () => [{}, { query: { scope: COMMUNITY } }] },
  'POST /api/v1/cameras/heartbeats': { calls: () => [{ json: { heartbeats: [{ cameraId: P.camera }] } }] },
  'POST /api/v1/snapshots': { calls: () => [{ query: { cameraId: P.camera }, raw: { type: 'image/png', data: PNG_BYTES } }] },
  'GET /api/v1/snapshots/{id}': DEFAULT,

  // --- themes and hall playlists (each principal saves, rolls back and deletes a theme of its own)
  'GET /api/v1/themes': { calls: () => [{}, { query: { hall: COMMUNITY } }] },
  'GET /api/v1/themes/{id}': DEFAULT,
  'GET /api/v1/themes/{id}/versions': DEFAULT,
  'PUT /api/v1/themes/{id}': { calls: (w) => [{ params: { id: themeId(w) }, json: theme(themeId(w)) }] },
  'POST /api/v1/themes/{id}/rollback': { calls: (w) => [{ params: { id: themeId(w) }, json: { version: 1 } }] },
  'DELETE /api/v1/themes/{id}': { calls: (w) => [{ params: { id: themeId(w) } }] },
  'GET /api/v1/halls/{scope}/playlist': each([COMMUNITY, STREET, DISTRICT], (scope) => ({ params: { scope } })),
  'PUT /api/v1/halls/{scope}/playlist': {
    calls: () => [{ params: { scope: COMMUNITY }, json: { entries: [{ themeId: 'appeals', seconds: 60 }] } }],
  },

  // --- administration (spare accounts, devices, keys and cameras: the walkers' own stay intact)
  'GET /api/v1/admin/users': DEFAULT,
  'POST /api/v1/admin/users': {
    calls: (w) => [{ json: { username: `made-${w.label}`, password: 'made-password-1', role: 'operator', scope: STREET } }],
  },
  'POST /api/v1/admin/users/{username}/password': { calls: () => [{ json: { password: 'another-password-1' } }] },
  'PATCH /api/v1/admin/users/{username}': { calls: () => [{ json: { disabled: true } }] },
  'GET /api/v1/admin/devices': DEFAULT,
  'POST /api/v1/admin/devices': { calls: (w) => [{ json: { name: `made-${w.label}`, scope: DISTRICT } }] },
  'DELETE /api/v1/admin/devices/{id}': DEFAULT,
  'GET /api/v1/admin/keys': DEFAULT,
  'POST /api/v1/admin/keys': { calls: (w) => [{ json: { name: `made-${w.label}`, types: ['appeal.created'] } }] },
  'DELETE /api/v1/admin/keys/{id}': DEFAULT,
  'GET /api/v1/admin/cameras': DEFAULT,
  'POST /api/v1/admin/cameras': {
    calls: (w) => [
      { json: { id: `CAM-MADE-${w.label}`, name: '深坪路口', location: { ...CAMERA_POINT, address: '深坪路与龙勤路交叉口' } } },
    ],
  },
  'PATCH /api/v1/admin/cameras/{id}': { calls: () => [{ json: { name: '深坪路口1号' } }] },
  'DELETE /api/v1/admin/cameras/{id}': { calls: () => [{ params: { id: P.spareCamera } }] },
  'GET /api/v1/admin/walls': DEFAULT,
  'GET /api/v1/admin/audit': { calls: () => [{ query: { limit: '500' } }] },
  'GET /api/v1/admin/quarantine': DEFAULT,
  'POST /api/v1/admin/quarantine/release': { calls: () => [{ json: { all: true } }] },
};

/**
 * Who must get a 200 from which reads (`every`: from each call, e.g. each planted appeal's detail),
 * and the planted id the answer must name: the search for needles means something only there.
 */
const READERS = ['district', 'street', 'community', 'operator', 'wall'];
const MUST_READ: Record<OpKey, { who: string[]; every?: boolean; mentions?: () => string }> = {
  'GET /api/v1/appeals': { who: READERS, mentions: () => P.appeal },
  'GET /api/v1/appeals/{id}': { who: READERS, every: true },
  'GET /api/v1/alerts': { who: READERS, mentions: () => P.ackedAlert },
  'GET /api/v1/alerts/{id}': { who: READERS, every: true },
  'GET /api/v1/metrics/{scope}': { who: READERS },
  'GET /open311/v2/requests.json': { who: [...READERS, 'producer'], every: true, mentions: () => P.appeal },
  'GET /open311/v2/requests.xml': { who: [...READERS, 'producer'], every: true, mentions: () => P.appeal },
  'GET /open311/v2/requests/{file}': { who: [...READERS, 'producer'], every: true },
  'GET /api/v1/appeal-exports/{id}/file': { who: ['district', 'street', 'community', 'operator'], every: true, mentions: () => P.appeal },
  'GET /api/v1/appeal-imports/{id}': { who: ['district', 'street', 'community'], every: true },
  'POST /api/v1/appeals/{id}/actions': { who: ['district', 'street', 'community', 'operator'], every: true },
  'POST /api/v1/alerts/{id}/actions': { who: ['district', 'street', 'community', 'operator'], every: true },
};

// ---------------------------------------------------------------------------------------------
// the app, the planting
// ---------------------------------------------------------------------------------------------

let app: FastifyInstance;
let url: string;
let tmp: ReturnType<typeof tempDir>;

const asWho = (who: Principal, method: string, path: string, payload?: unknown, type?: string) =>
  app.inject({
    method: method as 'GET',
    url: path,
    headers: { ...who.headers, ...(type ? { 'content-type': type } : {}) },
    ...(payload === undefined ? {} : { payload: payload as string }),
  });

async function postEvents(events: CityEvent[]) {
  const res = await asWho(byLabel('producer'), 'POST', '/api/v1/events', { events });
  const refused = (res.json().results as { status: string; reason?: string }[]).filter((r) => r.status === 'rejected');
  if (res.statusCode !== 200) throw new Error(`planting failed: ${res.statusCode} ${JSON.stringify(refused)}`);
}

async function plant() {
  const admin = byLabel('admin');
  // a building of 六联社区 whose manager and address are a planted person's
  await app.gridRecords.write('buildings', [
    {
      id: 'PII-B-1',
      cell: app.geo.placeOf(LIULIAN.code, HOME.lon, HOME.lat),
      name: '六联花园7栋',
      address: HOME_ADDRESS,
      use: 'residential',
      floors: 18,
      housingUnits: 120,
      residents: 300,
      manager: { name: REPORTER.name, phone: REPORTER.phone },
      risk: 'low',
    },
  ]);
  // spare objects for the administration recipes to change
  await app.auth.createUser({ username: P.spareUser, password: 'walk-spare-password-1', role: 'operator', scope: STREET }, SYS);
  await app.auth.createUser({ username: P.loginUser, password: LOGIN_PASSWORD, role: 'operator', scope: STREET }, SYS);
  P.spareDevice = (await app.auth.issueDevice('walk-spare-wall', DISTRICT, SYS)).device.id;
  P.spareKey = (await app.auth.issueProducerKey({ name: 'walk-spare-key', types: ['appeal.created'] }, SYS)).key.id;
  for (const id of [P.camera, P.spareCamera]) {
    const res = await asWho(admin, 'POST', '/api/v1/admin/cameras', {
      id,
      name: '深坪路口',
      location: { ...CAMERA_POINT, address: '深坪路与龙勤路交叉口' },
      communityCode: LIULIAN.code,
    });
    if (res.statusCode !== 201) throw new Error(`camera: ${res.body}`);
  }
  const snap = await asWho(byLabel('producer'), 'POST', `/api/v1/snapshots?cameraId=${P.camera}`, PNG_BYTES, 'image/png');
  if (snap.statusCode !== 201) throw new Error(`snapshot: ${snap.body}`);
  P.snapshot = snap.json().id;

  // the appeal with everything, alerts with notes and reasons, an appeal and an alert for each principal to act on
  await postEvents([
    ...piiAppealHistory(at - 120 * MIN, P.appeal),
    piiAlert(at - 30 * MIN, P.ackedAlert, 'CAM-PII-1', snap.json().url),
    alertAcknowledged(at - 29 * MIN, P.ackedAlert),
    piiAlert(at - 30 * MIN, P.dismissedAlert, 'CAM-PII-2'),
    alertDismissed(at - 28 * MIN, P.dismissedAlert),
    piiAlert(at - 30 * MIN, P.confirmedAlert, 'CAM-PII-3'),
    piiAlert(at - 30 * MIN, P.consoleAckedAlert, 'CAM-PII-4'),
    piiAlert(at - 30 * MIN, P.consoleDismissedAlert, 'CAM-PII-5'),
    piiAppeal(at - 90 * MIN, P.rejectedAppeal),
    ...principals.flatMap((w) => [piiAppeal(at - 60 * MIN, actAppeal(w)), piiAlert(at - 25 * MIN, actAlert(w), `CAM-ACT-${w.label}`)]),
    ...piiCityEvents(at - 40 * MIN, 'PII-CITY'),
  ]);

  // Open311: a citizen's request with a name, a phone in the first line (the title) and an exact place
  const o311 = await asWho(byLabel('producer'), 'POST', '/open311/v2/requests.json', open311Form(), 'application/x-www-form-urlencoded');
  if (o311.statusCode !== 201) throw new Error(`open311: ${o311.body}`);
  P.open311 = o311.json()[0].service_request_id;

  // the CSV import, by a director allowed to
  const cleared = byLabel('district-cleared');
  const imp = await asWho(cleared, 'POST', '/api/v1/appeal-imports?name=history.csv', importCsv(P.imported), 'text/csv');
  if (imp.statusCode !== 202) throw new Error(`import: ${imp.body}`);
  for (let i = 0; ; i++) {
    const job = (await asWho(cleared, 'GET', `/api/v1/appeal-imports/${imp.json().id}`)).json();
    if (job.state === 'done' && job.rows.imported === 1) break;
    if (job.state === 'done' || job.state === 'failed' || i > 2000) throw new Error(`import: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 2));
  }

  // console actions with free text, before the walk, so that every principal walks the same data
  const act = async (label: string, path: string, body: unknown) => {
    const res = await asWho(byLabel(label), 'POST', path, body);
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.body}`);
    return res.json();
  };
  // confirming an alert makes an appeal of it
  P.confirmedAppeal = (
    await act('district-cleared', `/api/v1/alerts/${P.confirmedAlert}/actions`, { action: 'confirm', note: NOTE })
  ).appealId;
  await act('operator', `/api/v1/alerts/${P.consoleAckedAlert}/actions`, { action: 'acknowledge', note: NOTE });
  await act('community', `/api/v1/alerts/${P.consoleDismissedAlert}/actions`, { action: 'dismiss', reason: DISMISS_REASON, note: NOTE });
  await act('operator', `/api/v1/appeals/${P.rejectedAppeal}/actions`, { action: 'reject', reason: NOTE });
}

beforeAll(async () => {
  tmp = tempDir();
  const clock = testClock();
  at = clock.now();
  app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  await makePrincipals(app);
  // the planted points must be where the test says: inside 六联社区
  for (const p of [HOME, DOOR, O311_HOME, IMPORT_HOME])
    if (app.geo.locate(p.lon, p.lat) !== LIULIAN.code) throw new Error(`${p.lon},${p.lat} is not in 六联社区`);
  P.component = [...app.componentService!.registry.within(COMMUNITY, (t) => t === 'street_light')][0].id;
  await plant();
});

afterAll(async () => {
  await app?.close();
  tmp?.remove();
});

// ---------------------------------------------------------------------------------------------
// the walk
// ---------------------------------------------------------------------------------------------

async function documentedOperations(): Promise<OpKey[]> {
  await app.ready();
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const ops: OpKey[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push(`${method.toUpperCase()} ${path}`);
  return ops;
}

/** The pieces of an answer: its textual headers and its body, decoded by type. */
async function atomsOf(res: LightMyRequestResponse): Promise<{ atoms: Atom[]; json?: unknown }> {
  const type = String(res.headers['content-type'] ?? '');
  // the headers that can carry text (a file's name, where a job is); not the cookies, lengths and dates
  const headers = ['content-disposition', 'location'].flatMap((h) => (res.headers[h] === undefined ? [] : [String(res.headers[h])]));
  if (res.rawPayload.length === 0 || type.startsWith('image/')) return { atoms: headers };
  if (type.includes('spreadsheetml')) return { atoms: [...headers, ...(await atomsOfXlsx(res.rawPayload))] };
  if (type.includes('csv')) return { atoms: [...headers, ...atomsOfCsv(res.body)] };
  if (type.includes('xml')) return { atoms: [...headers, ...atomsOfXml(res.body)] };
  if (type.includes('json')) {
    const json = JSON.parse(res.body);
    return { atoms: [...headers, ...atomsOfJson(json)], json };
  }
  return { atoms: [...headers, res.body] };
}

interface Walk {
  answers: Answer[];
  /** Recipes that could not be followed (a missing path value, an exception). */
  broken: string[];
}

async function walkRoutes(): Promise<Walk> {
  const documented = new Set(await documentedOperations());
  const answers: Answer[] = [];
  const broken: string[] = [];
  for (const who of principals) {
    const trip: Trip = {
      who,
      async send(op, call = {}) {
        const [method, path] = op.split(' ');
        const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const v = call.params?.[name] ?? pathValue(path, name);
          if (v === undefined) throw new Error(`no value for {${name}}: add one to pathValue() or to the recipe`);
          return encodeURIComponent(v);
        });
        const target = filled + (call.query ? `?${new URLSearchParams(call.query)}` : '');
        const res = await app.inject({
          method: method as 'GET',
          url: target,
          headers: { ...who.headers, ...(call.raw ? { 'content-type': call.raw.type } : {}) },
          ...(call.raw ? { payload: call.raw.data } : call.json !== undefined ? { payload: call.json as object } : {}),
        });
        const answer: Answer = {
          who: who.label,
          op,
          url: target,
          status: res.statusCode,
          type: String(res.headers['content-type'] ?? ''),
          ...(await atomsOf(res)),
        };
        answers.push(answer);
        return answer;
      },
    };
    for (const [op, recipe] of Object.entries(RECIPES)) {
      if (!documented.has(op) || 'skip' in recipe || 'walkedBy' in recipe) continue;
      try {
        if ('calls' in recipe) for (const call of recipe.calls(who)) await trip.send(op, call);
        else await recipe.run(trip);
      } catch (err) {
        broken.push(`${who.label} ${op}: ${(err as Error).message}`);
      }
    }
  }
  // an operation walked by another's recipe must really have been called
  for (const [op, recipe] of Object.entries(RECIPES))
    if ('walkedBy' in recipe && documented.has(op) && !answers.some((a) => a.op === op))
      broken.push(`${op}: the recipe of ${recipe.walkedBy} never called it`);
  return { answers, broken };
}

let walked: Promise<Walk> | undefined;
/** The walk runs once, for whichever test asks first. */
const walk = () => (walked ??= walkRoutes());

/** The format of a file or XML answer, to tell apart the answers of one route (`[xlsx]`). */
const formatTag = (type: string) => {
  const f = ['csv', 'spreadsheetml', 'xml'].find((t) => type.includes(t));
  return f ? ` [${f === 'spreadsheetml' ? 'xlsx' : f}]` : '';
};

/** `role METHOD path → needle «context»`, sorted by route, needle and role, once each. */
function leakLines(answers: Answer[]): string[] {
  const lines = new Map<string, string>();
  for (const a of answers)
    for (const f of findNeedles(a.atoms)) {
      const key = `${a.who} ${a.op}${formatTag(a.type)} → ${f.needle}`;
      if (!lines.has(key)) lines.set(key, `${key}   «${f.context}»`);
    }
  const order = (l: string) => l.replace(/^(\S+) (.*?) → (\S+) .*$/, '$2 $3 $1');
  return [...lines.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

const statusTable = (answers: Answer[]) => {
  const rows = new Map<string, Map<string, Set<number>>>();
  for (const a of answers) {
    const row = rows.get(a.op) ?? rows.set(a.op, new Map()).get(a.op)!;
    (row.get(a.who) ?? row.set(a.who, new Set()).get(a.who)!).add(a.status);
  }
  return [...rows].map(([op, row]) => `${op}: ${[...row].map(([who, s]) => `${who} ${[...s].join('/')}`).join(', ')}`).join('\n');
};

// ---------------------------------------------------------------------------------------------
// the tests
// ---------------------------------------------------------------------------------------------

describe('no planted personal datum comes back unmasked, on any path', () => {
  it('every documented operation has a recipe (and every recipe a documented operation)', async () => {
    const documented = await documentedOperations();
    const missing = documented.filter((op) => !(op in RECIPES)).map((op) => `add a recipe for ${op} to RECIPES`);
    const stale = Object.keys(RECIPES)
      .filter((op) => !documented.includes(op))
      .map((op) => `the recipe for ${op} names no documented operation`);
    expect([...missing, ...stale], [...missing, ...stale].join('\n')).toEqual([]);
  });

  it('every recipe works: no server error for anyone (the administrator included), a success for someone', async () => {
    const { answers, broken } = await walk();
    const table = statusTable(answers);
    expect(broken, `recipes that could not be followed:\n${broken.join('\n')}`).toEqual([]);
    const adminErrors = answers.filter((a) => a.who === 'admin' && a.status >= 500).map((a) => `${a.op} ${a.url}: ${a.status}`);
    expect(adminErrors, `the administrator got server errors:\n${adminErrors.join('\n')}`).toEqual([]);
    const errors = answers.filter((a) => a.status >= 500).map((a) => `${a.who} ${a.op} ${a.url}: ${a.status}`);
    expect(errors, `server errors:\n${errors.join('\n')}\n\n${table}`).toEqual([]);
    // a recipe nobody got a success from is broken: its answers would hide what the route can leak
    const walkedOps = Object.entries(RECIPES).filter(([, r]) => !('skip' in r));
    const neverOk = walkedOps.map(([op]) => op).filter((op) => !answers.some((a) => a.op === op && a.status >= 200 && a.status < 300));
    expect(neverOk, `no principal got a 2xx from:\n${neverOk.join('\n')}\n\n${table}`).toEqual([]);
    // the readers read: a 403 or a 404 where they may read would hide what the route leaks
    const unread = Object.entries(MUST_READ).flatMap(([op, { who, every, mentions }]) =>
      who.flatMap((w) => {
        const mine = answers.filter((a) => a.who === w && a.op === op);
        const ok = mine.filter((a) => a.status === 200);
        if (every ? ok.length === 0 || ok.length < mine.length : ok.length === 0)
          return [`${w} ${op}: ${mine.map((a) => a.status).join('/')}`];
        const id = mentions?.();
        if (id && !ok.some((a) => a.atoms.includes(id))) return [`${w} ${op}: no answer names ${id}`];
        return [];
      }),
    );
    expect(unread, `readers who could not read:\n${unread.join('\n')}\n\n${table}`).toEqual([]);
    // nobody without credentials reads anything but health, Prometheus figures, the deployment's
    // identity (district and offset: what an unpaired wall's clock needs), public Open311 documents
    // and the scan page's component (its public fields: whoever scanned the label) and report
    const open = answers
      .filter((a) => a.who === 'anonymous' && a.status < 300)
      .map((a) => a.op)
      .filter(
        (op) =>
          !/^(GET \/(healthz|readyz|metrics$|api\/v1\/deployment$)|GET \/open311\/v2\/(discovery|services)|POST \/api\/v1\/auth\/login|(GET|POST) \/api\/v1\/code\/)/.test(
            op,
          ),
      );
    expect([...new Set(open)], 'anonymous got a success from').toEqual([]);
  });

  it('the cleared see the planted data where it belongs (so the search can find it)', async () => {
    const { answers } = await walk();
    const has = (a: Answer | undefined, v: string) => !!a && a.atoms.some((x) => typeof x === 'string' && x.includes(v));
    for (const who of ['admin', 'district-cleared']) {
      const detail = answers.find((a) => a.who === who && a.op === 'GET /api/v1/appeals/{id}' && a.url.endsWith(`/${P.appeal}`));
      const open311 = answers.find(
        (a) => a.who === who && a.op === 'GET /open311/v2/requests/{file}' && a.url.includes(`${P.appeal}.json`),
      );
      const csv = answers.find((a) => a.who === who && a.op === 'GET /api/v1/appeal-exports/{id}/file' && a.type.includes('csv'));
      for (const [path, a] of [
        ['appeal detail', detail],
        ['Open311 request', open311],
        ['CSV export', csv],
      ] as const) {
        expect(a?.status, `${who} ${path}`).toBe(200);
        expect(has(a, REPORTER.phone) && has(a, REPORTER.name), `${who} ${path}: the reporter as planted`).toBe(true);
      }
      expect(has(detail, HOME_ADDRESS) && has(open311, HOME_ADDRESS), `${who}: the exact address`).toBe(true);
      // and the search finds them there: it is able to report a leak at all
      expect(findNeedles(detail!.atoms).map((f) => f.needle)).toEqual(expect.arrayContaining(['13912345678', '明华', '88号', '1203']));
    }
  });

  it('no answer to anyone without clearance carries a planted datum', async () => {
    const { answers } = await walk();
    const lines = leakLines(answers.filter((a) => !byLabel(a.who).cleared));
    expect(lines.length, `${lines.length} leaks (role METHOD path → needle «where»):\n${lines.join('\n')}\n`).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// the live channel
// ---------------------------------------------------------------------------------------------

interface Heard {
  who: string;
  /** `event:name`, `ack:scope:watch …`, `connect_error`. */
  what: string;
  payload: unknown;
}

interface Screen {
  who: Principal;
  close(): void;
  watch(scope: string): Promise<void>;
}

/** Connects as a principal; records everything it hears. Null when it is refused (that is recorded too). */
function connect(who: Principal, heard: Heard[]): Promise<Screen | null> {
  const socket = io(`${url}/live`, {
    transports: ['websocket'],
    reconnection: false,
    ...(who.live.token ? { auth: { token: who.live.token } } : {}),
    ...(who.live.cookie ? { extraHeaders: { cookie: who.live.cookie } } : {}),
  });
  socket.onAny((event: string, ...args: unknown[]) => heard.push({ who: who.label, what: `event:${event}`, payload: args }));
  const screen: Screen = {
    who,
    close: () => socket.close(),
    async watch(scope) {
      const ack = await socket.timeout(5000).emitWithAck('scope:watch', { scope });
      heard.push({ who: who.label, what: `ack:scope:watch ${scope}`, payload: ack });
    },
  };
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(screen));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      heard.push({ who: who.label, what: 'connect_error', payload: { message: err.message, data: err.data } });
      socket.close();
      resolve(null);
    });
  });
}

describe('no planted personal datum on the live channel, for anyone', () => {
  it('snapshots, patches, alert updates and every other event carry none, even to the cleared', async () => {
    const heard: Heard[] = [];
    const screens = (await Promise.all(principals.map((w) => connect(w, heard)))).filter((s): s is Screen => s !== null);
    try {
      // every scope on the path to 六联社区: the ones outside a principal's area answer an error ack, recorded too
      const scopes = [DISTRICT, STREET, COMMUNITY];
      for (const s of screens) for (const scope of scopes) await s.watch(scope);

      // plant more while everyone watches: ingest, and console actions through their routes
      await postEvents([
        ...piiAppealHistory(at - 15 * MIN, 'LIVE-APPEAL-1'),
        piiAlert(at - 10 * MIN, 'LIVE-AL-1', 'CAM-LIVE-1'),
        alertAcknowledged(at - 9 * MIN, 'LIVE-AL-1'),
        piiAlert(at - 10 * MIN, 'LIVE-AL-2', 'CAM-LIVE-2'),
        alertDismissed(at - 8 * MIN, 'LIVE-AL-2'),
        piiAlert(at - 10 * MIN, 'LIVE-AL-3', 'CAM-LIVE-3'),
        piiAlert(at - 10 * MIN, 'LIVE-AL-4', 'CAM-LIVE-4'),
        ...piiCityEvents(at - 7 * MIN, 'LIVE-CITY'),
      ]);
      const director = byLabel('district-cleared');
      const operator = byLabel('operator');
      const acts: [Principal, string, unknown][] = [
        [director, '/api/v1/alerts/LIVE-AL-3/actions', { action: 'confirm', note: NOTE }],
        [operator, '/api/v1/alerts/LIVE-AL-4/actions', { action: 'dismiss', reason: DISMISS_REASON, note: NOTE }],
        [director, '/api/v1/appeals/LIVE-APPEAL-1/actions', { action: 'extend_deny', reason: EXTENSION_REASON }],
      ];
      for (const [who, path, body] of acts) {
        const res = await asWho(who, 'POST', path, body);
        expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      }
      // a few ticks (TICK_MS is 100), then a fresh snapshot of every scope (what a reconnecting wall gets)
      await new Promise((r) => setTimeout(r, 600));
      for (const s of screens) for (const scope of scopes) await s.watch(scope);
    } finally {
      for (const s of screens) s.close();
    }

    // the walk heard something worth searching: the wall got the live alert and snapshots
    const wall = heard.filter((h) => h.who === 'wall');
    expect(wall.some((h) => h.what === 'event:alert:update' && JSON.stringify(h.payload).includes('LIVE-AL-1'))).toBe(true);
    expect(wall.some((h) => h.what.startsWith('ack:') && JSON.stringify(h.payload).includes('LIVE-AL-1'))).toBe(true);
    expect(
      heard
        .filter((h) => h.what === 'connect_error')
        .map((h) => h.who)
        .sort(),
    ).toEqual(['anonymous', 'producer']);

    const lines = new Map<string, string>();
    for (const h of heard)
      for (const f of findNeedles(atomsOfJson(h.payload))) {
        const key = `${h.who} ${h.what.replace(/ .*/, '')} → ${f.needle}`;
        if (!lines.has(key)) lines.set(key, `${key}   «${f.context}»`);
      }
    const list = [...lines.values()].sort();
    expect(list.length, `${list.length} leaks on the live channel (role event → needle «where»):\n${list.join('\n')}\n`).toBe(0);
  });
});
