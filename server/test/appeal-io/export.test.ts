import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { KENGZI, LIULIAN, appealMoved, makeApp, post, tempDir, testClock } from '../helpers.ts';
import { adminOf, as, person, untilFinished, type Person } from './helpers.ts';

const HOUR = 3_600_000;
const MANY = 2100; // more than two read-model pages

function created(appealId: string, at: number, where = LIULIAN, category = '5', enterprise = false): CityEvent {
  return {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: 'hotline_12345',
      nature: 'request',
      category,
      title: `路灯不亮 ${appealId}`,
      description: '请回电13812341234',
      location: { lon: where.lon, lat: where.lat, address: '深圳市坪山区坪山街道六联社区深坪路12号' },
      reporter: { name: '张三丰', phone: '13812341234' },
      ...(enterprise ? { reporterKind: 'enterprise' } : {}),
    },
  } as CityEvent;
}

describe('CSV and Excel export of the appeal list', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let admin: Person;
  let street: Person;
  const clock = testClock();
  const t0 = clock.now() - 48 * HOUR;

  const start = (who: Person, body: Record<string, unknown>) =>
    as(app, who, { method: 'POST', url: '/api/v1/appeal-exports', payload: body });
  const exportAs = async (who: Person, body: Record<string, unknown>) => {
    const res = await start(who, body);
    expect(res.statusCode, res.body).toBe(202);
    const job = await untilFinished(app, who, res.headers.location as string);
    expect(job.state).toBe('done');
    const file = await as(app, who, { method: 'GET', url: `/api/v1/appeal-exports/${job.id}/file` });
    expect(file.statusCode).toBe(200);
    return { job, file };
  };
  const csvRows = (body: Buffer) => {
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // BOM: Excel reads UTF-8
    return parse(body, { bom: true, columns: true }) as Record<string, string>[];
  };

  beforeAll(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    admin = adminOf(app);
    street = await person(app, 'pingshan', 'street_director', 'street:440310001');
    const events: CityEvent[] = [
      created('E-1', t0),
      appealMoved(t0 + HOUR, 'E-1', 'resolved'),
      appealMoved(t0 + 2 * HOUR, 'E-1', 'closed', { satisfaction: 'satisfied' }),
      created('E-2', t0 + 3 * HOUR, KENGZI, '3'),
      created('E-3', t0 + 4 * HOUR, LIULIAN, '5', true),
    ];
    for (let i = 0; i < MANY; i++) events.push(created(`M-${String(i).padStart(4, '0')}`, t0 - (i + 1) * 60_000, KENGZI, '7'));
    for (let i = 0; i < events.length; i += 1000) expect((await post(app, events.slice(i, i + 1000))).json().rejected).toBe(0);
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('writes every matching row to CSV, newest first, with the progress total known from the start', async () => {
    const res = await start(admin, { format: 'csv' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      state: 'running',
      format: 'csv',
      total: MANY + 3,
      fileName: expect.stringMatching(/^appeals-district-440310-20261127-1000\.csv$/),
    });
    const job = await untilFinished(app, admin, res.headers.location as string);
    expect(job).toMatchObject({ state: 'done', total: MANY + 3, done: MANY + 3, progress: 1, error: null });

    const file = await as(app, admin, { method: 'GET', url: `/api/v1/appeal-exports/${job.id}/file` });
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${job.fileName}"; filename*=UTF-8''${job.fileName}`);
    expect(Number(file.headers['content-length'])).toBe(file.rawPayload.length);
    const rows = csvRows(file.rawPayload);
    expect(rows).toHaveLength(MANY + 3);
    expect(rows.slice(0, 3).map((r) => r['诉求编号(appeal_id)'])).toEqual(['E-3', 'E-2', 'E-1']);
    expect(new Set(rows.map((r) => r['诉求编号(appeal_id)'])).size).toBe(MANY + 3);
    // the administrator has clearance: personal data as reported
    expect(rows[2]).toMatchObject({
      '受理时间(created_at)': '2026-11-25 10:00:00',
      '来源渠道(channel)': 'hotline_12345',
      '来源渠道名称(channel_name)': '12345热线',
      '问题类型名称(category_name)': '市容环卫',
      '诉求人(reporter_name)': '张三丰',
      '联系电话(reporter_phone)': '13812341234',
      '地址(address)': '深圳市坪山区坪山街道六联社区深坪路12号',
      '诉求内容(description)': '请回电13812341234',
      '街道(street_name)': '坪山街道',
      '社区编码(community_code)': LIULIAN.code,
      '状态(status)': 'closed',
      '状态名称(status_name)': '已办结',
      '处置时间(resolved_at)': '2026-11-25 11:00:00',
      '办结时间(closed_at)': '2026-11-25 12:00:00',
      '满意度(satisfaction)': '满意',
      '是否超期(overdue)': '否',
      '反映人类型(reporter_kind)': '群众',
    });
    expect(rows[0]['反映人类型(reporter_kind)']).toBe('企业');
    expect(rows.filter((r) => r['反映人类型(reporter_kind)'] === '企业').map((r) => r['诉求编号(appeal_id)'])).toEqual(['E-3']);

    const audit = (await app.auth.auditLog({ action: 'appeals.export', limit: 10, offset: 0 })).entries;
    expect(audit[0]).toMatchObject({
      actor: 'user:admin',
      target: `export:${job.id}`,
      outcome: 'ok',
      details: { format: 'csv', rows: MANY + 3, pii: true, filters: { scope: 'district:440310' } },
    });
    expect((await app.auth.auditLog({ action: 'appeals.export.download', limit: 10, offset: 0 })).entries[0]).toMatchObject({
      target: `export:${job.id}`,
    });
  });

  it('keeps a director to their scope and masks personal data without clearance', async () => {
    const { job, file } = await exportAs(street, { format: 'csv' });
    expect(job.total).toBe(2);
    const rows = csvRows(file.rawPayload);
    expect(rows.map((r) => r['诉求编号(appeal_id)'])).toEqual(['E-3', 'E-1']);
    for (const r of rows) {
      expect(r['诉求人(reporter_name)']).toBe('张**');
      expect(r['联系电话(reporter_phone)']).toBe('138****1234');
      expect(r['地址(address)']).toBe('深圳市坪山区坪山街道');
      expect(r['诉求内容(description)']).toBe('请回电138****1234');
    }
    expect(file.rawPayload.toString()).not.toContain('13812341234');
    const outside = await start(street, { format: 'csv', scope: 'street:440310005' });
    expect(outside.statusCode).toBe(403);
    expect(
      (await app.auth.auditLog({ action: 'appeals.export', actor: 'user:pingshan', limit: 10, offset: 0 })).entries[0].details,
    ).toMatchObject({
      pii: false,
      rows: 2,
    });
  });

  it('applies the list filters: status, category, overdue, time span, scope', async () => {
    const total = async (body: Record<string, unknown>) =>
      (await untilFinished(app, admin, (await start(admin, { format: 'csv', ...body })).headers.location as string)).total;
    expect(await total({ status: 'closed' })).toBe(1);
    expect(await total({ status: 'collected,closed', category: '5' })).toBe(2);
    expect(await total({ category: '7' })).toBe(MANY);
    expect(await total({ scope: 'street:440310005' })).toBe(MANY + 1);
    expect(await total({ from: new Date(t0).toISOString(), to: new Date(t0 + 4 * HOUR).toISOString() })).toBe(2);
    expect(await total({ status: ['collected', 'closed'], category: '5' })).toBe(2);
    expect(await total({ overdue: 'false', extension: 'none', category: '3' })).toBe(1);
    expect(await total({ reporterKind: 'enterprise' })).toBe(1);
    expect(await total({ reporterKind: 'resident', category: '5' })).toBe(1);
    const kind = await start(admin, { format: 'csv', reporterKind: 'company' });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().error.message).toBe('unknown reporterKind "company"; one of resident, enterprise');
    const bad = await start(admin, { format: 'csv', status: 'lost' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/unknown status "lost"/);
    expect((await start(admin, { format: 'csv', category: '99' })).json().error.message).toMatch(/unknown category code "99"/);
    expect((await start(admin, { format: 'csv', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await start(admin, { format: 'pdf' })).statusCode).toBe(400);
    expect((await start(admin, { format: 'csv', scope: 'street:999999999' })).statusCode).toBe(403);
  });

  it('writes Excel with the streaming writer: a header row, one row per appeal, times as date cells', async () => {
    const { job, file } = await exportAs(street, { format: 'xlsx', sort: 'created', order: 'asc' });
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(job.fileName).toMatch(/^appeals-street-440310001-\d{8}-\d{4}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('诉求')!;
    expect(ws.rowCount).toBe(3);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('诉求编号(appeal_id)');
    const col = (name: string) => header.indexOf(name) + 1;
    expect(ws.getRow(2).getCell(col('诉求编号(appeal_id)')).value).toBe('E-1');
    expect(ws.getRow(3).getCell(col('诉求编号(appeal_id)')).value).toBe('E-3');
    expect(ws.getRow(2).getCell(col('诉求人(reporter_name)')).value).toBe('张**');
    expect(ws.getRow(2).getCell(col('联系电话(reporter_phone)')).value).toBe('138****1234');
    expect(ws.getRow(2).getCell(col('反映人类型(reporter_kind)')).value).toBe('群众');
    expect(ws.getRow(3).getCell(col('反映人类型(reporter_kind)')).value).toBe('企业');
    const created = ws.getRow(2).getCell(col('受理时间(created_at)')).value as Date;
    expect(created).toBeInstanceOf(Date);
    // Excel keeps wall-clock time: 10:00 in the district
    expect(created.toISOString()).toBe('2026-11-25T10:00:00.000Z');
  });

  it('shows a job and its file to whoever started it only, and 404s what does not exist', async () => {
    const { job } = await exportAs(admin, { format: 'csv', status: 'closed' });
    const url = `/api/v1/appeal-exports/${job.id}`;
    expect((await as(app, street, { method: 'GET', url })).statusCode).toBe(404);
    expect((await as(app, street, { method: 'GET', url: `${url}/file` })).statusCode).toBe(404);
    expect((await as(app, admin, { method: 'GET', url: '/api/v1/appeal-exports/nope/file' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});
