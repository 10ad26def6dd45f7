/**
 * Personal data (PII) of citizens in free text, masked for principals without PII clearance.
 *
 * How: the text is copied character by character into a working copy of the same length (full-width
 * digits, letters and punctuation → ASCII; no-break, ideographic and other spaces → ` `; dashes →
 * `-`; middle dots → `·`), so that the detectors below run plain ASCII patterns while the mask is
 * written as `*` into the original at the same offsets. Every character that is not masked comes
 * back unchanged and in place; a masked surrogate pair becomes a single `*`.
 *
 * Mask formats (one `*` per masked character, separators and prefixes left where they were):
 * - mobile `+86 138-8932-5712` → `+86 138-****-5712` (the 11 digits keep their first 3 and last 4);
 * - any other phone: the digits after the country code keep their first 3 and last 4 (7–10 digits:
 *   the last 4 only), as maskPhone does: `0755-28312345` → `075*-****2345`; an extension (`转 123`,
 *   `ext. 123`, `x123`, `#123`, and a 1–4 digit `-123` right after a full landline) is masked whole;
 * - numbers written digit by digit, with slashes or underscores, or spelled in Chinese numerals
 *   (`一三八…`, `壹叁捌…`) are judged by their digits: a mobile or an ID as above, 7+ numerals as a phone;
 * - passport, permit and licence numbers after their name keep their first character;
 * - ID numbers keep their first 4 characters; bank cards their last 4; plates their province,
 *   letter and last 2 (`粤B·D12345` → `粤B·****45`); e-mail and chat ids their first character;
 * - names their family name (`李**`, `欧阳**`, `王**先生`, `Mr. Z**** W**`);
 * - house, building, unit, floor and room numbers become `*` (`深坪路**号*栋***`).
 *
 * Left alone on purpose: 400/800 service numbers (public hotlines); a floor or household count
 * with no address before it (`在3楼开会`, `涉及3户居民`); a name after a cue that does not start with a
 * listed family name, or runs on into more Han characters (`本人高度重视`); a name whose family name
 * is also a preposition (于, 向, 曾) after a cue; `Mr. Zhang` (a family name alone, like `王先生`).
 *
 * Every detector is a bounded pattern or a single scan, so a pass is linear in the text's length;
 * passes repeat until nothing changes (see maskPersonalText), so masking twice masks nothing more.
 */
import { COMPOUND_SURNAMES, SINGLE_SURNAMES, SURNAME_WORDS } from './pii-surnames.ts';

/** Personal data a record is known to carry (its reporter's name and phone, its exact address): masked wherever it appears in the record's own free text, whatever the detectors find. */
export interface KnownPersonalData {
  names?: readonly string[];
  phones?: readonly string[];
  addresses?: readonly string[];
}

// ---------------------------------------------------------------- the exported maskers

