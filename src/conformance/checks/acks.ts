/**
 * Requests and acks (ACK-001 … ACK-009): one reply per id, data requests answered with their data, acks
 * carrying their results, and the memory of replies by id: a repeated id has no second effect, also
 * after a resume and whatever its type; ids of different JSON types differ; refused messages are not
 * remembered; leaving a room never joined is acknowledged.
 */
import { isDeepStrictEqual } from 'node:util';
import { CheckFailure } from '../check-failure.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import {
  CAMPAIGN_DATA,
  choose,
  connectTo,
  CONVERSATIONS_DATA,
  isDataMessage,
  MARKET_DATA,
  ON_DEMAND_DATA,
  onEach,
  onEveryFamily,
  openServingOn,
  uniqueSuffix,
  usable,
} from './endpoint-choice.js';
import { describeSession, drop, receivedAfter, resume } from './resume-session.js';

/** Matches the ack or error carrying `id` (or one of `id` when given several). */
export function isReplyTo(id: unknown): (m: ReceivedMessage) => boolean {
  const ids = Array.isArray(id) ? id : [id];
  return (m) => (m.type === 'ack' || m.type === 'error') && ids.includes(m.json?.id);
}

/** A reply without its timestamp: a repeated reply may be stamped anew. */
function replyBody(message: ReceivedMessage): Record<string, unknown> {
  const { timestamp: _timestamp, ...body } = message.json ?? {};
  return body;
}

/**
 * Waits for the ack or error carrying `id`; a reply that does not come on an open connection is
 * ACK-001's failure (ACK-001's own check asks for `judged`).
 */
async function replyTo(
  ctx: CheckContext,
  conn: ProbeConnection,
  id: unknown,
  what: string,
  judged = false,
): Promise<ReceivedMessage> {
  try {
    return await conn.next(isReplyTo(id), {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `an ack or error with id ${JSON.stringify(id)} answering ${what} on ${conn.endpoint}`,
    });
  } catch (error) {
    if (judged || !(error instanceof CheckFailure) || !conn.isOpen) throw error;
    return ctx.blocked('ACK-001', `no reply with id ${JSON.stringify(id)} to ${what} on ${conn.endpoint}`);
  }
}

/**
 * Skips the check when a request resent `since` (ms since check start) may have reached the server after
 * it was allowed to forget the first: the memory lasts `resumeWindowMs` from the first request's arrival,
 * which a busy machine can outlast.
 */
function expectStillRemembered(ctx: CheckContext, since: number, what: string): void {
  const elapsedMs = (ctx.now() - since) / ctx.timeoutScale;
  if (elapsedMs >= ctx.timers.resumeWindowMs) {
    ctx.skip(
      `${what} came ${Math.round(elapsedMs)} ms after the first request, past resumeWindowMs ${ctx.timers.resumeWindowMs}: the server may have forgotten it`,
    );
  }
}

/**
 * Resends `request` once on the same connection: remembering it there is ACK-002's rule, which the memory
 * across a resume (ACK-005) and across types (ACK-007) builds on. A second effect, or another reply,
 * blocks the check.
 */
async function expectRememberedHere(
  ctx: CheckContext,
  effect: Effect,
  first: ReceivedMessage,
): Promise<void> {
  const { conn, request, isEffect } = effect;
  const before = conn.received.length;
  conn.send(request);
  const again = await replyTo(ctx, conn, request.id, `${JSON.stringify(request)} resent`);
  const processed = conn.received.slice(before).some(isEffect);
  if (processed || !isDeepStrictEqual(replyBody(first), replyBody(again))) {
    ctx.blocked(
      'ACK-002',
      `the request resent on the same connection got ${processed ? 'a second effect' : again.text}`,
    );
  }
}

/**
 * Sends a request with a visible effect and the id `id`, waits for its effect and reply, and makes sure
 * the connection remembers it (blocked by ACK-002 otherwise). `sentAt` is when it was sent (ms since the
 * check started): the memory lasts `resumeWindowMs` from its arrival.
 */
async function rememberedRequest(
  ctx: CheckContext,
  id: string,
): Promise<{ effect: Effect; first: ReceivedMessage; sentAt: number }> {
  const effect = await effectOfRequest(ctx, id);
  const { conn, request, isEffect } = effect;
  const sentAt = ctx.now();
  conn.send(request);
  await conn.next(isEffect, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `the effect of ${JSON.stringify(request)}`,
  });
  const first = await replyTo(ctx, conn, id, JSON.stringify(request));
  await expectRememberedHere(ctx, effect, first);
  return { effect, first, sentAt };
}

