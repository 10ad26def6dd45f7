import { describe, expect, it } from 'vitest';
import {
  APPEAL_FIELD_LEVELS,
  ALERT_FIELD_LEVELS,
  AppealCreatedData,
  VideoAlertRaisedData,
  fieldsAt,
  maskAddress,
  maskName,
  maskPhone,
  redactAppeal,
} from '../src/index.ts';

describe('masking', () => {
  it('masks names to the family name', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('  李四 ')).toBe('李*');
  });

  it('masks phones to 3 + 4 digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone('+8613812341234')).toBe('861******1234');
    expect(maskPhone('0755-1234567')).toBe('075****4567'); // 11 digits with the area code
    expect(maskPhone('2345678')).toBe('***5678');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('cuts addresses at the community, else the street', () => {
    expect(maskAddress('广东省深圳市坪山区坪山街道六联社区深坪路12号3栋501')).toBe('广东省深圳市坪山区坪山街道六联社区');
    expect(maskAddress('坪山区马峦街道沙坣路88号')).toBe('坪山区马峦街道');
    expect(maskAddress('某某镇幸福村3组15号')).toBe('某某镇幸福村');
    expect(maskAddress('坪山区深汕路1号')).toBe('坪山区');
    expect(maskAddress('深坪路12号3栋501')).toBe('');
    expect(maskAddress('')).toBe('');
  });
});

describe('classification', () => {
  it('gives every field of the appeal and alert events a level', () => {
    const appealFields = Object.keys(AppealCreatedData.properties).flatMap((k) =>
      k === 'reporter'
        ? ['reporter.name', 'reporter.phone']
        : k === 'location'
          ? ['location.lon', 'location.lat', 'location.address']
          : k === 'appealId'
            ? ['id']
            : k === 'communityCode'
              ? ['community']
              : [k],
    );
    for (const f of appealFields) expect(APPEAL_FIELD_LEVELS, f).toHaveProperty([f]);
    const alertFields = Object.keys(VideoAlertRaisedData.properties).flatMap((k) =>
      k === 'location'
        ? ['location.lon', 'location.lat', 'location.address']
        : k === 'alertId'
          ? ['id']
          : k === 'communityCode'
            ? ['community']
            : [k],
    );
    for (const f of alertFields) expect(ALERT_FIELD_LEVELS, f).toHaveProperty([f]);
  });

  it('marks reporter name, phone and exact address personal, and nothing of an alert', () => {
    expect(fieldsAt(APPEAL_FIELD_LEVELS, 'personal').sort()).toEqual(['location.address', 'reporter.name', 'reporter.phone']);
    expect(fieldsAt(ALERT_FIELD_LEVELS, 'personal')).toEqual([]);
  });
});

describe('redactAppeal', () => {
  const record = {
    id: 'AP-1',
    title: '路灯不亮',
    description: '请回电 13812341234 或 13998765432，谢谢',
    reporter: { name: '张三丰', phone: '13812341234' },
    location: { lon: 114.3, lat: 22.7, address: '深圳市坪山区坪山街道六联社区深坪路12号' },
    status: 'collected',
  };

  it('masks personal data for a principal without clearance', () => {
    const r = redactAppeal(record, { pii: false });
    expect(r.reporter).toEqual({ name: '张**', phone: '138****1234' });
    expect(r.location).toEqual({ lon: 114.3, lat: 22.7, address: '深圳市坪山区坪山街道六联社区' });
    expect(r.description).toBe('请回电 138****1234 或 139****5432，谢谢');
    expect(r).toMatchObject({ id: 'AP-1', title: '路灯不亮', status: 'collected' });
    expect(JSON.stringify(r)).not.toMatch(/三丰|12341234|深坪路/);
  });

  it('leaves the record whole with clearance, and never changes its argument', () => {
    const copy = structuredClone(record);
    expect(redactAppeal(record, { pii: true })).toEqual(copy);
    redactAppeal(record, { pii: false });
    expect(record).toEqual(copy);
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