/** `张三丰` → `张**` (family name kept; a recognised compound surname such as 欧阳 keeps both characters: 欧阳** ); one character → `*`; empty → ''. */
export function maskName(name: string): string {
  const chars = Array.from(typeof name === 'string' ? name.trim() : '');
  if (chars.length <= 1) return '*'.repeat(chars.length);
  const keep = familyNameLength(chars);
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

/** `13812341234` → `138****1234`; other numbers keep at most their first 3 and last 4 digits (7–10 digits: all but the last 4 masked; under 7: all masked). Separators and a +86/0086 prefix are dropped; full-width digits count as digits. */
export function maskPhone(phone: string): string {
  const main = withoutExtension(normalise(typeof phone === 'string' ? phone : '').trim()); // dropped like the separators
  let digits = main.replace(/[^0-9]/g, '');
  if (/^\(?(?:\+ ?|00)86/.test(main)) digits = digits.slice(main.startsWith('00') ? 4 : 2);
  else if (/^861[3-9][0-9]{9}$/.test(digits)) digits = digits.slice(2);
  const keep = keptPhoneDigits(digits.length);
  return Array.from(digits, (d, i) => (keep[i] ? d : '*')).join('');
}

/** An address reduced to street level: cut after its street/town (街道|镇|乡); failing that after its district/county (区|县); failing that ''. `深圳市坪山区坪山街道六联社区深坪路12号3栋501` → `深圳市坪山区坪山街道`. */
export function maskAddress(address: string): string {
  const a = typeof address === 'string' ? address.trim() : '';
  const m = /街道|镇|乡/.exec(a) ?? /区|县/.exec(a);
  return m ? a.slice(0, m.index + m[0].length) : '';
}

/** A Chinese resident ID number (18 digits with a final X, or the old 15 digits) → its first 4 characters kept, the rest `*` (no birth date, no serial). */
export function maskIdNumber(id: string): string {
  const chars = normalise(typeof id === 'string' ? id : '').replace(/[^0-9A-Za-z]/g, '');
  return chars.slice(0, 4) + '*'.repeat(Math.max(0, chars.length - 4));
}

/** Free text as a principal without PII clearance sees it. */
export function maskPersonalText(text: string, known?: KnownPersonalData): string {
  if (typeof text !== 'string') return '';
  // Masking only ever turns characters into `*`, so this reaches a fixed point (in practice after
  // one pass and one that confirms it); the fixed point is what makes masking idempotent even where
  // a mask unblocks a boundary (`…0112 4403***` once `4403…` became an ID).
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = maskOnce(current, known);
    if (next === current) break;
    current = next;
  }
  return current;
}

const MAX_PASSES = 16;

function maskOnce(text: string, known: KnownPersonalData | undefined): string {
  if (text === '') return '';
  const norm = normalise(text);
  const mask = new Mask(norm.length);
  // numbers first, in order of preference: a run taken by one (an 18-digit ID) is no other's
  for (const detect of [idNumbers, bankCards, mobiles, landlines, cuedLocalPhones, plates, looseNumbers, spelledNumbers])
    detect(norm, mask);
  for (const detect of [houseNumbers, dashedHouseNumbers, emails, chatIds, documentIds, cuedNames, honorificNames, latinNames])
    detect(norm, mask);
  if (known) maskKnown(text, norm, known, mask);
  return mask.render(text);
}

// ---------------------------------------------------------------- working copy and mask

function normalise(text: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out.push(String.fromCharCode(c - 0xfee0));
    else if (c === 0x09 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f) out.push(' ');
    else if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63) out.push('-');
    else if (c === 0xb7 || c === 0x2022 || c === 0x2027 || c === 0x2219 || c === 0x22c5 || c === 0x30fb || c === 0xff65) out.push('·');
    else out.push(text[i]);
  }
  return out.join('');
}

class Mask {
  private readonly hidden: Uint8Array;
  private readonly taken: Uint8Array;
  constructor(length: number) {
    this.hidden = new Uint8Array(length);
    this.taken = new Uint8Array(length);
  }
  hide(i: number): void {
    if (i >= 0 && i < this.hidden.length) this.hidden[i] = 1;
  }
  hideAll(offsets: Iterable<number>): void {
    for (const i of offsets) this.hide(i);
  }
  /** Reserves [start, end) for one number; false when another number already holds part of it. */
  take(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i]) return false;
    this.taken.fill(1, start, end);
    return true;
  }
  render(text: string): string {
    const out: string[] = [];
    for (let i = 0; i < text.length; i++) {
      if (!this.hidden[i]) out.push(text[i]);
      else if (!(i > 0 && this.hidden[i - 1] && isLowSurrogate(text, i) && isHighSurrogate(text, i - 1))) out.push('*');
    }
    return out.join('');
  }
}

const withoutExtension = (phone: string) => phone.split(/转|分机|ext|[x#]/i)[0];
const isHighSurrogate = (s: string, i: number) => s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdbff;
const isLowSurrogate = (s: string, i: number) => s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHan = (c: string | undefined) => c !== undefined && ((c >= '\u4e00' && c <= '\u9fff') || (c >= '\u3400' && c <= '\u4dbf'));

/** Offsets of the digits (or ID characters) in norm[start, end). */
function digitOffsets(norm: string, start: number, end: number, alsoX = false): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) if (isDigit(norm[i]) || (alsoX && (norm[i] === 'X' || norm[i] === 'x'))) out.push(i);
  return out;
}

/** Which of n phone digits stay visible: first 3 and last 4 from 11 on; last 4 for 7–10; none below. */
function keptPhoneDigits(n: number): boolean[] {
  return Array.from({ length: n }, (_, i) => (n >= 11 ? i < 3 || i >= n - 4 : n >= 7 ? i >= n - 4 : false));
}

