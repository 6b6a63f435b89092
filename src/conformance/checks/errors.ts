/**
 * Errors (ERR-001 … ERR-004): bad client messages get an `error` with the right code and id, and the
 * connection keeps serving.
 */
import { ErrorCode, MAX_ERROR_FRAME_BYTES } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import {
  expectStillServing,
  ON_DEMAND_DATA,
  openServing,
  usable,
  type OnDemandData,
} from './endpoint-choice.js';
import { advertisedBounds } from './limit-probes.js';

/** A message of the endpoint that violates its schema, and the path of the violation. */
const SCHEMA_VIOLATIONS: Record<string, { message: Record<string, unknown>; path: string }> = {
  market_data: { message: { type: 'subscribe', symbols: [42] }, path: '/symbols/0' },
  conversations: { message: { type: 'refresh_conversations', id: true }, path: '/id' },
  campaigns: { message: { type: 'get_campaign', id: true }, path: '/id' },
};

/**
 * A request with a valid id that the endpoint refuses (with `error`, not `ack`), for a reason other than
 * an unknown type, so that ERR-004 does not depend on ERR-002.
 */
function refusedRequest(name: EndpointName, id: string | number): Record<string, unknown> {
  if (name === 'market_data') return { type: 'subscribe', symbols: ['NOSUCHSYMBOL'], id };
  // An undeclared property violates the strict client schemas.
  const request = ON_DEMAND_DATA.find((s) => s.endpoint === name)?.request ?? {};
  return { ...request, id, unexpectedProperty: true };
}

function errorOf(message: ReceivedMessage): Record<string, unknown> {
  const error = message.json?.error;
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

/** Waits for the next `error` and checks its code. */
async function expectErrorCode(ctx: CheckContext, conn: ProbeConnection, code: string, after: string) {
  const error = await conn.next((m) => m.type === 'error', {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `error ${code} after ${after}`,
  });
  if (errorOf(error).code !== code) {
    ctx.fail(`expected error ${code} after ${after}, got: ${JSON.stringify(errorOf(error).code)}`, {
      expected: code,
      actual: error.text,
    });
  }
  return error;
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
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      conn.send('{"type": "get_all", this is not JSON');
      await expectErrorCode(ctx, conn, ErrorCode.INVALID_JSON, 'a text frame that is not JSON');
      await expectStillServing(conn, source, 'INVALID_JSON');
    },
  },
  {
    id: 'ERR-002',
    level: 'MUST',
    area: 'errors',
    title: 'answers an unknown type with UNKNOWN_TYPE and stays open',
    requirement: 'A message with an unknown `type` gets `error` UNKNOWN_TYPE and the connection stays open.',
    families: [],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      conn.send({ type: 'no_such_message_type' });
      await expectErrorCode(ctx, conn, ErrorCode.UNKNOWN_TYPE, 'an unknown type');
      await expectStillServing(conn, source, 'UNKNOWN_TYPE');
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
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      const violation = SCHEMA_VIOLATIONS[source.endpoint];
      conn.send(violation.message);
      const error = await expectErrorCode(
        ctx,
        conn,
        ErrorCode.INVALID_MESSAGE,
        JSON.stringify(violation.message),
      );
      const details = errorOf(error).details as Record<string, unknown> | undefined;
      const path = typeof details === 'object' && details !== null ? details.path : undefined;
      if (path !== violation.path) {
        ctx.fail(`expected error.details.path ${violation.path}, got: ${JSON.stringify(path)}`, {
          expected: violation.path,
          actual: error.text,
        });
      }
      await expectStillServing(conn, source, 'INVALID_MESSAGE');
    },
  },
  {
    id: 'ERR-004',
    level: 'MUST',
    area: 'errors',
    title: 'puts the id of the refused message on the error',
    requirement: 'An `error` answering a client message that had an `id` carries that `id`.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      for (const id of ['err-004', 4004]) {
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
