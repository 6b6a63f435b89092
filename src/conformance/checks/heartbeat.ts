/**
 * Heartbeat (HB-001 … HB-007): RFC 6455 pings for server-side liveness, application pings for
 * client-side liveness, and the answers to both.
 */
import { randomBytes } from 'node:crypto';
import { CloseCode, Defaults, ErrorCode } from '../../protocol/constants.js';
import { CheckFailure, CheckSkipped } from '../check-failure.js';
import { describeClose } from '../probe.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { answerAppPings, appPong, isAppPing, isAppPong } from './app-pings.js';
import {
  heartbeatCheckBudgetMs,
  pingDeadlineMs,
  pingToleranceMs,
  REPLY_DEADLINE_MS,
  TIMER_SLACK_MS,
} from './deadlines.js';
import { ANY_ENDPOINT, choose, chooseOnePerFamily } from './endpoint-choice.js';
import { isRefusalNotice, noticeCode } from './refusal.js';

/*
 * Every wait of HB-001, HB-002, HB-006 and HB-007 fits in one heartbeat interval plus its timeout
 * (`heartbeatCheckBudgetMs`): the first ping is due one interval (plus tolerance) after the connection
 * opens, and whatever follows it (the close of HB-002, the quiet time of HB-007, an optional second ping)
 * happens within the heartbeat timeout. None of them waits for a second interval.
 */

/** Milliseconds (before --timeout-scale) left until `limitMs` after `since` (ms since check start). */
function leftUntil(ctx: CheckContext, since: number, limitMs: number): number {
  return Math.max(0, limitMs - (ctx.now() - since) / ctx.timeoutScale);
}

function openedAt(ctx: CheckContext, conn: ProbeConnection): number {
  return conn.openedAt ?? ctx.now();
}

/** True when a wait ended because its time ran out while the connection stayed open. */
function timedOut(ctx: CheckContext, conn: ProbeConnection, error: unknown): boolean {
  return error instanceof CheckFailure && !ctx.signal.aborted && conn.isOpen;
}

/**
 * Waits for the first ping of a kind: it must arrive within one interval plus the tolerance of the
 * connection opening. Resolves with it; when none came in time, `late` decides with the "within …" part of
 * a message (default: the check fails).
 */
async function firstPing<T extends { at: number }>(
  ctx: CheckContext,
  conn: ProbeConnection,
  what: string,
  wait: (timeoutMs: number) => Promise<T>,
  late?: (within: string) => never,
): Promise<T> {
  const limitMs = pingDeadlineMs(ctx.timers);
  try {
    return await wait(leftUntil(ctx, openedAt(ctx, conn), limitMs));
  } catch (error) {
    if (!timedOut(ctx, conn, error)) throw error;
    const scaledMs = Math.round(limitMs * ctx.timeoutScale);
    const within = `within ${scaledMs} ms of the connection opening (heartbeatIntervalMs ${ctx.timers.heartbeatIntervalMs} plus tolerance)`;
    if (late) return late(within);
    const expected = `the first ${what} ${within}`;
    return ctx.fail(`expected ${expected}, got: none`, {
      expected,
      actual: `no ${what} within ${scaledMs} ms`,
    });
  }
}

/**
 * Waits for a second ping of a kind, but only until one interval plus the heartbeat timeout (plus the
 * timer slack every other wait gets) after the connection opened: a second ping is checked when it comes
 * within the check's budget (short timers, or a timeout longer than the interval), never waited for beyond
 * it (production timers: 30 s + 10 s). Undefined when none came in time.
 */
async function secondPingIfInBudget<T extends { at: number }>(
  ctx: CheckContext,
  conn: ProbeConnection,
  what: string,
  wait: (timeoutMs: number) => Promise<T>,
): Promise<T | undefined> {
  const { heartbeatIntervalMs, heartbeatTimeoutMs } = ctx.timers;
  const limitMs = heartbeatIntervalMs + heartbeatTimeoutMs + TIMER_SLACK_MS;
  try {
    return await wait(leftUntil(ctx, openedAt(ctx, conn), limitMs));
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof CheckFailure)) throw error;
    const why = conn.isOpen
      ? `within ${Math.round(limitMs * ctx.timeoutScale)} ms of opening`
      : 'before the close';
    ctx.note(`no second ${what} ${why}; the spacing of two pings is not measured`);
    return undefined;
  }
}

