/**
 * Security (SEC-001 … SEC-006): the Origin allow-list, scopes that belong to another user, named in the
 * handshake or in a request, and the advertised connection limits per user, per address and in total.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import type { Check, CheckContext, ConnectOptions, ProbeConnection } from '../types.js';
import { expectStillOpen } from './app-pings.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, uniqueSuffix, usable } from './endpoint-choice.js';
import { errorOf } from './errors.js';
import {
  advertisedConnectionLimit,
  connectWhenAdmitted,
  expectTryAgainLater,
  freshUser,
  openMany,
  PING_ENDPOINTS,
} from './limit-probes.js';
import { expectRefusedConnection } from './refusal.js';

/** An Origin no allow-list contains: `.invalid` is reserved (RFC 2606). */
const DISALLOWED_ORIGIN = 'https://origin-not-allowed.invalid';

/**
 * How connection `index` of a check that fills a server-wide limit connects: as a user of its own when
 * tokens can be minted (so that no user's limit is reached first), else as the run's user.
 */
async function ownUser(ctx: CheckContext, index: number): Promise<ConnectOptions> {
  const token = await ctx.token(`fill-${uniqueSuffix()}-${index}`, { expiresInSeconds: 600 });
  if (token !== undefined) return { token };
  if (ctx.timers.authMode === 'required') ctx.skip('needs a token for each connection (pass --token-secret)');
  return { token: null };
}

/**
 * Opens connections (connection `i` from the local address `source(i)`) until an upgrade is refused or
 * `limit` + 1 have been asked for; `first` is already open. Resolves with the refusing HTTP status, if
 * any, and how many connections are still open at the end (a server may close some meanwhile, such as
 * for a heartbeat answered late on a busy machine: those no longer count against the limit).
 */
async function fillUntilRefused(
  ctx: CheckContext,
  name: EndpointName,
  limit: number,
  first: ProbeConnection,
  source: (index: number) => string | undefined,
): Promise<{ asked: number; refusedWith: number | undefined; held: number }> {
  const conns = [first];
  let refusedWith: number | undefined;
  while (refusedWith === undefined && conns.length <= limit) {
    const batch = Math.min(FILL_BATCH, limit + 1 - conns.length);
    const results = await Promise.all(
      Array.from({ length: batch }, async (_, i) => {
        const localAddress = source(conns.length + i);
        const options = {
          ...(await ownUser(ctx, conns.length + i)),
          ...(localAddress ? { localAddress } : {}),
        };
        return ctx.tryConnect(name, options);
      }),
    );
    for (const result of results) {
      if (result.conn) conns.push(result.conn);
      else refusedWith ??= result.status;
    }
  }
  // When nothing was refused, closes the server started (which free room) are seen by the runner a
  // moment later: they are waited for before the connections still open are counted.
  if (refusedWith === undefined)
    await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS * ctx.timeoutScale));
  return {
    asked: conns.length + (refusedWith === undefined ? 0 : 1),
    refusedWith,
    held: conns.filter((c) => c.isOpen).length,
  };
}

/**
 * Judges a fill: passes when the limit refused with `status`, skips when `other` limit refused first or
 * the server closed connections while they were counted, and fails when every upgrade went through.
 */
function judgeFill(
  ctx: CheckContext,
  outcome: { asked: number; refusedWith: number | undefined; held: number },
  expected: { status: number; limit: number; what: string; other: string },
): void {
  const { status, limit, what, other } = expected;
  if (outcome.refusedWith !== undefined && outcome.refusedWith !== status) {
    ctx.skip(
      `${other} limit refused upgrade ${outcome.asked} (HTTP ${outcome.refusedWith}) before this one could`,
    );
  }
  if (outcome.refusedWith === undefined) {
    skipUnlessHeld(ctx, outcome.held, limit);
    ctx.fail(
      `expected HTTP ${status} for upgrade ${limit + 1} ${what}, got: ${outcome.held} connections open`,
      {
        expected: `HTTP ${status}`,
        actual: 'HTTP 101',
      },
    );
  }
  ctx.observe(`upgrade ${outcome.asked} ${what} (limit ${limit}): HTTP ${status}`);
}

/** Skips the check when connections were closed while it counted them, so the limit was never held. */
function skipUnlessHeld(ctx: CheckContext, held: number, limit: number): void {
  if (held <= limit) {
    ctx.skip(
      `the server closed some of the check's connections while they were counted (${held} of ${limit + 1} still open)`,
    );
  }
}

