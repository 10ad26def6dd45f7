/**
 * A request that cannot be answered as asked, with the HTTP status, the error code and a message
 * a person can act on (`errorBody` turns it into the answer). Services throw their own subclass
 * so that each route recognises its own failures.
 */
export class RequestError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
