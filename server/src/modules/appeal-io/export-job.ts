/**
 * Writes the filtered appeal list to a CSV or Excel file, page by page from the read model, so
 * that memory stays flat however many rows there are: csv-stringify, or the exceljs streaming
 * workbook writer (each row committed as it is written), into the job store's sink (a file on
 * disk, or chunks in PostgreSQL), waiting for it when it falls behind. Personal data is masked
 * for principals without clearance, on every row.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { redactAppeal, taxonomyLabel, type Clearance } from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import { allPages, isOverdue, type AppealQuery, type AppealReadModel, type AppealRecord } from '../appeals/appeal-read-model.ts';
import { baseOf, type FileSink, type JobBase } from './jobs.ts';
import type { JobKindOf } from './job-service.ts';
import { SATISFACTION_ZH, STATUS_ZH, formatLocalTime, headerLabel, reporterKindZh } from './columns.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Most rows one export writes (an Excel sheet holds 1,048,576). */
export const EXPORT_MAX_ROWS = 1_000_000;

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportJob extends JobBase {
  kind: 'export';
  format: ExportFormat;
  /** Rows that match (exact: counted before writing). */
  total: number;
  /** Rows written so far. */
  done: number;
  /** Size of the file once written. */
  fileBytes: number | null;
  /** Name offered to the browser, e.g. `appeals-20261127-1000.xlsx`. */
  fileName: string;
}

/** How an export job is stored: rows written of the total as its progress; format and file name beside. */
export const EXPORT_JOBS: JobKindOf<ExportJob> = {
  kind: 'export',
  progress: (j) => ({ done: j.done, total: j.total, fileBytes: j.fileBytes, detail: { format: j.format, fileName: j.fileName } }),
  fromRecord: (r) => {
    const d = r.detail as { format: ExportFormat; fileName: string };
    return { ...baseOf(r), kind: 'export', format: d.format, fileName: d.fileName, total: r.total, done: r.done, fileBytes: r.fileBytes };
  },
};

/** A column of the export: its header and how a (masked) record fills it. */
interface ExportColumn {
  key: string;
  zh: string;
  width: number;
  value: (a: AppealRecord, ctx: RowContext) => string | number | Date | null;
  /** A time: local `YYYY-MM-DD HH:mm:ss` in CSV, a date cell in Excel. */
  time?: boolean;
}

interface RowContext {
  geo: Geography;
  now: number;
}

/** The exported columns: the import's columns (so a file can go back in) plus readable labels. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'appeal_id', zh: '诉求编号', width: 22, value: (a) => a.id },
  { key: 'created_at', zh: '受理时间', width: 20, value: (a) => a.createdAt, time: true },
  { key: 'channel', zh: '来源渠道', width: 14, value: (a) => a.channel },
  { key: 'channel_name', zh: '来源渠道名称', width: 16, value: (a) => taxonomyLabel('channel', a.channel) },
  { key: 'nature', zh: '问题性质', width: 10, value: (a) => a.nature },
  { key: 'nature_name', zh: '问题性质名称', width: 10, value: (a) => taxonomyLabel('nature', a.nature) },
  { key: 'category', zh: '问题类型', width: 8, value: (a) => a.category },
  { key: 'category_name', zh: '问题类型名称', width: 14, value: (a) => taxonomyLabel('category', a.category) },
  { key: 'subcategory', zh: '问题大类', width: 8, value: (a) => a.subcategory },
  {
    key: 'subcategory_name',
    zh: '问题大类名称',
    width: 18,
    value: (a) => (a.subcategory ? taxonomyLabel('subcategory', a.subcategory) : null),
  },
  { key: 'title', zh: '标题', width: 30, value: (a) => a.title },
  { key: 'description', zh: '诉求内容', width: 50, value: (a) => a.description },
  { key: 'lon', zh: '经度', width: 12, value: (a) => a.location.lon },
  { key: 'lat', zh: '纬度', width: 12, value: (a) => a.location.lat },
  { key: 'address', zh: '地址', width: 36, value: (a) => a.location.address ?? null },
  { key: 'street_name', zh: '街道', width: 12, value: (a, c) => c.geo.area(a.street)?.name ?? a.street },
  { key: 'community_code', zh: '社区编码', width: 14, value: (a) => a.community },
  { key: 'community_name', zh: '社区', width: 12, value: (a, c) => c.geo.area(a.community)?.name ?? a.community },
  { key: 'reporter_name', zh: '诉求人', width: 10, value: (a) => a.reporter?.name ?? null },
  { key: 'reporter_phone', zh: '联系电话', width: 14, value: (a) => a.reporter?.phone ?? null },
  { key: 'reporter_kind', zh: '反映人类型', width: 10, value: (a) => reporterKindZh(a.reporterKind) },
  { key: 'deadline', zh: '办理时限', width: 20, value: (a) => a.deadline, time: true },
  { key: 'overdue', zh: '是否超期', width: 8, value: (a, c) => (isOverdue(a, c.now) ? '是' : '否') },
  { key: 'status', zh: '状态', width: 10, value: (a) => a.status },
  { key: 'status_name', zh: '状态名称', width: 10, value: (a) => STATUS_ZH[a.status] },
  { key: 'unit', zh: '责任单位', width: 24, value: (a) => a.unit },
  { key: 'dispatched_at', zh: '派遣时间', width: 20, value: (a) => a.dispatchedAt, time: true },
  { key: 'resolved_at', zh: '处置时间', width: 20, value: (a) => a.resolvedAt, time: true },
  { key: 'closed_at', zh: '办结时间', width: 20, value: (a) => a.closedAt, time: true },
  { key: 'satisfaction', zh: '满意度', width: 10, value: (a) => (a.satisfaction ? SATISFACTION_ZH[a.satisfaction] : null) },
  { key: 'extension_pending', zh: '延期申请中', width: 10, value: (a) => (a.extension ? '是' : '否') },
  { key: 'updated_at', zh: '最后更新', width: 20, value: (a) => a.updatedAt, time: true },
];

export interface ExportDeps {
  model: AppealReadModel;
  geo: Geography;
  utcOffsetMinutes: number;
  now: () => number;
  clearance: Clearance;
  /** Where the file goes; its size is the job's `fileBytes` once it is written. */
  out: FileSink;
  signal?: AbortSignal;
}