/**
 * The first connection of a check that runs alone: the connections of the checks before it may still be
 * closing and counted, so a refusal is tried again until the reply deadline.
 */
async function connectOnceRoomIsMade(ctx: CheckContext, name: EndpointName): Promise<ProbeConnection> {
  const deadline = Date.now() + REPLY_DEADLINE_MS * ctx.timeoutScale;
  for (;;) {
    const { status, conn } = await ctx.tryConnect(name, await ownUser(ctx, 0));
    if (conn) {
      await conn.next((m) => m.type === 'connection_established', {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `connection_established on ${name}`,
      });
      return conn;
    }
    if (Date.now() > deadline)
      ctx.fail(`expected HTTP 101 on ${name} with no other check running, got: HTTP ${status}`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
  }
}

const RETRY_EVERY_MS = 50;

/** Upgrades asked for at once while filling a limit: held briefly, they cost the server little. */
const FILL_BATCH = 64;

/**
 * `count` client addresses of the runner: loopback aliases (127.0.0.2 …), usable only against a server
 * on 127.0.0.1; skips the check otherwise.
 */
function loopbackAliases(ctx: CheckContext, count: number): (string | undefined)[] {
  if (new URL(ctx.target.url).hostname !== '127.0.0.1') {
    ctx.skip(`reaching the total limit needs ${count} client addresses; the runner has one for this server`);
  }
  return Array.from({ length: count }, (_, i) => (i === 0 ? undefined : `127.0.0.${i + 1}`));
}

export const SECURITY_CHECKS: readonly Check[] = [
  {
    id: 'SEC-001',
    level: 'MUST',
    area: 'security',
    title: 'refuses an upgrade from a disallowed Origin with HTTP 403',
    requirement: 'An upgrade request whose Origin is not on the allow-list gets HTTP 403 and no upgrade.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const result = await ctx.upgrade(name, { headers: { Origin: DISALLOWED_ORIGIN } });
      if (result.status !== 403) {
        ctx.fail(`expected HTTP 403 for Origin ${DISALLOWED_ORIGIN}, got: HTTP ${result.status}`, {
          expected: 'HTTP 403',
          actual: `HTTP ${result.status}`,
        });
      }
      ctx.observe(`Origin ${DISALLOWED_ORIGIN} on ${name}: HTTP 403`);
    },
  },
  {
    id: 'SEC-002',
    level: 'MUST',
    area: 'security',
    title: "refuses another user's campaign or conversation with 4403",
    requirement:
      "A valid user asking for another user's campaign or conversation gets `error` (FORBIDDEN) and close 4403.",
    families: ['campaign', 'chat'],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      if ((await ctx.token(ctx.param('userId') ?? '1')) === undefined) {
        ctx.skip('no token available (pass --token or --token-secret)');
      }
      const refusal = { closeCode: CloseCode.FORBIDDEN, notice: 'error', code: ErrorCode.FORBIDDEN } as const;
      const foreignCampaign = ctx.param('foreignCampaignId');
      const foreignConversation = ctx.param('foreignConversationId');
      const cases: Promise<unknown>[] = [];
      if (foreignCampaign !== undefined && (await usable(ctx, 'campaigns'))) {
        cases.push(
          expectRefusedConnection(ctx, 'campaigns', { query: { campaignId: foreignCampaign } }, refusal),
        );
      }
      if (foreignConversation !== undefined && (await usable(ctx, 'chat'))) {
        cases.push(
          expectRefusedConnection(ctx, 'chat', { query: { conversationId: foreignConversation } }, refusal),
        );
      }
      if (cases.length === 0) {
        ctx.skip('no foreignCampaignId (or foreignConversationId) parameter naming another user’s scope');
      }
      await Promise.all(cases);
      ctx.observe(`${cases.length} handshakes naming another user's scope: error FORBIDDEN, then close 4403`);
    },
  },
  {
    id: 'SEC-003',
    level: 'MUST',
    area: 'security',
    title: "refuses a request naming another user's conversation with FORBIDDEN and stays open",
    requirement:
      'A request naming a conversation of another user gets `error` FORBIDDEN, and the connection stays open.',
    families: ['chat'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const foreign =
        ctx.param('foreignConversationId') ??
        ctx.skip('no foreignConversationId parameter naming another user’s conversation');
      if (!(await usable(ctx, 'chat'))) ctx.skip('no token available (pass --token or --token-secret)');
      const conversationId = Number(foreign);
      const conn = await ctx.connect('chat', { query: { conversationId: undefined } });
      const requests = [
        { type: 'chat_join', conversationId },
        { type: 'chat_message', conversationId, content: `SEC-003 ${uniqueSuffix()}` },
      ];
      for (const request of requests) {
        conn.send(request);
        const error = await conn.next((m) => m.type === 'error' || m.type === 'ack', {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `error FORBIDDEN answering ${JSON.stringify(request)}`,
        });
        if (error.type !== 'error' || errorOf(error).code !== ErrorCode.FORBIDDEN) {
          ctx.fail(
            `expected error FORBIDDEN for ${request.type} of conversation ${conversationId}, got: ${error.text}`,
            {
              expected: 'error FORBIDDEN',
              actual: error.text,
            },
          );
        }
      }
      await expectStillOpen(ctx, conn, 'FORBIDDEN');
      ctx.observe(
        `chat_join and chat_message naming conversation ${conversationId} of another user: FORBIDDEN each, still open`,
      );
    },
  },
  {
    id: 'SEC-004',
    level: 'MUST',
    area: 'security',
    title: 'refuses a connection over connectionLimits.perUser with TOO_MANY_CONNECTIONS and 1013',
    requirement:
      'A connection of a user who already holds the advertised `connectionLimits.perUser` connections gets `error` TOO_MANY_CONNECTIONS and close 1013.',
    families: [],
    exclusive: true,
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const user = await freshUser(ctx, 'SEC-004');
      const first = await connectWhenAdmitted(ctx, user.endpoint, { token: user.token });
      const limit = advertisedConnectionLimit(ctx, first, 'perUser');
      const held = [first, ...(await openMany(ctx, user.endpoint, limit - 1, () => ({ token: user.token })))];
      const over = await ctx.connect(user.endpoint, { token: user.token, waitEstablished: false });
      const why = `connection ${limit + 1} of one user`;
      const answer = await over.next((m) => m.type === 'connection_established' || m.type === 'error', {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `error ${ErrorCode.TOO_MANY_CONNECTIONS} and close 1013 for ${why}`,
      });
      if (answer.type === 'connection_established')
        skipUnlessHeld(ctx, held.filter((c) => c.isOpen).length + 1, limit);
      await expectTryAgainLater(ctx, over, ErrorCode.TOO_MANY_CONNECTIONS, why, answer);
      ctx.observe(
        `${limit} connections of one user open; connection ${limit + 1}: TOO_MANY_CONNECTIONS, close 1013`,
      );
    },
  },
  {
    id: 'SEC-005',
    level: 'MUST',
    area: 'security',
    title: 'refuses an upgrade over connectionLimits.perAddress with HTTP 429',
    requirement:
      'An upgrade from a client address that already holds the advertised `connectionLimits.perAddress` connections gets HTTP 429 and no upgrade.',
    families: [],
    exclusive: true,
    budgetMs: () => 6 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, PING_ENDPOINTS);
      const first = await connectOnceRoomIsMade(ctx, name);
      const limit = advertisedConnectionLimit(ctx, first, 'perAddress');
      const outcome = await fillUntilRefused(ctx, name, limit, first, () => undefined);
      judgeFill(ctx, outcome, { status: 429, limit, what: 'from one address', other: "the server's total" });
    },
  },
  {
    id: 'SEC-006',
    level: 'MUST',
    area: 'security',
    title: 'refuses an upgrade over connectionLimits.total with HTTP 503',
    requirement:
      'An upgrade while the server holds the advertised `connectionLimits.total` connections gets HTTP 503 and no upgrade.',
    families: [],
    exclusive: true,
    budgetMs: () => 8 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, PING_ENDPOINTS);
      const first = await connectOnceRoomIsMade(ctx, name);
      const total = advertisedConnectionLimit(ctx, first, 'total');
      const perAddress = Number((first.established?.connectionLimits as Record<string, unknown>).perAddress);
      // Each address stays under its own limit, so only the total can refuse.
      const addresses = perAddress > 1 ? Math.ceil((total + 1) / (perAddress - 1)) : 1;
      const sources = addresses > 1 ? loopbackAliases(ctx, addresses) : [undefined];
      const outcome = await fillUntilRefused(ctx, name, total, first, (i) => sources[i % sources.length]);
      const what = `in all, from ${sources.length} address(es)`;
      judgeFill(ctx, outcome, { status: 503, limit: total, what, other: 'an address' });
    },
  },
];
