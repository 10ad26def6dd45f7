/**
 * The personal data that every-path-masking.test.ts plants, the needles it then looks for in every
 * answer, and how an answer is taken apart into the text it carries (JSON values, CSV cells, XML
 * text nodes, Excel cells) so that each piece is searched on its own.
 *
 * Every needle is something a citizen told the centre: the reporter's name and phone, phones,
 * names and house numbers inside free text (title, description, notes, reasons), an ID number and
 * its birth date, an e-mail address, and exact coordinates of homes. The points are exact points
 * inside 六联社区 chosen so that nothing public (the geography, a community's centre, a camera)
 * shares their digits.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import ExcelJS from 'exceljs';
import type { CityEvent } from '@commandhall/shared';
import { LIULIAN } from '../helpers.ts';

export const COMMUNITY_CODE = LIULIAN.code;

// ---- exact points inside 六联社区 (each checked with geo.locate; none is the community's centre) ----

/** The reporter's home. */
export const HOME = { lon: 114.326871, lat: 22.694613 };
/** Where the camera saw the alert (a resident's door). */
export const DOOR = { lon: 114.324157, lat: 22.696032 };
/** The Open311 reporter's home. */
export const O311_HOME = { lon: 114.327413, lat: 22.693871 };
/** The imported appeal's reporter's home. */
export const IMPORT_HOME = { lon: 114.323769, lat: 22.695918 };
/** A camera: public infrastructure, deliberately away from every home above. */
export const CAMERA_POINT = { lon: LIULIAN.lon, lat: LIULIAN.lat };

// ---- what is planted ----

export const REPORTER = { name: '欧阳明华', phone: '13912345678' };
export const HOME_ADDRESS = '坪山街道六联社区深坪路88号7栋1203房';
export const TITLE = '路灯不亮，请回电 139 2345 6789';
export const DESCRIPTION = [
  `来电人${REPORTER.name}（${REPORTER.phone}）反映楼下路灯不亮。`,
  '备用电话 +86 138-8932-5713，座机 0755-2831 2345，短信 １３６１２３４５６７８。',
  '身份证 440310199001011234。',
  '联系人：李小红，王建国先生也反映过，住在深坪路12号3栋501室。',
  '邮箱 xiaohong.li@example.com',
].join('');
/** Free text a handler writes on the timeline: a phone with spaces, a name after a cue. */
export const NOTE = '已电话核实，联系人 赵丽丽 137 0000 1111';
export const EXTENSION_REASON = '需联系人 赵丽丽（137 0000 1111）补充材料';
export const ALERT_ADDRESS = '深坪路66号2栋305';
export const ALERT_NOTE = '住户来电13500001111反映门口堆物';
export const DISMISS_REASON = '住户孙伟东先生称系自家装修，非占道（电话 135 0000 1111）';

/** The Open311 form's personal fields (description: its first line becomes the title). */
export const O311 = {
  description: '市民来电 139 4567 8901 反映楼道灯不亮\n联系人周海燕，住深坪路77号5栋602',
  first_name: '海燕',
  last_name: '周',
  phone: '139-4567-8901',
  address_string: '坪山街道六联社区深坪路77号5栋602',
};

/** The imported appeal's personal fields. */
export const IMPORTED = {
  title: '回电 136 0000 2222',
  description: '联系人吴桂芳，电话 136-0000-2222，住深坪路55号9栋909',
  address: '坪山街道六联社区深坪路55号9栋909',
  name: '吴桂芳',
  phone: '136 0000 2222',
  note: '已回访吴桂芳 13600002222',
};
/** A phone an import row gets wrong: the rejection must not quote it back. */
export const BAD_IMPORT_PHONE = '139 8765 4321 转 8';

// ---- the needles ----

/**
 * `digits`: a number, found also with its separators removed (`139 1234 5678`, `+86-139…`, full
 * width); `text`: a name, an e-mail or a house number with its 号/栋; `number`: a bare house number,
 * found only standing alone (not inside a longer number); `coordinate`: an exact coordinate as
 * JavaScript prints it.
 */
export type NeedleKind = 'digits' | 'text' | 'number' | 'coordinate';
export interface Needle {
  value: string;
  kind: NeedleKind;
}

const digits = (...v: string[]) => v.map((value): Needle => ({ value, kind: 'digits' }));
const text = (...v: string[]) => v.map((value): Needle => ({ value, kind: 'text' }));
const number = (...v: string[]) => v.map((value): Needle => ({ value, kind: 'number' }));
const coordinates = (...p: { lon: number; lat: number }[]) =>
  p.flatMap((x): Needle[] => [
    { value: String(x.lon), kind: 'coordinate' },
    { value: String(x.lat), kind: 'coordinate' },
  ]);

