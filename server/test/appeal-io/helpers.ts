/** Helpers for the appeal file tests: people with roles, authenticated requests, job polling. */
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '@commandhall/shared';
import { credsOf } from '../helpers.ts';

const SYS = { actor: 'test', ip: null };

export interface Person {
  cookie: string;
  csrf: string;
}

/** The signed-in test administrator. */
export const adminOf = (app: FastifyInstance): Person => ({ cookie: credsOf(app).cookie, csrf: credsOf(app).csrf });

/** Creates and signs in a person with a role, a scope and optionally PII clearance. */
export async function person(app: FastifyInstance, username: string, role: Role, scope: string, pii = false): Promise<Person> {
  const password = `${username}-password-1`;
  await app.auth.createUser({ username, password, role, scope, pii }, SYS);
  const login = await app.auth.login(username, password, '127.0.0.2');
  if (!login.ok) throw new Error(`cannot sign in ${username}`);
  return { cookie: `ch_session=${login.session}; ch_csrf=${login.csrf}`, csrf: login.csrf };
}

export function as(app: FastifyInstance, who: Person, opts: InjectOptions) {
  return app.inject({ ...opts, headers: { ...opts.headers, cookie: who.cookie, 'x-csrf-token': who.csrf } });
}

/** Polls a job until it is done or failed; yields to the event loop between polls. */
export async function untilFinished(app: FastifyInstance, who: Person, url: string) {
  for (let i = 0; i < 100_000; i++) {
    const res = await as(app, who, { method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    const job = res.json();
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${url} never finished`);
}
