/** Camera and snapshot test helpers: people of several scopes, a video platform key, request shorthands. */
import type { FastifyInstance } from 'fastify';
import type { EventType } from '@commandhall/shared';
import { credsOf } from '../helpers.ts';

const SYS = { actor: 'test', ip: null };

/** Credentials of a signed-in person (cookie and CSRF token) or a wall device (token). */
export interface As {
  cookie?: string;
  csrf?: string;
  token?: string;
}

export const asAdmin = (app: FastifyInstance): As => ({ cookie: credsOf(app).cookie, csrf: credsOf(app).csrf });

/** Creates an account and signs it in. */
export async function person(app: FastifyInstance, username: string, role: string, scope: string): Promise<As> {
  const password = `${username}-password`;
  await app.auth.createUser({ username, password, role: role as never, scope }, SYS);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((s) => s.split(';')[0])
    .join('; ');
  return { cookie, csrf: cookie.match(/ch_csrf=([^;]+)/)![1] };
}

export const wall = async (app: FastifyInstance, scope: string): Promise<As> => ({
  token: (await app.auth.issueDevice(`wall-${scope}`, scope, SYS)).token,
});

/** A producer key allowed `types` (the video platform's holds video_alert.raised). */
export async function producerKey(app: FastifyInstance, name: string, types?: EventType[]): Promise<string> {
  return (await app.auth.issueProducerKey({ name, types, ratePerSecond: 0 }, SYS)).token;
}

export function request(app: FastifyInstance, as: As, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    payload: payload as object,
    headers: {
      ...(as.cookie ? { cookie: as.cookie } : {}),
      ...(as.csrf && method !== 'GET' ? { 'x-csrf-token': as.csrf } : {}),
      ...(as.token ? { authorization: `Bearer ${as.token}` } : {}),
    },
  });
}

/** Sends heartbeats as a producer. */
export const heartbeats = (app: FastifyInstance, key: string, beats: { cameraId: string; at?: string }[]) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/cameras/heartbeats',
    headers: { authorization: `Bearer ${key}` },
    payload: { heartbeats: beats },
  });

/** Registers a camera as the administrator; the answer must be 201. */
export async function addCamera(app: FastifyInstance, body: Record<string, unknown>) {
  const res = await request(app, asAdmin(app), 'POST', '/api/v1/admin/cameras', body);
  if (res.statusCode !== 201) throw new Error(`camera not created: ${res.statusCode} ${res.body}`);
  return res.json();
}
