/**
 * The masking policy: every field of every record that leaves the server has a treatment, the
 * treatments do what they say, and a record is never changed in place. The free-text detectors
 * have their own tests (pii-text.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ALERT_MASKING,
  APPEAL_MASKING,
  AlertView,
  AppealSummary,
  TICKER_MASKING,
  TIMELINE_MASKING,
  TimelineStep,
  maskedFields,
  redactAlert,
  redactAppeal,
  redactTicker,
  redactTimelineStep,
  roundCoordinate,
  type TickerItem,
} from '../src/index.ts';

/** Every leaf field of a TypeBox object schema, as dotted paths (nullable objects included). */
function leaves(schema: unknown, prefix = ''): string[] {
  const s = schema as { properties?: Record<string, unknown>; anyOf?: unknown[] };
  const obj = s.properties ? s : s.anyOf?.find((x) => (x as { properties?: unknown }).properties);
  if (!obj || !(obj as { properties?: unknown }).properties) return [prefix];
  return Object.entries((obj as { properties: Record<string, unknown> }).properties).flatMap(([k, v]) =>
    leaves(v, prefix ? `${prefix}.${k}` : k),
  );
}

describe('every field has a treatment', () => {
  it.each([
    ['an appeal (list row and detail)', APPEAL_MASKING, [...leaves(AppealSummary), 'description']],
    ['a timeline step', TIMELINE_MASKING, leaves(TimelineStep)],
    ['an alert', ALERT_MASKING, leaves(AlertView)],
  ])('%s', (_, table, fields) => {
    const missing = fields.filter((f) => !(f in table));
    expect(missing, 'a field without a masking treatment: decide how it is masked in masking.ts').toEqual([]);
  });

  it('a ticker item', () => {
    const item: Required<TickerItem> = { id: '', type: '', at: '', community: '', label: '', status: '', lon: 0, lat: 0 };
    expect(Object.keys(item).filter((f) => !(f in TICKER_MASKING))).toEqual([]);
  });

  it('masks exactly the fields that can carry personal data', () => {
    expect(maskedFields(ALERT_MASKING).sort()).toEqual(['location.address', 'location.lat', 'location.lon', 'note', 'reason']);
    expect(maskedFields(TIMELINE_MASKING).sort()).toEqual(['note', 'reason']);
    expect(maskedFields(TICKER_MASKING).sort()).toEqual(['lat', 'lon']);
  });
});

describe('redactAppeal', () => {
  const record = {
    id: 'AP-1',
    title: '张三丰反映路灯不亮，电话 138 1234 1234',
    description: '请回电 13812341234 或 0755-2831 2345，住深坪路12号3栋501，谢谢',
    reporter: { name: '张三丰', phone: '13812341234' },
    location: { lon: 114.325325, lat: 22.695235, address: '深圳市坪山区坪山街道六联社区深坪路12号' },
    extension: {
      until: '2026-12-10T00:00:00Z',
      requestedAt: '2026-12-01T00:00:00Z',
      requestedBy: 'unit',
      reason: '联系张三丰未果 13812341234',
    },
    status: 'collected',
  };

  it('masks the reporter, the free text, the address and the coordinates without clearance', () => {
    const r = redactAppeal(record, { pii: false });
    expect(r.reporter).toEqual({ name: '张**', phone: '138****1234' });
    expect(r.location).toEqual({ lon: 114.325, lat: 22.695, address: '深圳市坪山区坪山街道' });
    expect(r).toMatchObject({ id: 'AP-1', status: 'collected', extension: { requestedBy: 'unit', until: '2026-12-10T00:00:00Z' } });
    const text = JSON.stringify(r);
    // the record's own reporter, anywhere in its text; phones in any form; the house number
    expect(text).not.toMatch(/三丰|1234 ?1234|2831|12号|3栋|501|325325|695235/);
    expect(r.title).toContain('路灯不亮');
  });

  it('leaves the record whole with clearance, and never changes its argument', () => {
    const copy = structuredClone(record);
    expect(redactAppeal(record, { pii: true })).toEqual(copy);
    redactAppeal(record, { pii: false });
    expect(record).toEqual(copy);
  });

  it('masking twice gives what masking once gives', () => {
    const once = redactAppeal(record, { pii: false });
    expect(redactAppeal(once, { pii: false })).toEqual(once);
  });

  it('copes with records without personal parts', () => {
    expect(redactAppeal({ id: 'AP-2', reporter: null, location: null }, { pii: false })).toEqual({
      id: 'AP-2',
      reporter: null,
      location: null,
    });
    expect(redactAppeal({ id: 'AP-3', reporter: { name: '李四' } }, { pii: false }).reporter).toEqual({ name: '李*' });
  });
});

describe('the other records', () => {
  it('an alert: its notes, its dismissal reason, its address and its coordinates', () => {
    const view = {
      id: 'V-1',
      status: 'dismissed',
      location: { lon: 114.3333333, lat: 22.7777777, address: '坪山街道深坪路66号2栋305' },
      note: '已电话 13500001111 联系店主',
      reason: '住户孙伟东先生称衣物已收',
      by: 'user:street',
    };
    const r = redactAlert(view, { pii: false });
    expect(r.location).toEqual({ lon: 114.333, lat: 22.778, address: '坪山街道' });
    expect(JSON.stringify(r)).not.toMatch(/13500001111|0000 ?1111|伟东|66号|305/);
    expect(r.by).toBe('user:street');
    expect(redactAlert(view, { pii: true })).toBe(view);
  });

  it('a timeline step: its note and reason, with the appeal’s own personal values', () => {
    const step = { seq: 1, note: '已联系赵丽丽，回访电话 137 0000 1111', unit: '城管办' };
    const r = redactTimelineStep(step, { pii: false }, { names: ['赵丽丽'], phones: ['13700001111'] });
    expect(r.note).not.toMatch(/丽丽|0000/);
    expect(r.unit).toBe('城管办');
  });

  it('a ticker item, for everyone: coordinates to about 100 m', () => {
    const item = { id: 'E-1', type: 'appeal.created', at: '', community: '440310001001', label: '5', lon: 114.325325, lat: 22.695235 };
    expect(redactTicker(item)).toEqual({ ...item, lon: 114.325, lat: 22.695 });
    expect(roundCoordinate(roundCoordinate(114.32551))).toBe(114.326);
  });
});