function hidePhoneDigits(mask: Mask, offsets: readonly number[]): void {
  const keep = keptPhoneDigits(offsets.length);
  for (let i = 0; i < offsets.length; i++) if (!keep[i]) mask.hide(offsets[i]);
}

/** Runs a `d`-flagged global pattern and hands each match to `each`. */
function scan(norm: string, pattern: RegExp, each: (m: RegExpExecArray & { indices: [number, number][] }) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(norm); m; m = pattern.exec(norm)) each(m as RegExpExecArray & { indices: [number, number][] });
}

// ---------------------------------------------------------------- numbers

const SEP = '[ .·-]{0,3}'; // between the groups of a phone number: spaces, dots, middle dots, dashes
const COUNTRY = '(?:\\(\\+?86\\)|(?:\\+|00)86)';
const EXTENSION = '(?: {0,2}(?:转|分机|ext\\.?|x|#) {0,2}[0-9]{1,6}|-[0-9]{1,4})?';

// 18 (17 digits + digit/X) or 15 digits, unbroken or grouped 6-8-4 / 6-6-3; the check digit is not checked
const ID_NUMBER = /(?<![0-9])(?:[1-9][0-9]{5}( ?)[0-9]{8}\1[0-9]{3}[0-9Xx]|[1-9][0-9]{5}( ?)[0-9]{6}\2[0-9]{3})(?![0-9])/dg;
const BANK_CARD = /(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])/dg;
// the digit boundaries keep a longer run (a 13-digit timestamp 1764201600000) from being a mobile
const MOBILE = new RegExp(`(?<![0-9])(${COUNTRY}${SEP}|86${SEP})?(\\(?1[3-9][0-9]\\)?${SEP}[0-9]{4}${SEP}[0-9]{4})(?![0-9])`, 'dg');
// not right after `AP-…-`: the tail of an id (AP-20261127-010100) is no area code
const LANDLINE = new RegExp(
  `(?<![0-9+])(?<![0-9A-Za-z]-)(?:(${COUNTRY})${SEP}(?:\\(0?[1-9][0-9]{1,2}\\)|0?[1-9][0-9]{1,2})|\\(0[1-9][0-9]{1,2}\\)|0[1-9][0-9]{1,2})` +
    `${SEP}[1-9][0-9]{2,3}[ .·-]?[0-9]{4}(${EXTENSION})(?![0-9])`,
  'dgi',
);
// a 7–8 digit number without an area code is a phone only right after a cue
const CUED_LOCAL = new RegExp(
  '(?<![A-Za-z])(?:联系电话|联系方式|联系号码|电话号码|手机号码|手机号|电话|手机|号码|致电|拨打|回电|座机|telephone|tel|phone|mobile)' +
    `(?![A-Za-z])\\.?[ :]{0,3}(?:是|为)?[ :]{0,3}([1-9][0-9]{2,3}[ .·-]?[0-9]{4})(${EXTENSION})(?![0-9])`,
  'dgi',
);

function idNumbers(norm: string, mask: Mask): void {
  scan(norm, ID_NUMBER, (m) => {
    const [start, end] = m.indices[0];
    if (mask.take(start, end)) mask.hideAll(digitOffsets(norm, start, end, true).slice(4));
  });
}

function bankCards(norm: string, mask: Mask): void {
  scan(norm, BANK_CARD, (m) => {
    const [start, end] = m.indices[0];
    if (mask.take(start, end)) mask.hideAll(digitOffsets(norm, start, end).slice(0, -4));
  });
}

function mobiles(norm: string, mask: Mask): void {
  scan(norm, MOBILE, (m) => {
    const [start, end] = m.indices[0];
    if (mask.take(start, end)) mask.hideAll(digitOffsets(norm, m.indices[2][0], end).slice(3, 7));
  });
}

/** A number with a country code, area code or cue: the digits after the country code as maskPhone keeps them, the extension masked. */
type Span = [number, number] | undefined;
function hidePhone(norm: string, mask: Mask, start: number, end: number, country: Span, ext: Span): void {
  if (!mask.take(start, end)) return;
  const extStart = ext && ext[1] > ext[0] ? ext[0] : end;
  hidePhoneDigits(mask, digitOffsets(norm, country ? country[1] : start, extStart));
  mask.hideAll(digitOffsets(norm, extStart, end));
}

function landlines(norm: string, mask: Mask): void {
  scan(norm, LANDLINE, (m) => hidePhone(norm, mask, m.indices[0][0], m.indices[0][1], m.indices[1], m.indices[2]));
}

