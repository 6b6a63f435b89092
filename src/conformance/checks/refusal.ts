/**
 * Handshake refusals: the server upgrades, then sends `error` (or `authentication_error`) naming the
 * rule's code and closes with a 4xxx code. A refusal check judges its own notice and close code; the
 * notice's `closeCode` is CL-001's rule, and a `connection_established` before the refusal HS-013's.
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

function describeRefusal(refusal: ExpectedRefusal): string {
  const code = refusal.code === undefined ? '' : ` ${refusal.code}`;
  return `${refusal.notice}${code} and close ${refusal.closeCode}`;
}

/**
 * Waits for the refusal of a connection: its notice (`error` or `authentication_error` with the rule's
 * code) and then its close code. A `connection_established` sent before the refusal is passed over here:
 * it is HS-013's rule. Returns the close.
 */
export async function expectRefusal(
  ctx: CheckContext,
  conn: ProbeConnection,
  refusal: ExpectedRefusal,
): Promise<CloseInfo> {
  const expected = describeRefusal(refusal);
  let notice: ReceivedMessage | undefined;
  try {
    notice = await conn.next(isRefusalNotice, { timeoutMs: REPLY_DEADLINE_MS, expected });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    if (conn.isOpen) {
      const actual = conn.established ? 'connection_established and no refusal' : 'nothing';
      ctx.fail(`expected ${expected}, got: ${actual} within ${REPLY_DEADLINE_MS * ctx.timeoutScale} ms`, {
        expected,
        actual,
      });
    }
  }
  const closeExpected = `close ${refusal.closeCode}`;
  const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: closeExpected });
  if (!close.clean || close.code !== refusal.closeCode) {
    ctx.fail(`expected ${closeExpected}, got: ${describeClose(close)}`, {
      expected: closeExpected,
      actual: describeClose(close),
    });
  }
  if (notice === undefined) {
    ctx.fail(`expected ${refusal.notice} before ${closeExpected}, got: none`, {
      expected: refusal.notice,
      actual: 'no error before the close',
    });
  }
  if (notice.type !== refusal.notice) {
    ctx.fail(`expected ${refusal.notice} before ${closeExpected}, got: ${notice.type}`, {
      expected: refusal.notice,
      actual: notice.text,
    });
  }
  if (refusal.code !== undefined && noticeCode(notice) !== refusal.code) {
    const actual = JSON.stringify(noticeCode(notice));
    ctx.fail(`expected ${refusal.notice} ${refusal.code} before ${closeExpected}, got: ${actual}`, {
      expected: refusal.code,
      actual: notice.text,
    });
  }
  return close;
}

export interface ProvokedClose {
  /** What was done to provoke it ("unknown subprotocol on /api/monitoring/ws"). */
  label: string;
  /** The rule that makes the server refuse it (HS-005 for an unknown subprotocol …). */
  owner: string;
  conn: ProbeConnection;
  close: CloseInfo;
}

/** A malformed value long enough (and multi-byte) that echoing it would overflow a close reason. */
export const LONG_MALFORMED_VALUE = 'ü'.repeat(MAX_CLOSE_REASON_BYTES);

interface Provocation {
  label: string;
  owner: string;
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
    {
      label: 'an unknown subprotocol',
      owner: 'HS-005',
      endpoint: any,
      options: { protocols: ['tidewire.v0-unknown'] },
    },
    { label: 'a malformed token', owner: 'AUTH-001', endpoint: any, options: { token: 'not-a-jwt' } },
    {
      label: 'a long malformed lastSeq',
      owner: 'HS-007',
      endpoint: any,
      options: { query: { resume: 'no-such-session', lastSeq: LONG_MALFORMED_VALUE } },
    },
  ];
  if (await usable(ctx, 'campaigns')) {
    provocations.push(
      {
        label: 'a missing campaignId',
        owner: 'HS-007',
        endpoint: 'campaigns',
        options: { query: { campaignId: undefined } },
      },
      {
        label: 'a long malformed campaignId',
        owner: 'HS-007',
        endpoint: 'campaigns',
        options: { query: { campaignId: LONG_MALFORMED_VALUE } },
      },
    );
    const unknown = ctx.param('unknownCampaignId');
    if (unknown !== undefined) {
      provocations.push({
        label: 'an unknown campaign',
        owner: 'HS-008',
        endpoint: 'campaigns',
        options: { query: { campaignId: unknown } },
      });
    }
    const foreign = ctx.param('foreignCampaignId');
    if (foreign !== undefined && (await ctx.token()) !== undefined) {
      provocations.push({
        label: "another user's campaign",
        owner: 'SEC-002',
        endpoint: 'campaigns',
        options: { query: { campaignId: foreign } },
      });
    }
  }
  if (await usable(ctx, 'chat')) {
    provocations.push({
      label: 'a long malformed conversationId',
      owner: 'HS-007',
      endpoint: 'chat',
      options: { query: { conversationId: LONG_MALFORMED_VALUE } },
    });
  }
  const closes = await Promise.all(
    provocations.map(async ({ label, owner, endpoint, options }): Promise<ProvokedClose | undefined> => {
      const conn = await ctx.connect(endpoint, { ...options, waitEstablished: false });
      try {
        const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: `a close after ${label}` });
        return { label: `${label} on ${endpoint}`, owner, conn, close };
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        ctx.note(`${label} on ${endpoint}: no close within the deadline`);
        return undefined;
      }
    }),
  );
  const provoked = closes.filter((c): c is ProvokedClose => c !== undefined);
  if (provoked.length === 0) {
    ctx.blocked(provocations[0].owner, `none of ${provocations.length} bad handshakes was closed`);
  }
  return provoked;
}
