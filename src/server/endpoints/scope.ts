import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import { RequestError, type IncomingRequest, type ScopeRefusal } from '../endpoint-handler.js';

const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

/** A scope id from the query string: a positive integer in decimal, or undefined. */
export function parseIdParam(value: string | undefined): number | undefined {
  if (value === undefined || !POSITIVE_INTEGER.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

export const badRequest = (message: string): ScopeRefusal => ({
  closeCode: CloseCode.BAD_REQUEST,
  code: ErrorCode.BAD_REQUEST,
  message,
});

export const notFound = (message: string): ScopeRefusal => ({
  closeCode: CloseCode.NOT_FOUND,
  code: ErrorCode.NOT_FOUND,
  message,
});

export const forbidden = (message: string): ScopeRefusal => ({
  closeCode: CloseCode.FORBIDDEN,
  code: ErrorCode.FORBIDDEN,
  message,
});

/** The request's type; market requests may still use the seed's `action` (ENV-006). */
export function requestType(request: IncomingRequest): string {
  return typeof request.type === 'string' ? request.type : String(request.action);
}

export function unknownType(request: IncomingRequest, endpoint: string): RequestError {
  return new RequestError(
    ErrorCode.UNKNOWN_TYPE,
    `unknown type "${requestType(request)}" for endpoint ${endpoint}`,
  );
}

/** A positive integer id field of a request (the core has validated the schema; this guards the handler). */
export function idField(request: IncomingRequest, field: string): number {
  const value = request[field];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && POSITIVE_INTEGER.test(value) && Number.isSafeInteger(Number(value))) {
    return Number(value);
  }
  throw new RequestError(ErrorCode.INVALID_MESSAGE, `${field} must be a positive integer`, {
    path: `/${field}`,
    errors: [{ path: `/${field}`, message: 'must be a positive integer' }],
  });
}

export function stringList(request: IncomingRequest, field: string): string[] {
  const value = request[field];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new RequestError(ErrorCode.INVALID_MESSAGE, `${field} must be an array of strings`, {
    path: `/${field}`,
    errors: [{ path: `/${field}`, message: 'must be an array of strings' }],
  });
}