function cuedLocalPhones(norm: string, mask: Mask): void {
  scan(norm, CUED_LOCAL, (m) => hidePhone(norm, mask, m.indices[1][0], m.indices[0][1], undefined, m.indices[2]));
}

/**
 * Numbers written loosely, digit by digit or with slashes and underscores (`1 3 8 8 9 3 2 5 7 1 2`,
 * `138/8932/5712`, `138_8932_5712`): what is left of a run after its separators is judged by its
 * digits alone: a mobile (with or without 86). Runs the patterns above took are left to them.
 */
// no dashes: they join the parts of ids (SIM-1764000000000-12), and dashed phones are matched above
const LOOSE_RUN = /(?<![0-9])[0-9](?:[ ./_·]{1,2}[0-9]|[0-9]){10,21}(?![0-9])/dg;

function judgeDigits(mask: Mask, offsets: readonly number[], digits: string, idToo: boolean): void {
  const mobile = /^(?:0086|86)?(1[3-9][0-9]{9})$/.exec(digits);
  if (mobile) return mask.hideAll(offsets.slice(digits.length - 11).slice(3, 7));
  if (idToo && /^[1-9][0-9]{14}(?:[0-9]{3})?$/.test(digits)) mask.hideAll(offsets.slice(4));
}

function looseNumbers(norm: string, mask: Mask): void {
  scan(norm, LOOSE_RUN, (m) => {
    const [start, end] = m.indices[0];
    // written loosely means one separator throughout, digit by digit or as 3-4-4 (after 86 or
    // 0086): `100000 440300000000` is two numbers side by side, `1990/01/01 10.0` a date and a figure
    const seps = new Set(m[0].match(/[^0-9]+/g));
    const groups = m[0]
      .split(/[^0-9]+/)
      .map((g) => g.length)
      .join(',');
    if (seps.size !== 1 || !/^(?:1(?:,1)+|(?:2,|4,)?3,4,4)$/.test(groups)) return;
    const offsets = digitOffsets(norm, start, end);
    const digits = offsets.map((i) => norm[i]).join('');
    if (/^(?:0086|86)?1[3-9][0-9]{9}$/.test(digits) && mask.take(start, end)) judgeDigits(mask, offsets, digits, false);
  });
}

/** Digits spelled in Chinese numerals (`一三八八九三二五七一二`, `壹叁捌…`, `幺三八…`). */
const SPELLED_DIGIT: Record<string, string> = Object.fromEntries(
  ['〇零0', '一幺壹1', '二两贰2', '三叁3', '四肆4', '五伍5', '六陆6', '七柒7', '八捌8', '九玖9'].flatMap((g) =>
    Array.from(g.slice(0, -1), (c) => [c, g.slice(-1)]),
  ),
);
const SPELLED_RUN = /[〇零一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖](?:[ -]{0,2}[〇零一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖]){6,21}/dg;

/** Seven or more numerals in a row are a number read out (a phone, an ID), never prose: masked as one. */
function spelledNumbers(norm: string, mask: Mask): void {
  scan(norm, SPELLED_RUN, (m) => {
    const [start, end] = m.indices[0];
    if (!mask.take(start, end)) return;
    const offsets: number[] = [];
    for (let i = start; i < end; i++) if (SPELLED_DIGIT[norm[i]]) offsets.push(i);
    const digits = offsets.map((i) => SPELLED_DIGIT[norm[i]]).join('');
    if (/^(?:86)?1[3-9][0-9]{9}$/.test(digits) || /^[1-9][0-9]{14}(?:[0-9]{3})?$/.test(digits)) judgeDigits(mask, offsets, digits, true);
    else hidePhoneDigits(mask, offsets);
  });
}

// ---------------------------------------------------------------- addresses

// A house, building, unit, floor or room number before its unit. `*` and digits around it mean it is
// part of a longer (or already masked) number; 第 makes it an ordinal (第3单元).
const HOUSE_NUMBER =
  /(?<![0-9A-Za-z.*第一二三四五六七八九十百零〇])([A-Za-z]?[0-9]{1,5}[A-Za-z]?(?:-[0-9]{1,4})?|[A-Za-z]|[一二三四五六七八九十百零〇]{1,4})(号楼|号院|单元|号|栋|幢|室|座|楼|层|房|户|铺|门)/dg;
