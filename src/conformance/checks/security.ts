/**
 * Security (SEC-001 … SEC-003): the Origin allow-list, and scopes that belong to another user, named in
 * the handshake or in a request.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import type { Check } from '../types.js';
import { expectStillOpen } from './app-pings.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, uniqueSuffix, usable } from './endpoint-choice.js';
import { errorOf } from './errors.js';
import { expectRefusedConnection } from './refusal.js';

/** An Origin no allow-list contains: `.invalid` is reserved (RFC 2606). */
const DISALLOWED_ORIGIN = 'https://origin-not-allowed.invalid';

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
];
