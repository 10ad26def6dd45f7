/**
 * POST Service Request: an Open311 form becomes an `appeal.created` event. The location is lat &
 * long, or an address_string naming a community (社区) of the district, whose centre is then used:
 * there is no geocoder, and an appeal must be placed in a community. Reporter first and last name
 * and phone become the appeal's reporter (personal data); media_url is kept as the description's
 * last line (an appeal has no media field); email, device_id and account_id are not kept.
 */
import { randomBytes } from 'node:crypto';
import { isKnown, isSubcategoryOf, taxonomy, type EventOf } from '@commandhall/shared';
import type { AreaInfo, Geography } from '../../geography/index.ts';
import { ATTR_NATURE, ATTR_SUBCATEGORY, DEFAULT_NATURE, serviceTarget } from './services.ts';

/** The channel Open311 appeals arrive by (a channel of its own in the taxonomy). */
export const OPEN311_CHANNEL = 'open311';

export const DESCRIPTION_MAX = 4000;
/** A media URL sent with a request is kept as the last line of the description. */
export const MEDIA_PREFIX = '附件 media_url: ';
const TITLE_MAX = 60;
const NAME_MAX = 50;
const PHONE = /^[0-9+\- ]{1,20}$/;
const CJK = /[\u3400-\u9fff]/;

/** A request the client must fix: the HTTP status and what is wrong. */
export class Open311RequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

export type Form = Record<string, string | string[] | undefined>;

function one(form: Form, key: string): string | undefined {
  const v = form[key];
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  // the spec: an empty optional argument is the same as one not sent
  return t ? t : undefined;
}

/** `attribute[code]` or `attribute[code][]` of the form. */
function attribute(form: Form, code: string): string | undefined {
  return one(form, `attribute[${code}]`) ?? one(form, `attribute[${code}][]`);
}

function coordinate(form: Form, key: 'lat' | 'long', min: number, max: number): number | undefined {
  const s = one(form, key);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!/^-?\d+(\.\d+)?$/.test(s) || n < min || n > max)
    throw new Open311RequestError(400, `${key} "${s}" is not a WGS84 ${key === 'lat' ? 'latitude' : 'longitude'}`);
  return n;
}

/** The community an address names, e.g. `坪山街道六联社区深坪路12号` → 六联社区; the longest name wins. */
export function communityInAddress(geo: Geography, address: string): AreaInfo | undefined {
  // a community name found in two streets: the one whose street is named too
  const score = (c: AreaInfo) => c.name.length + (address.includes(geo.area(c.parent ?? '')?.name ?? '\u0000') ? 100 : 0);
  let best: AreaInfo | undefined;
  for (const c of geo.communities) if (address.includes(c.name) && (!best || score(c) > score(best))) best = c;
  return best;
}

function reporterName(first?: string, last?: string): string | undefined {
  if (!first && !last) return undefined;
  // Chinese names are family name first, without a space
  const name = CJK.test(`${first ?? ''}${last ?? ''}`) ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
  if (Array.from(name).length > NAME_MAX)
    throw new Open311RequestError(400, `first_name and last_name together may have at most ${NAME_MAX} characters`);
  return name;
}

function title(description: string | undefined, serviceName: string): string {
  const first = description
    ?.split(/\r?\n/)
    .find((l) => l.trim())
    ?.trim();
  if (!first) return serviceName;
  const chars = Array.from(first);
  return chars.length > TITLE_MAX ? chars.slice(0, TITLE_MAX - 1).join('') + '…' : first;
}

export function newAppealId(now: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
  return `O311-${day}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

export interface CreateInput {
  form: Form;
  geo: Geography;
  now: number;
  appealId?: string;
}

/** The `appeal.created` event for an Open311 form, or an Open311RequestError saying what to fix. */
export function appealFromForm({ form, geo, now, appealId }: CreateInput): EventOf<'appeal.created'> {
  const code = one(form, 'service_code');
  if (!code) throw new Open311RequestError(400, 'service_code was not provided: take one from services.json');
  const target = serviceTarget(code);
  if (!target) throw new Open311RequestError(404, `service_code "${code}" was not found: take one from services.json`);

  const nature = attribute(form, ATTR_NATURE) ?? DEFAULT_NATURE;
  if (!isKnown('nature', nature))
    throw new Open311RequestError(
      400,
      `attribute[${ATTR_NATURE}] "${nature}" is not one of ${taxonomy.natures.map((n) => n.code).join(', ')}`,
    );
  let subcategory = target.subcategory;
  const sub = attribute(form, ATTR_SUBCATEGORY);
  if (sub && !subcategory) {
    if (!isSubcategoryOf(target.category, sub))
      throw new Open311RequestError(400, `attribute[${ATTR_SUBCATEGORY}] "${sub}" is not a subcategory of service ${target.category}`);
    subcategory = sub;
  }

  const lat = coordinate(form, 'lat', -90, 90);
  const lon = coordinate(form, 'long', -180, 180);
  const address = one(form, 'address_string');
  if ((lat === undefined) !== (lon === undefined)) throw new Open311RequestError(400, 'lat and long must be sent together');
  let location: { lon: number; lat: number; address?: string };
  let communityCode: string | undefined;
  if (lat !== undefined && lon !== undefined) {
    location = { lon, lat };
  } else if (address) {
    const c = communityInAddress(geo, address);
    if (!c)
      throw new Open311RequestError(
        400,
        `address_string does not name a community (社区) of ${geo.root.name}: send lat and long, or an address with its community`,
      );
    location = { lon: c.center[0], lat: c.center[1] };
    communityCode = c.code;
  } else if (one(form, 'address_id')) {
    throw new Open311RequestError(400, 'address_id is not supported here: send lat and long, or address_string');
  } else {
    throw new Open311RequestError(400, 'a location is required: lat and long, or address_string');
  }
  if (address) {
    if (address.length > 200) throw new Open311RequestError(400, 'address_string may have at most 200 characters');
    location.address = address;
  }

  const description = one(form, 'description');
  const media = one(form, 'media_url');
  if (media && (media.length > 500 || !/^https?:\/\/\S+$/i.test(media)))
    throw new Open311RequestError(400, 'media_url must be an http(s) URL of at most 500 characters');
  const full = media ? `${description ?? ''}\n${MEDIA_PREFIX}${media}`.trimStart() : description;
  if (full && full.length > DESCRIPTION_MAX)
    throw new Open311RequestError(
      400,
      `description may have at most ${DESCRIPTION_MAX - (media ? MEDIA_PREFIX.length + media.length + 1 : 0)} characters${media ? ' with this media_url' : ''}`,
    );
  const phone = one(form, 'phone');
  if (phone && !PHONE.test(phone)) throw new Open311RequestError(400, 'phone may hold digits, spaces, + and - only (at most 20)');
  const name = reporterName(one(form, 'first_name'), one(form, 'last_name'));

  const id = appealId ?? newAppealId(now);
  return {
    id: `${id}.created`,
    type: 'appeal.created',
    occurredAt: new Date(now).toISOString(),
    data: {
      appealId: id,
      channel: OPEN311_CHANNEL,
      nature,
      category: target.category,
      ...(subcategory ? { subcategory } : {}),
      title: title(description, target.name),
      ...(full ? { description: full } : {}),
      location,
      ...(communityCode ? { communityCode } : {}),
      ...(name || phone ? { reporter: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
    },
  };
}
