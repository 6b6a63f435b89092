/**
 * Security (SEC-001, SEC-002): the Origin allow-list, and scopes that belong to another user.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import type { Check } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, usable } from './endpoint-choice.js';
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
    },
  },
];
