/**
 * Handshake refusals: the server upgrades, then sends `error` (or `authentication_error`) and closes with
 * a 4xxx code. A check asserts its own code; the message that must precede the close is CL-001's rule,
 * so a check only judges that message when the server sent one (the fault matrix keeps them apart).
 */
import { MAX_CLOSE_REASON_BYTES } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import { describeClose } from '../probe.js';
import type { CheckContext, CloseInfo, ConnectOptions, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, usable } from './endpoint-choice.js';

export interface ExpectedRefusal {
  closeCode: number;
  /** The message type that announces the close. */
  notice: 'error' | 'authentication_error';
  /** `error.code` (for `error`) or `error_code` (for `authentication_error`), when the rule names one. */
  code?: string;
}

export function isRefusalNotice(message: ReceivedMessage): boolean {
  return message.type === 'error' || message.type === 'authentication_error';
}

/** The code a refusal notice names: `error.code` or `error_code`. */
export function noticeCode(message: ReceivedMessage): unknown {
  const error = message.json?.error;
  if (message.type === 'error' && typeof error === 'object' && error !== null) {
    return (error as Record<string, unknown>).code;
  }
  return message.json?.error_code;
}

/** The close code a refusal notice announces (`error.closeCode`, or top-level `closeCode`). */
export function noticeCloseCode(message: ReceivedMessage): unknown {
  const error = message.json?.error;
  const nested =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>).closeCode : undefined;
  return nested ?? message.json?.closeCode;
}

/** Opens a connection that is expected to be refused and checks the refusal. */
export async function expectRefusedConnection(
  ctx: CheckContext,
  name: EndpointName,
  options: ConnectOptions,
  refusal: ExpectedRefusal,
): Promise<CloseInfo> {
  const conn = await ctx.connect(name, { ...options, waitEstablished: false });
  return expectRefusal(ctx, conn, refusal);
}

/** Waits for the close of a refused connection; fails on another code or on `connection_established`. */
export async function expectRefusal(
  ctx: CheckContext,
  conn: ProbeConnection,
  refusal: ExpectedRefusal,
): Promise<CloseInfo> {
  const expected = `close ${refusal.closeCode}`;
  let first: ReceivedMessage | undefined;
  try {
    first = await conn.next((m) => m.type === 'connection_established' || isRefusalNotice(m), {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `${refusal.notice} and ${expected}`,
    });
  } catch (error) {
    // A close without a notice is judged below by its code; the missing notice is CL-001's rule.
    if (!(error instanceof CheckFailure) || conn.isOpen) throw error;
  }
  // Judged outside the wait: a server that accepts and then closes with the expected code still fails.
  if (first?.type === 'connection_established') {
    ctx.fail(`expected ${expected}, got: connection_established`, { expected, actual: first.text });
  }
  const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
  if (!close.clean || close.code !== refusal.closeCode) {
    ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
      expected,
      actual: describeClose(close),
    });
  }
  const notice = [...conn.received].reverse().find(isRefusalNotice);
  if (notice && notice.type !== refusal.notice) {
    ctx.fail(`expected ${refusal.notice} before ${expected}, got: ${notice.type}`, {
      expected: refusal.notice,
      actual: notice.text,
    });
  }
  if (notice && refusal.code !== undefined && noticeCode(notice) !== refusal.code) {
    const actual = JSON.stringify(noticeCode(notice));
    ctx.fail(`expected ${refusal.notice} ${refusal.code} before ${expected}, got: ${actual}`, {
      expected: refusal.code,
      actual: notice.text,
    });
  }
  return close;
}

export interface ProvokedClose {
  /** What was done to provoke it ("unknown subprotocol on /api/monitoring/ws"). */
  label: string;
  conn: ProbeConnection;
  close: CloseInfo;
}

/** A malformed value long enough (and multi-byte) that echoing it would overflow a close reason. */
export const LONG_MALFORMED_VALUE = 'ü'.repeat(MAX_CLOSE_REASON_BYTES);

interface Provocation {
  label: string;
  endpoint: EndpointName;
  options: ConnectOptions;
}

/**
 * Provokes every handshake refusal the server's families allow (4001, 4400, 4403, 4404, 4406) on fresh
 * connections and returns how each ended. A refusal that does not close within the deadline is left
 * out: the check of that refusal reports it.
 */
export async function provokeRefusals(ctx: CheckContext): Promise<ProvokedClose[]> {
  const any = await choose(ctx, ANY_ENDPOINT);
  const provocations: Provocation[] = [
    { label: 'an unknown subprotocol', endpoint: any, options: { protocols: ['tidewire.v0-unknown'] } },
    { label: 'a malformed token', endpoint: any, options: { token: 'not-a-jwt' } },
    {
      label: 'a long malformed lastSeq',
      endpoint: any,
      options: { query: { resume: 'no-such-session', lastSeq: LONG_MALFORMED_VALUE } },
    },
  ];
  if (await usable(ctx, 'campaigns')) {
    provocations.push(
      { label: 'a missing campaignId', endpoint: 'campaigns', options: { query: { campaignId: undefined } } },
      {
        label: 'a long malformed campaignId',
        endpoint: 'campaigns',
        options: { query: { campaignId: LONG_MALFORMED_VALUE } },
      },
    );
    const unknown = ctx.param('unknownCampaignId');
    if (unknown !== undefined) {
      provocations.push({
        label: 'an unknown campaign',
        endpoint: 'campaigns',
        options: { query: { campaignId: unknown } },
      });
    }
    const foreign = ctx.param('foreignCampaignId');
    if (foreign !== undefined && (await ctx.token()) !== undefined) {
      provocations.push({
        label: "another user's campaign",
        endpoint: 'campaigns',
        options: { query: { campaignId: foreign } },
      });
    }
  }
  if (await usable(ctx, 'chat')) {
    provocations.push({
      label: 'a long malformed conversationId',
      endpoint: 'chat',
      options: { query: { conversationId: LONG_MALFORMED_VALUE } },
    });
  }
  const closes = await Promise.all(
    provocations.map(async ({ label, endpoint, options }): Promise<ProvokedClose | undefined> => {
      const conn = await ctx.connect(endpoint, { ...options, waitEstablished: false });
      try {
        const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: `a close after ${label}` });
        return { label: `${label} on ${endpoint}`, conn, close };
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        ctx.note(`${label} on ${endpoint}: no close within the deadline`);
        return undefined;
      }
    }),
  );
  return closes.filter((c): c is ProvokedClose => c !== undefined);
}
