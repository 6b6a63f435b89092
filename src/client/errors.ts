/** Errors the client runtime reports to its callers. */

/** The server answered a request with an `error` message. */
export class RequestError extends Error {
  constructor(
    /** `error.code` from the server, e.g. `NOT_FOUND`. */
    readonly code: string,
    message: string,
    /** `error.details` from the server. */
    readonly details?: unknown,
    /** `error.retryAfterMs` from the server (RATE_LIMITED). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** No `ack` or `error` with the request's id arrived in time. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly id: string | number,
    readonly timeoutMs: number,
  ) {
    super(`no ack or error for request ${JSON.stringify(id)} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** No server message of the awaited type arrived in time (`nextMessage`). */
export class MessageTimeoutError extends Error {
  constructor(
    readonly messageType: string,
    readonly timeoutMs: number,
  ) {
    super(`no ${messageType} message within ${timeoutMs} ms`);
    this.name = 'MessageTimeoutError';
  }
}

/** The connection ended for good before the operation could complete. */
export class ConnectionClosedError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/** A message refused by `send` in validating mode because it violates its schema. */
export class MessageValidationError extends Error {
  constructor(
    readonly endpoint: string,
    readonly messageType: string | undefined,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    const where = issues.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ');
    super(`${endpoint}: ${messageType ?? 'message'} violates its schema: ${where}`);
    this.name = 'MessageValidationError';
  }
}
