/**
 * How a probe's upgrade request is put together from a check's ConnectOptions: the endpoint path under the
 * target URL (its path prefix and query kept), the scope query parameters from the run's params, the
 * offered subprotocols, the run's own headers and TLS trust, and the token in the place the check asked for
 * (query, `Authorization` header or `bearer.` subprotocol entry).
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../protocol/constants.js';
import { endpoint as endpointSpec, type EndpointName } from '../protocol/endpoints.js';
import type { ProbeRequest } from './probe.js';
import { redactToken } from './token-source.js';
import type { ConnectOptions, TargetTransport } from './types.js';

/** No TLS trust beyond the system's and no extra headers. */
export const PLAIN_TRANSPORT: TargetTransport = { insecure: false, headers: {} };

/**
 * The URL of a path under the target: a target URL may carry a path prefix (behind a proxy) and a query
 * (a gateway's key), both kept.
 */
export function urlUnderTarget(targetUrl: string, path: string): URL {
  const base = new URL(targetUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${prefix}${path}`, base);
  url.search = base.search;
  return url;
}

/** The URL of an endpoint under the target. */
export function endpointUrl(targetUrl: string, name: EndpointName): URL {
  return urlUnderTarget(targetUrl, endpointSpec(name).path);
}

export function buildProbeRequest(
  targetUrl: string,
  name: EndpointName,
  params: Readonly<Record<string, string>>,
  options: ConnectOptions,
  token: string | undefined,
  transport: TargetTransport = PLAIN_TRANSPORT,
): ProbeRequest {
  const url = endpointUrl(targetUrl, name);
  const query = new Map<string, string>(url.searchParams);
  // Required scope parameters (the campaign endpoint's campaignId and userId) come from the run's params.
  for (const param of endpointSpec(name).params) {
    const value = params[param.name];
    if (param.required && value !== undefined) query.set(param.name, value);
  }
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value === undefined) query.delete(key);
    else query.set(key, value);
  }
  const tokenVia = options.tokenVia ?? 'query';
  if (token !== undefined && tokenVia === 'query') query.set('token', token);
  url.search = '';
  for (const [key, value] of query) url.searchParams.set(key, value);

  const protocols = [...(options.protocols ?? [SUBPROTOCOL])];
  const headers: Record<string, string> = { ...transport.headers };
  for (const [key, value] of Object.entries(options.headers ?? {})) setHeader(headers, key, value);
  if (token !== undefined && tokenVia === 'header') setHeader(headers, 'Authorization', `Bearer ${token}`);
  if (token !== undefined && tokenVia === 'subprotocol') {
    protocols.push(`${BEARER_SUBPROTOCOL_PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}`);
  }

  const shownQuery = [...url.searchParams]
    .map(([key, value]) => `${key}=${key === 'token' ? redactToken(value) : value}`)
    .join('&');
  const display = shownQuery === '' ? url.pathname : `${url.pathname}?${shownQuery}`;
  const tokenNote = token !== undefined && tokenVia !== 'query' ? ` (token via ${tokenVia})` : '';
  return {
    endpoint: name,
    url: url.toString(),
    displayUrl: `${display}${tokenNote}`,
    protocols,
    headers,
    autoPong: options.autoPong ?? true,
    tls: { ca: transport.ca, insecure: transport.insecure },
  };
}

/** Sets a header, replacing one of the same name in another case (a check's header wins over the run's). */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  headers[name] = value;
}