/** Fails when two consecutive pings (ms since check start) are further apart than the interval allows. */
function checkSpacing(ctx: CheckContext, what: string, firstAt: number, secondAt: number) {
  const { heartbeatIntervalMs } = ctx.timers;
  const allowedMs = (heartbeatIntervalMs + pingToleranceMs(heartbeatIntervalMs)) * ctx.timeoutScale;
  const spacingMs = Math.round(secondAt - firstAt);
  ctx.note(`${what} ${spacingMs} ms apart (advertised heartbeatIntervalMs ${heartbeatIntervalMs})`);
  if (spacingMs > allowedMs) {
    ctx.fail(`expected ${what} at most ${heartbeatIntervalMs} ms apart, got: ${spacingMs} ms`, {
      expected: `≤ ${heartbeatIntervalMs} ms`,
      actual: `${spacingMs} ms`,
    });
  }
}

/** Notes how long after the connection opened the first ping came. */
function noteFirst(ctx: CheckContext, conn: ProbeConnection, what: string, at: number): void {
  const afterMs = Math.round(at - openedAt(ctx, conn));
  ctx.note(
    `first ${what} ${afterMs} ms after the connection opened (advertised heartbeatIntervalMs ${ctx.timers.heartbeatIntervalMs})`,
  );
}

/** Takes the next application ping within `timeoutMs`, answers it and checks its shape. */
async function takeAppPing(
  ctx: CheckContext,
  conn: ProbeConnection,
  timeoutMs: number,
): Promise<ReceivedMessage> {
  const ping = await conn.next(isAppPing(conn.endpoint), {
    timeoutMs,
    expected: `an application ping on ${conn.endpoint}`,
  });
  conn.send(appPong(conn.endpoint));
  if (conn.endpoint !== 'campaigns' && ping.json !== undefined && typeof ping.json.timestamp !== 'string') {
    ctx.fail(`expected {"type":"ping","timestamp"} on ${conn.endpoint}, got: ${ping.text}`);
  }
  return ping;
}

/** The next RFC 6455 ping within `timeoutMs`, with its time. */
async function takeRfcPing(conn: ProbeConnection, timeoutMs: number): Promise<{ at: number }> {
  return { at: await conn.nextPing({ timeoutMs, expected: 'an RFC 6455 ping' }) };
}

/**
 * Runs `each` on every name at once; a failure on any of them fails the check (rather than a skip on
 * another hiding it), and the check is skipped only when every name was.
 */
async function onEvery<T extends string>(
  ctx: CheckContext,
  names: readonly T[],
  each: (name: T) => Promise<void>,
): Promise<void> {
  const settled = await Promise.allSettled(names.map(each));
  const rejected = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const notSkipped = rejected.find((reason) => !(reason instanceof CheckSkipped));
  if (notSkipped !== undefined) throw notSkipped;
  if (rejected.length > 0 && rejected.length === names.length) throw rejected[0];
  for (const reason of rejected) ctx.note(`not checked: ${(reason as Error).message}`);
}

