/**
 * Application pings as the endpoint sends them (HB-006): `{"type":"ping"}` on chat and market, the bare
 * text frame `ping` on the campaign endpoint.
 */
import { Defaults } from '../../protocol/constants.js';
import { endpoint, type EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import type { CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';

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

/** The rule whose answer `expectStillOpen` relies on: HB-004 (text ping) on campaign, HB-003 elsewhere. */
function pongRule(name: EndpointName): string {
  return endpoint(name).appPing === 'text' ? 'HB-004' : 'HB-003';
}

/**
 * Proves that the connection is still open and answering after `after`: an application ping answered by
 * its pong. A connection that closed instead fails the check; a pong that does not come on an open
 * connection blocks it (answering pings is HB-003's rule, HB-004's on campaign).
 */
export async function expectStillOpen(
  ctx: CheckContext,
  conn: ProbeConnection,
  after: string,
): Promise<void> {
  conn.send(appPing(conn.endpoint));
  try {
    await conn.next(isAppPong(conn.endpoint), {
      timeoutMs: Defaults.pongDeadlineMs + REPLY_DEADLINE_MS,
      expected: `the connection on ${conn.endpoint} to stay open and answer a ping after ${after}`,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure) || !conn.isOpen || ctx.signal.aborted) throw error;
    ctx.blocked(pongRule(conn.endpoint), `no pong on ${conn.endpoint} answering a ping`);
  }
}