/** Matches of the query, counted exactly up to EXPORT_MAX_ROWS + 1. */
export async function countMatches(model: AppealReadModel, q: Omit<AppealQuery, 'cursor' | 'limit'>): Promise<number> {
  const page = await model.list({ ...q, limit: 1, countCap: EXPORT_MAX_ROWS + 1 });
  return page.total;
}

class Aborted extends Error {}

/** Writes every matching row to `deps.out`; `job.done` counts rows as they are written. */
export async function runExport(job: ExportJob, q: Omit<AppealQuery, 'cursor' | 'limit'>, deps: ExportDeps): Promise<void> {
  const ctx: RowContext = { geo: deps.geo, now: q.now };
  const rows = async function* () {
    for await (const page of allPages(deps.model, { ...q, limit: 1000 })) {
      if (deps.signal?.aborted) throw new Aborted('the server shut down during the export: start it again');
      for (const record of page) {
        if (job.done >= EXPORT_MAX_ROWS) return;
        yield redactAppeal(record, deps.clearance);
      }
    }
  };
  try {
    if (job.format === 'csv') await writeCsv(job, rows(), ctx, deps.utcOffsetMinutes, deps.out);
    else await writeXlsx(job, rows(), ctx, deps.utcOffsetMinutes, deps.out);
  } catch (e) {
    deps.out.destroy();
    throw e;
  }
  job.fileBytes = deps.out.bytesWritten;
}

async function writeCsv(job: ExportJob, rows: AsyncIterable<AppealRecord>, ctx: RowContext, offset: number, out: FileSink): Promise<void> {
  // a BOM, or Excel opens UTF-8 Chinese as mojibake
  const csv = stringify({ bom: true, header: true, columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: headerLabel(c) })) });
  csv.pipe(out);
  try {
    for await (const a of rows) {
      const record: Record<string, string | number | null> = {};
      for (const c of EXPORT_COLUMNS) {
        const v = c.value(a, ctx);
        record[c.key] = c.time ? (typeof v === 'number' ? formatLocalTime(v, offset) : null) : (v as string | number | null);
      }
      job.done++;
      if (!csv.write(record)) await once(csv, 'drain');
    }
    csv.end();
    await finished(out);
  } catch (e) {
    csv.destroy();
    throw e;
  }
}

async function writeXlsx(job: ExportJob, rows: AsyncIterable<AppealRecord>, ctx: RowContext, offset: number, out: FileSink): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('诉求', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({
    header: headerLabel(c),
    key: c.key,
    width: c.width,
    ...(c.time ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for await (const a of rows) {
    const record: Record<string, string | number | Date | null> = {};
    for (const c of EXPORT_COLUMNS) {
      const v = c.value(a, ctx);
      // Excel times have no zone: write the district's wall-clock time
      record[c.key] = c.time ? (typeof v === 'number' ? new Date(v + offset * 60_000) : null) : v;
    }
    ws.addRow(record).commit();
    job.done++;
    // let the event loop breathe (progress polls, other requests) every so often, and the sink catch up
    if (job.done % 500 === 0) await (out.writableNeedDrain ? once(out, 'drain') : new Promise((r) => setImmediate(r)));
  }
  ws.commit();
  await wb.commit();
}