export const NEEDLES: Needle[] = [
  // phones and numbers, wherever they were written
  ...digits('13912345678', '13923456789', '13889325713', '075528312345', '13612345678'),
  ...digits('440310199001011234', '19900101', '13700001111', '13500001111'),
  ...digits('13945678901', '13600002222', '13987654321'),
  // given names (a masked name keeps the family name only)
  ...text('明华', '小红', '建国', '丽丽', '伟东', '海燕', '桂芳'),
  // house numbers
  ...text('88号', '66号', '77号', '55号', '3栋501'),
  ...number('1203', '305', '602', '909'),
  // e-mail
  ...text('xiaohong.li'),
  // exact coordinates of homes and of the door the camera saw
  ...coordinates(HOME, DOOR, O311_HOME, IMPORT_HOME),
];

// ---- events that plant it (sent with the producer key) ----

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const DAY = 86_400_000;

/** An appeal carrying every personal datum above, in its reporter, address, title and description. */
export function piiAppeal(at: number, appealId: string): CityEvent {
  return {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: iso(at),
    data: {
      appealId,
      channel: 'hotline_12345',
      nature: 'request',
      category: '5',
      title: TITLE,
      description: DESCRIPTION,
      location: { ...HOME, address: HOME_ADDRESS },
      communityCode: COMMUNITY_CODE,
      reporter: { ...REPORTER },
      deadline: iso(at + 5 * DAY),
    },
  };
}

/** The appeal, then its handling with notes and a pending extension whose reason names someone. */
export function piiAppealHistory(at: number, appealId: string): CityEvent[] {
  const moved = (n: number, to: string, extra: Record<string, unknown> = {}) =>
    ({
      id: `${appealId}.m${n}`,
      type: 'appeal.transitioned',
      occurredAt: iso(at + n * MIN),
      data: { appealId, to, ...extra },
    }) as CityEvent;
  return [
    piiAppeal(at, appealId),
    moved(1, 'verified', { note: NOTE }),
    moved(2, 'dispatched', { unit: '坪山街道办', note: `派单：${NOTE}` }),
    moved(3, 'handling', { note: NOTE }),
    {
      id: `${appealId}.x1`,
      type: 'appeal.extension',
      occurredAt: iso(at + 4 * MIN),
      data: { appealId, action: 'requested', until: iso(at + 10 * DAY), reason: EXTENSION_REASON, by: '坪山街道办' },
    } as CityEvent,
  ];
}

/** A detection at a resident's door, with the address as the platform wrote it. */
export function piiAlert(at: number, alertId: string, cameraId: string, snapshotUrl?: string): CityEvent {
  return {
    id: `${alertId}.raised`,
    type: 'video_alert.raised',
    occurredAt: iso(at),
    data: {
      alertId,
      cameraId,
      algorithm: 'shop_outside',
      confidence: 0.92,
      location: { ...DOOR, address: ALERT_ADDRESS },
      communityCode: COMMUNITY_CODE,
      ...(snapshotUrl ? { snapshotUrl } : {}),
    },
  };
}

export function alertAcknowledged(at: number, alertId: string): CityEvent {
  return { id: `${alertId}.ack`, type: 'video_alert.acknowledged', occurredAt: iso(at), data: { alertId, by: '值班员', note: ALERT_NOTE } };
}

export function alertDismissed(at: number, alertId: string): CityEvent {
  return {
    id: `${alertId}.dismissed`,
    type: 'video_alert.dismissed',
    occurredAt: iso(at),
    data: { alertId, by: '值班员', reason: DISMISS_REASON, note: ALERT_NOTE },
  };
}

/** Other events with free text (a location's address) at a home: nothing should ever show it. */
export function piiCityEvents(at: number, tag: string): CityEvent[] {
  const location = { ...HOME, address: HOME_ADDRESS };
  return [
    {
      id: `${tag}.inspection`,
      type: 'grid_inspection.reported',
      occurredAt: iso(at),
      data: {
        inspectionId: `${tag}-GI`,
        inspectorId: 'GRID-1',
        location,
        communityCode: COMMUNITY_CODE,
        issuesFound: 1,
        issuesHandledOnSite: 0,
        kind: 'fire',
      },
    },
    {
      id: `${tag}.scan`,
      type: 'smart_code.scanned',
      occurredAt: iso(at),
      data: {
        scanId: `${tag}-SC`,
        codeId: `${tag}-CODE`,
        componentType: 'street_light',
        purpose: 'report',
        location,
        communityCode: COMMUNITY_CODE,
      },
    },
    {
      id: `${tag}.component`,
      type: 'component.status_changed',
      occurredAt: iso(at),
      data: { componentId: `${tag}-COMP`, componentType: 'street_light', status: 'fault', location, communityCode: COMMUNITY_CODE },
    },
  ] as CityEvent[];
}

/** The Open311 POST form (url-encoded) of an appeal with a reporter, an address and a phone in its first line. */
export function open311Form(extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    service_code: '5-02',
    lat: String(O311_HOME.lat),
    long: String(O311_HOME.lon),
    ...O311,
    ...extra,
  }).toString();
}

