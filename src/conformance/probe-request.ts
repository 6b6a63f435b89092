/**
 * How a probe's upgrade request is put together from a check's ConnectOptions: the endpoint path under the
 * target URL, the scope query parameters from the run's params, the offered subprotocols and the token in
 * the place the check asked for (query, `Authorization` header or `bearer.` subprotocol entry).
 */
import { BEARER_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../protocol/constants.js';
import { endpoint as endpointSpec, type EndpointName } from '../protocol/endpoints.js';
import type { ProbeRequest } from './probe.js';
import { redactToken } from './token-source.js';
import type { ConnectOptions } from './types.js';

/** The URL of an endpoint under the target (a target URL may carry a path prefix, e.g. behind a proxy). */
export function endpointUrl(targetUrl: string, name: EndpointName): URL {
  const base = new URL(targetUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${prefix}${endpointSpec(name).path}`, base);
  return url;
}

export function buildProbeRequest(
  targetUrl: string,
  name: EndpointName,
  params: Readonly<Record<string, string>>,
  options: ConnectOptions,
  token: string | undefined,
): ProbeRequest {
  const url = endpointUrl(targetUrl, name);
  const query = new Map<string, string>();
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
  for (const [key, value] of query) url.searchParams.set(key, value);

  const protocols = [...(options.protocols ?? [SUBPROTOCOL])];
  const headers: Record<string, string> = { ...options.headers };
  if (token !== undefined && tokenVia === 'header') headers.Authorization = `Bearer ${token}`;
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
    ...(options.protocolVersion !== undefined ? { protocolVersion: options.protocolVersion } : {}),
    ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
  };
}
