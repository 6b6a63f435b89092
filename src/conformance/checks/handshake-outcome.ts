/**
 * How a handshake ended, in one word a comparison can use: `HTTP 403`, `close 4406`, `accepted`. For the
 * order of handshake checks (HS-012): a request with two problems must end as the earlier one alone does.
 */
import type { EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import type { CheckContext, ConnectOptions } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';

export interface HandshakeOutcome {
  /** Refused before the upgrade (an HTTP status) or after it (a 4xxx close). */
  refused: boolean;
  label: string;
}

/** Opens a connection and waits for how it ends: an HTTP refusal, a close, or nothing (accepted). */
export async function outcomeOf(
  ctx: CheckContext,
  name: EndpointName,
  options: ConnectOptions,
): Promise<HandshakeOutcome> {
  let conn;
  try {
    conn = await ctx.connect(name, { ...options, waitEstablished: false });
  } catch (error) {
    const status = error instanceof CheckFailure ? /^HTTP (\d+)$/.exec(error.actual ?? '') : null;
    if (!status) throw error;
    return { refused: true, label: `HTTP ${status[1]}` };
  }
  try {
    const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the refusal' });
    const refused = close.clean && close.code >= 4000 && close.code <= 4999;
    return { refused, label: close.clean ? `close ${close.code}` : 'a dropped connection' };
  } catch (error) {
    if (!(error instanceof CheckFailure) || ctx.signal.aborted) throw error;
    return { refused: false, label: 'accepted' };
  }
}
