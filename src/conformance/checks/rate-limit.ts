/**
 * Rate limit (RL-001 … RL-010), from the advertised `rateLimit {maxMessages, windowMs}`. Every burst is
 * the first messages of a fresh connection, so it opens a window and ends long before the window does;
 * that the endpoint answers its data request at all is proven first on another connection (ACK-003).
 * Answers come in the order of the messages, so the n-th answer is the answer to the n-th message, and
 * boundaries are checked exactly: message `maxMessages` is served and `maxMessages` + 1 refused, message
 * 2 × `maxMessages` leaves the connection open and 2 × `maxMessages` + 1 closes it. RL-009 and RL-010
 * fill the advertised `userRateLimit` of one user over many connections.
 */
import { CloseCode, Defaults, ErrorCode } from '../../protocol/constants.js';
import { CheckFailure } from '../check-failure.js';
import { describeClose } from '../probe.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import type { AdvertisedTimers, Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS, TIMER_SLACK_MS } from './deadlines.js';
import {
  DATA_REQUESTS_RULE,
  ON_DEMAND_DATA,
  onEveryFamily,
  openServing,
  type OnDemandData,
} from './endpoint-choice.js';
import { errorOf } from './errors.js';
import {
  advertisedConnectionLimit,
  connectWhenAdmitted,
  advertisedUserRateLimit,
  expectTryAgainLater,
  freshUser,
  openMany,
  quickRequest,
  requestsAnswered,
  retryAfterOf,
  serverTimeOf,
  type FreshUser,
  type Limit,
} from './limit-probes.js';

function isRateLimited(m: ReceivedMessage): boolean {
  return m.type === 'error' && errorOf(m).code === ErrorCode.RATE_LIMITED;
}

/** Replies to a burst arrive in order; allow a little per message on top of the reply deadline. */
const burstBudget = (t: AdvertisedTimers, messages: number) => 2 * REPLY_DEADLINE_MS + messages * 5;

/**
 * A message each family answers one for one, to count against the limit: its data request on market and
 * chat (an answer per request, and an effect that can be counted), the text `ping` on campaign (whose
 * own campaign pushes updates at any time, so only a pong answers exactly one message).
 */
interface Counted {
  endpoint: EndpointName;
  message: unknown;
  /** What answers it. */
  what: string;
  isAnswer: (m: ReceivedMessage) => boolean;
  /** Answers of that kind the endpoint sends before any message (its initial state). */
  initial: number;
  /** The rule that says it is answered at all. */
  owner: string;
}

function countedOf(source: OnDemandData): Counted {
  if (source.endpoint === 'campaigns') {
    return {
      endpoint: 'campaigns',
      message: 'ping',
      what: 'text pong',
      isAnswer: (m) => m.text === 'pong',
      initial: 0,
      owner: 'HB-004',
    };
  }
  return {
    endpoint: source.endpoint,
    message: source.request,
    what: source.replyType,
    isAnswer: (m) => m.type === source.replyType,
    initial: source.initialReplies,
    owner: DATA_REQUESTS_RULE,
  };
}

/**
 * Runs `each` on a fresh connection to an endpoint of every family, its initial state consumed. That the
 * counted message is answered at all is the first answer of every burst: when none comes, the check is
 * blocked by the rule that says it is answered.
 */
function onEveryFamilyFresh(
  ctx: CheckContext,
  each: (conn: ProbeConnection, counted: Counted) => Promise<void>,
): Promise<void> {
  return onEveryFamily(ctx, ON_DEMAND_DATA, async (source) => {
    const counted = countedOf(source);
    await each(await openFresh(ctx, counted), counted);
  });
}

/** A fresh connection to the counted message's endpoint, its initial state consumed. */
async function openFresh(ctx: CheckContext, counted: Counted): Promise<ProbeConnection> {
  const conn = await ctx.connect(counted.endpoint);
  for (let i = 0; i < counted.initial; i++) {
    try {
      await conn.next(counted.isAnswer, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `the initial ${counted.what}`,
      });
    } catch (error) {
      if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
      ctx.blocked('HS-010', `no initial ${counted.what} on ${counted.endpoint}`);
    }
  }
  return conn;
}