export const HEARTBEAT_CHECKS: readonly Check[] = [
  {
    id: 'HB-001',
    level: 'MUST',
    area: 'heartbeat',
    title: 'sends RFC 6455 pings at most heartbeatIntervalMs apart',
    requirement:
      'The server sends RFC 6455 ping frames at most `heartbeatIntervalMs` apart, the first within `heartbeatIntervalMs` of the connection opening.',
    families: [],
    budgetMs: heartbeatCheckBudgetMs,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      answerAppPings(conn);
      const what = 'RFC 6455 ping';
      const first = await firstPing(ctx, conn, what, (timeoutMs) => takeRfcPing(conn, timeoutMs));
      noteFirst(ctx, conn, what, first.at);
      const second = await secondPingIfInBudget(ctx, conn, what, (timeoutMs) => takeRfcPing(conn, timeoutMs));
      if (second) checkSpacing(ctx, 'RFC 6455 pings', first.at, second.at);
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
    budgetMs: heartbeatCheckBudgetMs,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), {
        autoPong: false,
        waitEstablished: false,
      });
      // Only the RFC pings go unanswered: a close for ignored application pings is not this rule's.
      answerAppPings(conn);
      const { heartbeatTimeoutMs } = ctx.timers;
      // The timeout runs from a ping; how punctual pings are is HB-001's rule, so a late one skips.
      const { at: pingAt } = await firstPing(
        ctx,
        conn,
        'RFC 6455 ping',
        (timeoutMs) => takeRfcPing(conn, timeoutMs),
        (within) =>
          ctx.skip(
            `no RFC 6455 ping came ${within}; punctual pings are HB-001's rule, and the timeout runs from a ping`,
          ),
      );
      noteFirst(ctx, conn, 'RFC 6455 ping', pingAt);
      const expected = `close ${CloseCode.HEARTBEAT_TIMEOUT}`;
      const closeWithinMs = heartbeatTimeoutMs + TIMER_SLACK_MS;
      const close = await conn
        .closed({ timeoutMs: leftUntil(ctx, pingAt, closeWithinMs), expected })
        .catch((error: unknown) => {
          if (!timedOut(ctx, conn, error)) throw error;
          const within = `within ${Math.round(closeWithinMs * ctx.timeoutScale)} ms of the unanswered ping (heartbeatTimeoutMs ${heartbeatTimeoutMs})`;
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
      // The notice itself is CL-001's rule; when there is one it must name the heartbeat timeout.
      const notice = [...conn.received].reverse().find(isRefusalNotice);
      if (notice && noticeCode(notice) !== ErrorCode.HEARTBEAT_TIMEOUT) {
        ctx.fail(`expected error ${ErrorCode.HEARTBEAT_TIMEOUT} before ${expected}, got: ${notice.text}`);
      }
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
      const conn = await ctx.connect(await choose(ctx, ['monitoring', 'conversations'] as const), {
        waitEstablished: false,
      });
      conn.send({ type: 'ping', id: 'hb-003' });
      await conn.next((m) => m.type === 'pong', {
        timeoutMs: Defaults.pongDeadlineMs,
        expected: '{"type":"pong"} within 1 s',
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
      const conn = await ctx.connect('campaigns', { waitEstablished: false });
      conn.send('ping');
      await conn.next(isAppPong('campaigns'), {
        timeoutMs: Defaults.pongDeadlineMs,
        expected: 'text frame pong within 1 s',
      });
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
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      const payload = randomBytes(8);
      conn.ping(payload);
      const pong = await conn.nextPong({ timeoutMs: REPLY_DEADLINE_MS, expected: 'an RFC 6455 pong' });
      if (!Buffer.from(pong).equals(payload)) {
        const expected = payload.toString('hex');
        const actual = Buffer.from(pong).toString('hex') || '(empty)';
        ctx.fail(`expected a pong with payload ${expected}, got: ${actual}`, { expected, actual });
      }
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
    budgetMs: heartbeatCheckBudgetMs,
    async run(ctx) {
      const names = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
      await Promise.all(
        names.map(async (name) => {
          const conn = await ctx.connect(name, { waitEstablished: false });
          const what = `application ping on ${name}`;
          const first = await firstPing(ctx, conn, what, (timeoutMs) => takeAppPing(ctx, conn, timeoutMs));
          noteFirst(ctx, conn, what, first.at);
          const second = await secondPingIfInBudget(ctx, conn, what, (timeoutMs) =>
            takeAppPing(ctx, conn, timeoutMs),
          );
          if (second) checkSpacing(ctx, `application pings on ${name}`, first.at, second.at);
        }),
      );
    },
  },
  {
    id: 'HB-007',
    level: 'MUST',
    area: 'heartbeat',
    title: 'never closes a client that ignores application pings',
    requirement: 'The server never closes a connection because the client did not answer application pings.',
    families: [],
    budgetMs: heartbeatCheckBudgetMs,
    async run(ctx) {
      const names = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
      const openMs = ctx.timers.heartbeatTimeoutMs + TIMER_SLACK_MS;
      await onEvery(ctx, names, async (name) => {
        // RFC pings are answered (autoPong); application pings never are.
        const conn = await ctx.connect(name, { waitEstablished: false });
        const what = `application ping on ${name}`;
        // Sending application pings is HB-006's rule; without one there is nothing to leave unanswered.
        const { at: pingAt } = await firstPing(
          ctx,
          conn,
          what,
          (timeoutMs) => conn.next(isAppPing(name), { timeoutMs, expected: `an ${what}` }),
          (within) =>
            ctx.skip(
              `no ${what} came ${within}; sending them is HB-006's rule, and there was none to leave unanswered`,
            ),
        );
        noteFirst(ctx, conn, what, pingAt);
        if (!(await conn.staysOpen(leftUntil(ctx, pingAt, openMs)))) {
          const close = await conn.closed({ timeoutMs: 0, expected: 'the close' });
          const scaledMs = Math.round(openMs * ctx.timeoutScale);
          ctx.fail(
            `expected the connection on ${name} to stay open ${scaledMs} ms after an unanswered application ping, got: ${describeClose(close)}`,
            { expected: 'open', actual: describeClose(close) },
          );
        }
      });
    },
  },
];
