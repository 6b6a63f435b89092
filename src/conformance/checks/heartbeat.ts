/**
 * Heartbeat (HB-001 … HB-012): RFC 6455 pings for server-side liveness, application pings for
 * client-side liveness, and the answers to both (a burst of pings among them).
 *
 * The checks of periodic pings watch several of them by default: HB-001 and HB-006 the spacing of two,
 * HB-007 three left unanswered, HB-011 two answered with other payloads. With production timers (30 s,
 * 10 s) that takes about three intervals plus the timeout; `--quick-heartbeat` (RunMode.quickHeartbeat)
 * watches one ping of each kind, about one interval plus the timeout, and each verdict says what it left
 * unmeasured.
 */
import { randomBytes } from 'node:crypto';
import { CloseCode, Defaults, ErrorCode } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import { CONNECT_TIMEOUT_MS, describeClose } from '../probe.js';
import type {
  AdvertisedTimers,
  Check,
  CheckContext,
  ProbeConnection,
  ReceivedMessage,
  RunMode,
} from '../types.js';
import { answerAppPings, appPong, isAppPing, isAppPong } from './app-pings.js';
import {
  heartbeatBudgetMs,
  nthPingDeadlineMs,
  pingToleranceMs,
  pingsWatched,
  QUIET_PERIOD_MS,
  REPLY_DEADLINE_MS,
  TIMER_SLACK_MS,
  timeoutLatenessMs,
  unansweredAppPings,
} from './deadlines.js';
import { ANY_ENDPOINT, choose, connectSettled, onEveryFamily, uniqueSuffix } from './endpoint-choice.js';
import { isRefusalNotice, noticeCode } from './refusal.js';

/** Milliseconds (before --timeout-scale) left until `limitMs` after `since` (ms since check start). */
function leftUntil(ctx: CheckContext, since: number, limitMs: number): number {
  return Math.max(0, limitMs - (ctx.now() - since) / ctx.timeoutScale);
}

function openedAt(ctx: CheckContext, conn: ProbeConnection): number {
  return conn.openedAt ?? ctx.now();
}

/**
 * When the server's ping schedule starts: when `connection_established` arrived, if it is the first
 * message that is not a ping (a server accepts a connection once its token and scope checks are done,
 * HS-012, and may start its schedule then), else when the upgrade completed. Waits for that message at
 * most `withinMs` after the upgrade, and never longer than the connection's own allowance
 * (CONNECT_TIMEOUT_MS); pings that arrive meanwhile stay queued with their times.
 */
async function scheduleStart(ctx: CheckContext, conn: ProbeConnection, withinMs: number): Promise<number> {
  const opened = openedAt(ctx, conn);
  const isPing = isAppPing(conn.endpoint);
  const first = await conn
    .next((m) => !isPing(m), {
      timeoutMs: leftUntil(ctx, opened, Math.min(withinMs, CONNECT_TIMEOUT_MS)),
      expected: `a first message on ${conn.endpoint}`,
    })
    .catch((error: unknown) => {
      if (error instanceof CheckFailure && !ctx.signal.aborted) return undefined;
      throw error;
    });
  return first?.type === 'connection_established' ? first.at : opened;
}

/** Allowed time from one ping to the next, or from the connection opening to the first. */
function spacingLimitMs(timers: AdvertisedTimers): number {
  return timers.heartbeatIntervalMs + pingToleranceMs(timers.heartbeatIntervalMs);
}

/** A periodic ping of one kind, taken from a connection within a deadline (resolves with its time). */
type TakePing = (timeoutMs: number) => Promise<number>;

/** What happened to a wait for a ping: it came (at), its time ran out, or the connection closed. */
type PingWait = { at: number } | { late: true } | { closed: string };

async function waitPing(
  ctx: CheckContext,
  conn: ProbeConnection,
  take: TakePing,
  timeoutMs: number,
): Promise<PingWait> {
  try {
    return { at: await take(timeoutMs) };
  } catch (error) {
    if (!(error instanceof CheckFailure) || ctx.signal.aborted) throw error;
    if (conn.isOpen) return { late: true };
    const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' });
    return { closed: describeClose(close) };
  }
}

