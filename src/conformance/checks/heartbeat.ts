/**
 * Heartbeat (HB-001 … HB-007): RFC 6455 pings for server-side liveness, application pings for
 * client-side liveness, and the answers to both.
 */
import { randomBytes } from 'node:crypto';
import { CloseCode, Defaults, ErrorCode } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import type { AdvertisedTimers, Check, CheckContext, ProbeConnection } from '../types.js';
import { answerAppPings, appPong, isAppPing, isAppPong } from './app-pings.js';
import { nextPingDeadlineMs, pingToleranceMs, REPLY_DEADLINE_MS, TIMER_SLACK_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, chooseOnePerFamily } from './endpoint-choice.js';
import { isRefusalNotice, noticeCode } from './refusal.js';

/** Deadline for a ping that may be late: checks that need a ping but are not about its timing. */
const latePingDeadlineMs = (t: AdvertisedTimers) => 3 * t.heartbeatIntervalMs + 200;

const twoPingsBudget = (t: AdvertisedTimers) => REPLY_DEADLINE_MS + 2 * nextPingDeadlineMs(t);

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

async function nextAppPing(ctx: CheckContext, conn: ProbeConnection, nth: string): Promise<number> {
  const ping = await conn.next(isAppPing(conn.endpoint), {
    timeoutMs: nextPingDeadlineMs(ctx.timers),
    expected: `the ${nth} application ping on ${conn.endpoint}`,
  });
  conn.send(appPong(conn.endpoint));
  if (conn.endpoint !== 'campaigns' && ping.json !== undefined && typeof ping.json.timestamp !== 'string') {
    ctx.fail(`expected {"type":"ping","timestamp"} on ${conn.endpoint}, got: ${ping.text}`);
  }
  return ping.at;
}

export const HEARTBEAT_CHECKS: readonly Check[] = [
  {
    id: 'HB-001',
    level: 'MUST',
    area: 'heartbeat',
    title: 'sends RFC 6455 pings at most heartbeatIntervalMs apart',
    requirement: 'The server sends RFC 6455 ping frames at most `heartbeatIntervalMs` apart.',
    families: [],
    budgetMs: twoPingsBudget,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT));
      answerAppPings(conn);
      const wait = { timeoutMs: nextPingDeadlineMs(ctx.timers), expected: 'an RFC 6455 ping' };
      const firstAt = await conn.nextPing(wait);
      const secondAt = await conn.nextPing(wait);
      checkSpacing(ctx, 'RFC 6455 pings', firstAt, secondAt);
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
    budgetMs: (t) => REPLY_DEADLINE_MS + latePingDeadlineMs(t) + t.heartbeatTimeoutMs + TIMER_SLACK_MS,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { autoPong: false });
      const { heartbeatTimeoutMs } = ctx.timers;
      // The timeout runs from the ping; how punctual pings are is HB-001's rule, so a late one is awaited.
      await conn.nextPing({ timeoutMs: latePingDeadlineMs(ctx.timers), expected: 'an RFC 6455 ping' });
      const expected = `close ${CloseCode.HEARTBEAT_TIMEOUT}`;
      const close = await conn.closed({ timeoutMs: heartbeatTimeoutMs + TIMER_SLACK_MS, expected });
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
      const conn = await ctx.connect(await choose(ctx, ['monitoring', 'conversations'] as const));
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
      const conn = await ctx.connect('campaigns');
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
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT));
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
      'The server sends application pings at most `heartbeatIntervalMs` apart: `{"type":"ping","timestamp"}` on chat and market, text `ping` on campaign.',
    families: [],
    budgetMs: twoPingsBudget,
    async run(ctx) {
      const names = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
      await Promise.all(
        names.map(async (name) => {
          const conn = await ctx.connect(name);
          const firstAt = await nextAppPing(ctx, conn, 'first');
          const secondAt = await nextAppPing(ctx, conn, 'second');
          checkSpacing(ctx, `application pings on ${name}`, firstAt, secondAt);
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
    budgetMs: (t) => REPLY_DEADLINE_MS + 2 * t.heartbeatIntervalMs + t.heartbeatTimeoutMs + TIMER_SLACK_MS,
    async run(ctx) {
      const names = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
      const { heartbeatIntervalMs, heartbeatTimeoutMs } = ctx.timers;
      const openMs = 2 * heartbeatIntervalMs + heartbeatTimeoutMs + TIMER_SLACK_MS;
      await Promise.all(
        names.map(async (name) => {
          // RFC pings are answered (autoPong); application pings never are.
          const conn = await ctx.connect(name);
          if (!(await conn.staysOpen(openMs))) {
            const close = await conn.closed({ timeoutMs: 0, expected: 'the close' });
            ctx.fail(
              `expected the connection on ${name} to stay open for ${openMs} ms, got: ${describeClose(close)}`,
              {
                expected: 'open',
                actual: describeClose(close),
              },
            );
          }
        }),
      );
    },
  },
];
