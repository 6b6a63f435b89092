/**
 * Application pings as the endpoint sends them (HB-006): `{"type":"ping"}` on chat and market, the bare
 * text frame `ping` on the campaign endpoint.
 */
import { endpoint, type EndpointName } from '../../protocol/endpoints.js';
import type { ProbeConnection, ReceivedMessage } from '../types.js';

/** Long enough to outlast any check; the wait ends when the connection closes or the check ends. */
const BACKGROUND_WAIT_MS = 10 * 60_000;

export function isAppPing(name: EndpointName): (m: ReceivedMessage) => boolean {
  return endpoint(name).appPing === 'text' ? (m) => m.text === 'ping' : (m) => m.type === 'ping';
}

export function isAppPong(name: EndpointName): (m: ReceivedMessage) => boolean {
  return endpoint(name).appPing === 'text' ? (m) => m.text === 'pong' : (m) => m.type === 'pong';
}

export function appPong(name: EndpointName): unknown {
  return endpoint(name).appPing === 'text' ? 'pong' : { type: 'pong' };
}

export function appPing(name: EndpointName, id?: string): unknown {
  if (endpoint(name).appPing === 'text') return 'ping';
  return id === undefined ? { type: 'ping' } : { type: 'ping', id };
}

/**
 * Answers every application ping of the connection as a well-behaved client does, for checks that
 * keep a connection open across heartbeat intervals but are not about application pings.
 */
export function answerAppPings(conn: ProbeConnection): void {
  const loop = async () => {
    while (conn.isOpen) {
      await conn.next(isAppPing(conn.endpoint), {
        timeoutMs: BACKGROUND_WAIT_MS,
        expected: 'an application ping',
      });
      conn.send(appPong(conn.endpoint));
    }
  };
  // The loop ends with the connection; how it ends is of no interest.
  loop().catch(() => {});
}
