/**
 * The columns of appeal files, shared by import and export so that an exported file can be
 * imported again. A header cell names a column by its key (`created_at`), its Chinese label
 * (`受理时间`) or both as exported (`受理时间(created_at)`); unknown columns are ignored, which is
 * how the exported `*_name` label columns pass through an import.
 */
import { REPORTER_KIND_LABELS, taxonomy, type AppealStatus, type ReporterKind, type Satisfaction } from '@commandhall/shared';

export interface Column {
  key: string;
  zh: string;
  /** Must be present (and non-empty) in every imported row. */
  required?: boolean;
  /** Written on export only; an import ignores it. */
  exportOnly?: boolean;
}

export const IMPORT_COLUMNS: readonly Column[] = [
  { key: 'appeal_id', zh: '诉求编号', required: true },
  { key: 'created_at', zh: '受理时间', required: true },
  { key: 'channel', zh: '来源渠道', required: true },
  { key: 'nature', zh: '问题性质', required: true },
  { key: 'category', zh: '问题类型', required: true },
  { key: 'subcategory', zh: '问题大类' },
  { key: 'title', zh: '标题', required: true },
  { key: 'description', zh: '诉求内容' },
  { key: 'lon', zh: '经度' },
  { key: 'lat', zh: '纬度' },
  { key: 'address', zh: '地址' },
  { key: 'community_code', zh: '社区编码' },
  { key: 'reporter_name', zh: '诉求人' },
  { key: 'reporter_phone', zh: '联系电话' },
  { key: 'reporter_kind', zh: '反映人类型' },
  { key: 'deadline', zh: '办理时限' },
  { key: 'status', zh: '状态' },
  { key: 'unit', zh: '责任单位' },
  { key: 'dispatched_at', zh: '派遣时间' },
  { key: 'resolved_at', zh: '处置时间' },
  { key: 'closed_at', zh: '办结时间' },
  { key: 'satisfaction', zh: '满意度' },
  { key: 'note', zh: '备注' },
];

export const STATUS_ZH: Record<AppealStatus, string> = {
  collected: '已受理',
  verified: '已核实',
  dispatched: '已派遣',
  handling: '处置中',
  resolved: '已处置',
  closed: '已办结',
  rejected: '不予受理',
};

export const SATISFACTION_ZH: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  not_rated: '未评价',
};

/** `受理时间(created_at)`: what an export writes in its header row. */
export const headerLabel = (c: { key: string; zh: string }): string => `${c.zh}(${c.key})`;

const byName = new Map<string, Column>();
for (const c of IMPORT_COLUMNS) {
  byName.set(c.key.toLowerCase(), c);
  byName.set(c.zh, c);
}

/** The column a header cell names, or undefined for a column an import ignores. */
export function columnOf(header: string): Column | undefined {
  const h = header.trim();
  const inParens = h.match(/[(（]\s*([A-Za-z_]+)\s*[)）]\s*$/);
  return byName.get((inParens ? inParens[1] : h).toLowerCase()) ?? byName.get(h);
}

type Kind = 'channel' | 'nature' | 'category';
const codeByName: Record<Kind, Map<string, string>> = {
  channel: new Map(taxonomy.channels.flatMap((e) => [[e.code, e.code] as const, [e.zh, e.code] as const])),
  nature: new Map(taxonomy.natures.flatMap((e) => [[e.code, e.code] as const, [e.zh, e.code] as const])),
  category: new Map(taxonomy.categories.flatMap((e) => [[e.code, e.code] as const, [e.zh, e.code] as const])),
};

/** A taxonomy code given as its code or its Chinese name. */
export function codeOf(kind: Kind, text: string): string | undefined {
  return codeByName[kind].get(text.trim());
}

/** A subcategory code of `category`, given as its code or its Chinese name. */
export function subcategoryOf(category: string, text: string): string | undefined {
  const c = taxonomy.categories.find((x) => x.code === category);
  const t = text.trim();
  return c?.subcategories.find((s) => s.code === t || s.zh === t)?.code;
}

const statusByName = new Map<string, AppealStatus>(
  Object.entries(STATUS_ZH).flatMap(([code, zh]) => [[code, code as AppealStatus] as const, [zh, code as AppealStatus] as const]),
);
export const statusOf = (text: string): AppealStatus | undefined => statusByName.get(text.trim());

const satisfactionByName = new Map<string, Satisfaction>(
  Object.entries(SATISFACTION_ZH).flatMap(([code, zh]) => [[code, code as Satisfaction] as const, [zh, code as Satisfaction] as const]),
);
export const satisfactionOf = (text: string): Satisfaction | undefined => satisfactionByName.get(text.trim());

/** 群众 / 企业: what an export writes for the reporter kind. */
export const reporterKindZh = (kind: ReporterKind): string => REPORTER_KIND_LABELS[kind].zh;

const reporterKindByName = new Map<string, ReporterKind>(
  Object.entries(REPORTER_KIND_LABELS).flatMap(([code, l]) => [
    [code, code as ReporterKind] as const,
    [l.zh, code as ReporterKind] as const,
    [l.en.toLowerCase(), code as ReporterKind] as const,
  ]),
);
/** A reporter kind given as its code (`enterprise`), its Chinese name (`企业`) or its English one. */
export const reporterKindOf = (text: string): ReporterKind | undefined => reporterKindByName.get(text.trim().toLowerCase());

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A time as files carry it: RFC 3339 / ISO 8601 with a zone (`2026-11-27T10:00:00+08:00`), or a
 * local time of the district as spreadsheets write it (`2026-11-27 10:00`, `2026/11/27 10:00:00`,
 * `2026-11-27`). Returns epoch ms, or undefined when it is not a time.
 */
export function parseTime(text: string, utcOffsetMinutes: number): number | undefined {
  const t = text.trim();
  const local = t.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    const back = new Date(ms);
    // 2026-02-30 is not a day: Date.UTC would roll it over silently
    if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return undefined;
    return ms - utcOffsetMinutes * 60_000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2026-11-27 10:00:00` in the district's local time: what a spreadsheet shows and reads back. */
export function formatLocalTime(ms: number, utcOffsetMinutes: number): string {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
