/**
 * Errors (ERR-001 … ERR-012): bad client messages get an `error` with the right code, details and id, the
 * connection keeps serving, `closeCode` appears only on errors that close, unknown things are NOT_FOUND,
 * no message type of the catalogue is an unknown type, and a message past the advertised bounds, or wrong
 * in many ways, is refused with one small error.
 */
import { ErrorCode, MAX_ERROR_FRAME_BYTES } from '../../protocol/constants.js';
import { ENDPOINTS, type EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import type { AdvertisedTimers, Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { expectStillOpen } from './app-pings.js';
import { PRICE_UPDATE_DEADLINE_MS, QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import {
  choose,
  connectTo,
  expectStillServing,
  ON_DEMAND_DATA,
  onEach,
  onEveryFamily,
  openServing,
  openServingOn,
  uniqueSuffix,
  usable,
  type OnDemandData,
} from './endpoint-choice.js';
import { advertisedBounds } from './limit-probes.js';

/** A symbol no server knows: ISO 4217's code for tests (docs/protocol.md, section 2). */
export const UNKNOWN_SYMBOL = 'XTS';
/** An id that names no project or notification (the reference data has 1 … 1000). */
const UNKNOWN_ID = 999_999_999;

/** Messages of an endpoint that violate its schema, each with the path of the violation. */
const SCHEMA_VIOLATIONS: Record<string, { message: Record<string, unknown>; path: string }[]> = {
  market_data: [
    { message: { type: 'subscribe', symbols: [42] }, path: '/symbols/0' },
    // A missing required property fails the object that lacks it.
    { message: { type: 'subscribe' }, path: '/' },
  ],
  conversations: [
    { message: { type: 'refresh_conversations', id: true }, path: '/id' },
    { message: { type: 'refresh_conversations', unexpectedProperty: 1 }, path: '/' },
  ],
  campaigns: [
    { message: { type: 'get_campaign', id: true }, path: '/id' },
    { message: { type: 'get_campaign', unexpectedProperty: 1 }, path: '/' },
  ],
};

/**
 * A request with a valid id that the endpoint refuses (with `error`, not `ack`), for a reason other than
 * an unknown type, so that ERR-004 does not depend on ERR-002.
 */
function refusedRequest(name: EndpointName, id: string | number): Record<string, unknown> {
  if (name === 'market_data') return { type: 'subscribe', symbols: [UNKNOWN_SYMBOL], id };
  // An undeclared property violates the strict client schemas.
  const request = ON_DEMAND_DATA.find((s) => s.endpoint === name)?.request ?? {};
  return { ...request, id, unexpectedProperty: true };
}

export function errorOf(message: ReceivedMessage): Record<string, unknown> {
  const error = message.json?.error;
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

function detailsOf(message: ReceivedMessage): Record<string, unknown> {
  const details = errorOf(message).details;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
}

/** Waits for the next `error` and checks its code. */
async function expectErrorCode(ctx: CheckContext, conn: ProbeConnection, code: string, after: string) {
  const error = await conn.next((m) => m.type === 'error', {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `error ${code} after ${after} on ${conn.endpoint}`,
  });
  if (errorOf(error).code !== code) {
    ctx.fail(
      `expected error ${code} after ${after} on ${conn.endpoint}, got: ${JSON.stringify(errorOf(error).code)}`,
      {
        expected: code,
        actual: error.text,
      },
    );
  }
  return error;
}

/** Runs `each` on an on-demand endpoint of every family, proven to answer its data request first. */
function onEveryServingFamily(
  ctx: CheckContext,
  each: (conn: ProbeConnection, source: OnDemandData) => Promise<void>,
): Promise<void> {
  return onEveryFamily(ctx, ON_DEMAND_DATA, async (source) => {
    const { conn } = await openServingOn(ctx, source);
    await each(conn, source);
  });
}

/** Replies to a burst arrive in order; allow a little per message on top of the reply deadline. */
const burstBudget = (t: AdvertisedTimers) => 2 * REPLY_DEADLINE_MS + 2 * t.rateLimit.maxMessages * 5;

function isRateLimited(m: ReceivedMessage): boolean {
  return m.type === 'error' && errorOf(m).code === ErrorCode.RATE_LIMITED;
}

/**
 * Sends one more message than the rate limit allows, each request with an id, on a fresh connection
 * and returns the first RATE_LIMITED error (blocked by RL-001 when none comes).
 */
async function firstRateLimited(
  ctx: CheckContext,
  source: OnDemandData,
  ids: (string | number)[],
): Promise<{ conn: ProbeConnection; refused: ReceivedMessage }> {
  const conn = await ctx.connect(source.endpoint);
  for (const id of ids) conn.send({ ...source.request, id });
  try {
    const refused = await conn.next(isRateLimited, {
      timeoutMs: burstBudget(ctx.timers),
      expected: `error ${ErrorCode.RATE_LIMITED} within ${ids.length} messages`,
    });
    return { conn, refused };
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    return ctx.blocked(
      'RL-001',
      `no ${ErrorCode.RATE_LIMITED} after ${ids.length} messages on ${source.endpoint}`,
    );
  }
}

/** A `{type, id}` request for every client type the catalogue lists on usable endpoints (ERR-010). */
async function catalogueRequests(ctx: CheckContext): Promise<[EndpointName, string][]> {
  const requests: [EndpointName, string][] = [];
  for (const spec of ENDPOINTS) {
    if (!(await usable(ctx, spec.name))) continue;
    for (const type of spec.clientTypes) requests.push([spec.name, type]);
  }
  return requests;
}

/** How far past the advertised bounds ERR-011 goes: past any off-by-one in counting. */
const BEYOND_BOUND = 8;
/** The case of ERR-012 that an unknown type makes (its error is UNKNOWN_TYPE, ERR-002's rule). */
const UNKNOWN_TYPE_CASE = 'err-012-type';
/** Size of the bad messages of ERR-012 (less when `maxMessageBytes` is smaller). */
const LARGE_MESSAGE_BYTES = 60_000;

/** Messages of about `bytes` bytes that are wrong in as many ways as they have room for. */
function largeBadMessages(
  source: OnDemandData,
  bytes: number,
): { id: string; what: string; message: string }[] {
  const properties = Object.fromEntries(
    Array.from({ length: Math.floor(bytes / 12) }, (_, i) => [`p${i}`, 0]),
  );
  const cases = [
    {
      id: UNKNOWN_TYPE_CASE,
      what: `an unknown type of ${bytes} characters`,
      message: JSON.stringify({ type: 'x'.repeat(bytes), id: UNKNOWN_TYPE_CASE }),
    },
    {
      id: 'err-012-properties',
      what: `${Object.keys(properties).length} undeclared properties`,
      message: JSON.stringify({ ...source.request, id: 'err-012-properties', ...properties }),
    },
  ];
  if (source.endpoint === 'market_data') {
    const symbols = Array.from({ length: Math.floor(bytes / 6) }, (_, i) => i);
    cases.push({
      id: 'err-012-symbols',
      what: `a subscribe with ${symbols.length} numbers for symbols`,
      message: JSON.stringify({ type: 'subscribe', id: 'err-012-symbols', symbols }),
    });
  }
  return cases;
}

export const ERROR_CHECKS: readonly Check[] = [
  {
    id: 'ERR-001',
    level: 'MUST',
    area: 'errors',
    title: 'answers a non-JSON text frame with INVALID_JSON and stays open',
    requirement: 'A text frame that is not JSON gets `error` INVALID_JSON and the connection stays open.',
    families: [],
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryServingFamily(ctx, async (conn, source) => {
        conn.send('{"type": "get_all", this is not JSON');
        await expectErrorCode(ctx, conn, ErrorCode.INVALID_JSON, 'a text frame that is not JSON');
        await expectStillServing(conn, source, 'INVALID_JSON');
        ctx.observe(`${conn.endpoint}: error INVALID_JSON, then still serving`);
      });
    },
  },
  {
    id: 'ERR-002',
    level: 'MUST',
    area: 'errors',
    title: 'answers an unknown type with UNKNOWN_TYPE and stays open',
    requirement: 'A message with an unknown `type` gets `error` UNKNOWN_TYPE and the connection stays open.',
    families: [],
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryServingFamily(ctx, async (conn, source) => {
        conn.send({ type: 'no_such_message_type' });
        await expectErrorCode(ctx, conn, ErrorCode.UNKNOWN_TYPE, 'an unknown type');
        await expectStillServing(conn, source, 'UNKNOWN_TYPE');
        ctx.observe(`${conn.endpoint}: error UNKNOWN_TYPE, then still serving`);
      });
    },
  },
  {
    id: 'ERR-003',
    level: 'MUST',
    area: 'errors',
    title: 'answers a schema violation with INVALID_MESSAGE and its path, and stays open',
    requirement:
      'A message that violates its schema gets `error` INVALID_MESSAGE with the failing path in `error.details.path`, and the connection stays open.',
    families: [],
    budgetMs: () => 5 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryServingFamily(ctx, async (conn, source) => {
        for (const violation of SCHEMA_VIOLATIONS[source.endpoint]) {
          const sent = JSON.stringify(violation.message);
          conn.send(violation.message);
          const error = await expectErrorCode(ctx, conn, ErrorCode.INVALID_MESSAGE, sent);
          const path = detailsOf(error).path;
          if (path !== violation.path) {
            ctx.fail(
              `expected error.details.path ${violation.path} for ${sent}, got: ${JSON.stringify(path)}`,
              {
                expected: violation.path,
                actual: error.text,
              },
            );
          }
          ctx.observe(`${sent} on ${conn.endpoint}: INVALID_MESSAGE at ${violation.path}`);
        }
        await expectStillServing(conn, source, 'INVALID_MESSAGE');
      });
    },
  },
  {
    id: 'ERR-004',
    level: 'MUST',
    area: 'errors',
    title: 'puts the id of the refused message on the error, RATE_LIMITED included',
    requirement: 'An `error` answering a client message that had an `id` carries that `id`.',
    families: [],
    budgetMs: (t) => 3 * REPLY_DEADLINE_MS + burstBudget(t),
    async run(ctx) {
      await onEveryServingFamily(ctx, async (conn, source) => {
        for (const id of [`err-004-${uniqueSuffix()}`, 4004]) {
          const request = refusedRequest(source.endpoint, id);
          conn.send(request);
          const error = await conn.next((m) => m.type === 'error', {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `error answering ${JSON.stringify(request)}`,
          });
          if (error.json?.id !== id) {
            ctx.fail(
              `expected the error to carry id ${JSON.stringify(id)}, got: ${JSON.stringify(error.json?.id)}`,
              {
                expected: `id ${JSON.stringify(id)}`,
                actual: error.text,
              },
            );
          }
        }
        ctx.observe(`${conn.endpoint}: errors carry the string and the number id of the refused request`);
      });
      const source = await choose(ctx, ON_DEMAND_DATA);
      const { maxMessages } = ctx.timers.rateLimit;
      const ids = Array.from({ length: maxMessages + 1 }, (_, i) => `err-004-rl-${i + 1}`);
      const { refused } = await firstRateLimited(ctx, source, ids);
      const refusedId = refused.json?.id;
      if (typeof refusedId !== 'string' || !ids.includes(refusedId)) {
        ctx.fail(
          `expected the ${ErrorCode.RATE_LIMITED} error to carry the refused request's id, got: ${JSON.stringify(refused.json?.id)}`,
          {
            expected: `an id of ${ids[0]} … ${ids.at(-1)}`,
            actual: refused.text,
          },
        );
      }
      ctx.observe(`${source.endpoint}: ${ErrorCode.RATE_LIMITED} carries id ${refusedId}`);
    },
  },
  {
    id: 'ERR-005',
    level: 'MUST',
    area: 'errors',
    title: 'answers JSON without a string type with INVALID_MESSAGE at /type, and stays open',
    requirement:
      'JSON that is not an object, or an object without a string `type` (on market endpoints: nor a string `action`), gets `error` INVALID_MESSAGE with `error.details.path` `/type`, and the connection stays open.',
    families: [],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['market_data', 'conversations', 'campaigns'] as const, async (name) => {
        const conn = await ctx.connect(name);
        const cases = ['42', '[1,2]', '"get_all"', '{"id":"err-005"}', '{"type":7}'];
        for (const text of cases) {
          conn.send(text);
          const error = await expectErrorCode(ctx, conn, ErrorCode.INVALID_MESSAGE, text);
          const path = detailsOf(error).path;
          if (path !== '/type') {
            ctx.fail(
              `expected error.details.path /type for ${text} on ${name}, got: ${JSON.stringify(path)}`,
              {
                expected: '/type',
                actual: error.text,
              },
            );
          }
        }
        await expectStillOpen(ctx, conn, 'messages without a string type');
        ctx.observe(`${name}: ${cases.join(', ')} each got INVALID_MESSAGE at /type; still open`);
      });
    },
  },
  {
    id: 'ERR-006',
    level: 'MUST',
    area: 'errors',
    title: 'lists the validator’s findings in details.errors',
    requirement:
      "An INVALID_MESSAGE `error` lists the validator's findings in `error.details.errors`, an array of `{path, message}`, at least one for a message that violates its schema.",
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ON_DEMAND_DATA, async (source) => {
        const conn = await ctx.connect(source.endpoint);
        const [violation] = SCHEMA_VIOLATIONS[source.endpoint];
        const cases: [string, unknown, boolean][] = [
          ['a schema violation', violation.message, true],
          ['a JSON array', [1, 2], false],
        ];
        for (const [label, message, findingRequired] of cases) {
          conn.send(message);
          const error = await expectErrorCode(ctx, conn, ErrorCode.INVALID_MESSAGE, label);
          const errors = detailsOf(error).errors;
          const wellFormed =
            Array.isArray(errors) &&
            errors.every((e) => typeof e?.path === 'string' && typeof e?.message === 'string') &&
            (!findingRequired || errors.length > 0);
          if (!wellFormed) {
            ctx.fail(
              `expected error.details.errors, an array of {path, message}${findingRequired ? ' with at least one finding' : ''}, for ${label} on ${source.endpoint}, got: ${JSON.stringify(errors)}`,
              {
                expected: '[{path, message}, …]',
                actual: error.text,
              },
            );
          }
          ctx.observe(
            `${label} on ${source.endpoint}: details.errors with ${(errors as unknown[]).length} findings`,
          );
        }
      });
    },
  },
  {
    id: 'ERR-007',
    level: 'MUST',
    area: 'errors',
    title: 'names the unknown type in details.type',
    requirement: 'An UNKNOWN_TYPE `error` names the refused type in `error.details.type`.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['market_data', 'conversations', 'campaigns'] as const, async (name) => {
        const conn = await ctx.connect(name);
        const type = `no_such_type_${uniqueSuffix()}`;
        conn.send({ type });
        let error: ReceivedMessage;
        try {
          error = await expectErrorCode(ctx, conn, ErrorCode.UNKNOWN_TYPE, `type ${type}`);
        } catch (failure) {
          if (!(failure instanceof CheckFailure) || !conn.isOpen) throw failure;
          return ctx.blocked('ERR-002', `no ${ErrorCode.UNKNOWN_TYPE} error on ${name}: ${failure.message}`);
        }
        if (detailsOf(error).type !== type) {
          ctx.fail(
            `expected error.details.type ${type} on ${name}, got: ${JSON.stringify(detailsOf(error).type)}`,
            {
              expected: type,
              actual: error.text,
            },
          );
        }
        ctx.observe(`${name}: UNKNOWN_TYPE names ${type} in details.type`);
      });
    },
  },
  {
    id: 'ERR-008',
    level: 'MUST',
    area: 'errors',
    title: 'puts closeCode only on errors followed by a close',
    requirement:
      'An `error` carries `error.closeCode` only when the server closes the connection with that code right after it.',
    families: [],
    budgetMs: (t) => 3 * REPLY_DEADLINE_MS + burstBudget(t),
    async run(ctx) {
      const judged: ReceivedMessage[] = [];
      await onEveryFamily(ctx, ['market_data', 'conversations', 'campaigns'] as const, async (name) => {
        const conn = await ctx.connect(name);
        const bad: unknown[] = [
          'not JSON',
          { type: 'no_such_type' },
          { type: 'ping', unexpectedProperty: 1 },
        ];
        if (name === 'market_data') bad.push({ type: 'subscribe', symbols: [UNKNOWN_SYMBOL] });
        // One at a time, each followed by a ping: its pong tells that the error did not close.
        for (const message of bad) {
          const before = conn.received.length;
          conn.send(message);
          try {
            await expectStillOpen(ctx, conn, JSON.stringify(message));
          } catch (error) {
            if (conn.isOpen) throw error;
            // An error that closed: closeCode belongs on it (CL-001's rule, and ERR-001 … ERR-003's).
            ctx.note(`${name} closed after ${JSON.stringify(message)}`);
            return;
          }
          judged.push(...conn.received.slice(before).filter((m) => m.type === 'error'));
        }
      });
      const source = await choose(ctx, ON_DEMAND_DATA);
      const { maxMessages } = ctx.timers.rateLimit;
      const ids = Array.from({ length: maxMessages + 1 }, (_, i) => `err-008-rl-${i + 1}`);
      const { conn, refused } = await firstRateLimited(ctx, source, ids);
      // Anything more sent now would be refused too: staying open is watched, not asked.
      if (await conn.staysOpen(QUIET_PERIOD_MS)) judged.push(refused);
      else ctx.note(`the connection closed after ${ErrorCode.RATE_LIMITED}; that error is RL-001's to judge`);
      const withCloseCode = judged.filter((m) => errorOf(m).closeCode !== undefined);
      if (withCloseCode.length > 0) {
        ctx.fail(`expected no closeCode on errors that do not close, got: ${withCloseCode[0].text}`, {
          expected: 'no error.closeCode',
          actual: withCloseCode.map((m) => m.text).join('\n'),
        });
      }
      const codes = [...new Set(judged.map((m) => errorOf(m).code))].join(', ');
      ctx.observe(`${judged.length} errors that did not close (${codes}): none carries closeCode`);
    },
  },
  {
    id: 'ERR-009',
    level: 'MUST',
    area: 'errors',
    title: 'answers a request naming something unknown with NOT_FOUND, and stays open',
    requirement:
      'A request naming a conversation, project, notification, message or symbol that does not exist gets `error` NOT_FOUND and the connection stays open; a `subscribe` naming an unknown symbol lists it in `error.details.symbols` and subscribes to none of its symbols.',
    families: ['market', 'chat'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + PRICE_UPDATE_DEADLINE_MS,
    async run(ctx) {
      const cases: [EndpointName, Record<string, unknown>][] = [];
      const unknownConversation = Number(
        ctx.param('unknownConversationId') ?? ctx.param('unknownCampaignId'),
      );
      const own = Number(ctx.param('conversationId') ?? '1');
      if (await usable(ctx, 'chat')) {
        if (Number.isSafeInteger(unknownConversation)) {
          cases.push(['chat', { type: 'chat_join', conversationId: unknownConversation }]);
        }
        cases.push(['chat', { type: 'chat_read', conversationId: own, messageId: UNKNOWN_ID }]);
        cases.push(['projects', { type: 'project_join', projectId: UNKNOWN_ID }]);
        cases.push(['notifications', { type: 'notification_read', notificationId: UNKNOWN_ID }]);
      }
      const market = await usable(ctx, 'market_data');
      if (cases.length === 0 && !market)
        ctx.skip('needs /ws/market_data or the chat endpoints (with a token)');
      await onEach(
        ctx,
        [...cases, ...(market ? [['market_data', {}] as const] : [])],
        async ([name, request]) => {
          const conn = await connectTo(ctx, name);
          if (name === 'market_data') return expectUnknownSymbolRefused(ctx, conn);
          const id = `err-009-${uniqueSuffix()}`;
          conn.send({ ...request, id });
          await expectErrorCode(ctx, conn, ErrorCode.NOT_FOUND, JSON.stringify(request));
          await expectStillOpen(ctx, conn, ErrorCode.NOT_FOUND);
          ctx.observe(`${JSON.stringify(request)} on ${name}: NOT_FOUND, still open`);
        },
      );
    },
  },
  {
    id: 'ERR-010',
    level: 'MUST',
    area: 'errors',
    title: 'knows every client message type of the catalogue',
    requirement:
      'A client message of a type the catalogue lists for an endpoint is never answered UNKNOWN_TYPE on that endpoint.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const requests = await catalogueRequests(ctx);
      if (requests.length === 0)
        ctx.skip('no usable endpoint with client messages (chat endpoints need a token)');
      const byEndpoint = new Map<EndpointName, string[]>();
      for (const [name, type] of requests) byEndpoint.set(name, [...(byEndpoint.get(name) ?? []), type]);
      await onEach(ctx, [...byEndpoint], async ([name, types]) => {
        const conn = await connectTo(ctx, name);
        const ids = types.map((type) => `err-010-${type}-${uniqueSuffix()}`);
        types.forEach((type, i) => conn.send({ type, id: ids[i] }));
        // Replies come in the order of the requests: the n-th ack or error answers the n-th type (matching
        // by order, not by id, keeps ERR-004's rule out of this one).
        for (const type of types) {
          let reply: ReceivedMessage;
          try {
            reply = await conn.next((m) => m.type === 'ack' || m.type === 'error', {
              timeoutMs: REPLY_DEADLINE_MS,
              expected: `an ack or error answering {"type":"${type}"} on ${name}`,
            });
          } catch (error) {
            if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
            return ctx.blocked('ACK-001', `no reply to ${type} on ${name}`);
          }
          if (reply.type === 'error' && errorOf(reply).code === ErrorCode.UNKNOWN_TYPE) {
            ctx.fail(`expected ${type} to be a known type on ${name}, got: ${reply.text}`, {
              expected: `anything but ${ErrorCode.UNKNOWN_TYPE}`,
              actual: reply.text,
            });
          }
        }
        ctx.observe(`${name}: ${types.join(', ')} known`);
      });
    },
  },
  {
    id: 'ERR-011',
    level: 'MUST',
    area: 'errors',
    title: 'refuses a message nested too deep, or with too many items, with INVALID_MESSAGE and stays open',
    requirement:
      'A client message that nests arrays and objects deeper than the advertised `maxMessageDepth`, or holds more than the advertised `maxMessageItems` array elements and object members in all, gets `error` INVALID_MESSAGE, and the connection stays open.',
    families: ['chat'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      // `metadata` of a chat message is free-form: only these bounds stop what it holds.
      if (!(await usable(ctx, 'chat')))
        ctx.skip('needs /ws/chat/ and a token (pass --token or --token-secret)');
      const conn = await ctx.connect('chat');
      const bounds = advertisedBounds(conn);
      const levels = bounds.depth + BEYOND_BOUND;
      const members = bounds.items + BEYOND_BOUND;
      const cases = [
        {
          what: `metadata nested ${levels} levels deep`,
          metadata: `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
        },
        {
          what: `metadata of ${members} members`,
          metadata: JSON.stringify(
            Object.fromEntries(Array.from({ length: members }, (_, i) => [`m${i}`, 0])),
          ),
        },
      ];
      const conversationId = Number(ctx.param('conversationId') ?? '1');
      for (const [n, { what, metadata }] of cases.entries()) {
        const id = `err-011-${n}`;
        conn.send(
          `{"type":"chat_message","id":"${id}","conversationId":${conversationId},"content":"x","metadata":${metadata}}`,
        );
        const answer = await conn.next((m) => m.type === 'error' || (m.type === 'ack' && m.json?.id === id), {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `error INVALID_MESSAGE for ${what}`,
        });
        if (answer.type !== 'error' || errorOf(answer).code !== ErrorCode.INVALID_MESSAGE) {
          ctx.fail(`expected error INVALID_MESSAGE for ${what}, got: ${answer.text.slice(0, 300)}`, {
            expected: `error ${ErrorCode.INVALID_MESSAGE}`,
            actual: answer.text.slice(0, 300),
          });
        }
        ctx.observe(`${what}: ${ErrorCode.INVALID_MESSAGE}`);
      }
      if (!(await conn.staysOpen(QUIET_PERIOD_MS))) {
        ctx.fail('expected the connection to stay open after INVALID_MESSAGE, got: a close');
      }
    },
  },
  {
    id: 'ERR-012',
    level: 'MUST',
    area: 'errors',
    title: 'answers a large bad message with an error of at most 4 096 bytes',
    requirement:
      'An `error` answering a client message is at most 4 096 bytes of UTF-8, however large the message.',
    families: [],
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      const room = Math.min(ctx.timers.maxMessageBytes, LARGE_MESSAGE_BYTES) - 256;
      for (const { id, what, message } of largeBadMessages(source, room)) {
        conn.send(message);
        // A message refused unread (too many items) gets an error without its id.
        const answer = (m: ReceivedMessage) =>
          m.type === 'error' && (m.json?.id === id || m.json?.id === undefined);
        let error: ReceivedMessage;
        try {
          error = await conn.next(answer, {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `error answering ${what}`,
          });
        } catch (failure) {
          // An unknown type gets UNKNOWN_TYPE by ERR-002's rule: without it there is no error to measure.
          if (id === UNKNOWN_TYPE_CASE && conn.isOpen) ctx.blocked('ERR-002', `no error answered ${what}`);
          throw failure;
        }
        const bytes = Buffer.byteLength(error.text, 'utf8');
        if (bytes > MAX_ERROR_FRAME_BYTES) {
          ctx.fail(
            `expected an error of at most ${MAX_ERROR_FRAME_BYTES} bytes answering ${what}, got: ${bytes} bytes`,
            {
              expected: `at most ${MAX_ERROR_FRAME_BYTES} bytes`,
              actual: `${bytes} bytes: ${error.text.slice(0, 200)}…`,
            },
          );
        }
        ctx.observe(`${what}: an error of ${bytes} bytes`);
      }
    },
  },
];

/**
 * ERR-009 on `/ws/market_data`: a `subscribe` of a known and an unknown symbol is refused with NOT_FOUND
 * naming the unknown one, and subscribes to neither: a symbol added gets its `price_update` at once
 * (ACK-003), so none for BTC may come before the answer to a later request.
 */
async function expectUnknownSymbolRefused(ctx: CheckContext, conn: ProbeConnection): Promise<void> {
  const request = { type: 'subscribe', symbols: ['BTC', UNKNOWN_SYMBOL], id: `err-009-${uniqueSuffix()}` };
  conn.send(request);
  const error = await expectErrorCode(ctx, conn, ErrorCode.NOT_FOUND, JSON.stringify(request));
  const symbols = detailsOf(error).symbols;
  if (!Array.isArray(symbols) || !symbols.includes(UNKNOWN_SYMBOL)) {
    ctx.fail(`expected error.details.symbols to list ${UNKNOWN_SYMBOL}, got: ${JSON.stringify(symbols)}`, {
      expected: `["${UNKNOWN_SYMBOL}"]`,
      actual: error.text,
    });
  }
  const fence = { type: 'subscribe', symbols: ['ETH'], id: `err-009-${uniqueSuffix()}` };
  conn.send(fence);
  await conn.next((m) => m.type === 'ack' && m.json?.id === fence.id, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `the ack of ${JSON.stringify(fence)} after NOT_FOUND`,
  });
  await conn.staysOpen(QUIET_PERIOD_MS);
  const btc = conn.received.find(
    (m) =>
      m.type === 'price_update' && (m.json?.data as Record<string, unknown> | undefined)?.symbol === 'BTC',
  );
  if (btc) {
    ctx.fail(
      `expected no subscription to BTC after NOT_FOUND for ${JSON.stringify(request.symbols)}, got: ${btc.text}`,
      {
        expected: 'no price_update for BTC',
        actual: btc.text,
      },
    );
  }
  ctx.observe(
    `subscribe ${JSON.stringify(request.symbols)} on market_data: NOT_FOUND with details.symbols ${JSON.stringify(symbols)}, no price_update for BTC, still serving`,
  );
}
