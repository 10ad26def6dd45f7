/**
 * Personal data in free text (pii-text.ts): a table of examples for every form it masks and for
 * the look-alikes it must leave alone (dates, times, money, counts, ids), then properties: a
 * generated mobile, ID or landline written any way inside random text loses its middle digits;
 * masking is idempotent, never throws, and changes nothing but masked characters; dates, times,
 * amounts and ids come back unchanged.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskAddress, maskIdNumber, maskName, maskPersonalText, maskPhone, type KnownPersonalData } from '../src/pii-text.ts';

/** Digits of a text, full-width ones included, everything else dropped. */
const digitsOf = (s: string) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9]/g, '');
const wide = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const table = (rows: [string, string][]) => rows.map(([input, expected]) => ({ input, expected }));
const unchanged = (rows: string[]) => rows.map((input) => ({ input, expected: input }));

describe('the single-value maskers', () => {
  it('maskName keeps the family name', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳明华')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
    expect(maskName('欧阳')).toBe('欧*'); // two characters: a family name and a given name
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
    expect(maskName('  李四 ')).toBe('李*');
  });

  it('maskPhone keeps at most the first 3 and last 4 digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('138****1234');
    expect(maskPhone('0086 13812341234')).toBe('138****1234');
    expect(maskPhone('8613812341234')).toBe('138****1234');
    expect(maskPhone('１３８１２３４１２３４')).toBe('138****1234');
    expect(maskPhone('0755-28312345')).toBe('075*****2345');
    expect(maskPhone('0755-28312345 转 123')).toBe('075*****2345');
    expect(maskPhone('2345678')).toBe('***5678');
    expect(maskPhone('0755-1234567')).toBe('075****4567');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('')).toBe('');
  });

  it('maskAddress cuts at the street, else the district', () => {
    expect(maskAddress('深圳市坪山区坪山街道六联社区深坪路12号3栋501')).toBe('深圳市坪山区坪山街道');
    expect(maskAddress('某某镇幸福村3组15号')).toBe('某某镇');
    expect(maskAddress('坪山区深汕路1号')).toBe('坪山区');
    expect(maskAddress('深坪路12号3栋501')).toBe('');
    expect(maskAddress('')).toBe('');
  });

  it('maskIdNumber keeps the first 4 characters', () => {
    expect(maskIdNumber('440310199001011234')).toBe('4403**************');
    expect(maskIdNumber('44031019900101123X')).toBe('4403**************');
    expect(maskIdNumber('440310900101123')).toBe('4403***********');
    expect(maskIdNumber('440310 19900101 1234')).toBe('4403**************');
    expect(maskIdNumber('４４０３１０１９９００１０１１２３４')).toBe('4403**************');
    expect(maskIdNumber('')).toBe('');
  });
});

