/**
 * Personal data of citizens (reporter name, phone, exact address, phone numbers in the text) on
 * every path that returns appeals: list, detail, CSV and Excel export, Open311 JSON and XML, and
 * the live channel. A street director without clearance gets it masked everywhere; a district
 * director with clearance gets it as reported. One appeal, every path, both people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { io } from 'socket.io-client';
import { APPEAL_MASKING, maskedFields, type Ack, type ScopeSnapshot } from '@commandhall/shared';
import { makeApp, post, tempDir, testClock } from '../helpers.ts';
import { created, DISTRICT, STREET } from '../appeals/fixtures.ts';
import { person, as, untilFinished, type Person } from '../appeal-io/helpers.ts';

const NAME = '张三丰';
const PHONE = '13812341234';
const EXACT = '深坪路12号3栋501';
const ID = 'MASK-1';

let app: FastifyInstance;
let url: string;
let tmp: ReturnType<typeof tempDir>;
let masked: Person;
let cleared: Person;

/** Whether a text carries any of the personal values as reported. */
const leaks = (text: string) => [NAME, PHONE, EXACT].filter((v) => text.includes(v));

beforeAll(async () => {
  tmp = tempDir();
  const clock = testClock();
  app = await makeApp({ dataDir: tmp.dir, now: clock.now });
  await post(app, [created(clock.now() - 60_000, ID)]);
  masked = await person(app, 'street-masked', 'street_director', STREET, false);
  cleared = await person(app, 'district-cleared', 'district_director', DISTRICT, true);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  tmp?.remove();
});

/** `shown`: the personal values the path carries at all (Open311 has no field for the reporter's name). */
async function both(path: (who: Person) => Promise<string>, shown = [NAME, PHONE, EXACT]) {
  const m = await path(masked);
  const c = await path(cleared);
  expect(m, 'the masked answer still names the appeal').toContain(ID);
  expect(leaks(m), 'masked for the street director').toEqual([]);
  expect(leaks(c), 'as reported for the cleared district director').toEqual(shown);
  return { m, c };
}

describe('masking on every path', () => {
  it('list', async () => {
    const { m } = await both(async (who) => (await as(app, who, { method: 'GET', url: `/api/v1/appeals?scope=${STREET}` })).body);
    expect(m).toContain('张**');
    expect(m).toContain('138****1234');
  });

  it('detail, timeline included', async () => {
    await both(async (who) => (await as(app, who, { method: 'GET', url: `/api/v1/appeals/${ID}` })).body);
  });

  it.each(['csv', 'xlsx'] as const)('export (%s)', async (format) => {
    await both(async (who) => {
      const start = await as(app, who, { method: 'POST', url: '/api/v1/appeal-exports', payload: { format, scope: STREET } });
      expect(start.statusCode, start.body).toBe(202);
      const job = await untilFinished(app, who, `/api/v1/appeal-exports/${start.json().id}`);
      expect(job.state).toBe('done');
      const file = await as(app, who, { method: 'GET', url: `/api/v1/appeal-exports/${job.id}/file` });
      if (format === 'csv') return file.body;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
      const cells: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? '')))));
      return cells.join('\n');
    });
  });

  it.each(['json', 'xml'] as const)('Open311 (%s)', async (fmt) => {
    await both(async (who) => (await as(app, who, { method: 'GET', url: `/open311/v2/requests/${ID}.${fmt}` })).body, [PHONE, EXACT]);
  });

  it('live channel: the snapshot carries no personal data for anyone', async () => {
    for (const who of [masked, cleared]) {
      const s = io(`${url}/live`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: who.cookie } });
      try {
        const ack = await new Promise<Ack<ScopeSnapshot>>((resolve) => s.emit('scope:watch', { scope: STREET }, resolve));
        expect('data' in ack).toBe(true);
        const text = JSON.stringify(ack);
        expect(text).toContain(ID);
        expect(leaks(text)).toEqual([]);
      } finally {
        s.close();
      }
    }
  });

  it('the masking policy names the fields it masks', () => {
    expect(maskedFields(APPEAL_MASKING).sort()).toEqual([
      'description',
      'extension.reason',
      'location.address',
      'location.lat',
      'location.lon',
      'reporter.name',
      'reporter.phone',
      'title',
    ]);
  });
});
