/**
 * Envelope (ENV-001 … ENV-006). The engine validates every frame received by every check against
 * ENV-001 (JSON object with a string `type`, no binary frames), ENV-002 (schema of the endpoint and type)
 * and ENV-003 (top-level RFC 3339 UTC `timestamp`) and folds what it finds into these three checks'
 * results. Their own `run` therefore only makes sure a wide range of messages is seen: control messages,
 * data messages, acks and errors on an endpoint of every family the server offers.
 */
import type { EndpointName } from '../../protocol/endpoints.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { PRICE_UPDATE_DEADLINE_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import {
  CAMPAIGN_DATA,
  chooseOnePerFamily,
  dataMessages,
  ON_DEMAND_DATA,
  requestData,
  seqOf,
  usable,
} from './endpoint-choice.js';

async function waitFor(
  conn: ProbeConnection,
  match: (m: ReceivedMessage) => boolean,
  expected: string,
  timeoutMs = REPLY_DEADLINE_MS,
) {
  return conn.next(match, { timeoutMs, expected: `${expected} on ${conn.endpoint}` });
}

/**
 * Provokes many message types: the initial snapshots, on-demand data, periodic data, acks and errors. The
 * last request on each connection is answered after the others (servers answer in order), so waiting for
 * its reply means the earlier replies have arrived.
 */
async function exerciseEndpoints(ctx: CheckContext): Promise<void> {
  const steps: Promise<unknown>[] = [];
  const run = (name: EndpointName, step: (conn: ProbeConnection) => Promise<unknown>) => {
    steps.push(ctx.connect(name).then(step));
  };
  if (await usable(ctx, 'monitoring')) {
    run('monitoring', (conn) => {
      conn.send({ type: 'no_such_type', id: 'env-unknown' });
      conn.send({ type: 'ping', id: 'env-ping' });
      return waitFor(conn, (m) => m.type === 'system_status', 'system_status');
    });
  }
  if (await usable(ctx, 'market_data')) {
    run('market_data', async (conn) => {
      conn.send({ type: 'subscribe', symbols: ['BTC'], id: 'env-subscribe' });
      conn.send({ type: 'subscribe', symbols: [42], id: 'env-invalid' });
      conn.send({ type: 'get_all' });
      await waitFor(conn, (m) => m.type === 'prices_snapshot', 'prices_snapshot');
      await waitFor(conn, (m) => m.type === 'price_update', 'price_update', PRICE_UPDATE_DEADLINE_MS);
    });
  }
  if (await usable(ctx, 'conversations')) {
    run('conversations', async (conn) => {
      conn.send({ type: 'refresh_conversations', id: 'env-refresh' });
      await waitFor(conn, (m) => m.type === 'conversations_list', 'conversations_list');
    });
  }
  if (await usable(ctx, 'chat')) {
    const conversationId = ctx.param('conversationId') ?? '1';
    steps.push(
      ctx.connect('chat', { query: { conversationId } }).then(async (conn) => {
        conn.send({ type: 'chat_typing', conversationId: Number(conversationId), isTyping: true });
        conn.send({
          type: 'chat_message',
          conversationId: Number(conversationId),
          content: 'envelope check',
          id: 'env-chat',
        });
        await waitFor(conn, (m) => m.type === 'chat_message', 'chat_message');
      }),
    );
  }
  if (await usable(ctx, 'campaigns')) {
    run('campaigns', async (conn) => {
      conn.send('ping');
      conn.send({ ...CAMPAIGN_DATA.request, id: 'env-campaign' });
      await requestData(conn, CAMPAIGN_DATA, 0);
      await waitFor(conn, (m) => m.type === 'campaign_update', 'a second campaign_update');
    });
  }
  if (steps.length === 0) ctx.skip('no usable endpoint (chat endpoints need a token)');
  await Promise.all(steps);
}

const exerciseBudget = () => REPLY_DEADLINE_MS * 2 + PRICE_UPDATE_DEADLINE_MS;

