/**
 * Rate limit (RL-001 … RL-003), from the advertised `rateLimit {maxMessages, windowMs}`. Every burst is
 * the connection's first messages, so it starts a fresh window and ends long before the window does.
 */
import { CloseCode, Defaults, ErrorCode } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import type { AdvertisedTimers, Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import { openServing, type OnDemandData } from './endpoint-choice.js';
import {
  advertisedConnectionLimit,
  advertisedUserRateLimit,
  expectTryAgainLater,
  freshUser,
  openMany,
  quickRequest,
  requestsAnswered,
  retryAfterOf,
  type FreshUser,
  type Limit,
} from './limit-probes.js';

function isRateLimited(m: ReceivedMessage): boolean {
  const error = m.json?.error as Record<string, unknown> | undefined;
  return m.type === 'error' && error?.code === ErrorCode.RATE_LIMITED;
}

function burst(conn: ProbeConnection, source: OnDemandData, count: number): void {
  for (let i = 0; i < count; i++) conn.send(source.request);
}

/** Replies to a burst arrive in order; allow a little per message on top of the reply deadline. */
const burstBudget = (t: AdvertisedTimers, messages: number) => 2 * REPLY_DEADLINE_MS + messages * 5;

/**
 * A user's window holds fifty times a connection's by default; a check that fills `times` of it answers
 * that many messages, a little time each.
 */
const userBurstBudget = (t: AdvertisedTimers, times: number) =>
  3 * REPLY_DEADLINE_MS + times * Defaults.userRateLimitFactor * t.rateLimit.maxMessages * 5;

interface FilledWindow {
  user: FreshUser;
  limit: Limit;
  /** A connection of the user that has sent nothing: the next message's verdict is the user's alone. */
  last: ProbeConnection;
  /** The answers of each phase: `userRateLimit.maxMessages` requests each, on connections of their own. */
  phases: ReceivedMessage[][];
  /** Connections of the user the fill opened, `last` included. */
  connections: number;
  /** Sends one more request, on `last`, and resolves with its answer. */
  sendOver(id: string): Promise<ReceivedMessage>;
  /**
   * Skips the check when the user's window may have ended before `answer` (a slow run), judged on the
   * server's own clock: the `timestamp` of the first answer and of this one.
   */
  skipIfWindowEnded(answer: ReceivedMessage): void;
}

/** The server's time of a message (its `timestamp`), in ms since the epoch. */
function serverTimeOf(message: ReceivedMessage): number {
  const stamp = message.json?.timestamp;
  return typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
}

/** Connections of the user a fill holds open at once: its senders come and go a batch at a time. */
const FILL_BATCH = 16;

/**
 * Sends `phases` × `userRateLimit.maxMessages` requests as a user of the check's own, one phase after the
 * other, each spread over connections of its own so that none passes a connection's limit. Senders are
 * opened a batch at a time and closed once answered (the user's window counts on), so the user holds a
 * few connections however large its limit. The first phase fills the user's window exactly: a refusal in
 * it is a connection refusing within its own limit, RL-003's rule, on which the check then depends
 * (blocked).
 */
async function fillUserWindow(ctx: CheckContext, checkId: string, phases: number): Promise<FilledWindow> {
  const user = await freshUser(ctx, checkId);
  // Opened first and silent until the end: the next message's verdict is the user's alone.
  const last = await ctx.connect(user.endpoint, { token: user.token });
  const limit = advertisedUserRateLimit(ctx, last);
  const perConnection = ctx.timers.rateLimit.maxMessages;
  const perPhase = Math.ceil(limit.maxMessages / perConnection);
  const perUser = last.established?.connectionLimits
    ? advertisedConnectionLimit(ctx, last, 'perUser')
    : Infinity;
  const batch = Math.min(FILL_BATCH, perPhase, perUser - 1);
  if (batch < 1) ctx.skip('connectionLimits.perUser leaves no connection to fill userRateLimit from');
  const request = quickRequest(user.endpoint);
  const prefix = checkId.toLowerCase();
  const share = (i: number) =>
    Math.floor(limit.maxMessages / perPhase) + (i < limit.maxMessages % perPhase ? 1 : 0);
  const answers: ReceivedMessage[][] = [];
  for (let phase = 0; phase < phases; phase++) {
    const got: ReceivedMessage[] = [];
    for (let from = 0; from < perPhase; from += batch) {
      const senders = Array.from({ length: Math.min(batch, perPhase - from) }, (_, k) => from + k);
      const conns = await openMany(ctx, user.endpoint, senders.length, () => ({ token: user.token }));
      const shares = await Promise.all(
        conns.map((conn, k) =>
          requestsAnswered(
            conn,
            request,
            Array.from({ length: share(senders[k]) }, (_, n) => `${prefix}-${phase}-${senders[k]}-${n}`),
          ),
        ),
      );
      for (const conn of conns) conn.close(1000);
      got.push(...shares.flat());
    }
    answers.push(got);
    if (phase === 0) {
      const refused = got.filter(isRateLimited).length;
      if (refused > 0) {
        ctx.blocked(
          'RL-003',
          `${refused} of ${limit.maxMessages} requests within each connection's limit were refused`,
        );
      }
    }
  }
  const firstAnsweredAt = Math.min(...answers.flat().map(serverTimeOf));
  return {
    user,
    limit,
    last,
    phases: answers,
    connections: phases * perPhase + 1,
    sendOver: async (id) => (await requestsAnswered(last, request, [id]))[0],
    skipIfWindowEnded: (answer) => {
      // Without timestamps nothing tells a window that ended from a limit that is not applied.
      if (serverTimeOf(answer) - firstAnsweredAt >= limit.windowMs) {
        ctx.skip(
          `the user's window (${limit.windowMs} ms) ended before it was filled: raise --timeout-scale`,
        );
      }
    },
  };
}

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
  {
    id: 'RL-009',
    level: 'MUST',
    area: 'rate-limit',
    title: "refuses a message over the user's limit across its connections with RATE_LIMITED, and stays open",
    requirement:
      'The messages of all connections of one user count together against the advertised `userRateLimit`: one over it gets `error` RATE_LIMITED, and the connection stays open.',
    families: [],
    exclusive: true,
    budgetMs: (t) => userBurstBudget(t, 1) + QUIET_PERIOD_MS,
    async run(ctx) {
      const filled = await fillUserWindow(ctx, 'RL-009', 1);
      const { last, limit } = filled;
      const answer = await filled.sendOver('rl-009-over');
      if (!isRateLimited(answer)) {
        filled.skipIfWindowEnded(answer);
        ctx.fail(
          `expected error ${ErrorCode.RATE_LIMITED} for message ${limit.maxMessages + 1} of one user in one window (on a connection of its own that sent 1), got: ${answer.text}`,
          { expected: `error ${ErrorCode.RATE_LIMITED}`, actual: answer.text },
        );
      }
      if (!(await last.staysOpen(QUIET_PERIOD_MS))) {
        const close = await last.closed({ timeoutMs: 0, expected: 'the close' });
        ctx.fail(
          `expected the connection to stay open after ${ErrorCode.RATE_LIMITED}, got: ${describeClose(close)}`,
        );
      }
      ctx.observe(
        `${limit.maxMessages} requests of one user over ${filled.connections - 1} connections, then one more on another: ${ErrorCode.RATE_LIMITED}`,
      );
    },
  },
  {
    id: 'RL-010',
    level: 'MUST',
    area: 'rate-limit',
    title: 'closes a flooding user with 4429 and refuses its reconnect before retryAfterMs with 1013',
    requirement:
      'A user whose connections together send more than twice `userRateLimit.maxMessages` in one window gets `error` RATE_LIMITED and close 4429, and a new connection of that user before the advised `retryAfterMs` gets `error` RATE_LIMITED with `retryAfterMs` and close 1013.',
    families: [],
    exclusive: true,
    budgetMs: (t) => userBurstBudget(t, 2) + 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const filled = await fillUserWindow(ctx, 'RL-010', 2);
      const { last, limit, user } = filled;
      // The second phase goes over the user's limit: a server that refused none of it does not count
      // a user's messages together, RL-009's rule.
      if (!filled.phases[1].some(isRateLimited)) {
        ctx.blocked(
          'RL-009',
          `none of ${2 * limit.maxMessages} requests of one user in one window was refused`,
        );
      }
      const expected = `error ${ErrorCode.RATE_LIMITED} and close ${CloseCode.RATE_LIMITED} for message ${2 * limit.maxMessages + 1} of the user`;
      const notice = await filled.sendOver('rl-010-over');
      if (!isRateLimited(notice)) {
        filled.skipIfWindowEnded(notice);
        ctx.fail(`expected ${expected}, got: ${notice.text}`, { expected, actual: notice.text });
      }
      const close = await last.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
      if (!close.clean || close.code !== CloseCode.RATE_LIMITED) {
        filled.skipIfWindowEnded(notice);
        ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      const retryAfterMs =
        retryAfterOf(notice) ??
        ctx.fail(`expected error.retryAfterMs before close 4429, got: ${notice.text}`);
      const again = await ctx.connect(user.endpoint, { token: user.token, waitEstablished: false });
      const barred = `the user's new connection ${retryAfterMs} ms or less after close 4429`;
      const first = await again.next((m) => m.type === 'connection_established' || m.type === 'error', {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `error ${ErrorCode.RATE_LIMITED} and close ${CloseCode.TRY_AGAIN_LATER} for ${barred}`,
      });
      // Judged on the server's clock: when it refused, and when it let the new connection in.
      if (
        first.type === 'connection_established' &&
        serverTimeOf(first) - serverTimeOf(notice) >= retryAfterMs
      ) {
        ctx.skip(
          `the advised retryAfterMs (${retryAfterMs} ms) passed before the server took the new connection`,
        );
      }
      const refusal = await expectTryAgainLater(ctx, again, ErrorCode.RATE_LIMITED, barred, first);
      if (retryAfterOf(refusal) === undefined) {
        ctx.fail(`expected error.retryAfterMs before close 1013, got: ${refusal.text}`);
      }
      ctx.observe(
        `${2 * limit.maxMessages + 1} pings of one user: close 4429; a new connection at once: ${ErrorCode.RATE_LIMITED}, close 1013`,
      );
    },
  },
];