const CSV_HEADER =
  'appeal_id,created_at,channel,nature,category,subcategory,title,description,lon,lat,address,community_code,reporter_name,reporter_phone,deadline,status,unit,dispatched_at,resolved_at,closed_at,satisfaction,note';
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A CSV file for the import: a resolved appeal with every personal field, and (with `badId`) a
 * row whose phone is not a phone, so that the job reports a rejected row.
 */
export function importCsv(appealId: string, badId?: string): string {
  const row = (id: string, phone: string) =>
    [
      id,
      '2026-11-27 09:00',
      'hotline_12345',
      'request',
      '5',
      '5-02',
      IMPORTED.title,
      IMPORTED.description,
      String(IMPORT_HOME.lon),
      String(IMPORT_HOME.lat),
      IMPORTED.address,
      '',
      IMPORTED.name,
      phone,
      '',
      'resolved',
      '',
      '',
      '2026-11-27 09:50',
      '',
      '',
      IMPORTED.note,
    ]
      .map(csvCell)
      .join(',');
  return [CSV_HEADER, row(appealId, IMPORTED.phone), ...(badId ? [row(badId, BAD_IMPORT_PHONE)] : [])].join('\n') + '\n';
}

// ---- answers taken apart ----

/** A piece of an answer searched on its own: a JSON string or number, a CSV cell, an XML text node. */
export type Atom = string | number;

/** Every string and number in a JSON value, object keys included. */
export function atomsOfJson(value: unknown, out: Atom[] = []): Atom[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) atomsOfJson(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      atomsOfJson(v, out);
    }
  return out;
}

// text nodes and attributes kept as written: `0755…` must not become a number
const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false, trimValues: false });

export const atomsOfXml = (body: string): Atom[] => atomsOfJson(xml.parse(body));
export const atomsOfCsv = (body: string): Atom[] =>
  (parseCsv(body, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][]).flat();

export async function atomsOfXlsx(data: Buffer): Promise<Atom[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  const cells: Atom[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        if (typeof v === 'number' || typeof v === 'string') cells.push(v);
        else if (v !== null && v !== undefined) cells.push(cell.text);
      }),
    ),
  );
  return cells;
}

// ---- searching ----

export interface Found {
  needle: string;
  /** A few characters around where it was found. */
  context: string;
}

/**
 * A digit group: digits joined by anything but a letter (spaces, dashes, dots, `+`, brackets,
 * punctuation, a masking `*`). With its separators removed, `+86 138-8932-5713` is
 * `8613889325713`. A letter (a CJK character included) ends a group, so that numbers in different
 * phrases of one text (`住在深坪路12号3栋501室`) are never glued into a false match.
 */
const DIGIT_GROUP = /[^\p{L}]+/gu;

const around = (s: string, at: number, length: number) =>
  `${at > 20 ? '…' : ''}${s.slice(Math.max(0, at - 20), at + length + 20)}${at + length + 20 < s.length ? '…' : ''}`.replace(/\s+/g, ' ');

function findIn(atom: Atom, needle: Needle): string | null {
  if (typeof atom === 'number') {
    // numbers carry coordinates, and perhaps a phone written as a number (an Excel cell)
    const s = String(atom);
    if (needle.kind === 'coordinate' && s.includes(needle.value)) return s;
    if (needle.kind === 'digits' && needle.value.length >= 11 && s.includes(needle.value)) return s;
    return null;
  }
  // full width → ASCII (１３９ → 139, ＠ → @), compatibility forms folded
  const s = atom.normalize('NFKC');
  switch (needle.kind) {
    case 'text': {
      const at = s.toLowerCase().indexOf(needle.value.toLowerCase());
      return at < 0 ? null : around(s, at, needle.value.length);
    }
    case 'coordinate': {
      const at = s.indexOf(needle.value);
      return at < 0 ? null : around(s, at, needle.value.length);
    }
    case 'number': {
      const m = new RegExp(`(?<![\\dA-Za-z.])${needle.value}(?![\\dA-Za-z.])`).exec(s);
      return m ? around(s, m.index, needle.value.length) : null;
    }
    case 'digits': {
      const at = s.indexOf(needle.value);
      if (at >= 0) return around(s, at, needle.value.length);
      for (const m of s.matchAll(DIGIT_GROUP)) if (m[0].replace(/\D/g, '').includes(needle.value)) return around(s, m.index, m[0].length);
      return null;
    }
  }
}

/** Every needle found in the pieces of one answer, once each. */
export function findNeedles(atoms: Atom[], needles: Needle[] = NEEDLES): Found[] {
  const found: Found[] = [];
  for (const needle of needles)
    for (const atom of atoms) {
      const context = findIn(atom, needle);
      if (context !== null) {
        found.push({ needle: needle.value, context });
        break;
      }
    }
  return found;
}