export const ENVELOPE_CHECKS: readonly Check[] = [
  {
    id: 'ENV-001',
    level: 'MUST',
    area: 'envelope',
    title: 'sends only JSON objects with a string type, and no binary frames',
    requirement:
      "Every server text frame is a JSON object with a string `type`, except the campaign endpoint's bare `ping`/`pong`; the server sends no binary frames.",
    families: [],
    budgetMs: exerciseBudget,
    run: exerciseEndpoints,
  },
  {
    id: 'ENV-002',
    level: 'MUST',
    area: 'envelope',
    title: 'sends messages that validate against the schema of their endpoint and type',
    requirement:
      'Every server message validates against the schema of its endpoint and `type`; a type the endpoint does not define is a violation.',
    families: [],
    budgetMs: exerciseBudget,
    run: exerciseEndpoints,
  },
  {
    id: 'ENV-003',
    level: 'MUST',
    area: 'envelope',
    title: 'stamps every JSON message with an RFC 3339 UTC timestamp',
    requirement: 'Every server JSON message carries a top-level `timestamp` in RFC 3339 UTC (`Z`).',
    families: [],
    budgetMs: exerciseBudget,
    run: exerciseEndpoints,
  },
  {
    id: 'ENV-004',
    level: 'MUST',
    area: 'envelope',
    title: 'numbers data messages 1, 2, 3 … without gaps per session',
    requirement:
      'Every server data message carries `seq`, starting at 1 and increasing by exactly 1 per session.',
    families: [],
    budgetMs: () => 6 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const sources = await chooseOnePerFamily(ctx, ON_DEMAND_DATA);
      await Promise.all(
        sources.map(async (source) => {
          const conn = await ctx.connect(source.endpoint);
          await requestData(conn, source, 5);
          const seqs = dataMessages(conn).map((m) => seqOf(m) ?? String(m.json?.seq));
          ctx.note(`${source.endpoint}: seq ${seqs.join(', ')}`);
          const expected = seqs.map((_, i) => i + 1);
          if (seqs.some((seq, i) => seq !== expected[i])) {
            ctx.fail(`expected seq ${expected.join(', ')} on ${source.endpoint}, got: ${seqs.join(', ')}`, {
              expected: expected.join(', '),
              actual: seqs.join(', '),
            });
          }
        }),
      );
    },
  },
  {
    id: 'ENV-005',
    level: 'MUST',
    area: 'envelope',
    title: 'puts the campaignId and data.timestamp on every campaign data message',
    requirement: 'Every campaign data message carries the requested `campaignId` and a `data.timestamp`.',
    families: ['campaign'],
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const conn = await ctx.connect('campaigns');
      await requestData(conn, CAMPAIGN_DATA, 2);
      const campaignId = Number(ctx.param('campaignId') ?? '1');
      for (const message of dataMessages(conn)) {
        const data = message.json?.data as Record<string, unknown> | undefined;
        if (message.json?.campaignId !== campaignId) {
          ctx.fail(
            `expected campaignId ${campaignId} on ${message.type}, got: ${JSON.stringify(message.json?.campaignId)}`,
            {
              expected: String(campaignId),
              actual: message.text,
            },
          );
        }
        if (typeof data?.timestamp !== 'string') {
          ctx.fail(`expected data.timestamp on ${message.type}, got: ${JSON.stringify(data?.timestamp)}`, {
            expected: 'data.timestamp',
            actual: message.text,
          });
        }
      }
    },
  },
  {
    id: 'ENV-006',
    level: 'MUST',
    area: 'envelope',
    title: 'accepts the legacy action form on market endpoints',
    requirement:
      'Market endpoints accept the legacy `{"action": …}` request form with the same effect as `{"type": …}`.',
    families: ['market'],
    budgetMs: () => REPLY_DEADLINE_MS + PRICE_UPDATE_DEADLINE_MS,
    async run(ctx) {
      const conn = await ctx.connect('market_data');
      const effects: [
        request: Record<string, unknown>,
        effect: string,
        match: (m: ReceivedMessage) => boolean,
      ][] = [
        [{ action: 'get_all' }, 'prices_snapshot', (m) => m.type === 'prices_snapshot'],
        [
          { action: 'subscribe', symbols: ['ETH'] },
          'price_update for ETH',
          (m) =>
            m.type === 'price_update' &&
            (m.json?.data as Record<string, unknown> | undefined)?.symbol === 'ETH',
        ],
      ];
      for (const [request, effect, match] of effects) {
        conn.send(request);
        const answer = await conn.next((m) => match(m) || m.type === 'error', {
          timeoutMs: PRICE_UPDATE_DEADLINE_MS,
          expected: `${effect} after ${JSON.stringify(request)}`,
        });
        if (answer.type === 'error') {
          ctx.fail(`expected ${effect} after ${JSON.stringify(request)}, got: ${answer.text}`, {
            expected: effect,
            actual: answer.text,
          });
        }
      }
    },
  },
];