/** Fails unless `second` is the same reply as `first` (the same JSON value apart from `timestamp`). */
function expectSameReply(
  ctx: CheckContext,
  first: ReceivedMessage,
  second: ReceivedMessage,
  why: string,
): void {
  if (!isDeepStrictEqual(replyBody(first), replyBody(second))) {
    ctx.fail(`expected ${why} to get the remembered reply, got: ${second.text}`, {
      expected: first.text,
      actual: second.text,
    });
  }
}

/** The `ack.data` a request of the table of section 9 must carry (ACK-004), checked by `matches`. */
interface AckDataCase {
  endpoint: 'market_data' | 'news' | 'chat' | 'notifications' | 'projects';
  request: Record<string, unknown>;
  /** What `ack.data` must be. */
  expected: string;
  matches: (data: Record<string, unknown> | undefined) => boolean;
}

const sameSet = (value: unknown, wanted: readonly string[]) =>
  Array.isArray(value) && value.length === wanted.length && wanted.every((item) => value.includes(item));

function ackDataCases(conversationId: number): Record<AckDataCase['endpoint'], AckDataCase[]> {
  const project = 1;
  return {
    market_data: [
      {
        endpoint: 'market_data',
        request: { type: 'subscribe', symbols: ['BTC', 'ETH'] },
        expected: '{"symbols":["BTC","ETH"]}',
        matches: (d) => sameSet(d?.symbols, ['BTC', 'ETH']),
      },
      {
        endpoint: 'market_data',
        request: { type: 'subscribe', symbols: ['SOL'] },
        expected: 'every subscription after the request: {"symbols":["BTC","ETH","SOL"]}',
        matches: (d) => sameSet(d?.symbols, ['BTC', 'ETH', 'SOL']),
      },
      {
        endpoint: 'market_data',
        request: { type: 'unsubscribe', symbols: ['ETH'] },
        expected: '{"symbols":["BTC","SOL"]}',
        matches: (d) => sameSet(d?.symbols, ['BTC', 'SOL']),
      },
    ],
    news: [
      {
        endpoint: 'news',
        request: { type: 'filter', keywords: ['bitcoin'] },
        expected: '{"keywords":["bitcoin"]}',
        matches: (d) => sameSet(d?.keywords, ['bitcoin']),
      },
    ],
    chat: [
      {
        endpoint: 'chat',
        request: { type: 'chat_join', conversationId },
        expected: `{"conversationId":${conversationId}}`,
        matches: (d) => d?.conversationId === conversationId,
      },
      {
        endpoint: 'chat',
        request: { type: 'chat_message', conversationId, content: `ACK-004 ${uniqueSuffix()}` },
        expected: '{"messageId"}',
        matches: (d) => d?.messageId !== undefined && d.messageId !== null,
      },
      {
        endpoint: 'chat',
        request: { type: 'chat_leave', conversationId },
        expected: `{"conversationId":${conversationId}}`,
        matches: (d) => d?.conversationId === conversationId,
      },
    ],
    notifications: [
      {
        endpoint: 'notifications',
        request: { type: 'notifications_unsubscribe' },
        expected: '{"subscribed":false}',
        matches: (d) => d?.subscribed === false,
      },
      {
        endpoint: 'notifications',
        request: { type: 'notifications_subscribe' },
        expected: '{"subscribed":true}',
        matches: (d) => d?.subscribed === true,
      },
    ],
    projects: [
      {
        endpoint: 'projects',
        request: { type: 'project_join', projectId: project },
        expected: `{"projectId":${project}}`,
        matches: (d) => d?.projectId === project,
      },
      {
        endpoint: 'projects',
        request: { type: 'project_leave', projectId: project },
        expected: `{"projectId":${project}}`,
        matches: (d) => d?.projectId === project,
      },
    ],
  };
}

/** The data message a data request must get (ACK-003), and how to tell it. */
interface DataAnswer {
  endpoint: 'market_data' | 'campaigns' | 'conversations' | 'customers';
  request: Record<string, unknown>;
  answer: string;
  matches: (m: ReceivedMessage) => boolean;
  /** Data of this type the endpoint sends before any request (its initial state). */
  initial: number;
}

const FULL_CAMPAIGN = ['id', 'title', 'status', 'progress'];