/** The next RFC 6455 ping within `timeoutMs`. */
function rfcPings(conn: ProbeConnection): TakePing {
  return (timeoutMs) => conn.nextPing({ timeoutMs, expected: 'an RFC 6455 ping' });
}

/** The next application ping within `timeoutMs`; `answer` sends the pong a client may send. */
function appPings(ctx: CheckContext, conn: ProbeConnection, answer: boolean): TakePing {
  return async (timeoutMs) => {
    const ping = await conn.next(isAppPing(conn.endpoint), {
      timeoutMs,
      expected: `an application ping on ${conn.endpoint}`,
    });
    if (answer) conn.send(appPong(conn.endpoint));
    if (conn.endpoint !== 'campaigns' && ping.json !== undefined && typeof ping.json.timestamp !== 'string') {
      ctx.fail(`expected {"type":"ping","timestamp"} on ${conn.endpoint}, got: ${ping.text}`);
    }
    return ping.at;
  };
}

/**
 * HB-001 and HB-006: the first ping within one interval (plus tolerance) of the connection opening and,
 * unless the run is quick, the second within one interval (plus tolerance) of the first.
 */
async function expectPeriodicPings(
  ctx: CheckContext,
  conn: ProbeConnection,
  what: string,
  take: TakePing,
): Promise<void> {
  const { heartbeatIntervalMs } = ctx.timers;
  const limitMs = spacingLimitMs(ctx.timers);
  const scaledLimit = Math.round(limitMs * ctx.timeoutScale);
  const opened = await scheduleStart(ctx, conn, limitMs);
  const first = await waitPing(ctx, conn, take, leftUntil(ctx, opened, limitMs));
  if (!('at' in first)) {
    const actual = 'closed' in first ? first.closed : `none within ${scaledLimit} ms`;
    ctx.fail(
      `expected the first ${what} within ${scaledLimit} ms of the connection opening (heartbeatIntervalMs ${heartbeatIntervalMs} plus tolerance), got: ${actual}`,
      {
        expected: `a ${what} within ${scaledLimit} ms`,
        actual,
      },
    );
  }
  const firstAfter = Math.round(first.at - opened);
  if (pingsWatched(ctx.mode) < 2) {
    ctx.observe(
      `first ${what} ${firstAfter} ms after opening (heartbeatIntervalMs ${heartbeatIntervalMs}); spacing not measured (--quick-heartbeat)`,
    );
    return;
  }
  const second = await waitPing(ctx, conn, take, leftUntil(ctx, first.at, limitMs));
  if (!('at' in second)) {
    const actual = 'closed' in second ? second.closed : `none within ${scaledLimit} ms`;
    ctx.fail(
      `expected a second ${what} within ${scaledLimit} ms of the first (heartbeatIntervalMs ${heartbeatIntervalMs} plus tolerance), got: ${actual}`,
      {
        expected: `a second ${what} within ${scaledLimit} ms of the first`,
        actual,
      },
    );
  }
  const spacingMs = Math.round(second.at - first.at);
  if (spacingMs > scaledLimit) {
    ctx.fail(`expected ${what}s at most ${heartbeatIntervalMs} ms apart, got: ${spacingMs} ms`, {
      expected: `≤ ${heartbeatIntervalMs} ms`,
      actual: `${spacingMs} ms`,
    });
  }
  ctx.observe(
    `first ${what} ${firstAfter} ms after opening, the second ${spacingMs} ms later (heartbeatIntervalMs ${heartbeatIntervalMs})`,
  );
}

/**
 * Waits for `count` pings of a kind, the n-th within n intervals (plus tolerance) of the connection
 * opening. A ping that does not come in time is HB-001's or HB-006's rule (`owner`): the check is
 * blocked. A close while waiting is returned with the number of pings seen before it.
 */
