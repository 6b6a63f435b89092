/**
 * Rate limit (RL-001 … RL-003), from the advertised `rateLimit {maxMessages, windowMs}`. Every burst is
 * the connection's first messages, so it starts a fresh window and ends long before the window does.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import type { AdvertisedTimers, Check, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import { openServing, type OnDemandData } from './endpoint-choice.js';

function isRateLimited(m: ReceivedMessage): boolean {
  const error = m.json?.error as Record<string, unknown> | undefined;
  return m.type === 'error' && error?.code === ErrorCode.RATE_LIMITED;
}

function burst(conn: ProbeConnection, source: OnDemandData, count: number): void {
  for (let i = 0; i < count; i++) conn.send(source.request);
}

/** Replies to a burst arrive in order; allow a little per message on top of the reply deadline. */
const burstBudget = (t: AdvertisedTimers, messages: number) => 2 * REPLY_DEADLINE_MS + messages * 5;

export const RATE_LIMIT_CHECKS: readonly Check[] = [
  {
    id: 'RL-001',
    level: 'MUST',
    area: 'rate-limit',
    title: 'refuses a message over the limit with RATE_LIMITED and retryAfterMs, and stays open',
    requirement:
      'A client message over the advertised rate limit gets `error` RATE_LIMITED with `retryAfterMs`, and the connection stays open.',
    families: [],
    budgetMs: (t) => burstBudget(t, t.rateLimit.maxMessages) + QUIET_PERIOD_MS,
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const { conn, source } = await openServing(ctx);
      burst(conn, source, maxMessages + 1);
      const refused = await conn.next(isRateLimited, {
        timeoutMs: burstBudget(ctx.timers, maxMessages),
        expected: `error ${ErrorCode.RATE_LIMITED} for message ${maxMessages + 1} of one window`,
      });
      const retryAfterMs = (refused.json?.error as Record<string, unknown>).retryAfterMs;
      if (typeof retryAfterMs !== 'number' || !(retryAfterMs >= 0)) {
        ctx.fail(`expected error.retryAfterMs (a number of ms), got: ${JSON.stringify(retryAfterMs)}`, {
          expected: 'retryAfterMs',
          actual: refused.text,
        });
      }
      if (!(await conn.staysOpen(QUIET_PERIOD_MS))) {
        const close = await conn.closed({ timeoutMs: 0, expected: 'the close' });
        ctx.fail(
          `expected the connection to stay open after ${ErrorCode.RATE_LIMITED}, got: ${describeClose(close)}`,
        );
      }
    },
  },
  {
    id: 'RL-002',
    level: 'MUST',
    area: 'rate-limit',
    title: 'closes with 4429 a connection that sends more than twice the limit in one window',
    requirement:
      'A connection that sends more than twice `rateLimit.maxMessages` in one window gets `error` RATE_LIMITED and close 4429.',
    families: [],
    budgetMs: (t) => burstBudget(t, 2 * t.rateLimit.maxMessages),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const { conn, source } = await openServing(ctx);
      burst(conn, source, 2 * maxMessages + 1);
      const expected = `close ${CloseCode.RATE_LIMITED}`;
      const close = await conn.closed({ timeoutMs: burstBudget(ctx.timers, 2 * maxMessages), expected });
      if (!close.clean || close.code !== CloseCode.RATE_LIMITED) {
        ctx.fail(`expected ${expected} after ${2 * maxMessages + 1} messages, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      if (!conn.received.some(isRateLimited)) {
        ctx.fail(`expected error ${ErrorCode.RATE_LIMITED} before ${expected}, got: none`);
      }
    },
  },
  {
    id: 'RL-003',
    level: 'SHOULD',
    area: 'rate-limit',
    title: 'never refuses messages within the advertised limit',
    requirement: 'Client messages within the advertised rate limit are never refused as RATE_LIMITED.',
    families: [],
    budgetMs: (t) => burstBudget(t, t.rateLimit.maxMessages),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const { conn, source } = await openServing(ctx);
      burst(conn, source, maxMessages);
      for (let i = 1; i <= maxMessages; i++) {
        const answer = await conn.next((m) => m.type === source.replyType || isRateLimited(m), {
          timeoutMs: burstBudget(ctx.timers, maxMessages),
          expected: `${source.replyType} answering message ${i} of ${maxMessages}`,
        });
        if (isRateLimited(answer)) {
          ctx.fail(
            `expected ${maxMessages} messages in one window to be served, got: ${ErrorCode.RATE_LIMITED} for message ${i}`,
            {
              expected: `${maxMessages} × ${source.replyType}`,
              actual: answer.text,
            },
          );
        }
      }
    },
  },
];