/** Characters that make an address of a weak unit right after them (深坪路3楼, 12号3楼, 住3楼). */
const ADDRESS_CONTEXT = new Set(Array.from('路街巷弄道里村苑园区城厦场湾庭府居阁轩寓坊院楼栋幢座号元室层住址期'));
/** After 号: a metro line, a document, a date (1号上午, 1号至5号), not a house. */
const NOT_A_HOUSE_AFTER_HAO = /^(?:[线文令码机台窗桌球字上下中晚早凌前后至到起止那当开]|之|以)/;
/** A room number right after its building or floor (3栋501), unless it is a date, time, amount or count. */
const ROOM = /[A-Za-z]?[0-9]{2,5}[A-Za-z]?(?![0-9A-Za-z*.:年月日时点分秒元块角万千百亿个次岁人名位件只台辆%])/y;
const ROOM_AFTER = new Set(['号', '号楼', '号院', '栋', '幢', '座', '单元', '楼', '层']);
const DASHED_HOUSE = /(?<![0-9A-Za-z.:/*-])[0-9]{1,3}-[0-9]{1,2}-([0-9]{3,4})(?![0-9A-Za-z.:/*-])/dg;

function isHouseNumber(norm: string, num: string, unit: string, start: number, end: number): boolean {
  const before = norm[start - 1] ?? '';
  const after = norm.slice(end, end + 2);
  const chinese = !/[0-9A-Za-z]/.test(num);
  const inContext = ADDRESS_CONTEXT.has(before);
  switch (unit) {
    case '号':
      return before !== '月' && !NOT_A_HOUSE_AFTER_HAO.test(after); // 12月1号 is a date
    case '号楼':
    case '号院':
    case '单元':
      return true;
    case '室': // 三室两厅, 3室2厅: a flat's layout
      return !chinese && !/^[0-9一二三四五两]?厅/.test(after);
    case '栋':
    case '幢': // 涉及三栋楼 is a count
      return inContext || (!chinese && after[0] !== '楼');
    case '座':
      return inContext || /[A-Za-z]/.test(num);
    default: // 楼 层 房 户 铺 门: 3户居民, 共32层 are counts unless an address leads to them
      return inContext && !chinese;
  }
}

function houseNumbers(norm: string, mask: Mask): void {
  scan(norm, HOUSE_NUMBER, (m) => {
    const [start, numEnd] = m.indices[1];
    const end = m.indices[0][1];
    if (!isHouseNumber(norm, m[1], m[2], start, end)) return;
    for (let i = start; i < numEnd; i++) if (norm[i] !== '-') mask.hide(i);
    if (!ROOM_AFTER.has(m[2])) return;
    ROOM.lastIndex = end;
    const room = ROOM.exec(norm);
    if (room) for (let i = end; i < ROOM.lastIndex; i++) mask.hide(i);
  });
}

function dashedHouseNumbers(norm: string, mask: Mask): void {
  scan(norm, DASHED_HOUSE, (m) => {
    if (/^(?:19|20)[0-9]{2}$/.test(m[1])) return; // 1-12-2026 is a date
    mask.hideAll(digitOffsets(norm, m.indices[0][0], m.indices[0][1]));
  });
}

// ---------------------------------------------------------------- e-mail, plates, chat ids

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;

/** One scan from each `@` outwards (no pattern that could backtrack over a long local part). */
function emails(norm: string, mask: Mask): void {
  for (let at = norm.indexOf('@'); at >= 0; at = norm.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && EMAIL_LOCAL.test(norm[start - 1])) start--;
    let end = at + 1;
    while (end < norm.length && EMAIL_DOMAIN.test(norm[end])) end++;
    const domain = norm.slice(at + 1, end).replace(/[.-]+$/, '');
    if (start < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) for (let i = start + 1; i < at; i++) mask.hide(i);
  }
}

const PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][ ·.-]?([A-Z0-9]{5,6})(?![A-Za-z0-9*])/dg;

function plates(norm: string, mask: Mask): void {
  scan(norm, PLATE, (m) => {
    if ((m[1].match(/[0-9]/g) ?? []).length < 3) return; // 粤A + an English word is no plate
    const [start, end] = m.indices[1];
    if (mask.take(start, end)) for (let i = start; i < end - 2; i++) mask.hide(i); // a phone's digits are no plate
  });
}

