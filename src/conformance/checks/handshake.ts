/**
 * Handshake (HS-001 … HS-008): upgrade on every path, `connection_established` first, subprotocol
 * selection, and refusals of bad handshake parameters.
 */
import { CAMPAIGN_SUBPROTOCOL, CloseCode, ErrorCode, SUBPROTOCOL } from '../../protocol/constants.js';
import { ENDPOINTS, type EndpointName } from '../../protocol/endpoints.js';
import type { Check, CheckContext } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, chooseOnePerFamily, usable } from './endpoint-choice.js';
import { expectRefusedConnection } from './refusal.js';

const refusalBudget = () => 2 * REPLY_DEADLINE_MS;

/** Fields of `connection_established` that must be positive numbers (HS-002). */
const ADVERTISED_NUMBERS = [
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'resumeWindowMs',
  'maxMessageBytes',
] as const;

function isPositiveNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** What is missing or wrong in a `connection_established` message (HS-002). */
export function establishedProblems(message: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof message.sessionId !== 'string' || message.sessionId === '') problems.push('sessionId');
  if (typeof message.protocolVersion !== 'string' || message.protocolVersion === '')
    problems.push('protocolVersion');
  for (const field of ADVERTISED_NUMBERS) {
    if (!isPositiveNumber(message[field])) problems.push(field);
  }
  const rateLimit = message.rateLimit as Record<string, unknown> | undefined;
  if (typeof rateLimit !== 'object' || rateLimit === null) problems.push('rateLimit');
  else {
    if (!isPositiveNumber(rateLimit.maxMessages)) problems.push('rateLimit.maxMessages');
    if (!isPositiveNumber(rateLimit.windowMs)) problems.push('rateLimit.windowMs');
  }
  return problems;
}

async function expectSelected(ctx: CheckContext, name: EndpointName, offered: string[], selected: string) {
  const conn = await ctx.connect(name, { protocols: offered, waitEstablished: false });
  if (conn.protocol !== selected) {
    const actual = conn.protocol === '' ? 'no subprotocol' : `subprotocol ${conn.protocol}`;
    ctx.fail(`offered ${offered.join(', ')} on ${name}: expected subprotocol ${selected}, got: ${actual}`, {
      expected: selected,
      actual: conn.protocol,
    });
  }
}