const DATA_ANSWERS: readonly DataAnswer[] = [
  {
    endpoint: 'market_data',
    request: MARKET_DATA.request,
    answer: 'prices_snapshot',
    matches: (m) => m.type === 'prices_snapshot',
    initial: 0,
  },
  {
    endpoint: 'market_data',
    request: { type: 'subscribe', symbols: ['SOL'] },
    answer: 'a price_update for SOL at once',
    matches: (m) =>
      m.type === 'price_update' && (m.json?.data as Record<string, unknown> | undefined)?.symbol === 'SOL',
    initial: 0,
  },
  {
    endpoint: 'campaigns',
    request: CAMPAIGN_DATA.request,
    answer: 'a full campaign_update {id, title, status, progress, …}',
    matches: (m) => {
      const data = m.json?.data as Record<string, unknown> | undefined;
      return (
        m.type === 'campaign_update' && data !== undefined && FULL_CAMPAIGN.every((field) => field in data)
      );
    },
    initial: 1,
  },
  {
    endpoint: 'conversations',
    request: CONVERSATIONS_DATA.request,
    answer: 'conversations_list',
    matches: (m) => m.type === 'conversations_list',
    initial: 1,
  },
  {
    endpoint: 'customers',
    request: { type: 'refresh_customers' },
    answer: 'customers_list',
    matches: (m) => m.type === 'customers_list',
    initial: 1,
  },
];

/** A request with a visible effect: the data message it causes, recognisable by `match`. */
interface Effect {
  conn: ProbeConnection;
  request: Record<string, unknown>;
  what: string;
  isEffect: (m: ReceivedMessage) => boolean;
}

/**
 * Chat messages and market snapshots are only ever caused by the request; campaign updates also come
 * from the running campaign, so a campaign has no effect that can be counted.
 */
async function effectOfRequest(ctx: CheckContext, id: string): Promise<Effect> {
  const name = await choose(ctx, ['chat', 'market_data'] as const);
  if (name === 'chat') {
    const conversationId = Number(ctx.param('conversationId') ?? '1');
    const content = `ACK-002 ${id}`;
    const conn = await ctx.connect('chat', { query: { conversationId: String(conversationId) } });
    return {
      conn,
      request: { type: 'chat_message', conversationId, content, id },
      what: 'chat_message broadcasts',
      isEffect: (m) => {
        const message = m.json?.message as Record<string, unknown> | undefined;
        return m.type === 'chat_message' && (message?.clientMessageId === id || message?.content === content);
      },
    };
  }
  const conn = await ctx.connect(MARKET_DATA.endpoint);
  return {
    conn,
    request: { ...MARKET_DATA.request, id },
    what: `${MARKET_DATA.replyType} messages`,
    isEffect: (m) => m.type === MARKET_DATA.replyType,
  };
}