async function watchPings(
  ctx: CheckContext,
  conn: ProbeConnection,
  what: string,
  take: TakePing,
  count: number,
  owner: string,
): Promise<{ start: number; seen: number[]; closed?: string }> {
  const start = await scheduleStart(ctx, conn, nthPingDeadlineMs(ctx.timers, 1));
  const seen: number[] = [];
  for (let n = 1; n <= count; n++) {
    const limitMs = nthPingDeadlineMs(ctx.timers, n);
    const wait = await waitPing(ctx, conn, take, leftUntil(ctx, start, limitMs));
    if ('closed' in wait) return { start, seen, closed: wait.closed };
    if ('late' in wait) {
      ctx.blocked(
        owner,
        `${what} #${n} did not come within ${Math.round(limitMs * ctx.timeoutScale)} ms of opening (${seen.length} came)`,
      );
    }
    seen.push(wait.at);
  }
  return { start, seen };
}

/** `pings` spelled out: "1 application ping", "3 application pings". */
function countOf(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Answers every RFC 6455 ping with a pong whose payload differs from the ping's (HB-011). */
function answerWithOtherPayload(conn: ProbeConnection, payload: Uint8Array): void {
  const loop = async () => {
    while (conn.isOpen) {
      await conn.nextPing({ timeoutMs: 10 * 60_000, expected: 'an RFC 6455 ping' });
      conn.pong(payload);
    }
  };
  loop().catch(() => {});
}

/** HB-008 on one endpoint: the pong of a JSON ping carries its id, and no ack answers the ping. */
async function expectPongCarriesId(ctx: CheckContext, name: EndpointName): Promise<void> {
  const conn = await ctx.connect(name);
  const ids = [`hb-008-${uniqueSuffix()}`, Math.floor(Math.random() * 1e9)];
  for (const id of ids) conn.send({ type: 'ping', id });
  for (const id of ids) {
    let pong: ReceivedMessage;
    try {
      pong = await conn.next((m) => m.type === 'pong', {
        timeoutMs: Defaults.pongDeadlineMs + REPLY_DEADLINE_MS,
        expected: `a pong answering {"type":"ping","id":${JSON.stringify(id)}}`,
      });
    } catch (error) {
      if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
      return ctx.blocked('HB-003', `no pong on ${name} answering a ping`);
    }
    if (pong.json?.id !== id) {
      ctx.fail(`expected the pong to carry id ${JSON.stringify(id)} on ${name}, got: ${pong.text}`, {
        expected: `{"type":"pong","id":${JSON.stringify(id)}}`,
        actual: pong.text,
      });
    }
  }
  await conn.staysOpen(QUIET_PERIOD_MS);
  const acks = conn.received.filter((m) => m.type === 'ack' && ids.includes(m.json?.id as string | number));
  if (acks.length > 0) {
    ctx.fail(`expected no ack answering a ping on ${name}, got: ${acks[0].text}`, {
      expected: 'the pong only',
      actual: acks[0].text,
    });
  }
  ctx.observe(`${name}: pongs carry the string and the number id of their pings, and no ack came`);
}

/** HB-010 on one endpoint: application pongs from the client get no answer. */
async function expectPongsUnanswered(ctx: CheckContext, name: EndpointName): Promise<void> {
  const conn = await connectSettled(ctx, name);
  const pongs: unknown[] = [{ type: 'pong' }, { type: 'pong', id: `hb-010-${uniqueSuffix()}` }];
  if (name === 'campaigns') pongs.push('pong');
  const sentAt = conn.received.length;
  for (const pong of pongs) conn.send(pong);
  // A ping after the pongs is answered after anything that answers them (answers come in order).
  const fence = name === 'campaigns' ? 'ping' : { type: 'ping' };
  conn.send(fence);
  try {
    await conn.next(isAppPong(name), {
      timeoutMs: Defaults.pongDeadlineMs + REPLY_DEADLINE_MS,
      expected: `a pong answering the ping sent after the client's pongs on ${name}`,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
    // The fence's pong tells when the answers ended.
    ctx.blocked(name === 'campaigns' ? 'HB-004' : 'HB-003', `no pong on ${name} answering a ping`);
  }
  const answers = conn.received
    .slice(sentAt)
    .filter((m) => m.type === 'ack' || m.type === 'error' || m.type === 'pong' || m.text === 'pong');
  // The last of them answers the fence.
  const extra = answers.slice(0, -1);
  if (extra.length > 0) {
    ctx.fail(
      `expected no answer to application pongs on ${name}, got: ${extra.map((m) => m.text).join(' ')}`,
      {
        expected: 'no answer',
        actual: extra.map((m) => m.text).join('\n'),
      },
    );
  }
  ctx.observe(`${name}: ${pongs.length} application pongs sent, none answered`);
}

/**
 * A burst of pings that ends in close 4429 was counted against the rate limit: RFC 6455 control frames
 * must not be (RL-005's rule), on which HB-012 then depends.
 */
async function blockedIfPingsCounted(ctx: CheckContext, conn: ProbeConnection): Promise<void> {
  if (conn.isOpen) return;
  const close = await conn.closed({ timeoutMs: 0, expected: 'the close' });
  if (close.code === CloseCode.RATE_LIMITED) {
    ctx.blocked('RL-005', `a burst of ${BURST_PINGS} RFC 6455 pings ended in ${describeClose(close)}`);
  }
}

/** RFC 6455 pings HB-012 sends at once: well past the 60 unanswered pongs some libraries drop a peer for. */
const BURST_PINGS = 200;

export const HEARTBEAT_CHECKS: readonly Check[] = [
  {
    id: 'HB-001',
    level: 'MUST',
    area: 'heartbeat',
    title: 'sends RFC 6455 pings at most heartbeatIntervalMs apart',
    requirement:
      'The server sends RFC 6455 ping frames at most `heartbeatIntervalMs` apart, the first within `heartbeatIntervalMs` of the connection opening.',
    families: [],
    budgetMs: (t, mode) => pingsWatched(mode) * spacingLimitMs(t) + TIMER_SLACK_MS,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      answerAppPings(conn);
      await expectPeriodicPings(ctx, conn, 'RFC 6455 ping', rfcPings(conn));
    },
  },
  {
    id: 'HB-002',
    level: 'MUST',
    area: 'heartbeat',
    title: 'closes with 4408 a connection that does not answer its pings',
    requirement:
      'The server closes a connection that has not answered its RFC 6455 ping within `heartbeatTimeoutMs` with `error` (HEARTBEAT_TIMEOUT) and close 4408.',
    families: [],
    budgetMs: (t) => heartbeatBudgetMs(t, 1, true),
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), {
        autoPong: false,
        waitEstablished: false,
      });
      // Only the RFC pings go unanswered: a close for ignored application pings is not this rule's.
      answerAppPings(conn);
      const { heartbeatTimeoutMs } = ctx.timers;
      const { seen, closed } = await watchPings(ctx, conn, 'RFC 6455 ping', rfcPings(conn), 1, 'HB-001');
      if (closed !== undefined) ctx.fail(`expected an RFC 6455 ping, got: ${closed} before any`);
      const [pingAt] = seen;
      const expected = `close ${CloseCode.HEARTBEAT_TIMEOUT}`;
      const closeWithinMs = heartbeatTimeoutMs + timeoutLatenessMs(heartbeatTimeoutMs);
      const within = `within ${Math.round(closeWithinMs * ctx.timeoutScale)} ms of the unanswered ping (heartbeatTimeoutMs ${heartbeatTimeoutMs})`;
      const close = await conn
        .closed({ timeoutMs: leftUntil(ctx, pingAt, closeWithinMs), expected })
        .catch((error: unknown) => {
          if (!(error instanceof CheckFailure) || ctx.signal.aborted || !conn.isOpen) throw error;
          return ctx.fail(`expected ${expected} ${within}, got: the connection still open`, {
            expected: `${expected} ${within}`,
            actual: 'still open',
          });
        });
      if (!close.clean || close.code !== CloseCode.HEARTBEAT_TIMEOUT) {
        ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      const notice = [...conn.received].reverse().find(isRefusalNotice);
      if (notice === undefined || noticeCode(notice) !== ErrorCode.HEARTBEAT_TIMEOUT) {
        ctx.fail(
          `expected error ${ErrorCode.HEARTBEAT_TIMEOUT} before ${expected}, got: ${notice?.text ?? 'none'}`,
          {
            expected: `error ${ErrorCode.HEARTBEAT_TIMEOUT}`,
            actual: notice?.text ?? 'none',
          },
        );
      }
      const afterMs = Math.round((conn.closeFrameAt ?? ctx.now()) - pingAt);
      ctx.observe(
        `RFC ping left unanswered: error ${ErrorCode.HEARTBEAT_TIMEOUT}, then close 4408 ${afterMs} ms later (heartbeatTimeoutMs ${heartbeatTimeoutMs})`,
      );
    },
  },
  {
    id: 'HB-003',
    level: 'MUST',
    area: 'heartbeat',
    title: 'answers a JSON ping with a JSON pong within 1 s',
    requirement:
      'The server answers a JSON `{"type":"ping"}` with a JSON `{"type":"pong"}` within 1 s (chat and market endpoints).',
    families: ['chat', 'market'],
    budgetMs: () => REPLY_DEADLINE_MS + Defaults.pongDeadlineMs,
    async run(ctx) {
      await onEveryFamily(ctx, ['monitoring', 'conversations'] as const, async (name) => {
        const conn = await connectSettled(ctx, name);
        const sentAt = ctx.now();
        conn.send({ type: 'ping' });
        const pong = await conn.next((m) => m.type === 'pong', {
          timeoutMs: Defaults.pongDeadlineMs,
          expected: `{"type":"pong"} within 1 s on ${name}`,
        });
        ctx.observe(`${name}: {"type":"pong"} ${Math.round(pong.at - sentAt)} ms after {"type":"ping"}`);
      });
    },
  },
  {
    id: 'HB-004',
    level: 'MUST',
    area: 'heartbeat',
    title: 'answers a text ping with a text pong within 1 s on the campaign endpoint',
    requirement:
      'On the campaign endpoint the server answers a text frame `ping` with a text frame `pong` within 1 s.',
    families: ['campaign'],
    budgetMs: () => REPLY_DEADLINE_MS + Defaults.pongDeadlineMs,
    async run(ctx) {
      const conn = await connectSettled(ctx, 'campaigns');
      const sentAt = ctx.now();
      conn.send('ping');
      const pong = await conn.next(isAppPong('campaigns'), {
        timeoutMs: Defaults.pongDeadlineMs,
        expected: 'text frame pong within 1 s',
      });
      ctx.observe(`campaigns: text pong ${Math.round(pong.at - sentAt)} ms after text ping`);
    },
  },
  {
    id: 'HB-005',
    level: 'MUST',
    area: 'heartbeat',
    title: 'answers an RFC 6455 ping with a pong carrying the same payload',
    requirement: 'The server answers an RFC 6455 ping with a pong carrying the same payload.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        const conn = await ctx.connect(name, { waitEstablished: false });
        const payload = randomBytes(8);
        conn.ping(payload);
        const pong = await conn.nextPong({ timeoutMs: REPLY_DEADLINE_MS, expected: 'an RFC 6455 pong' });
        if (!Buffer.from(pong).equals(payload)) {
          const expected = payload.toString('hex');
          const actual = Buffer.from(pong).toString('hex') || '(empty)';
          ctx.fail(`expected a pong with payload ${expected} on ${name}, got: ${actual}`, {
            expected,
            actual,
          });
        }
        ctx.observe(`${name}: RFC pong with the ping's 8-byte payload`);
      });
    },
  },
  {
    id: 'HB-006',
    level: 'MUST',
    area: 'heartbeat',
    title: 'sends application pings at most heartbeatIntervalMs apart',
    requirement:
      'The server sends application pings at most `heartbeatIntervalMs` apart, the first within `heartbeatIntervalMs` of the connection opening: `{"type":"ping","timestamp"}` on chat and market, text `ping` on campaign.',
    families: [],
    budgetMs: (t, mode) => pingsWatched(mode) * spacingLimitMs(t) + TIMER_SLACK_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        const conn = await ctx.connect(name, { waitEstablished: false });
        await expectPeriodicPings(ctx, conn, `application ping on ${name}`, appPings(ctx, conn, true));
      });
    },
  },
  {
    id: 'HB-007',
    level: 'MUST',
    area: 'heartbeat',
    title: 'never closes a client that ignores application pings',
    requirement: 'The server never closes a connection because the client did not answer application pings.',
    families: [],
    budgetMs: (t, mode: RunMode) => heartbeatBudgetMs(t, unansweredAppPings(mode), true),
    async run(ctx) {
      const count = unansweredAppPings(ctx.mode);
      const openMs = ctx.timers.heartbeatTimeoutMs + TIMER_SLACK_MS;
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        // RFC pings are answered (autoPong); application pings never are.
        const conn = await ctx.connect(name, { waitEstablished: false });
        const what = `application ping on ${name}`;
        const { start, seen, closed } = await watchPings(
          ctx,
          conn,
          what,
          appPings(ctx, conn, false),
          count,
          'HB-006',
        );
        const lastAt = seen.at(-1) ?? start;
        const stillOpen = closed === undefined && (await conn.staysOpen(leftUntil(ctx, lastAt, openMs)));
        if (!stillOpen) {
          const close =
            closed ??
            describeClose(await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' }));
          ctx.fail(
            `expected the connection on ${name} to stay open with application pings unanswered, got: ${close} after ${countOf(seen.length, 'unanswered ping')}`,
            { expected: 'open', actual: close },
          );
        }
        const quick = ctx.mode.quickHeartbeat ? ' (--quick-heartbeat: one ping, not three)' : '';
        ctx.observe(
          `${name}: open ${Math.round(openMs * ctx.timeoutScale)} ms after the last of ${countOf(count, 'unanswered application ping')}${quick}`,
        );
      });
    },
  },
  {
    id: 'HB-008',
    level: 'MUST',
    area: 'heartbeat',
    title: 'puts the ping’s id on its pong and sends no ack for it',
    requirement:
      'The `pong` answering a JSON `ping` that had an `id` carries that `id`, and no `ack` answers that ping.',
    families: [],
    budgetMs: () => 2 * (Defaults.pongDeadlineMs + REPLY_DEADLINE_MS) + QUIET_PERIOD_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['monitoring', 'conversations'] as const, (name) =>
        expectPongCarriesId(ctx, name),
      );
    },
  },
  {
    id: 'HB-009',
    level: 'MUST',
    area: 'heartbeat',
    title: 'answers a JSON ping with a JSON pong within 1 s on the campaign endpoint too',
    requirement:
      'On the campaign endpoint the server also answers a JSON `{"type":"ping"}` with a JSON `{"type":"pong"}` within 1 s.',
    families: ['campaign'],
    budgetMs: () => REPLY_DEADLINE_MS + Defaults.pongDeadlineMs,
    async run(ctx) {
      const conn = await connectSettled(ctx, 'campaigns');
      const sentAt = ctx.now();
      conn.send({ type: 'ping' });
      const pong = await conn.next((m) => m.type === 'pong', {
        timeoutMs: Defaults.pongDeadlineMs,
        expected: '{"type":"pong"} within 1 s on campaigns',
      });
      ctx.observe(`campaigns: {"type":"pong"} ${Math.round(pong.at - sentAt)} ms after {"type":"ping"}`);
    },
  },
  {
    id: 'HB-010',
    level: 'MUST',
    area: 'heartbeat',
    title: 'sends nothing in answer to a client’s application pong',
    requirement: 'The server sends nothing in answer to an application `pong` from the client.',
    families: [],
    budgetMs: () => Defaults.pongDeadlineMs + 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, (name) => expectPongsUnanswered(ctx, name));
    },
  },
  {
    id: 'HB-011',
    level: 'MUST',
    area: 'heartbeat',
    title: 'takes any RFC 6455 pong as the answer to its pings',
    requirement:
      'Any RFC 6455 pong from the client, whatever its payload, answers every ping the server sent before it.',
    families: [],
    budgetMs: (t, mode) => heartbeatBudgetMs(t, pingsWatched(mode), true),
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const conn = await ctx.connect(name, { autoPong: false, waitEstablished: false });
      answerAppPings(conn);
      answerWithOtherPayload(conn, Buffer.from('not-your-payload'));
      const count = pingsWatched(ctx.mode);
      const watchMs = nthPingDeadlineMs(ctx.timers, count) + ctx.timers.heartbeatTimeoutMs + TIMER_SLACK_MS;
      const start = await scheduleStart(ctx, conn, nthPingDeadlineMs(ctx.timers, 1));
      const stillOpen = await conn.staysOpen(leftUntil(ctx, start, watchMs));
      const pings = conn.pingsAt.length;
      if (!stillOpen) {
        const close = describeClose(
          await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' }),
        );
        ctx.fail(
          `expected pongs with another payload to keep the connection on ${name} open, got: ${close} after ${countOf(pings, 'ping')}`,
          { expected: 'open', actual: close },
        );
      }
      if (pings < count) {
        ctx.blocked(
          'HB-001',
          `${countOf(pings, 'RFC 6455 ping')} in ${Math.round(watchMs * ctx.timeoutScale)} ms, fewer than ${count}`,
        );
      }
      ctx.observe(
        `${name}: ${countOf(pings, 'RFC ping')} answered with pongs of another payload; still open ${Math.round(watchMs * ctx.timeoutScale)} ms after opening`,
      );
    },
  },
  {
    id: 'HB-012',
    level: 'MUST',
    area: 'heartbeat',
    title: 'answers a burst of RFC 6455 pings and keeps the connection open',
    requirement:
      "A burst of RFC 6455 pings is answered with a pong carrying the payload of the burst's last ping, and the connection stays open.",
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT));
      const payloads = Array.from({ length: BURST_PINGS }, (_, i) => Buffer.from(`burst-${i}`));
      for (const payload of payloads) conn.ping(payload);
      const last = payloads[BURST_PINGS - 1];
      const expected = `a pong carrying "${last.toString()}" after ${BURST_PINGS} pings in a burst`;
      let pongs = 0;
      let echoed = false;
      for (;;) {
        let pong: Uint8Array;
        try {
          pong = await conn.nextPong({ timeoutMs: REPLY_DEADLINE_MS, expected });
        } catch (error) {
          // Pongs came, but none carried a payload of the burst: RFC 6455's echo, HB-005's rule, is broken.
          if (pongs > 0 && !echoed && conn.isOpen) {
            ctx.blocked('HB-005', `${pongs} pong(s) after a burst of pings, none carrying a ping's payload`);
          }
          await blockedIfPingsCounted(ctx, conn);
          throw error;
        }
        pongs += 1;
        echoed ||= payloads.some((payload) => payload.equals(pong));
        if (last.equals(pong)) break;
      }
      if (!(await conn.staysOpen(QUIET_PERIOD_MS))) {
        await blockedIfPingsCounted(ctx, conn);
        const close = await conn.closed({ timeoutMs: 0, expected: 'the close' });
        ctx.fail(`expected the connection to stay open after a burst of pings, got: ${describeClose(close)}`);
      }
      ctx.observe(`${BURST_PINGS} pings in a burst: ${pongs} pong(s), the last carrying the last payload`);
    },
  },
];
