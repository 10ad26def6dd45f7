/** The 4xx answers services give; a 5xx is never a request's fault and goes through the logged path. */
export type RequestErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/**
 * A request that cannot be answered as asked, with the HTTP status, the error code and a message
 * a person can act on. Every service error that becomes an HTTP answer extends it, and the app's
 * error handler (plugins/errors.ts) answers them all in one place: routes neither catch nor map
 * them. Subclasses stay, so that a service can tell its own failures apart (and audit them).
 */
export class RequestError extends Error {
  constructor(
    readonly statusCode: RequestErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