/**
 * For a check whose finding means something only if the server limits at all: on a fresh connection,
 * message `maxMessages` + 1 of counted messages must be refused; when it is not, that is RL-001's
 * finding and the check is blocked by it.
 */
async function blockedUnlessLimited(ctx: CheckContext, counted: Counted): Promise<void> {
  const { maxMessages } = ctx.timers.rateLimit;
  const conn = await openFresh(ctx, counted);
  burst(conn, counted, maxMessages + 1);
  const got = await answers(ctx, conn, counted, maxMessages + 1).catch((error: unknown) => {
    if (!(error instanceof CheckFailure) || ctx.signal.aborted) throw error;
    return [];
  });
  const last = got[maxMessages];
  if (last === undefined || !isRateLimited(last)) {
    ctx.blocked(
      'RL-001',
      `message ${maxMessages + 1} of ${maxMessages + 1} requests on ${counted.endpoint} was not refused either`,
    );
  }
}

/**
 * The answers to the next `count` counted messages sent on `conn`: each is the message's answer or a
 * RATE_LIMITED error, in order. Stops early when the connection closes.
 */
async function answers(
  ctx: CheckContext,
  conn: ProbeConnection,
  counted: Counted,
  count: number,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  for (let i = 1; i <= count; i++) {
    try {
      got.push(
        await conn.next((m) => counted.isAnswer(m) || isRateLimited(m), {
          timeoutMs: burstBudget(ctx.timers, count),
          expected: `the answer to message ${i} of ${count} (${counted.what} or ${ErrorCode.RATE_LIMITED})`,
        }),
      );
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      if (!got.some(counted.isAnswer) && conn.isOpen && !ctx.signal.aborted) {
        ctx.blocked(
          counted.owner,
          `no ${counted.what} answering ${JSON.stringify(counted.message)} on ${counted.endpoint}`,
        );
      }
      if (conn.isOpen) throw error;
      break;
    }
  }
  return got;
}

function burst(conn: ProbeConnection, counted: Counted, count: number): void {
  for (let i = 0; i < count; i++) conn.send(counted.message);
}

/** RFC 6455 pings sent at once before their pong is awaited (a server may drop a peer that floods it). */
const PINGS_PER_BATCH = 20;

/**
 * Sends `count` RFC 6455 control frames, pings and unsolicited pongs in turn, a batch at a time: the pong
 * of a batch's last ping comes back before the next batch goes, so no server's flood guard (the `ws`
 * library drops a peer with 60 pongs pending) is what the check meets. A server may answer a burst with
 * one pong, for its last ping (HB-012); a last ping left unanswered is HB-005's rule.
 */
async function sendControlFrames(ctx: CheckContext, conn: ProbeConnection, count: number): Promise<void> {
  for (let sent = 0; sent < count;) {
    let last: Buffer | undefined;
    for (let pings = 0; sent < count && pings < PINGS_PER_BATCH; sent++) {
      const payload = Buffer.from(`rl-005-${sent}`);
      if (sent % 2 === 0) {
        conn.ping(payload);
        last = payload;
        pings++;
      } else conn.pong(payload);
    }
    if (last === undefined) continue;
    for (;;) {
      let pong: Uint8Array;
      try {
        pong = await conn.nextPong({
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `the pong of RFC 6455 ping "${last.toString()}"`,
        });
      } catch (error) {
        if (!(error instanceof CheckFailure) || !conn.isOpen || ctx.signal.aborted) throw error;
        return ctx.blocked('HB-005', `an RFC 6455 ping on ${conn.endpoint} got no pong`);
      }
      if (last.equals(pong)) break;
    }
  }
}