const CHAT_ID =
  /(?<![A-Za-z])(?:微信号?|qq号码|qq号|(?:weixin|wechat|vx|wx|qq)(?![A-Za-z]))[ :]{0,3}(?:是|为)?[ :]{0,3}([A-Za-z0-9][A-Za-z0-9_-]{4,63})(?![A-Za-z0-9_*-])/dgi;

function chatIds(norm: string, mask: Mask): void {
  scan(norm, CHAT_ID, (m) => {
    const [start, end] = m.indices[1];
    for (let i = start + 1; i < end; i++) mask.hide(i);
  });
}

/** Passport, travel-permit, driving-licence and similar numbers after their name: the first character kept. */
const DOCUMENT_ID =
  /(?:护照|通行证|驾驶证|驾照|军官证|居住证|社保卡|医保卡|证件)(?:号码|号)?[ :]{0,3}(?:是|为)?[ :]{0,3}([A-Za-z]{0,2}[0-9][0-9A-Za-z]{5,17})(?![0-9A-Za-z])/dgi;

function documentIds(norm: string, mask: Mask): void {
  scan(norm, DOCUMENT_ID, (m) => {
    const [start, end] = m.indices[1];
    for (let i = start + 1; i < end; i++) mask.hide(i);
  });
}

// ---------------------------------------------------------------- names

const NAME_CUE =
  /(?:姓名|联系人|反映人|投诉人|举报人|来电人|报案人|当事人|申请人|求助人|户主|(?<!物)业主|租户|住户|居民|市民|车主|房东|回访|(?<![日基根资成])本人|我叫|我是|名叫|叫做|署名)[ :]{0,3}(?:为|是)?[ :]{0,3}/g;
const HONORIFIC = /先生|女士|小姐|同志|师傅|阿姨|大爷|老师/g;
/** Characters (verbs, particles, prepositions) that end a name: 本人已处理, 联系人李小红住… */
const STOP_CHARS = new Set(
  Array.from('已在于的了说称要家住等也和与及都就对向把被让给是有没不将曾还又再才只来去到从因由所为以请电手号今昨姓人们系'),
);
const STOP_WORDS = '反映 投诉 要求 表示 举报 联系 微信 身份 地址 先生 女士 小姐 同志 师傅 阿姨 大爷 老师'.split(' ');

const stopsAt = (s: string, i: number) => STOP_CHARS.has(s[i]) || STOP_WORDS.some((w) => s.startsWith(w, i));
const isWord = (s: string) => SURNAME_WORDS.some((w) => s.startsWith(w));
const familyNameLength = (chars: readonly string[]) => (chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1);

/** A plausible full name: a known family name, then 1–2 given characters, and no ordinary word. */
function looksLikeName(s: string): boolean {
  if (isWord(s)) return false;
  if (s.length >= 3 && COMPOUND_SURNAMES.has(s.slice(0, 2))) return s.length <= 4;
  return SINGLE_SURNAMES.has(s[0]) && s.length >= 2 && s.length <= 3;
}

function cuedNames(norm: string, mask: Mask): void {
  scan(norm, NAME_CUE, (m) => {
    const start = m.index + m[0].length;
    let end = start;
    while (end < norm.length && end - start < 5 && isHan(norm[end]) && !stopsAt(norm, end)) end++;
    // a name runs into something masked: cannot tell where it ended, so leave it (and stay idempotent)
    if (norm[end] === '*') return;
    const name = norm.slice(start, end);
    if (looksLikeName(name)) for (let i = start + familyNameLength(Array.from(name)); i < end; i++) mask.hide(i);
  });
}

/** `王建国先生` → `王**先生`; a bare `王先生` is already only a family name. */
function honorificNames(norm: string, mask: Mask): void {
  const given = (i: number) => isHan(norm[i]) && !STOP_CHARS.has(norm[i]);
  scan(norm, HONORIFIC, (m) => {
    const h = m.index;
    const pick = (givenLength: number): boolean => {
      const g = h - givenLength;
      if (g < 1 || !given(g) || !given(h - 1)) return false;
      const family = g >= 2 && COMPOUND_SURNAMES.has(norm.slice(g - 2, g)) ? norm.slice(g - 2, g) : norm[g - 1];
      if (!COMPOUND_SURNAMES.has(family) && !SINGLE_SURNAMES.has(family)) return false;
      if (isWord(family + norm.slice(g, h))) return false; // 高中老师
      // 向王先生, 于王女士: a preposition before a bare family name
      if (givenLength === 1 && family.length === 1 && STOP_CHARS.has(family) && SINGLE_SURNAMES.has(norm[g])) return false;
      for (let i = g; i < h; i++) mask.hide(i);
      return true;
    };
    if (!pick(2)) pick(1);
  });
}

