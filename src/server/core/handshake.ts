/**
 * Pure handshake decisions: subprotocol selection (HS-003..006, AUTH-005), where the token comes from
 * (AUTH-004..006), and the query parameter rules (HS-007). No sockets, no I/O.
 */
import { BEARER_SUBPROTOCOL_PREFIX, CAMPAIGN_SUBPROTOCOL, SUBPROTOCOL } from '../../protocol/constants.js';
import type { EndpointSpec } from '../../protocol/endpoints.js';

export interface SubprotocolSelection {
  /** The subprotocol to echo in the upgrade answer, if any. */
  selected: string | undefined;
  /** False when the client offered entries and none is supported: `error` + 4406 after the upgrade. */
  acceptable: boolean;
}

export function selectSubprotocol(offered: readonly string[], spec: EndpointSpec): SubprotocolSelection {
  const candidates = offered.filter((p) => !p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (candidates.includes(SUBPROTOCOL)) return { selected: SUBPROTOCOL, acceptable: true };
  if (spec.family === 'campaign' && candidates.includes(CAMPAIGN_SUBPROTOCOL)) {
    return { selected: CAMPAIGN_SUBPROTOCOL, acceptable: true };
  }
  // Nothing offered, or only `bearer.*` entries: nothing to select, and nothing wrong either.
  if (candidates.length === 0) return { selected: undefined, acceptable: true };
  return { selected: undefined, acceptable: false };
}

export interface TokenSources {
  /** The `Authorization` header value. */
  authorization: string | undefined;
  offeredProtocols: readonly string[];
  query: Readonly<Record<string, string>>;
}

/** The presented token: `Authorization: Bearer`, then a `bearer.` subprotocol entry, then `?token=`. */
export function presentedToken(sources: TokenSources): string | undefined {
  const header = sources.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (header) return header;
  const entry = sources.offeredProtocols.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (entry) {
    const decoded = Buffer.from(entry.slice(BEARER_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    if (decoded) return decoded;
  }
  const query = sources.query.token;
  if (query) return query;
  return undefined;
}

const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/;

export interface ParamProblem {
  /** 4400 for a missing or malformed parameter. */
  closeCode: number;
  code: string;
  message: string;
}

export interface ResumeRequest {
  sessionId: string;
  lastSeq: number;
}

/** HS-007: required params present, integer params /^[1-9][0-9]*$/, `resume` always with a valid `lastSeq`. */
export function checkParams(
  spec: EndpointSpec,
  query: Readonly<Record<string, string>>,
): ParamProblem | undefined {
  for (const param of spec.params) {
    const value = query[param.name];
    if (value === undefined || value === '') {
      if (param.required) return badRequest(`missing required query parameter ${param.name}`);
      continue;
    }
    if (param.kind === 'integer' && !POSITIVE_INTEGER.test(value)) {
      return badRequest(`${param.name} must be a positive integer, got "${value}"`);
    }
  }
  if (query.resume !== undefined) {
    if (query.resume === '') return badRequest('resume must name a session');
    if (query.lastSeq === undefined) return badRequest('resume needs lastSeq');
    if (!NON_NEGATIVE_INTEGER.test(query.lastSeq) || !Number.isSafeInteger(Number(query.lastSeq))) {
      return badRequest(`lastSeq must be a non-negative integer, got "${query.lastSeq}"`);
    }
  }
  return undefined;
}

export function resumeRequest(query: Readonly<Record<string, string>>): ResumeRequest | undefined {
  if (query.resume === undefined || query.lastSeq === undefined) return undefined;
  return { sessionId: query.resume, lastSeq: Number(query.lastSeq) };
}

function badRequest(message: string): ParamProblem {
  return { closeCode: 4400, code: 'BAD_REQUEST', message };
}

/** Query parameters handed to the endpoint handler: the token and resume bookkeeping stay in the core. */
export function handlerParams(query: Readonly<Record<string, string>>): Record<string, string> {
  const { token: _token, resume: _resume, lastSeq: _lastSeq, ...rest } = query;
  return rest;
}