/** Counts `RATE_LIMITED` answers. */
function refusals(got: readonly ReceivedMessage[]): number {
  return got.filter(isRateLimited).length;
}

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
  const last = await connectWhenAdmitted(ctx, user.endpoint, { token: user.token });
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
      // Closed, and the closes finished, before the next batch opens: a slow network or proxy must not
      // leave them counting against the address's connection limit (SEC-005).
      await Promise.all(
        conns.map((conn) => {
          conn.close(1000);
          return conn
            .closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close of a sender' })
            .catch(() => {});
        }),
      );
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
    budgetMs: (t) => REPLY_DEADLINE_MS + burstBudget(t, t.rateLimit.maxMessages) + QUIET_PERIOD_MS,
    async run(ctx) {
      const { maxMessages, windowMs } = ctx.timers.rateLimit;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        const firstSentAt = ctx.now();
        burst(conn, counted, maxMessages + 1);
        const got = await answers(ctx, conn, counted, maxMessages + 1);
        const last = got[maxMessages];
        if (last === undefined || !isRateLimited(last)) {
          const actual =
            last?.text ?? `${got.length} answers and then ${conn.isOpen ? 'nothing' : 'a close'}`;
          ctx.fail(
            `expected error ${ErrorCode.RATE_LIMITED} for message ${maxMessages + 1} of one window on ${counted.endpoint}, got: ${actual}`,
            {
              expected: `${ErrorCode.RATE_LIMITED} for message ${maxMessages + 1}`,
              actual,
            },
          );
        }
        // retryAfterMs is the time left in the window that the first message opened: at most what is left
        // of windowMs after the burst began, at least what is left after its answer arrived.
        const retryAfterMs = errorOf(last).retryAfterMs;
        const elapsedMs = last.at - firstSentAt;
        const lowest = Math.max(1, Math.floor(windowMs - elapsedMs) - 1);
        if (typeof retryAfterMs !== 'number' || !(retryAfterMs >= lowest && retryAfterMs <= windowMs)) {
          ctx.fail(
            `expected error.retryAfterMs between ${lowest} and ${windowMs} ms (what is left of the ${windowMs} ms window), got: ${JSON.stringify(retryAfterMs)}`,
            { expected: `${lowest} … ${windowMs}`, actual: last.text },
          );
        }
        if (!(await conn.staysOpen(QUIET_PERIOD_MS))) {
          const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' });
          ctx.fail(
            `expected the connection to stay open after ${ErrorCode.RATE_LIMITED}, got: ${describeClose(close)}`,
          );
        }
        ctx.observe(
          `${counted.endpoint}: message ${maxMessages + 1} of a window got ${ErrorCode.RATE_LIMITED} with retryAfterMs ${retryAfterMs} (window ${windowMs} ms, ${Math.round(elapsedMs)} ms in); still open`,
        );
      });
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
    budgetMs: (t) => REPLY_DEADLINE_MS + 2 * burstBudget(t, 2 * t.rateLimit.maxMessages) + QUIET_PERIOD_MS,
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        burst(conn, counted, 2 * maxMessages);
        const got = await answers(ctx, conn, counted, 2 * maxMessages);
        if (!(await conn.staysOpen(QUIET_PERIOD_MS))) {
          const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' });
          ctx.fail(
            `expected the connection to stay open after message ${2 * maxMessages} (twice the limit), got: ${describeClose(close)}`,
            {
              expected: 'open',
              actual: describeClose(close),
            },
          );
        }
        conn.send(counted.message);
        const expected = `close ${CloseCode.RATE_LIMITED}`;
        const close = await conn.closed({
          timeoutMs: burstBudget(ctx.timers, 1),
          expected: `${expected} after message ${2 * maxMessages + 1}`,
        });
        if (!close.clean || close.code !== CloseCode.RATE_LIMITED) {
          ctx.fail(
            `expected ${expected} after message ${2 * maxMessages + 1}, got: ${describeClose(close)}`,
            {
              expected,
              actual: describeClose(close),
            },
          );
        }
        const final = conn.received.filter(isRateLimited).at(-1);
        if (
          final === undefined ||
          conn.received.indexOf(final) <= conn.received.indexOf(got.at(-1) as ReceivedMessage)
        ) {
          ctx.fail(
            `expected error ${ErrorCode.RATE_LIMITED} for message ${2 * maxMessages + 1} before ${expected}, got: none`,
          );
        }
        ctx.observe(
          `${counted.endpoint}: ${2 * maxMessages} messages left it open (${refusals(got)} refused); message ${2 * maxMessages + 1} got ${ErrorCode.RATE_LIMITED} and close 4429`,
        );
      });
    },
  },
  {
    id: 'RL-003',
    level: 'SHOULD',
    area: 'rate-limit',
    title: 'never refuses messages within the advertised limit',
    requirement: 'Client messages within the advertised rate limit are never refused as RATE_LIMITED.',
    families: [],
    budgetMs: (t) => REPLY_DEADLINE_MS + burstBudget(t, t.rateLimit.maxMessages),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        burst(conn, counted, maxMessages);
        const got = await answers(ctx, conn, counted, maxMessages);
        const refused = got.findIndex(isRateLimited);
        if (refused !== -1 || got.length < maxMessages) {
          ctx.fail(
            `expected ${maxMessages} messages in one window to be served on ${counted.endpoint}, got: ${refused === -1 ? `${got.length} answers` : `${ErrorCode.RATE_LIMITED} for message ${refused + 1}`}`,
            {
              expected: `${maxMessages} × ${counted.what}`,
              actual: got[refused]?.text ?? `${got.length} answers`,
            },
          );
        }
        ctx.observe(`${counted.endpoint}: all ${maxMessages} messages of one window served`);
      });
    },
  },
  {
    id: 'RL-004',
    level: 'MUST',
    area: 'rate-limit',
    title: 'counts every text frame, pings, pongs and invalid frames included',
    requirement:
      'Every client text frame counts against the rate limit, whatever it holds: requests, application pings and pongs, and frames that turn out to be invalid.',
    families: [],
    // The burst, then (when the request was served) a burst of requests alone on another connection.
    budgetMs: (t) => 2 * (REPLY_DEADLINE_MS + burstBudget(t, t.rateLimit.maxMessages)),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        const kinds: [string, unknown][] = [
          // JSON pings: on campaign a text pong answers the counted text ping, a JSON pong these.
          ['application pings', { type: 'ping' }],
          ['application pongs', conn.endpoint === 'campaigns' ? 'pong' : { type: 'pong' }],
          ['frames that are not an object', [1]],
          ['messages of an unknown type', { type: 'no_such_type' }],
        ];
        for (let i = 0; i < maxMessages; i++) conn.send(kinds[i % kinds.length][1]);
        // Message maxMessages + 1: a request, refused only if every frame before it counted.
        conn.send(counted.message);
        const answer = await conn.next((m) => counted.isAnswer(m) || isRateLimited(m), {
          timeoutMs: burstBudget(ctx.timers, maxMessages),
          expected: `${ErrorCode.RATE_LIMITED} for a request after ${maxMessages} pings, pongs and invalid frames`,
        });
        if (!isRateLimited(answer)) {
          await blockedUnlessLimited(ctx, counted);
          ctx.fail(
            `expected ${ErrorCode.RATE_LIMITED} for a request after ${maxMessages} pings, pongs and invalid frames on ${counted.endpoint}, got: ${answer.type}`,
            {
              expected: ErrorCode.RATE_LIMITED,
              actual: answer.text,
            },
          );
        }
        ctx.observe(
          `${counted.endpoint}: ${maxMessages} ${kinds.map(([what]) => what).join(', ')} counted: the next request was refused`,
        );
      });
    },
  },
  {
    id: 'RL-005',
    level: 'MUST',
    area: 'rate-limit',
    title: 'does not count RFC 6455 pings and pongs',
    requirement: 'RFC 6455 ping and pong frames from the client do not count against the rate limit.',
    families: [],
    budgetMs: (t) => 2 * REPLY_DEADLINE_MS + burstBudget(t, 2 * t.rateLimit.maxMessages),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const requests = 3;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        const controlFrames = 2 * maxMessages + 1;
        await sendControlFrames(ctx, conn, controlFrames);
        burst(conn, counted, requests);
        const got = await answers(ctx, conn, counted, requests);
        if (got.length < requests || refusals(got) > 0) {
          const actual = conn.isOpen
            ? `${refusals(got)} of ${requests} refused`
            : describeClose(await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' }));
          ctx.fail(
            `expected ${requests} requests after ${controlFrames} RFC 6455 pings and pongs to be served on ${counted.endpoint}, got: ${actual}`,
            {
              expected: `${requests} × ${counted.what}`,
              actual,
            },
          );
        }
        ctx.observe(
          `${counted.endpoint}: ${controlFrames} RFC 6455 pings and pongs, then ${requests} requests all served`,
        );
      });
    },
  },
  {
    id: 'RL-006',
    level: 'MUST',
    area: 'rate-limit',
    title: 'does not process a message it refuses as RATE_LIMITED',
    requirement:
      'A message refused as RATE_LIMITED is not processed: a refused request has no effect, and a refused `ping` gets no `pong`.',
    families: [],
    budgetMs: (t) => REPLY_DEADLINE_MS + burstBudget(t, t.rateLimit.maxMessages) + QUIET_PERIOD_MS,
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const extra = 3;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        // On campaign the counted messages are pings themselves; elsewhere a JSON ping follows the requests.
        const pingAfter = counted.endpoint !== 'campaigns';
        burst(conn, counted, maxMessages + extra);
        if (pingAfter) conn.send({ type: 'ping' });
        const got = await answers(ctx, conn, counted, maxMessages + extra);
        // Nothing refused: whether refused messages are processed cannot be told (RL-001's finding).
        if (refusals(got) === 0) {
          ctx.blocked('RL-001', `none of ${maxMessages + extra} requests on ${counted.endpoint} was refused`);
        }
        if (pingAfter) {
          // The ping's refusal (or pong) comes after the answers to the requests.
          await conn.next((m) => isRateLimited(m) || m.type === 'pong', {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `${ErrorCode.RATE_LIMITED} for the ping sent after ${maxMessages + extra} requests`,
          });
        }
        await conn.staysOpen(QUIET_PERIOD_MS);
        const effects = conn.received.filter(counted.isAnswer).length - counted.initial;
        const served = got.length - refusals(got);
        const pongs = pingAfter ? conn.received.filter((m) => m.type === 'pong') : [];
        if (effects !== served || pongs.length > 0) {
          const actual =
            pongs.length > 0
              ? `a pong for a refused ping: ${pongs[0].text}`
              : `${effects} × ${counted.what} for ${served} requests served`;
          ctx.fail(`expected refused messages not to be processed on ${counted.endpoint}, got: ${actual}`, {
            expected: `${served} × ${counted.what}, no pong`,
            actual,
          });
        }
        ctx.observe(
          `${counted.endpoint}: ${served} of ${maxMessages + extra} requests served, ${effects} × ${counted.what}; the refused ping got no pong`,
        );
      });
    },
  },
  {
    id: 'RL-007',
    level: 'MUST',
    area: 'rate-limit',
    title: 'neither processes nor answers messages after the one that closes',
    requirement:
      'Messages that arrive after message 2 × `rateLimit.maxMessages` + 1 of a window are neither processed nor answered.',
    families: [],
    budgetMs: (t) => REPLY_DEADLINE_MS + burstBudget(t, 2 * t.rateLimit.maxMessages),
    async run(ctx) {
      const { maxMessages } = ctx.timers.rateLimit;
      const after = 5;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        burst(conn, counted, 2 * maxMessages + 1 + after);
        const close = await conn
          .closed({
            timeoutMs: burstBudget(ctx.timers, 2 * maxMessages),
            expected: `close ${CloseCode.RATE_LIMITED}`,
          })
          .catch((error: unknown) => {
            if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
            return ctx.blocked(
              'RL-002',
              `no close after ${2 * maxMessages + 1 + after} messages on ${counted.endpoint}`,
            );
          });
        if (close.code !== CloseCode.RATE_LIMITED)
          ctx.blocked('RL-002', `the burst ended in ${describeClose(close)}`);
        // Message 2 × maxMessages + 1 is the first RATE_LIMITED error that announces the close: whatever
        // answers come after it answer the messages after it.
        const closing = conn.received.findIndex(
          (m) => isRateLimited(m) && errorOf(m).closeCode !== undefined,
        );
        const lastRefusal = conn.received.map(isRateLimited).lastIndexOf(true);
        const from = closing !== -1 ? closing : lastRefusal;
        if (from === -1) ctx.blocked('RL-002', `no ${ErrorCode.RATE_LIMITED} before close 4429`);
        const later = conn.received.slice(from + 1).filter((m) => counted.isAnswer(m) || m.type === 'error');
        if (later.length > 0) {
          ctx.fail(
            `expected no answer after message ${2 * maxMessages + 1} on ${counted.endpoint}, got: ${later.length} more`,
            { expected: 'nothing after the closing error', actual: later.map((m) => m.text).join('\n') },
          );
        }
        ctx.observe(
          `${counted.endpoint}: ${after} messages sent after message ${2 * maxMessages + 1}: none answered before close 4429`,
        );
      });
    },
  },
  {
    id: 'RL-008',
    level: 'MUST',
    area: 'rate-limit',
    title: 'opens a new window once windowMs has passed',
    requirement:
      'A window ends `rateLimit.windowMs` after the message that opened it; the first message after that opens a new window and is processed.',
    families: [],
    budgetMs: (t) =>
      REPLY_DEADLINE_MS + 2 * burstBudget(t, t.rateLimit.maxMessages) + t.rateLimit.windowMs + TIMER_SLACK_MS,
    async run(ctx) {
      const { maxMessages, windowMs } = ctx.timers.rateLimit;
      await onEveryFamilyFresh(ctx, async (conn, counted) => {
        const openedAt = ctx.now();
        burst(conn, counted, maxMessages);
        const first = await answers(ctx, conn, counted, maxMessages);
        // The window began when the server got the first message, after it was sent.
        const waitMs = windowMs + TIMER_SLACK_MS - (ctx.now() - openedAt) / ctx.timeoutScale;
        if (!(await conn.staysOpen(Math.max(0, waitMs)))) {
          const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' });
          // Its RFC pings were answered; only the application pings it leaves unanswered can explain 4408.
          if (close.code === CloseCode.HEARTBEAT_TIMEOUT) {
            ctx.blocked('HB-007', `closed with 4408 while its application pings went unanswered`);
          }
          ctx.fail(
            `expected the connection on ${counted.endpoint} to stay open while the window passed, got: ${describeClose(close)}`,
          );
        }
        burst(conn, counted, maxMessages);
        const second = await answers(ctx, conn, counted, maxMessages);
        // However many the server serves in a window (RL-003's rule), it serves as many in the next.
        if (second.length < first.length || refusals(second) > refusals(first)) {
          ctx.fail(
            `expected the window after ${windowMs} ms to serve as the first did (${first.length - refusals(first)} of ${maxMessages}) on ${counted.endpoint}, got: ${second.length - refusals(second)}`,
            {
              expected: `${first.length - refusals(first)} served`,
              actual: `${second.length - refusals(second)} served, ${refusals(second)} ${ErrorCode.RATE_LIMITED}`,
            },
          );
        }
        ctx.observe(
          `${counted.endpoint}: ${maxMessages} messages served, again ${windowMs + TIMER_SLACK_MS} ms after the first`,
        );
      });
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