export const HANDSHAKE_CHECKS: readonly Check[] = [
  {
    id: 'HS-001',
    level: 'MUST',
    area: 'handshake',
    title: 'accepts the upgrade on every endpoint path of its families',
    requirement:
      'The server accepts a WebSocket upgrade (HTTP 101) on every endpoint path of each family it offers.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const offered = ENDPOINTS.filter((spec) => ctx.families.includes(spec.family));
      const results = await Promise.all(
        offered.map(async (spec) => ({ spec, result: await ctx.upgrade(spec.name) })),
      );
      const refused = results.filter(({ result }) => result.status !== 101);
      if (refused.length > 0) {
        const actual = refused.map(({ spec, result }) => `HTTP ${result.status} on ${spec.path}`).join(', ');
        ctx.fail(`expected HTTP 101 on every path of the offered families, got: ${actual}`, {
          expected: 'HTTP 101',
          actual,
        });
      }
    },
  },
  {
    id: 'HS-002',
    level: 'MUST',
    area: 'handshake',
    title: 'sends connection_established first, with the session and its advertised timers',
    requirement:
      'The first message on a new connection is `connection_established`, carrying `sessionId`, `protocolVersion`, `heartbeatIntervalMs`, `heartbeatTimeoutMs`, `resumeWindowMs`, `maxMessageBytes` and `rateLimit`.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        const conn = await ctx.connect(name);
        const first = conn.received[0];
        if (first?.type !== 'connection_established') {
          ctx.fail(`expected connection_established as the first message on ${name}, got: ${first?.text}`, {
            expected: 'connection_established',
            actual: first?.text,
          });
        }
        const problems = establishedProblems(first.json ?? {});
        if (problems.length > 0) {
          ctx.fail(`connection_established on ${name} lacks or mistypes: ${problems.join(', ')}`, {
            expected:
              'sessionId, protocolVersion, heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs, maxMessageBytes, rateLimit',
            actual: first.text,
          });
        }
      }
    },
  },
  {
    id: 'HS-003',
    level: 'MUST',
    area: 'handshake',
    title: 'selects tidewire.v1 when the client offers it',
    requirement: 'When the client offers `tidewire.v1`, the server selects it.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        const offered = name === 'campaigns' ? [CAMPAIGN_SUBPROTOCOL, SUBPROTOCOL] : [SUBPROTOCOL];
        await expectSelected(ctx, name, offered, SUBPROTOCOL);
      }
    },
  },
  {
    id: 'HS-004',
    level: 'MUST',
    area: 'handshake',
    title: 'selects campaign-updates on the campaign endpoint when only it is offered',
    requirement:
      'On the campaign endpoint, when the client offers only `campaign-updates`, the server selects it.',
    families: ['campaign'],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      await expectSelected(ctx, 'campaigns', [CAMPAIGN_SUBPROTOCOL], CAMPAIGN_SUBPROTOCOL);
    },
  },
  {
    id: 'HS-005',
    level: 'MUST',
    area: 'handshake',
    title: 'closes with 4406 when no offered subprotocol is supported',
    requirement:
      'When the client offers only subprotocols the server does not support, the server sends `error` and closes with 4406.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        await expectRefusedConnection(
          ctx,
          name,
          { protocols: ['tidewire.v0-unknown', 'chat-legacy'] },
          { closeCode: CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE, notice: 'error' },
        );
      }
    },
  },
  {
    id: 'HS-006',
    level: 'MUST',
    area: 'handshake',
    title: 'accepts a connection that offers no subprotocol',
    requirement: 'The server accepts a connection that offers no subprotocol.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        const conn = await ctx.connect(name, { protocols: [] });
        if (conn.protocol !== '') ctx.fail(`expected no subprotocol on ${name}, got: ${conn.protocol}`);
      }
    },
  },
  {
    id: 'HS-007',
    level: 'MUST',
    area: 'handshake',
    title: 'refuses a missing or malformed required parameter with 4400',
    requirement: 'A missing or malformed required query parameter gets `error` (BAD_REQUEST) and close 4400.',
    families: ['campaign'],
    budgetMs: refusalBudget,
    async run(ctx) {
      const refusal = {
        closeCode: CloseCode.BAD_REQUEST,
        notice: 'error',
        code: ErrorCode.BAD_REQUEST,
      } as const;
      await Promise.all([
        expectRefusedConnection(ctx, 'campaigns', { query: { campaignId: undefined } }, refusal),
        expectRefusedConnection(ctx, 'campaigns', { query: { campaignId: 'abc' } }, refusal),
        expectRefusedConnection(ctx, 'campaigns', { query: { userId: '-1' } }, refusal),
      ]);
    },
  },
  {
    id: 'HS-008',
    level: 'MUST',
    area: 'handshake',
    title: 'refuses an unknown campaign or conversation with 4404',
    requirement: 'An unknown campaign or conversation gets `error` (NOT_FOUND) and close 4404.',
    families: ['campaign', 'chat'],
    budgetMs: refusalBudget,
    async run(ctx) {
      const refusal = { closeCode: CloseCode.NOT_FOUND, notice: 'error', code: ErrorCode.NOT_FOUND } as const;
      const unknownCampaign = ctx.param('unknownCampaignId');
      const unknownConversation = ctx.param('unknownConversationId') ?? unknownCampaign;
      const cases: Promise<unknown>[] = [];
      if (unknownCampaign !== undefined && (await usable(ctx, 'campaigns'))) {
        cases.push(
          expectRefusedConnection(ctx, 'campaigns', { query: { campaignId: unknownCampaign } }, refusal),
        );
      }
      if (unknownConversation !== undefined && (await usable(ctx, 'chat'))) {
        cases.push(
          expectRefusedConnection(ctx, 'chat', { query: { conversationId: unknownConversation } }, refusal),
        );
      }
      if (cases.length === 0)
        ctx.skip('no unknownCampaignId parameter, or no usable campaign or chat endpoint');
      await Promise.all(cases);
    },
  },
];