const FORMS: Record<string, { input: string; expected: string }[]> = {
  mobile: table([
    ['13889325712', '138****5712'],
    ['138 8932 5712', '138 **** 5712'],
    ['138-8932-5712', '138-****-5712'],
    ['138.8932.5712', '138.****.5712'],
    ['138·8932·5712', '138·****·5712'],
    ['138・8932・5712', '138・****・5712'],
    ['138\u00a08932\u00a05712', '138\u00a0****\u00a05712'],
    ['138\u30008932\u30005712', '138\u3000****\u30005712'],
    ['(138)8932-5712', '(138)****-5712'],
    ['（13889325712）', '（138****5712）'],
    ['+86 13889325712', '+86 138****5712'],
    ['+86-138-8932-5712', '+86-138-****-5712'],
    ['0086 13889325712', '0086 138****5712'],
    ['8613889325712', '86138****5712'],
    ['(+86)13889325712', '(+86)138****5712'],
    ['＋８６ １３８８９３２５７１２', '＋８６ １３８****５７１２'],
    ['１３８８９３２５７１２', '１３８****５７１２'],
    ['138８９３２5712', '138****5712'],
    ['请回电13889325712。', '请回电138****5712。'],
  ]),
  'a mobile written loosely or spelled out': table([
    ['电话1 3 8 8 9 3 2 5 7 1 2', '电话1 3 8 * * * * 5 7 1 2'],
    ['手机138/8932/5712', '手机138/****/5712'],
    ['138_8932_5712', '138_****_5712'],
    ['手机：一三八八九三二五七一二', '手机：一三八****五七一二'],
    ['电话是壹叁捌捌玖叁贰伍柒壹贰', '电话是壹叁捌****伍柒壹贰'],
    ['幺三八 八九三二 五七一二', '幺三八 **** 五七一二'],
  ]),
  'a document number after its name': table([
    ['护照号E12345678', '护照号E********'],
    ['港澳通行证：C12345678', '港澳通行证：C********'],
  ]),
  'not a number read out': unchanged([
    '三三两两',
    '一五一十',
    '2026/12/01 10:30',
    '1990/01/01 10.0万元',
    '100000 440300000000',
    '第一二三四五六名',
  ]),
  'not a mobile': unchanged(['1764201600000', '12345678901', '138893257', '138893257123', '10:30 13:45', '共13.5万元']),
  landline: table([
    ['0755-28312345', '075*-****2345'],
    ['0755 2831 2345', '075* **** 2345'],
    ['(0755)28312345', '(075*)****2345'],
    ['（０７５５）２８３１２３４５', '（０７５*）****２３４５'],
    ['075528312345', '075*****2345'],
    ['010-12345678', '010-****5678'],
    ['020-1234567', '***-***4567'],
    ['+86 755 2831 2345', '+86 755 **** 2345'],
    ['0086-755-28312345', '0086-755-****2345'],
    ['0755-28312345 转 123', '075*-****2345 转 ***'],
    ['0755-28312345 ext. 123', '075*-****2345 ext. ***'],
    ['0755-28312345-123', '075*-****2345-***'],
  ]),
  'not a landline': unchanged(['400-123-4567', '0755', '2026-01-15', '01:30', '¥0.50', '05/03/2026']),
  'local number after a cue': table([
    ['电话 2831 2345', '电话 **** 2345'],
    ['手机：28312345', '手机：****2345'],
    ['联系电话:2831234', '联系电话:***1234'],
    ['联系方式 28312345', '联系方式 ****2345'],
    ['号码28312345', '号码****2345'],
    ['致电28312345', '致电****2345'],
    ['拨打 28312345', '拨打 ****2345'],
    ['回电 2831-2345', '回电 ****-2345'],
    ['tel 28312345', 'tel ****2345'],
    ['Tel. 28312345', 'Tel. ****2345'],
    ['TEL:28312345', 'TEL:****2345'],
    ['phone: 28312345', 'phone: ****2345'],
    ['mobile 28312345', 'mobile ****2345'],
    ['电话是 2831 2345 转 8', '电话是 **** 2345 转 *'],
  ]),
  'local number without a cue': unchanged(['28312345', '编号28312345', 'hotel 28312345', '电话 123456', '共2831人']),
  'ID number': table([
    ['440310199001011234', '4403**************'],
    ['44031019900101123X', '4403**************'],
    ['44031019900101123x', '4403**************'],
    ['440310 19900101 1234', '4403** ******** ****'],
    ['440310900101123', '4403***********'],
    ['４４０３１０１９９００１０１１２３４', '４４０３**************'],
    ['身份证号：440310199001011234。', '身份证号：4403**************。'],
  ]),
  'bank card': table([
    ['6222021234567890', '************7890'],
    ['6222 0212 3456 7890', '**** **** **** 7890'],
    ['6222-0212-3456-7890-123', '****-****-****-***0-123'],
    ['6222021234567890123', '***************0123'],
  ]),
  'not an ID nor a card': unchanged(['622202123456', '44031019900101', '440310001001', '440310001']),
  'name after a cue': table([
    ['姓名：张三', '姓名：张*'],
    ['联系人李小红，', '联系人李**，'],
    ['反映人王建国称', '反映人王**称'],
    ['投诉人 刘德华', '投诉人 刘**'],
    ['举报人：上官婉儿', '举报人：上官**'],
    ['来电人诸葛亮反映', '来电人诸葛*反映'],
    ['报案人：司马光', '报案人：司马*'],
    ['当事人欧阳明华（', '当事人欧阳**（'],
    ['户主陈大伟', '户主陈**'],
    ['业主是黄文', '业主是黄*'],
    ['租户吴桂芳住在这里', '租户吴**住在这里'],
    ['本人张三丰，电话', '本人张**，电话'],
    ['我叫赵丽丽。', '我叫赵**。'],
    ['我是李四，', '我是李*，'],
    ['名叫周海燕的女子', '名叫周**的女子'],
    ['叫做孙七', '叫做孙*'],
    ['署名为郑成功', '署名为郑**'],
    ['联系人 赵丽丽 137 0000 1111', '联系人 赵** 137 **** 1111'],
  ]),
  'no name after a cue': unchanged([
    '本人已处理',
    '本人于昨日下午来电',
    '业主委员会',
    '业主反映楼上漏水',
    '当事人情绪稳定',
    '户主不在家',
    '我是本小区业主',
    '我叫了保安',
    '租户马上搬走',
    '联系人电话',
    '投诉人要求尽快处理',
    '举报人要求保密',
    '我是江苏人',
    '本人高度重视',
    '居民楼下',
    '物业主管部门',
    '市民来电反映',
    '业主方面表示同意',
  ]),
  honorific: table([
    ['王建国先生', '王**先生'],
    ['李明女士', '李*女士'],
    ['欧阳明华先生', '欧阳**先生'],
    ['张三老师', '张*老师'],
    ['陈小红小姐', '陈**小姐'],
    ['刘建军同志', '刘**同志'],
    ['请李明先生', '请李*先生'],
    ['住户孙伟东先生称', '住户孙**先生称'],
    ['Mr. Zhang Wei', 'Mr. Z**** W**'],
    ['Ms. Li Xiaohong', 'Ms. L* X*******'],
    ['Mrs Wang Fang', 'Mrs W*** F***'],
  ]),
  'bare family name or no name': unchanged([
    '王先生',
    '李女士',
    '张老师',
    '向王先生反映',
    '高中老师',
    '维修师傅',
    '保洁阿姨',
    '这位先生',
    '各位女士',
    '楼下王阿姨',
    'Mr. Zhang',
    'Mr. smith',
    'Dear Sir or Madam',
  ]),
  'house number': table([
    ['深坪路12号', '深坪路**号'],
    ['深坪路12号3栋501', '深坪路**号*栋***'],
    ['3栋501', '*栋***'],
    ['501室', '***室'],
    ['B座1203', '*座****'],
    ['三单元', '*单元'],
    ['12-3-501', '**-*-***'],
    ['1号楼2单元301', '*号楼*单元***'],
    ['深坪路88号7栋1203房', '深坪路**号*栋****房'],
    ['华润城12楼', '华润城**楼'],
    ['A栋12层1201', '*栋**层****'],
    ['幸福小区3幢2单元', '幸福小区*幢*单元'],
    ['住3楼', '住*楼'],
    ['深坪路１２号', '深坪路**号'],
  ]),
  'not a house number': unchanged([
    '2026年12月1日',
    '2026-12-01',
    '10:30',
    '3000元',
    '5个',
    '第3次',
    '12月',
    '12月1号',
    '1号线',
    '5号文件',
    '3号上午',
    '涉及3户居民',
    '共32层',
    '三室两厅',
    '3室2厅',
    '第3单元',
    '1-12-2026',
    '3栋楼',
    '在3楼开会',
  ]),
  'e-mail': table([
    ['zhangsan@example.com', 'z*******@example.com'],
    ['邮箱：xiaohong.li@example.com。', '邮箱：x**********@example.com。'],
    ['ＺＨＡＮＧ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'Ｚ****＠ｅｘａｍｐｌｅ．ｃｏｍ'],
  ]),
  'not an e-mail': unchanged(['@张三', 'a@b', 'user@localhost', '@@@']),
  plate: table([
    ['粤B12345', '粤B***45'],
    ['粤B·D12345', '粤B·****45'],
    ['粤BD12345', '粤B****45'],
    ['粤B 12345', '粤B ***45'],
    ['车牌京A·12345', '车牌京A·***45'],
  ]),
  'not a plate': unchanged(['粤BABCDE', '粤B12', '京ABC', '新A级']),
  'chat id': table([
    ['微信：zhangsan88', '微信：z*********'],
    ['微信号 wxid_abc123', '微信号 w**********'],
    ['vx: abc123def', 'vx: a********'],
    ['VX abc123def', 'VX a********'],
    ['wx：abc123def', 'wx：a********'],
    ['QQ 12345678', 'QQ 1*******'],
    ['qq号：12345678', 'qq号：1*******'],
  ]),
  'no chat id': unchanged(['微信支付', '微信群里', 'QQ群', 'vx 123', 'wxyz 12345']),
  prose: unchanged([
    '路灯不亮已经三天了，请尽快处理。',
    'Street light broken near the school gate since Monday, 3 people complained.',
    '2026年11月27日上午10点30分，网格员巡查发现占道经营5处，已处理3处，完成率60%。',
    'AP-20261127-000123 SIM-1764000000000-12 1764201600000 类别 5 子类 5-02',
    '社区编码 440310001001，街道编码 440310001，邮编 518118。',
    '金额 ¥3,000.50，共12.5%，第2次回访，用时 1:30:00。',
  ]),
};

describe('maskPersonalText', () => {
  for (const [form, rows] of Object.entries(FORMS))
    it.each(rows)(`${form}: $input`, ({ input, expected }) => {
      expect(maskPersonalText(input)).toBe(expected);
      expect(maskPersonalText(expected)).toBe(expected);
    });

  it('masks every kind of PII in a realistic description', () => {
    const text =
      '来电人欧阳明华（13912345678）反映楼下路灯不亮。备用电话 +86 138-8932-5713，座机 0755-2831 2345，' +
      '短信 １３６１２３４５６７８。身份证 440310199001011234。联系人：李小红，王建国先生也反映过，' +
      '住在深坪路12号3栋501室。邮箱 xiaohong.li@example.com，车牌粤B·D12345，微信 lixh_1990。';
    expect(maskPersonalText(text)).toBe(
      '来电人欧阳**（139****5678）反映楼下路灯不亮。备用电话 +86 138-****-5713，座机 075*-**** 2345，' +
        '短信 １３６****５６７８。身份证 4403**************。联系人：李**，王**先生也反映过，' +
        '住在深坪路**号*栋***室。邮箱 x**********@example.com，车牌粤B·****45，微信 l********。',
    );
  });

  it('returns an empty text empty', () => {
    expect(maskPersonalText('')).toBe('');
  });

  describe('known personal data', () => {
    it('masks a known name wherever it appears, without a cue', () => {
      expect(maskPersonalText('已回访吴桂芳，吴桂芳表示满意', { names: ['吴桂芳'] })).toBe('已回访吴**，吴**表示满意');
      expect(maskPersonalText('欧阳明华来过两次', { names: ['欧阳明华'] })).toBe('欧阳**来过两次');
      expect(maskPersonalText('王来过', { names: ['王'] })).toBe('王来过'); // one character: too ambiguous to chase
    });

    it('masks a known phone on its digits, however it is written', () => {
      const known: KnownPersonalData = { phones: ['139-1234-5678'] };
      expect(maskPersonalText('请打1 3 9 1 2 3 4 5 6 7 8', known)).toBe('请打1 3 9 * * * * 5 6 7 8');
      expect(maskPersonalText('请打(139)1234 5678或＋８６１３９１２３４５６７８', known)).toBe(
        '请打(139)**** 5678或＋８６１３９****５６７８',
      );
      // a number no detector takes for a phone: only knowing it masks it
      expect(maskPersonalText('请打28312345', { phones: ['2831 2345'] })).toBe('请打****2345');
      expect(maskPersonalText('号12345678901', { phones: ['12345678901'] })).toBe('号123****8901');
      expect(maskPersonalText('+86 755 2831 2345 和 075528312345', { phones: ['0755-28312345'] })).toBe(
        '+86 755 **** 2345 和 075*****2345',
      );
      expect(maskPersonalText('请打28312345', { phones: ['12'] })).toBe('请打28312345'); // too short to chase
    });

    it('masks a known address and its part after the street or community', () => {
      const known: KnownPersonalData = { addresses: ['坪山街道六联社区幸福花园东区'] };
      expect(maskPersonalText('家住坪山街道六联社区幸福花园东区，常去幸福花园东区门口，六联社区幸福花园东区', known)).toBe(
        '家住坪山街道**********，常去******门口，六联社区******',
      );
      expect(maskPersonalText('住深坪路55号9栋909旁', { addresses: ['深坪路55号9栋909'] })).toBe('住***********旁');
    });

    it('still runs the detectors, and tolerates malformed known data', () => {
      const odd = { names: [42, null, ''], phones: 'x', addresses: [undefined] } as unknown as KnownPersonalData;
      expect(maskPersonalText('联系人李小红 13889325712', odd)).toBe('联系人李** 138****5712');
      expect(maskPersonalText('联系人李小红 13889325712', {})).toBe('联系人李** 138****5712');
    });
  });

  describe('adversarial input finishes and stays sane', () => {
    const cases: [string, string][] = [
      ['4,000 digits', '1'.repeat(4000)],
      ['digits and spaces', '1 '.repeat(2000)],
      ['digits and dashes', '8-'.repeat(2000)],
      ['separators', ' -·.'.repeat(1000)],
      ['country prefixes', '+86'.repeat(1333)],
      ['at signs', 'a@'.repeat(2000)],
      ['cues', '联系人'.repeat(1333)],
      ['honorifics', '王先生'.repeat(1333)],
      ['house numbers', '1号'.repeat(2000)],
      ['Mr.', 'Mr. '.repeat(1000)],
      ['stars', '*'.repeat(4000)],
    ];
    it.each(cases)('%s', (_, text) => {
      const out = maskPersonalText(text);
      expect(out.length).toBe(text.length);
      expect(maskPersonalText(out)).toBe(out);
    });

    it('a long run of digits is no phone, and repeated phones are all masked', () => {
      expect(maskPersonalText('1'.repeat(4000))).toBe('1'.repeat(4000));
      const out = maskPersonalText('13889325712，'.repeat(333));
      expect(out).toBe('138****5712，'.repeat(333));
    });
  });
});

// ---------------------------------------------------------------- properties

/** Filler with no digits (so that the digits of the output are the number's), Chinese and English. */
const FILLER_CHARS = Array.from(
  '的一是不了我在有他这中大上国个到们为子和你地出道也时年得就那要下以生会着去之过家学对可她里后小心多天而能好都然没日起还发成事只作当想看文无开手用主行方又如前所本见经头面公同老从动长知民样现分外但身些与高意进法此实回理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山太水万市眼体别处总才场书任至活色比abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ，。、！？：；（）“” \n',
);
const filler = fc.array(fc.constantFrom(...FILLER_CHARS), { maxLength: 12 }).map((c) => c.join(''));
const digitString = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const SEPARATORS = ['', ' ', '-', '.', '·', '・', '\u00a0', '\u3000', ' - '];

/** A number written from tokens: a literal, or the index of one of its digits (ASCII or full width). */
function writeNumber(tokens: (string | number)[], digits: string, wideDigits: readonly boolean[]): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (const t of tokens) {
    if (typeof t === 'string') text += t;
    else {
      at[t] = text.length;
      text += wideDigits[t] ? wide(digits[t]) : digits[t];
    }
  }
  return { text, at };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const mobileArb = fc
  .record({
    digits: fc.tuple(fc.constantFrom(...'3456789'), digitString(9)).map(([b, rest]) => `1${b}${rest}`),
    prefix: fc.constantFrom('', '+86', '+86 ', '+86-', '0086', '0086 ', '86', '86 ', '(+86)', '(+86) ', '＋８６', '＋８６ ', '（+86）'),
    sep1: fc.constantFrom(...SEPARATORS),
    sep2: fc.constantFrom(...SEPARATORS),
    brackets: fc.boolean(),
    wideDigits: fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
  })
  .map(({ digits, prefix, sep1, sep2, brackets, wideDigits }) => {
    const head = brackets ? ['(', 0, 1, 2, ')'] : [0, 1, 2];
    const written = writeNumber([prefix, ...head, sep1, 3, 4, 5, 6, sep2, 7, 8, 9, 10], digits, wideDigits);
    return { digits, prefix, ...written };
  });

const idArb = fc
  .record({
    region: fc.tuple(fc.constantFrom(...'123456789'), digitString(5)).map(([a, b]) => a + b),
    birth: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
    serial: digitString(3),
    check: fc.constantFrom(...'0123456789Xx'),
    old: fc.boolean(),
    sep: fc.constantFrom('', ' ', '\u3000'),
    wideDigits: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
  })
  .map(({ region, birth, serial, check, old, sep, wideDigits }) => {
    const date = birth.toISOString().slice(0, 10).replace(/-/g, '');
    const born = old ? date.slice(2) : date;
    const chars = region + born + serial + (old ? '' : check);
    const tokens = [...range(0, 6), sep, ...range(6, 6 + born.length), sep, ...range(6 + born.length, chars.length)];
    return { born, bornAt: range(6, 6 + born.length), ...writeNumber(tokens, chars, wideDigits) };
  });

const landlineArb = fc
  .record({
    area: fc.constantFrom('010', '020', '021', '0755', '0769', '0571', '0898'),
    local: fc.tuple(fc.constantFrom(...'2345678'), digitString(7)).map(([a, b]) => a + b),
    short: fc.boolean(),
    format: fc.integer({ min: 0, max: 7 }),
    wideDigits: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  })
  .map(({ area, local: eight, short, format, wideDigits }) => {
    const local = short && area.length === 4 ? eight.slice(0, 7) : eight; // 4-digit area codes have 7- or 8-digit numbers
    const digits = area + local;
    const a = range(0, area.length);
    const l = range(area.length, digits.length);
    const cut = l.length - 4;
    const tokens: (string | number)[][] = [
      [...a, '-', ...l],
      [...a, ' ', ...l],
      ['(', ...a, ')', ...l],
      [...a, ...l],
      [...a, '-', ...l.slice(0, cut), '-', ...l.slice(cut)],
      ['+86 ', ...a.slice(1), ' ', ...l],
      ['0086-', ...a.slice(1), '-', ...l],
      ['(+86)', ...a.slice(1), ...l],
    ];
    const written = writeNumber(tokens[format], digits, wideDigits);
    return { local, localAt: l.map((i) => written.at[i]), ...written };
  });

const pad = (s: number, n = 2) => String(s).padStart(n, '0');
const dateLike = fc
  .record({
    y: fc.integer({ min: 1990, max: 2035 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    n: fc.integer({ min: 0, max: 99999 }),
    ms: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    seq: fc.integer({ min: 0, max: 999999 }),
    form: fc.integer({ min: 0, max: 27 }),
  })
  .map(({ y, m, d, h, mi, s, n, ms, seq, form }) => {
    const iso = `${y}-${pad(m)}-${pad(d)}`;
    return [
      `${y}年${m}月${d}日`,
      iso,
      `${y}/${pad(m)}/${pad(d)}`,
      `${y}.${pad(m)}.${pad(d)}`,
      `${m}月${d}号`,
      `${m}月${d}日`,
      `${pad(m)}-${pad(d)}`,
      `${iso}T${pad(h)}:${pad(mi)}:${pad(s)}.000Z`,
      `${iso} ${pad(h)}:${pad(mi)}`,
      `${pad(d)}/${pad(m)}/${y}`,
      `${d}-${m}-${y}`,
      `${pad(h)}:${pad(mi)}`,
      `${pad(h)}:${pad(mi)}:${pad(s)}`,
      `${h}点${mi}分`,
      `上午${h % 12}点`,
      `${n}元`,
      `¥${n}.${pad(s)}`,
      `${n % 1000}.${s % 10}万元`,
      `${n % 100}.${s % 10}%`,
      `${n % 100}个`,
      `第${n % 50}次`,
      `共${n}件`,
      `AP-${y}${pad(m)}${pad(d)}-${pad(seq, 6)}`,
      `SIM-${ms}-${n % 100}`,
      String(ms),
      `4403${pad(seq, 6)}${pad(n % 100)}`, // a community code
      `4403${pad(seq % 100000, 5)}`, // a street code
      `${n % 10}-${pad(s % 13)}`, // a category
    ][form];
  });

describe('properties', () => {
  it('a mobile number written any way loses digits 4–7, wherever it is', () => {
    fc.assert(
      fc.property(filler, mobileArb, filler, (before, mobile, after) => {
        const out = maskPersonalText(before + mobile.text + after);
        for (const i of [3, 4, 5, 6]) expect(out[before.length + mobile.at[i]]).toBe('*');
        const digits = digitsOf(out);
        expect(digits).not.toContain(mobile.digits);
        // at most the prefix, the first 3 and the last 4 stay (fewer where filler makes a cue: QQ138…)
        expect(digits.length).toBeLessThanOrEqual(digitsOf(mobile.prefix).length + 7);
      }),
      { numRuns: 500 },
    );
  });

  it('an ID number written any way loses its birth date', () => {
    fc.assert(
      fc.property(filler, idArb, filler, (before, id, after) => {
        const out = maskPersonalText(before + id.text + after);
        for (const i of id.bornAt) expect(out[before.length + id.at[i]]).toBe('*');
        expect(digitsOf(out)).not.toContain(id.born);
        expect(digitsOf(out).length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });

  it('a landline written any way loses all but the last 4 digits of its local number', () => {
    fc.assert(
      fc.property(filler, landlineArb, filler, (before, phone, after) => {
        const out = maskPersonalText(before + phone.text + after);
        for (const at of phone.localAt.slice(0, -4)) expect(out[before.length + at]).toBe('*');
        // within the local number itself: the kept area and country codes may spell its digits by
        // chance (+86 571 ****0000 reads 865710000, which contains 65710000)
        const local = out.slice(before.length + phone.localAt[0], before.length + phone.localAt[phone.localAt.length - 1] + 1);
        expect(digitsOf(local)).not.toContain(phone.local);
      }),
      { numRuns: 300 },
    );
  });

  it('dates, times, amounts and ids come back unchanged', () => {
    const text = fc
      .array(fc.tuple(dateLike, fc.constantFrom('，', ' ', '；', '、', '\n', '。', '至', '和')), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([a, b]) => a + b).join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(maskPersonalText(t)).toBe(t);
      }),
      { numRuns: 500 },
    );
  });

  const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const bmpNoSurrogate = fc
    .integer({ min: 0, max: 0xffff })
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCharCode(c));
  const piece = fc.oneof(
    filler,
    mobileArb.map((m) => m.text),
    idArb.map((i) => i.text),
    landlineArb.map((l) => l.text),
    dateLike,
    fc.constantFrom(
      '联系人',
      '我是',
      '本人',
      '电话',
      '微信',
      'QQ ',
      '先生',
      '女士',
      '王建国',
      '欧阳',
      '号',
      '栋',
      '室',
      '楼',
      '单元',
      '深坪路',
      '月',
      '@',
      'example.com',
      '*',
      '**',
      '粤B',
      'Mr. ',
      'Zhang ',
      '转',
      '+86',
      '-',
      ' ',
      'x',
    ),
    fc.string({ unit: fc.constantFrom(...'0123456789０１２３ -.·*') }),
  );
  const mixed = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
  const known = fc.record({
    names: fc.array(fc.constantFrom('王建国', '欧阳明华', '李', ''), { maxLength: 2 }),
    phones: fc.array(
      fc.oneof(
        mobileArb.map((m) => m.text),
        landlineArb.map((l) => l.text),
      ),
      { maxLength: 2 },
    ),
    addresses: fc.array(fc.constantFrom('坪山街道六联社区深坪路12号', '深坪路12号3栋501'), { maxLength: 1 }),
  });

  it('is idempotent on arbitrary text', () => {
    for (const text of [fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string({ unit: anyCodeUnit }), mixed])
      fc.assert(
        fc.property(text, (t) => {
          const once = maskPersonalText(t);
          expect(maskPersonalText(once)).toBe(once);
        }),
        { numRuns: 300 },
      );
  });

  it('is idempotent with known personal data', () => {
    fc.assert(
      fc.property(mixed, known, (t, k) => {
        const once = maskPersonalText(t, k);
        expect(maskPersonalText(once, k)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and never makes a text longer (lone surrogates, control characters)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: anyCodeUnit, maxLength: 300 }), mixed), (t) => {
        const out = maskPersonalText(t);
        expect(typeof out).toBe('string');
        expect(out.length).toBeLessThanOrEqual(t.length);
      }),
      { numRuns: 500 },
    );
  });

  it('changes nothing but masked characters, in place', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: bmpNoSurrogate, maxLength: 200 }), mixed), (t) => {
        const out = maskPersonalText(t);
        expect(out.length).toBe(t.length);
        for (let i = 0; i < t.length; i++) if (out[i] !== t[i]) expect(out[i]).toBe('*');
      }),
      { numRuns: 500 },
    );
  });

  it('a masked surrogate pair becomes one star', () => {
    expect(maskPersonalText('我叫王𠮷', { names: ['王𠮷'] })).toBe('我叫王*');
  });
});
