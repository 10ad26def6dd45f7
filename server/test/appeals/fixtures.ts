/** Accounts and request helpers for the appeals API tests. */
import type { FastifyInstance } from 'fastify';
import type { CityEvent, Role } from '@commandhall/shared';
import { LIULIAN, pointOf } from '../helpers.ts';

export const DISTRICT = 'district:440310';
export const STREET = 'street:440310001'; // 坪山街道
export const COMMUNITY = `community:${LIULIAN.code}`; // 六联社区
export const SIBLING = { code: '440310001002', lon: 0, lat: 0 }; // another community of 坪山街道 (placed by code)
export const OTHER_STREET = 'street:440310005';

const SYS = { actor: 'test', ip: null };

export interface Who {
  name: string;
  cookie?: string;
  csrf?: string;
  token?: string;
}

/** Creates a person and signs them in. */
export async function person(app: FastifyInstance, username: string, role: Role, scope: string, pii = false): Promise<Who> {
  const password = `${username}-password-1`;
  await app.auth.createUser({ username, password, role, scope, pii }, SYS);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`cannot sign in ${username}: ${res.body}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  return { name: username, cookie: cookies.join('; '), csrf: res.json().csrfToken };
}

export async function device(app: FastifyInstance, name: string, scope: string): Promise<Who> {
  return { name, token: (await app.auth.issueDevice(name, scope, SYS)).token };
}

const headersOf = (w: Who, csrf = true) => ({
  ...(w.cookie ? { cookie: w.cookie } : {}),
  ...(w.token ? { authorization: `Bearer ${w.token}` } : {}),
  ...(csrf && w.csrf ? { 'x-csrf-token': w.csrf } : {}),
});

export const getAs = (app: FastifyInstance, w: Who, url: string) => app.inject({ method: 'GET', url, headers: headersOf(w) });

export const actAs = (app: FastifyInstance, w: Who, id: string, body: Record<string, unknown>, opts: { csrf?: boolean } = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${encodeURIComponent(id)}/actions`,
    headers: headersOf(w, opts.csrf ?? true),
    payload: body,
  });

/** An appeal.created placed in a community by its code, with a full reporter and an address. */
export function created(
  at: number,
  appealId: string,
  o: Partial<{
    community: string;
    category: string;
    subcategory: string;
    channel: string;
    nature: string;
    deadline: number;
    reporterKind: 'resident' | 'enterprise';
  }> = {},
): CityEvent {
  const community = o.community ?? LIULIAN.code;
  // in its community's street (ingest refuses a code of another street than the point)
  const point = community.slice(0, 9) === LIULIAN.code.slice(0, 9) ? LIULIAN : pointOf(community);
  return {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: o.channel ?? 'hotline_12345',
      nature: o.nature ?? 'request',
      category: o.category ?? '5',
      ...(o.subcategory ? { subcategory: o.subcategory } : {}),
      title: '路灯不亮',
      description: '市民反映路灯不亮，联系电话13812341234，请尽快处理',
      location: { lon: point.lon, lat: point.lat, address: '深圳市坪山区坪山街道六联社区深坪路12号3栋501' },
      communityCode: community,
      reporter: { name: '张三丰', phone: '13812341234' },
      ...(o.reporterKind ? { reporterKind: o.reporterKind } : {}),
      ...(o.deadline ? { deadline: new Date(o.deadline).toISOString() } : {}),
    },
  };
}

let n = 0;
export function moved(at: number, appealId: string, to: string, extra: Record<string, unknown> = {}): CityEvent {
  return {
    id: `${appealId}.m${++n}`,
    type: 'appeal.transitioned',
    occurredAt: new Date(at).toISOString(),
    data: { appealId, to, ...extra },
  } as CityEvent;
}

export function extension(at: number, appealId: string, action: string, extra: Record<string, unknown> = {}): CityEvent {
  return {
    id: `${appealId}.x${++n}`,
    type: 'appeal.extension',
    occurredAt: new Date(at).toISOString(),
    data: { appealId, action, ...extra },
  } as CityEvent;
}

/** Events that take a new appeal to `status` by the usual path. */
export function toStatus(at: number, appealId: string, status: string, o: Parameters<typeof created>[2] = {}): CityEvent[] {
  const path: Record<string, string[]> = {
    collected: [],
    verified: ['verified'],
    dispatched: ['verified', 'dispatched'],
    handling: ['verified', 'dispatched', 'handling'],
    resolved: ['verified', 'dispatched', 'handling', 'resolved'],
    closed: ['verified', 'dispatched', 'handling', 'resolved', 'closed'],
    rejected: ['rejected'],
  };
  return [
    created(at, appealId, o),
    ...path[status].map((to, i) =>
      moved(at + (i + 1) * 60_000, appealId, to, to === 'dispatched' ? { unit: '坪山街道办' } : to === 'rejected' ? { note: '重复' } : {}),
    ),
  ];
}