export const ACK_CHECKS: readonly Check[] = [
  {
    id: 'ACK-001',
    level: 'MUST',
    area: 'acks',
    title: 'answers a request with an id with exactly one ack or error',
    requirement:
      'A client message with an `id`, other than `ping` and `pong`, gets exactly one `ack` or `error` carrying that `id`.',
    families: [],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ON_DEMAND_DATA, async (source) => {
        const { conn } = await openServingOn(ctx, source);
        const ids = [`ack-001-${uniqueSuffix()}`, 1001];
        for (const id of ids) conn.send({ ...source.request, id });
        for (const id of ids) await replyTo(ctx, conn, id, JSON.stringify(source.request), true);
        // Watch for a second reply to either id.
        await conn.staysOpen(QUIET_PERIOD_MS);
        for (const id of ids) {
          const replies = conn.received.filter(isReplyTo(id));
          if (replies.length !== 1) {
            ctx.fail(
              `expected exactly one reply with id ${JSON.stringify(id)} on ${source.endpoint}, got: ${replies.length}`,
              {
                expected: '1 reply',
                actual: replies.map((r) => r.text).join('\n'),
              },
            );
          }
        }
        ctx.observe(`${source.endpoint}: one reply each to a string and a number id`);
      });
    },
  },
  {
    id: 'ACK-002',
    level: 'MUST',
    area: 'acks',
    title: 'gives a repeated id no second effect and the same reply',
    requirement:
      'A message resent with the same `id` within the resume window has no second effect and gets the same reply.',
    families: ['chat', 'market'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const id = `ack-002-${uniqueSuffix()}`;
      const { conn, request, what, isEffect } = await effectOfRequest(ctx, id);
      const effectsBefore = conn.received.filter(isEffect).length;
      const sentAt = ctx.now();
      conn.send(request);
      await conn.next(isEffect, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `the effect of ${JSON.stringify(request)}`,
      });
      const first = await replyTo(ctx, conn, id, JSON.stringify(request));
      conn.send(request);
      const second = await replyTo(ctx, conn, id, `the repeated ${JSON.stringify(request)}`);
      expectStillRemembered(ctx, sentAt, 'the reply to the repeated request');
      // Watch for a late second effect.
      await conn.staysOpen(QUIET_PERIOD_MS);
      const effects = conn.received.filter(isEffect).length - effectsBefore;
      if (effects !== 1) {
        ctx.fail(`expected one effect of the request sent twice with id ${id}, got: ${effects} ${what}`, {
          expected: `1 ${what}`,
          actual: `${effects}`,
        });
      }
      expectSameReply(ctx, first, second, `the repeated id ${id}`);
      ctx.observe(
        `${conn.endpoint}: ${request.type} sent twice with one id: 1 of ${what}, the same ${first.type} twice`,
      );
    },
  },
  {
    id: 'ACK-003',
    level: 'MUST',
    area: 'acks',
    title: 'answers each data request with its data message',
    requirement:
      'A data request gets its data message: `get_all` a `prices_snapshot`, `subscribe` a `price_update` at once for each symbol it adds, `get_campaign` a full `campaign_update`, `refresh_conversations` a `conversations_list` and `refresh_customers` a `customers_list`.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const cases: DataAnswer[] = [];
      for (const answer of DATA_ANSWERS) if (await usable(ctx, answer.endpoint)) cases.push(answer);
      if (cases.length === 0)
        ctx.skip('no usable endpoint with a data request (chat endpoints need a token)');
      await onEach(ctx, cases, async ({ endpoint, request, answer, matches, initial }) => {
        const conn = await connectTo(ctx, endpoint);
        // The initial state first (HS-010's rule), so that the answer is told from it.
        for (let i = 0; i < initial; i++) {
          await conn
            .next((m) => isDataMessage(endpoint, m), {
              timeoutMs: REPLY_DEADLINE_MS,
              expected: `the initial state of ${endpoint}`,
            })
            .catch(() => ctx.blocked('HS-010', `no initial state on ${endpoint}`));
        }
        conn.send(request);
        const reply = await conn.next((m) => isDataMessage(endpoint, m) && matches(m), {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `${answer} answering ${JSON.stringify(request)} on ${endpoint}`,
        });
        ctx.observe(`${JSON.stringify(request)} on ${endpoint}: ${reply.type}`);
      });
    },
  },
  {
    id: 'ACK-004',
    level: 'MUST',
    area: 'acks',
    title: 'puts the results the table gives in ack.data',
    requirement:
      'The `ack` of a request listed in the table of section 9 carries the `data` the table gives it.',
    families: ['chat', 'market'],
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const all = ackDataCases(Number(ctx.param('conversationId') ?? '1'));
      const endpoints: AckDataCase['endpoint'][] = [];
      for (const name of Object.keys(all) as AckDataCase['endpoint'][])
        if (await usable(ctx, name)) endpoints.push(name);
      if (endpoints.length === 0)
        ctx.skip('no usable endpoint with acks that carry data (chat endpoints need a token)');
      await onEach(ctx, endpoints, async (name) => {
        const conn = await connectTo(ctx, name);
        for (const { request, expected, matches } of all[name]) {
          const id = `ack-004-${uniqueSuffix()}`;
          conn.send({ ...request, id });
          const reply = await replyTo(ctx, conn, id, JSON.stringify(request));
          const data = reply.json?.data as Record<string, unknown> | undefined;
          if (reply.type !== 'ack' || !matches(data)) {
            ctx.fail(
              `expected the ack of ${JSON.stringify(request)} on ${name} to carry data ${expected}, got: ${reply.text}`,
              {
                expected: `ack.data ${expected}`,
                actual: reply.text,
              },
            );
          }
          ctx.observe(`${request.type} on ${name}: ack.data ${JSON.stringify(data)}`);
        }
      });
    },
  },
  {
    id: 'ACK-005',
    level: 'MUST',
    area: 'acks',
    title: 'remembers replies across a resume',
    requirement:
      'A request resent with the same `id` after its session was resumed gets the remembered reply and has no second effect.',
    families: ['chat', 'market'],
    budgetMs: () => 4 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const id = `ack-005-${uniqueSuffix()}`;
      const { effect, first, sentAt } = await rememberedRequest(ctx, id);
      const { conn, request, what, isEffect } = effect;
      const session = describeSession(ctx, conn);
      const droppedAt = drop(ctx, conn);
      const attempt = await resume(
        ctx,
        conn.endpoint,
        session.sessionId,
        session.lastSeq,
        chatRoomOptions(ctx, conn.endpoint),
        droppedAt,
      );
      if (attempt.outcome.type !== 'resumed') {
        ctx.blocked('RES-001', `the resume within the window got ${attempt.outcome.text}`);
      }
      attempt.conn.send(request);
      const second = await replyTo(
        ctx,
        attempt.conn,
        id,
        `${JSON.stringify(request)} resent after the resume`,
      );
      expectStillRemembered(ctx, sentAt, 'the reply to the request resent after the resume');
      await attempt.conn.staysOpen(QUIET_PERIOD_MS);
      const isLive = receivedAfter(attempt.conn, attempt.outcome);
      const effects = attempt.conn.received.filter((m) => isLive(m) && isEffect(m));
      if (effects.length > 0) {
        ctx.fail(
          `expected no second effect of ${JSON.stringify(request)} resent after the resume, got: ${effects[0].text}`,
          {
            expected: `no more ${what}`,
            actual: effects[0].text,
          },
        );
      }
      expectSameReply(ctx, first, second, `the id ${id} resent after the resume`);
      ctx.observe(
        `${conn.endpoint}: ${request.type} resent after a resume: the remembered ${first.type}, no second effect`,
      );
    },
  },
  {
    id: 'ACK-006',
    level: 'MUST',
    area: 'acks',
    title: 'tells a string id from a number id',
    requirement:
      'A string `id` and a number `id` are different ids, even when they read alike (`"7"` and `7`).',
    families: ['chat', 'market'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const number = 700_000_000 + Math.floor(Math.random() * 1e8);
      const { conn, request, what, isEffect } = await effectOfRequest(ctx, String(number));
      const effectsBefore = conn.received.filter(isEffect).length;
      for (const id of [String(number), number]) {
        const sentAt = conn.received.length;
        conn.send({ ...request, id });
        // The reply to the number id, or the string id's remembered reply given to it; not a reply that
        // arrived before it was sent (a duplicate is ACK-001's to judge).
        const reply = await conn
          .next((m) => isReplyTo([id, String(id)])(m) && conn.received.indexOf(m) >= sentAt, {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `an ack or error answering ${request.type} with id ${JSON.stringify(id)} on ${conn.endpoint}`,
          })
          .catch(() => ctx.blocked('ACK-001', `no reply to ${request.type} with id ${JSON.stringify(id)}`));
        if (reply.type !== 'ack' || reply.json?.id !== id) {
          ctx.fail(
            `expected ${request.type} with id ${JSON.stringify(id)} to be processed as a request of its own, got: ${reply.text}`,
            { expected: `an ack with id ${JSON.stringify(id)}`, actual: reply.text },
          );
        }
      }
      await conn.staysOpen(QUIET_PERIOD_MS);
      const effects = conn.received.filter(isEffect).length - effectsBefore;
      if (effects !== 2) {
        ctx.fail(
          `expected ids "${number}" and ${number} to be two requests with an effect each, got: ${effects} ${what}`,
          {
            expected: `2 ${what}`,
            actual: String(effects),
          },
        );
      }
      ctx.observe(`${conn.endpoint}: ids "${number}" and ${number} each processed (2 of ${what})`);
    },
  },
  {
    id: 'ACK-007',
    level: 'MUST',
    area: 'acks',
    title: 'answers a remembered id with the remembered reply, whatever the message type',
    requirement:
      'A message with a remembered `id` is not processed, whatever its type, and gets the remembered reply.',
    families: ['chat', 'market'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const id = `ack-007-${uniqueSuffix()}`;
      const { effect, first, sentAt } = await rememberedRequest(ctx, id);
      const { conn, request } = effect;
      // Another type with the same id: processed, it would answer differently (and subscribe to XRP).
      const other =
        conn.endpoint === 'chat'
          ? { type: 'chat_leave', conversationId: request.conversationId, id }
          : { type: 'subscribe', symbols: ['XRP'], id };
      conn.send(other);
      const second = await replyTo(ctx, conn, id, `${other.type} with the remembered id`);
      expectStillRemembered(ctx, sentAt, `the reply to ${other.type}`);
      await conn.staysOpen(QUIET_PERIOD_MS);
      const xrp = conn.received.find(
        (m) =>
          m.type === 'price_update' &&
          (m.json?.data as Record<string, unknown> | undefined)?.symbol === 'XRP',
      );
      if (xrp) {
        ctx.fail(`expected ${other.type} with a remembered id not to be processed, got: ${xrp.text}`);
      }
      expectSameReply(ctx, first, second, `${other.type} with the id of an earlier ${request.type}`);
      ctx.observe(
        `${conn.endpoint}: ${other.type} with the id of a ${request.type}: the remembered ${first.type}, not processed`,
      );
    },
  },
  {
    id: 'ACK-008',
    level: 'MUST',
    area: 'acks',
    title: 'remembers nothing of a message refused before it was processed',
    requirement:
      'A message refused before it was processed (INVALID_MESSAGE, UNKNOWN_TYPE, RATE_LIMITED) leaves nothing remembered: a valid request sent later with its `id` is processed.',
    families: [],
    budgetMs: () => 5 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ON_DEMAND_DATA, async (source) => {
        const { conn } = await openServingOn(ctx, source);
        const refused: [string, Record<string, unknown>, string][] = [
          ['INVALID_MESSAGE', { ...source.request, unexpectedProperty: 1 }, 'ERR-003'],
          ['UNKNOWN_TYPE', { type: 'no_such_type' }, 'ERR-002'],
        ];
        for (const [code, message, owner] of refused) {
          const id = `ack-008-${uniqueSuffix()}`;
          conn.send({ ...message, id });
          const error = await conn
            .next((m) => m.type === 'error', {
              timeoutMs: REPLY_DEADLINE_MS,
              expected: `error ${code} answering ${JSON.stringify(message)}`,
            })
            .catch(() => ctx.blocked(owner, `no error ${code} answering ${JSON.stringify(message)}`));
          conn.send({ ...source.request, id });
          const reply = await replyTo(
            ctx,
            conn,
            id,
            `${JSON.stringify(source.request)} with the id of a refused message`,
          );
          if (reply.type !== 'ack') {
            ctx.fail(
              `expected ${JSON.stringify(source.request)} with the id of a message refused as ${code} to be processed, got: ${reply.text}`,
              {
                expected: 'ack',
                actual: reply.text,
              },
            );
          }
          ctx.observe(
            `${source.endpoint}: an id refused as ${(error.json?.error as Record<string, unknown> | undefined)?.code} then used for ${source.request.type}: processed`,
          );
        }
      });
      ctx.observe('RATE_LIMITED not exercised: resending would wait for the window to end');
    },
  },
  {
    id: 'ACK-009',
    level: 'MUST',
    area: 'acks',
    title: 'acknowledges leaving a room that was never joined',
    requirement:
      'Leaving a room that exists but that the session has not joined (`chat_leave`, `project_leave`) is acknowledged, not refused.',
    families: ['chat'],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const conversationId = Number(ctx.param('conversationId') ?? '1');
      const cases: ['chat' | 'projects', Record<string, unknown>][] = [
        ['chat', { type: 'chat_leave', conversationId }],
        ['projects', { type: 'project_leave', projectId: 1 }],
      ];
      const usableCases: typeof cases = [];
      for (const c of cases) if (await usable(ctx, c[0])) usableCases.push(c);
      if (usableCases.length === 0) ctx.skip('needs /ws/chat/ or /ws/projects/ (with a token)');
      await onEach(ctx, usableCases, async ([name, request]) => {
        const conn = await connectTo(
          ctx,
          name,
          name === 'chat' ? { query: { conversationId: undefined } } : {},
        );
        const id = `ack-009-${uniqueSuffix()}`;
        conn.send({ ...request, id });
        const reply = await replyTo(ctx, conn, id, JSON.stringify(request));
        if (reply.type !== 'ack') {
          ctx.fail(
            `expected an ack for ${JSON.stringify(request)} on ${name} (a room not joined), got: ${reply.text}`,
            {
              expected: 'ack',
              actual: reply.text,
            },
          );
        }
        ctx.observe(`${JSON.stringify(request)} on ${name}, never joined: ack`);
      });
    },
  },
];

/** A chat session is resumed without the room parameter it was opened with, so the rooms are the session's. */
function chatRoomOptions(ctx: CheckContext, name: string) {
  return name === 'chat' ? { query: { conversationId: ctx.param('conversationId') ?? '1' } } : {};
}
