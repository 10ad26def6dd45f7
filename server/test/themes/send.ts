/** A request to the themes API as someone: their cookie and CSRF token, or a wall's token. */
import type { FastifyInstance } from 'fastify';
import type { Who } from '../appeals/fixtures.ts';

export const send = (app: FastifyInstance, w: Who, method: 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    payload: payload as object,
    headers: {
      ...(w.cookie ? { cookie: w.cookie } : {}),
      ...(w.token ? { authorization: `Bearer ${w.token}` } : {}),
      ...(w.csrf ? { 'x-csrf-token': w.csrf } : {}),
    },
  });
