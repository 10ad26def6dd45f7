/**
 * Every error leaves as `{ error: { code, message, details? } }` with no stack or SQL. Malformed
 * JSON and oversized bodies get messages a person can act on. A service's RequestError is answered
 * here as it was thrown, so that routes never catch: they call the service and return its result.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { RequestError } from '../util/request-error.ts';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

async function errors(app: FastifyInstance) {
  // JSON.parse's own message says where the body broke, which is what a producer needs
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new Error(`request body is not valid JSON: ${(e as Error).message}`) as FastifyError;
      err.statusCode = 400;
      err.code = 'invalid_json';
      done(err, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RequestError) return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send(
          errorBody(
            'too_large',
            `request body is larger than the limit of ${req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes: send smaller batches`,
          ),
        );
    }
    if (err.validation) return reply.code(400).send(errorBody('invalid_request', `${err.validationContext ?? 'request'} ${err.message}`));
    if (status >= 500) return reply.code(status).send(errorBody('internal', 'internal error; the server log has the details'));
    return reply.code(status).send(errorBody(err.code ? err.code.toLowerCase() : 'bad_request', err.message));
  });
}

export default fp(errors, { name: 'errors' });
