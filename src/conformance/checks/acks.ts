/**
 * Requests and acks (ACK-001, ACK-002): one reply per id, and a repeated id has no second effect.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import { choose, MARKET_DATA, openServing, uniqueSuffix } from './endpoint-choice.js';

export function isReplyTo(id: unknown): (m: ReceivedMessage) => boolean {
  return (m) => (m.type === 'ack' || m.type === 'error') && m.json?.id === id;
}

/** A reply without its timestamp: a repeated reply may be stamped anew. */
function replyBody(message: ReceivedMessage): Record<string, unknown> {
  const { timestamp: _timestamp, ...body } = message.json ?? {};
  return body;
}

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
    budgetMs: () => 2 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const { conn, source } = await openServing(ctx);
      const ids = [`ack-001-${uniqueSuffix()}`, 1001];
      for (const id of ids) conn.send({ ...source.request, id });
      for (const id of ids) {
        await conn.next(isReplyTo(id), {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `ack or error with id ${JSON.stringify(id)}`,
        });
      }
      // Watch for a second reply to either id.
      await conn.staysOpen(QUIET_PERIOD_MS);
      for (const id of ids) {
        const replies = conn.received.filter(isReplyTo(id));
        if (replies.length !== 1) {
          ctx.fail(`expected exactly one reply with id ${JSON.stringify(id)}, got: ${replies.length}`, {
            expected: '1 reply',
            actual: replies.map((r) => r.text).join('\n'),
          });
        }
      }
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
      conn.send(request);
      await conn.next(isEffect, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `the effect of ${JSON.stringify(request)}`,
      });
      const replies: (ReceivedMessage | undefined)[] = [];
      replies.push(
        await conn.next(isReplyTo(id), { timeoutMs: REPLY_DEADLINE_MS, expected: `a reply with id ${id}` }),
      );
      conn.send(request);
      replies.push(
        await conn.next(isReplyTo(id), {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `a reply to the repeated id ${id}`,
        }),
      );
      // Watch for a late second effect.
      await conn.staysOpen(QUIET_PERIOD_MS);
      const effects = conn.received.filter(isEffect).length - effectsBefore;
      if (effects !== 1) {
        ctx.fail(`expected one effect of the request sent twice with id ${id}, got: ${effects} ${what}`, {
          expected: `1 ${what}`,
          actual: `${effects}`,
        });
      }
      const [first, second] = replies;
      if (first && second && !isDeepStrictEqual(replyBody(first), replyBody(second))) {
        ctx.fail(`expected the repeated id ${id} to get the same reply, got: ${second.text}`, {
          expected: first.text,
          actual: second.text,
        });
      }
    },
  },
];
