import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { makeApp, tempDir, testClock } from '../helpers.ts';
import { adminOf, as, person, untilFinished, type Person } from './helpers.ts';

const SAMPLE = readFileSync(new URL('./fixtures/historical-appeals.csv', import.meta.url));
const HEADER =
  'appeal_id,created_at,channel,nature,category,subcategory,title,description,lon,lat,address,community_code,reporter_name,reporter_phone,deadline,status,unit,dispatched_at,resolved_at,closed_at,satisfaction,note';

/** A row of the sample's columns from a few values. */
function row(v: Partial<Record<string, string>>): string {
  const d: Record<string, string> = {
    appeal_id: 'X-1',
    created_at: '2026-11-01 09:00',
    channel: 'hotline_12345',
    nature: 'request',
    category: '5',
    title: '路灯不亮',
    lon: '114.325325',
    lat: '22.695235',
    ...v,
  };
  return HEADER.split(',')
    .map((k) => {
      const s = d[k] ?? '';
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
const file = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n') + '\n');

describe('CSV import of historical appeals', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  let admin: Person;
  const clock = testClock();

  const start = (who: Person, body: Buffer | string, contentType = 'text/csv') =>
    as(app, who, {
      method: 'POST',
      url: '/api/v1/appeal-imports?name=appeals.csv',
      headers: { 'content-type': contentType },
      payload: body,
    });
  const importFile = async (who: Person, body: Buffer | string) => {
    const res = await start(who, body);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/appeal-imports/${res.json().id}`);
    return untilFinished(app, who, res.headers.location as string);
  };
  const eventIds = async () => {
    const ids: string[] = [];
    await app.store.replay(0, (b) => ids.push(...b.map((e) => e.event.id)));
    return ids;
  };

  beforeEach(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    admin = adminOf(app);
  });
  afterEach(async () => {
    await app.close();
    tmp.remove();
  });

  it('imports the sample file: every appeal reaches the status of its row, through legal steps', async () => {
    const job = await importFile(admin, SAMPLE);
    expect(job).toMatchObject({
      state: 'done',
      fileName: 'appeals.csv',
      progress: 1,
      error: null,
      rows: { read: 5, imported: 5, updated: 0, unchanged: 0, rejected: 0 },
      errors: [],
    });
    const a = (id: string) => app.engine.appeals.get(id)!;
    expect(a('HIST-0001')).toMatchObject({ status: 'closed', community: '440310001001', unit: '坪山街道城市管理办', category: '5' });
    expect(a('HIST-0001').createdAt).toBe(Date.parse('2026-10-08T01:12:00Z')); // local time, UTC+8
    // a Chinese-named channel, nature and category; resolved on intake (no unit): collected → resolved → closed
    expect(a('HIST-0002')).toMatchObject({ status: 'closed', channel: 'hotline_12345', nature: 'enquiry', category: '5', unit: null });
    expect(a('HIST-0003')).toMatchObject({ status: 'handling', community: '440310005001' });
    expect(a('HIST-0004')).toMatchObject({ status: 'collected', community: '440310001001' });
    expect(a('HIST-0005').status).toBe('rejected');

    const ids = await eventIds();
    // 0001: created + 5 steps; 0002: created + resolved + closed; 0003: created + 3; 0004: created; 0005: created + rejected
    expect(ids).toHaveLength(6 + 3 + 4 + 1 + 2);
    expect(ids.every((id) => /^imp\.HIST-000\d\.\d\.[0-9a-f]{16}$/.test(id))).toBe(true);
    const producers = new Set<string>();
    await app.store.replay(0, (b) => b.forEach((e) => producers.add(e.producer)));
    expect([...producers]).toEqual(['import:user:admin']);

    const audit = await app.auth.auditLog({ action: 'appeals.import', limit: 10, offset: 0 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actor: 'user:admin', target: `import:${job.id}`, outcome: 'ok' });
    const done = await app.auth.auditLog({ action: 'appeals.import.finished', limit: 10, offset: 0 });
    expect(done.entries[0]).toMatchObject({ outcome: 'ok', details: { rows: { imported: 5, rejected: 0 } } });
  });

  it('re-importing the same file changes nothing: every row is unchanged and no event is added', async () => {
    await importFile(admin, SAMPLE);
    const before = await eventIds();
    const again = await importFile(admin, SAMPLE);
    expect(again.rows).toEqual({ read: 5, imported: 0, updated: 0, unchanged: 5, rejected: 0 });
    expect(await eventIds()).toEqual(before);
    expect(app.engine.appeals.get('HIST-0001')!.status).toBe('closed');
  });

  it('reports each bad row with its line number and reason; the good rows land', async () => {
    const job = await importFile(
      admin,
      file(
        row({ appeal_id: 'OK-1' }), // line 2
        row({ appeal_id: 'BAD-CH', channel: 'fax' }), // 3
        row({ appeal_id: 'BAD-T', created_at: 'yesterday' }), // 4
        row({ appeal_id: 'OK-2', description: 'two\nlines' }), // 5–6
        row({ appeal_id: 'BAD-FAR', lon: '113.9', lat: '22.5' }), // 7
        row({ appeal_id: 'BAD-ST', status: 'closed', resolved_at: '2026-11-02 09:00' }), // 8
        row({ appeal_id: 'BAD-ORD', status: 'resolved', unit: '城管', dispatched_at: '2026-11-03 09:00', resolved_at: '2026-11-02 09:00' }), // 9
        row({ appeal_id: 'OK-1', title: 'again' }), // 10
        row({ appeal_id: '', title: '' }), // 11
        row({ appeal_id: 'BAD-SUB', subcategory: '3-02' }), // 12
        row({ appeal_id: 'BAD-FUT', created_at: '2027-01-01 00:00' }), // 13
        row({ appeal_id: 'BAD-PH', reporter_phone: 'call me' }), // 14
        row({ appeal_id: 'OK-3', status: 'dispatched', unit: '坪山街道城市管理办', dispatched_at: '2026-11-01 10:00' }), // 15
      ),
    );
    expect(job.state).toBe('done');
    expect(job.rows).toEqual({ read: 13, imported: 3, updated: 0, unchanged: 0, rejected: 10 });
    const byLine = Object.fromEntries(job.errors.map((e: { line: number; reason: string }) => [e.line, e.reason]));
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(byLine[3]).toMatch(/channel "fax" is not a channel/);
    expect(byLine[4]).toMatch(/created_at "yesterday" is not a time/);
    expect(byLine[7]).toMatch(/outside every community/);
    expect(byLine[8]).toMatch(/closed appeal needs closed_at/);
    expect(byLine[9]).toMatch(/out of order/);
    expect(byLine[10]).toMatch(/appeal_id OK-1 appears on line 2 already/);
    expect(byLine[11]).toMatch(/missing appeal_id, title/);
    expect(byLine[12]).toMatch(/subcategory "3-02" is not a subcategory of category 5/);
    expect(byLine[13]).toMatch(/in the future/);
    expect(byLine[14]).toMatch(/reporter_phone/);
    expect(job.errors.find((e: { line: number }) => e.line === 3).appealId).toBe('BAD-CH');
    expect([...app.engine.appeals.keys()].sort()).toEqual(['OK-1', 'OK-2', 'OK-3']);
    expect(app.engine.appeals.get('OK-3')).toMatchObject({ status: 'dispatched', unit: '坪山街道城市管理办' });
  });

  it('reports broken CSV by line and reads on: extra cells, a stray quote, a quote never closed', async () => {
    const ok = (id: string) => `${id},2026-11-01 09:00,wechat,request,5,路灯不亮,114.325325,22.695235`;
    const text = [
      'appeal_id,created_at,channel,nature,category,title,lon,lat',
      ok('Q-1'), // 2
      `${ok('Q-2')},surplus`, // 3
      'Q-3,2026-11-01 09:00,wechat,request,5,"坏"引号,114.325325,22.695235', // 4
      ok('Q-4'), // 5
      'Q-5,2026-11-01 09:00,wechat,request,5,"没有闭合,114.325325,22.695235', // 6
      ok('Q-6'), // 7: swallowed by the open quote
    ].join('\n');
    const job = await importFile(admin, text);
    expect(job.rows).toMatchObject({ imported: 2, rejected: 3 });
    expect([...app.engine.appeals.keys()].sort()).toEqual(['Q-1', 'Q-4']);
    expect(job.errors).toEqual([
      { line: 3, appealId: 'Q-2', reason: 'has 9 cells but the header has 8' },
      { line: 4, appealId: 'Q-3', reason: expect.stringMatching(/a quote is not closed properly/) },
      { line: 6, appealId: null, reason: expect.stringMatching(/never closed: lines 6–7 were not read/) },
    ]);
  });

  it('adds the later steps of an appeal imported before, and refuses a row that tells another story', async () => {
    const first = await importFile(
      admin,
      file(row({ appeal_id: 'P-1', status: 'handling', unit: '城管', dispatched_at: '2026-11-01 10:00' })),
    );
    expect(first.rows.imported).toBe(1);
    const more = await importFile(
      admin,
      file(
        row({
          appeal_id: 'P-1',
          status: 'closed',
          unit: '城管',
          dispatched_at: '2026-11-01 10:00',
          resolved_at: '2026-11-03 10:00',
          closed_at: '2026-11-04 10:00',
          satisfaction: '基本满意',
        }),
      ),
    );
    expect(more.rows).toMatchObject({ updated: 1, rejected: 0 });
    expect(app.engine.appeals.get('P-1')!.status).toBe('closed');

    const other = await importFile(admin, file(row({ appeal_id: 'P-1', title: '另一个标题' })));
    expect(other.rows).toMatchObject({ rejected: 1, imported: 0 });
    expect(other.errors[0]).toMatchObject({ line: 2, appealId: 'P-1', reason: expect.stringMatching(/already exists with other data/) });

    const rewritten = await importFile(
      admin,
      file(row({ appeal_id: 'P-1', status: 'handling', unit: '城管', dispatched_at: '2026-11-01 11:00' })),
    );
    expect(rewritten.errors[0].reason).toMatch(/history differs from this row from step "verified"/);
    expect(app.engine.appeals.get('P-1')!.status).toBe('closed');
  });

  it('reads the reporter kind (an export’s 反映人类型 column): enterprise kept, resident the default, anything else refused', async () => {
    const plain = await importFile(admin, file(row({ appeal_id: 'K-1' })));
    expect(plain.rows.imported).toBe(1);
    const before = await eventIds();
    const header = `${HEADER},反映人类型(reporter_kind)`;
    const withKind = (...rows: [string, string][]) => Buffer.from([header, ...rows.map(([r, kind]) => `${r},${kind}`)].join('\n') + '\n');
    const job = await importFile(
      admin,
      withKind(
        [row({ appeal_id: 'K-1' }), '群众'], // as imported before: the default goes unsaid, so nothing changes
        [row({ appeal_id: 'K-2' }), '企业'],
        [row({ appeal_id: 'K-3' }), 'enterprise'],
        [row({ appeal_id: 'K-4' }), 'resident'],
        [row({ appeal_id: 'K-5' }), '个体户'],
      ),
    );
    expect(job.rows).toEqual({ read: 5, imported: 3, updated: 0, unchanged: 1, rejected: 1 });
    expect(job.errors).toEqual([
      { line: 6, appealId: 'K-5', reason: 'reporter_kind "个体户" is not one of resident, enterprise (or 群众, 企业)' },
    ]);
    expect((await eventIds()).slice(0, before.length)).toEqual(before);
    const kinds = await Promise.all(['K-1', 'K-2', 'K-3', 'K-4'].map(async (id) => (await app.appealReadModel.get(id))!.reporterKind));
    expect(kinds).toEqual(['resident', 'enterprise', 'enterprise', 'resident']);
    expect(app.engine.appeals.get('K-2')!.enterprise).toBe(true);
  });

  it('keeps a director to the area of their scope; operators and wall devices may not import', async () => {
    const street = await person(app, 'pingshan', 'street_director', 'street:440310001');
    const job = await importFile(street, SAMPLE);
    expect(job.rows).toMatchObject({ imported: 4, rejected: 1 });
    expect(job.errors).toEqual([{ line: 4, appealId: 'HIST-0003', reason: expect.stringMatching(/outside your scope street:440310001/) }]);
    expect(app.engine.appeals.has('HIST-0003')).toBe(false);

    const operator = await person(app, 'op', 'operator', 'district:440310');
    const refused = await start(operator, SAMPLE);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/administrators and directors/);

    const { token } = await app.auth.issueDevice('wall', 'district:440310', { actor: 'test', ip: null });
    const device = await app.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: SAMPLE,
    });
    expect(device.statusCode).toBe(403);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      headers: { 'content-type': 'text/csv' },
      payload: SAMPLE,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('shows a job to whoever started it only', async () => {
    const res = await start(admin, SAMPLE);
    await untilFinished(app, admin, res.headers.location as string);
    const other = await person(app, 'district', 'district_director', 'district:440310');
    expect((await as(app, other, { method: 'GET', url: res.headers.location as string })).statusCode).toBe(404);
  });

  it('reads Chinese header labels, a UTF-8 BOM, and GB18030 files as Chinese Excel saves them', async () => {
    const header = '诉求编号,受理时间(created_at),来源渠道,问题性质,问题类型,标题,社区编码,状态,处置时间,办结时间\n';
    const line = (id: string) =>
      `${id},2026-11-10 08:00,微信公众号,投诉,市容环卫,占道经营,440310001001,已办结,2026-11-10 12:00,2026-11-11 09:00\n`;
    const bom = await importFile(admin, Buffer.from('\ufeff' + header + line('U8-1')));
    expect(bom.rows).toMatchObject({ imported: 1, rejected: 0 });
    const gb = encodeGb18030(header + line('GB-1'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow(); // really not UTF-8
    const job = await importFile(admin, gb);
    expect(job.rows).toMatchObject({ imported: 1, rejected: 0 });
    expect(app.engine.appeals.get('GB-1')).toMatchObject({ status: 'closed', channel: 'wechat', nature: 'complaint', category: '5' });
  });

  it('fails the whole job when the header lacks a required column, and refuses an empty or oversized body', async () => {
    const job = await importFile(admin, 'appeal_id,title\nA,B\n');
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/line 1: the header row lacks the column\(s\) created_at, channel, nature, category/);
    expect(app.engine.appeals.size).toBe(0);

    expect((await start(admin, '')).statusCode).toBe(400);
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 'a');
    const tooBig = await start(admin, big);
    expect(tooBig.statusCode).toBe(413);
    const json = await start(admin, '{"a":1}', 'application/json');
    expect(json.statusCode).toBe(400);
    expect(json.json().error.message).toMatch(/Content-Type: text\/csv/);
  });
});

/** GB18030 bytes of a string: Node decodes GB18030 but only encodes UTF-8, so map back through the two-byte range. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const bytes = code < 0x80 ? [code] : table.get(ch);
    if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
    out.push(...bytes);
  }
  return Buffer.from(out);
}