const LATIN_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? +([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\b/dg;

/** `Mr. Zhang Wei` → `Mr. Z**** W**` (a single word, `Mr. Zhang`, is a family name and stays). */
function latinNames(norm: string, mask: Mask): void {
  scan(norm, LATIN_NAME, (m) => {
    const [start, end] = m.indices[1];
    for (let i = start; i < end; i++) if (norm[i] >= 'a' && norm[i] <= 'z') mask.hide(i);
  });
}

// ---------------------------------------------------------------- known values

function occurrences(text: string, value: string): number[] {
  const out: number[] = [];
  if (value === '') return out;
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) out.push(i);
  return out;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function maskKnown(text: string, norm: string, known: KnownPersonalData, mask: Mask): void {
  for (const raw of strings(known.names)) {
    const name = raw.trim();
    const chars = Array.from(name);
    if (chars.length < 2) continue; // one character would mask it in every word
    const keep = chars.slice(0, familyNameLength(chars)).join('').length;
    for (const at of occurrences(text, name)) for (let i = at + keep; i < at + name.length; i++) mask.hide(i);
  }
  const phones = strings(known.phones)
    .map(knownPhoneDigits)
    .filter((d) => d.length >= 7); // shorter would mask parts of dates and amounts
  if (phones.length) maskKnownPhones(norm, phones, mask);
  for (const raw of strings(known.addresses)) maskKnownAddress(text, raw.trim(), mask);
}

/** A known phone's digits as written at home: `+86 139…` → `139…`, `+86 755 2831 2345` → `075528312345`. */
function knownPhoneDigits(phone: string): string {
  const main = withoutExtension(normalise(phone).trim());
  const digits = main.replace(/[^0-9]/g, '');
  if (/^\(?(?:\+ ?|00)86/.test(main)) {
    const national = digits.replace(/^(?:00)?86/, '');
    return national.startsWith('0') || /^1[3-9]/.test(national) ? national : '0' + national;
  }
  return /^861[3-9][0-9]{9}$/.test(digits) ? digits.slice(2) : digits;
}

/** A known phone matched on its digits, whatever joins them in the text (spaces, dashes, +86, brackets). */
function maskKnownPhones(norm: string, phones: readonly string[], mask: Mask): void {
  const group: number[] = [];
  const flush = () => {
    const digits = group.map((i) => norm[i]).join('');
    for (const phone of phones) {
      for (const at of occurrences(digits, phone)) hidePhoneDigits(mask, group.slice(at, at + phone.length));
      // 0755 28312345 written +86 755 2831 2345
      if (phone.startsWith('0'))
        for (const at of occurrences(digits, '86' + phone.slice(1))) hidePhoneDigits(mask, group.slice(at + 2, at + phone.length + 1));
    }
    group.length = 0;
  };
  let gap = 0;
  for (let i = 0; i < norm.length; i++) {
    if (isDigit(norm[i])) {
      group.push(i);
      gap = 0;
    } else if (group.length && ' .·-()+/'.includes(norm[i]) && ++gap <= 3) continue;
    else if (group.length) flush();
  }
  if (group.length) flush();
}

/** The exact address (kept to street level), and its part after the street or community if at least 4 characters. */
function maskKnownAddress(text: string, address: string, mask: Mask): void {
  const variants: { value: string; keep: number }[] = [{ value: address, keep: maskAddress(address).length }];
  const street = /街道|镇|乡/.exec(address);
  const afterStreet = street ? address.slice(street.index + street[0].length) : '';
  const community = /社区|居委会|村委会|村/.exec(afterStreet);
  if (afterStreet) variants.push({ value: afterStreet, keep: community ? community.index + community[0].length : 0 });
  if (community) variants.push({ value: afterStreet.slice(community.index + community[0].length), keep: 0 });
  for (const { value, keep } of variants) {
    if (value.length < 4) continue;
    for (const at of occurrences(text, value)) for (let i = at + keep; i < at + value.length; i++) mask.hide(i);
  }
}
