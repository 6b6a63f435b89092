/**
 * Envelope (ENV-001 … ENV-008). The engine validates every frame received by every check against
 * ENV-001 (JSON object with a string `type`, valid UTF-8, no binary frames), ENV-002 (schema of the
 * endpoint and type) and ENV-003 (top-level RFC 3339 UTC `timestamp`) and folds what it finds into these
 * three checks' results. Their own `run` makes sure a wide range of messages is seen (control messages,
 * data the server pushes by itself, answers to requests, acks and errors on an endpoint of every family)
 * and says how many. A request that goes unanswered there is noted, not blamed on the envelope: answering
 * it is the request's own rule. ENV-004 and ENV-005 judge the data the server pushes by itself.
 */
import { ErrorCode } from '../../protocol/constants.js';
import { COMMON_SERVER_CONTROL, type EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { PRICE_UPDATE_DEADLINE_MS, QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import {
  CAMPAIGN_DATA,
  CONVERSATIONS_DATA,
  chooseOnePerFamily,
  connectSettled,
  dataMessages,
  isDataMessage,
  MARKET_DATA,
  onEach,
  onEveryFamily,
  requestData,
  seqOf,
  uniqueSuffix,
  usable,
} from './endpoint-choice.js';
import { resumeUnknownSession } from './resume-session.js';

/** Waits for a message; a wait that runs out is noted and ends the step, since no rule of these checks is at stake. */
async function seen(
  ctx: CheckContext,
  conn: ProbeConnection,
  match: (m: ReceivedMessage) => boolean,
  expected: string,
  timeoutMs = REPLY_DEADLINE_MS,
): Promise<boolean> {
  try {
    await conn.next(match, { timeoutMs, expected: `${expected} on ${conn.endpoint}` });
    return true;
  } catch (error) {
    if (!(error instanceof CheckFailure) || ctx.signal.aborted) throw error;
    ctx.note(`not seen: ${error.message}`);
    return false;
  }
}

/** Sends `request` and tells whether a `price_update` for `symbol` answers it (an error or nothing: no). */
async function priceUpdateAfter(
  ctx: CheckContext,
  conn: ProbeConnection,
  request: Record<string, unknown>,
  symbol: string,
): Promise<boolean> {
  conn.send(request);
  const isUpdate = (m: ReceivedMessage) =>
    m.type === 'price_update' && (m.json?.data as Record<string, unknown> | undefined)?.symbol === symbol;
  const matched = await seen(
    ctx,
    conn,
    (m) => isUpdate(m) || m.type === 'error',
    `price_update for ${symbol} after ${JSON.stringify(request)}`,
    PRICE_UPDATE_DEADLINE_MS,
  );
  return matched && conn.received.some(isUpdate);
}

/** The exercise of one endpoint: what to send, and what to wait for before its frames are counted. */
type Exercise = (ctx: CheckContext, conn: ProbeConnection) => Promise<unknown>;

const EXERCISES: Partial<Record<EndpointName, Exercise>> = {
  monitoring: async (ctx, conn) => {
    conn.send({ type: 'no_such_type', id: 'env-unknown' });
    conn.send({ type: 'ping', id: 'env-ping' });
    await seen(ctx, conn, (m) => m.type === 'system_status', 'system_status');
  },
  market_data: async (ctx, conn) => {
    conn.send({ type: 'subscribe', symbols: ['BTC'], id: 'env-subscribe' });
    conn.send({ type: 'subscribe', symbols: [42], id: 'env-invalid' });
    conn.send({ type: 'get_all' });
    await seen(ctx, conn, (m) => m.type === 'price_update', 'price_update', PRICE_UPDATE_DEADLINE_MS);
    await seen(ctx, conn, (m) => m.type === 'prices_snapshot', 'prices_snapshot (ACK-003)');
  },
  conversations: async (ctx, conn) => {
    conn.send({ type: 'refresh_conversations', id: 'env-refresh' });
    await seen(
      ctx,
      conn,
      (m) => m.type === 'ack' && m.json?.id === 'env-refresh',
      'ack of refresh_conversations',
    );
  },
  chat: async (ctx, conn) => {
    const conversationId = Number(ctx.param('conversationId') ?? '1');
    conn.send({ type: 'chat_typing', conversationId, isTyping: true });
    conn.send({ type: 'chat_message', conversationId, content: 'envelope check', id: 'env-chat' });
    await seen(ctx, conn, (m) => m.type === 'chat_message', 'chat_message');
  },
  campaigns: async (ctx, conn) => {
    conn.send('ping');
    conn.send({ ...CAMPAIGN_DATA.request, id: 'env-campaign' });
    await seen(ctx, conn, (m) => m.type === 'ack' && m.json?.id === 'env-campaign', 'ack of get_campaign');
    for (const which of ['the snapshot', 'a campaign data message after it']) {
      await seen(ctx, conn, (m) => isDataMessage('campaigns', m), which);
    }
  },
};

/**
 * Has a wide range of messages sent, and records how many frames its own connections received (every
 * other check's frames are judged too). The usable endpoints are shared out among ENV-001 … ENV-003
 * (`share` of 3), since each of the three judges every frame anyway; with fewer than three endpoints a
 * check takes one of them again.
 */
function exerciseEndpoints(share: number): (ctx: CheckContext) => Promise<void> {
  return async (ctx) => {
    const usableNames: EndpointName[] = [];
    for (const name of Object.keys(EXERCISES) as EndpointName[])
      if (await usable(ctx, name)) usableNames.push(name);
    if (usableNames.length === 0) ctx.skip('no usable endpoint (chat endpoints need a token)');
    const names = usableNames.filter((_, i) => i % ENVELOPE_SHARES === share);
    if (names.length === 0) names.push(usableNames[share % usableNames.length]);
    const conversationId = ctx.param('conversationId') ?? '1';
    const frames = new Map<EndpointName, number>();
    await onEach(ctx, names, async (name) => {
      const conn = await ctx.connect(name, name === 'chat' ? { query: { conversationId } } : {});
      await EXERCISES[name]?.(ctx, conn);
      frames.set(name, conn.received.length);
    });
    const total = [...frames.values()].reduce((a, b) => a + b, 0);
    ctx.observe(
      `${total} frames received on ${[...frames.keys()].join(', ')} by this check, all judged, as is every frame of every other check`,
    );
  };
}

/** ENV-001 … ENV-003 share the exercise of the endpoints. */
const ENVELOPE_SHARES = 3;

const exerciseBudget = () => REPLY_DEADLINE_MS * 2 + PRICE_UPDATE_DEADLINE_MS;

/**
 * Collects `count` data messages on an endpoint of a family: what the server pushes by itself (prices
 * of a subscription, a campaign's progress, the initial list), topped up with the family's data request
 * when it pushes too few (blocked by that request's rule, ACK-003, when it goes unanswered).
 */
async function sampleData(ctx: CheckContext, name: EndpointName, count: number): Promise<DataSample> {
  const conn = await ctx.connect(name);
  // subscribe is the source's own request; the price updates that follow are pushed.
  if (name === 'market_data') conn.send({ type: 'subscribe', symbols: ['BTC'] });
  const nextPushMs: Partial<Record<EndpointName, number>> = {
    market_data: PRICE_UPDATE_DEADLINE_MS,
    campaigns: REPLY_DEADLINE_MS,
  };
  let pushed = 0;
  while (pushed < count) {
    const waitMs = pushed === 0 ? PRICE_UPDATE_DEADLINE_MS : (nextPushMs[name] ?? QUIET_PERIOD_MS);
    if (
      !(await seen(ctx, conn, (m) => isDataMessage(name, m), 'a data message pushed by the server', waitMs))
    )
      break;
    pushed += 1;
  }
  if (pushed === 0) {
    const owner = name === 'market_data' ? 'ACK-003' : 'HS-010';
    ctx.blocked(owner, `no data message on ${name}${name === 'market_data' ? ' after subscribe' : ''}`);
  }
  const source = name === 'campaigns' ? CAMPAIGN_DATA : CONVERSATIONS_DATA;
  if (pushed < count && name !== 'market_data') {
    await requestData(conn, { ...source, initialReplies: 0 }, count - pushed);
  }
  return { messages: dataMessages(conn), pushed };
}

/** Data messages pushed, and asked for when too few came by themselves. */
interface DataSample {
  messages: ReceivedMessage[];
  pushed: number;
}

function describeSample(name: EndpointName, sample: DataSample): string {
  const asked = sample.messages.length - sample.pushed;
  return `${name}: ${sample.messages.length} data messages (${sample.pushed} pushed by the server${asked > 0 ? `, ${asked} asked for` : ''})`;
}

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
    run: exerciseEndpoints(0),
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
    run: exerciseEndpoints(1),
  },
  {
    id: 'ENV-003',
    level: 'MUST',
    area: 'envelope',
    title: 'stamps every JSON message with an RFC 3339 UTC timestamp',
    requirement: 'Every server JSON message carries a top-level `timestamp` in RFC 3339 UTC (`Z`).',
    families: [],
    budgetMs: exerciseBudget,
    run: exerciseEndpoints(2),
  },
  {
    id: 'ENV-004',
    level: 'MUST',
    area: 'envelope',
    title: 'numbers data messages 1, 2, 3 … without gaps per session',
    requirement:
      'Every server data message carries `seq`, starting at 1 and increasing by exactly 1 per session.',
    families: [],
    budgetMs: () => 3 * PRICE_UPDATE_DEADLINE_MS + 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['market_data', 'conversations', 'campaigns'] as const, async (name) => {
        const sample = await sampleData(ctx, name, 3);
        const seqs = sample.messages.map((m) => seqOf(m) ?? String(m.json?.seq));
        const expected = seqs.map((_, i) => i + 1);
        if (seqs.some((seq, i) => seq !== expected[i])) {
          ctx.fail(`expected seq ${expected.join(', ')} on ${name}, got: ${seqs.join(', ')}`, {
            expected: expected.join(', '),
            actual: seqs.join(', '),
          });
        }
        ctx.observe(`${describeSample(name, sample)}: seq ${seqs.join(', ')}`);
      });
    },
  },
  {
    id: 'ENV-005',
    level: 'MUST',
    area: 'envelope',
    title: 'puts the campaignId and data.timestamp on every campaign data message',
    requirement: 'Every campaign data message carries the requested `campaignId` and a `data.timestamp`.',
    families: ['campaign'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const sample = await sampleData(ctx, 'campaigns', 3);
      const campaignId = Number(ctx.param('campaignId') ?? '1');
      for (const message of sample.messages) {
        const data = message.json?.data as Record<string, unknown> | undefined;
        if (message.json?.campaignId !== campaignId) {
          ctx.fail(
            `expected campaignId ${campaignId} on ${message.type}, got: ${JSON.stringify(message.json?.campaignId)}`,
            { expected: String(campaignId), actual: message.text },
          );
        }
        if (typeof data?.timestamp !== 'string') {
          ctx.fail(`expected data.timestamp on ${message.type}, got: ${JSON.stringify(data?.timestamp)}`, {
            expected: 'data.timestamp',
            actual: message.text,
          });
        }
      }
      const types = [...new Set(sample.messages.map((m) => m.type))].join(', ');
      ctx.observe(
        `${describeSample('campaigns', sample)} (${types}): each with campaignId ${campaignId} and data.timestamp`,
      );
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
    // Two settled connections, two price_update waits, two get_all replies.
    budgetMs: () => 4 * REPLY_DEADLINE_MS + 2 * PRICE_UPDATE_DEADLINE_MS,
    async run(ctx) {
      // Judged on what the source systems' clients sent: a legacy `subscribe` gets its price_update at
      // once, with or without connection_established.
      const conn = await connectSettled(ctx, MARKET_DATA.endpoint);
      const subscribe = { action: 'subscribe', symbols: ['ETH'] };
      if (!(await priceUpdateAfter(ctx, conn, subscribe, 'ETH'))) {
        // The canonical form must work, or the legacy one tells nothing (ACK-003's rule).
        const canonical = { type: 'subscribe', symbols: ['ETH'] };
        const control = await connectSettled(ctx, MARKET_DATA.endpoint);
        if (!(await priceUpdateAfter(ctx, control, canonical, 'ETH'))) {
          ctx.blocked('ACK-003', `no price_update for ETH after ${JSON.stringify(canonical)} either`);
        }
        const answer = conn.received.find((m) => m.type === 'error');
        ctx.fail(
          `expected price_update for ETH after ${JSON.stringify(subscribe)} as after ${JSON.stringify(canonical)}, got: ${answer?.text ?? 'none'}`,
          { expected: 'price_update for ETH', actual: answer?.text ?? 'none' },
        );
      }
      ctx.observe(`${JSON.stringify(subscribe)}: price_update for ETH, as for {"type":"subscribe"}`);
      // get_all answered by prices_snapshot is this protocol's (ACK-003): the legacy form is held to it
      // only where the canonical form gets it.
      conn.send(MARKET_DATA.request);
      const snapshot = (m: ReceivedMessage) => m.type === MARKET_DATA.replyType;
      if (!(await seen(ctx, conn, snapshot, `${MARKET_DATA.replyType} answering {"type":"get_all"}`))) {
        ctx.observe(
          `{"action":"get_all"} not judged: {"type":"get_all"} got no ${MARKET_DATA.replyType} (ACK-003's rule)`,
        );
        return;
      }
      const getAll = { action: 'get_all' };
      conn.send(getAll);
      const answer = await conn.next((m) => snapshot(m) || m.type === 'error', {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `${MARKET_DATA.replyType} after ${JSON.stringify(getAll)}`,
      });
      if (answer.type === 'error') {
        ctx.fail(`expected ${MARKET_DATA.replyType} after ${JSON.stringify(getAll)}, got: ${answer.text}`, {
          expected: MARKET_DATA.replyType,
          actual: answer.text,
        });
      }
      ctx.observe(`${JSON.stringify(getAll)}: ${MARKET_DATA.replyType}, as for {"type":"get_all"}`);
    },
  },
  {
    id: 'ENV-007',
    level: 'MUST',
    area: 'envelope',
    title: 'puts no seq on control messages',
    requirement: 'Control messages carry no `seq`.',
    families: [],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const control = new Set<string>(COMMON_SERVER_CONTROL);
      const seenTypes = new Map<string, number>();
      await onEach(
        ctx,
        await chooseOnePerFamily(ctx, ['market_data', 'conversations', 'campaigns'] as const),
        async (name) => {
          const source =
            name === 'market_data' ? MARKET_DATA : name === 'campaigns' ? CAMPAIGN_DATA : CONVERSATIONS_DATA;
          const conn = await ctx.connect(name);
          const id = `env-007-${uniqueSuffix()}`;
          // An ack, an error, a pong: each answers its request, in order.
          conn.send({ ...source.request, id });
          conn.send({ type: 'no_such_type', id: `${id}-unknown` });
          conn.send({ type: 'ping', id: `${id}-ping` });
          await seen(ctx, conn, (m) => m.type === 'pong', 'pong');
          const failed = await resumeUnknownSession(ctx, name);
          const received = [...conn.received, ...failed.conn.received].filter(
            (m) => m.type !== undefined && control.has(m.type),
          );
          for (const message of received) {
            seenTypes.set(message.type as string, (seenTypes.get(message.type as string) ?? 0) + 1);
            if (message.json !== undefined && 'seq' in message.json) {
              ctx.fail(
                `expected no seq on the control message ${message.type} on ${name}, got: ${message.text}`,
                {
                  expected: `${message.type} without seq`,
                  actual: message.text,
                },
              );
            }
          }
        },
      );
      const counted = [...seenTypes].map(([type, n]) => `${n} ${type}`).join(', ');
      ctx.observe(`control messages without seq: ${counted}`);
    },
  },
  {
    id: 'ENV-008',
    level: 'MUST',
    area: 'envelope',
    title: 'takes action only for a missing type on market endpoints',
    requirement:
      'On market endpoints `action` stands in only for a missing `type`: a request whose `type` is not a string, or whose `action` differs from its `type`, gets `error` INVALID_MESSAGE.',
    families: ['market'],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const conn = await ctx.connect(MARKET_DATA.endpoint);
      const cases: Record<string, unknown>[] = [
        { type: 7, action: 'get_all', id: `env-008-${uniqueSuffix()}` },
        { type: 'subscribe', action: 'unsubscribe', symbols: ['BTC'], id: `env-008-${uniqueSuffix()}` },
      ];
      for (const request of cases) {
        conn.send(request);
        const answer = await conn.next(
          (m) => m.type === 'error' || m.type === 'ack' || isDataMessage(MARKET_DATA.endpoint, m),
          {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `error ${ErrorCode.INVALID_MESSAGE} after ${JSON.stringify(request)}`,
          },
        );
        const code = (answer.json?.error as Record<string, unknown> | undefined)?.code;
        if (answer.type !== 'error' || code !== ErrorCode.INVALID_MESSAGE) {
          ctx.fail(
            `expected error ${ErrorCode.INVALID_MESSAGE} after ${JSON.stringify(request)}, got: ${answer.text}`,
            {
              expected: `error ${ErrorCode.INVALID_MESSAGE}`,
              actual: answer.text,
            },
          );
        }
        ctx.observe(`${JSON.stringify(request)}: error ${ErrorCode.INVALID_MESSAGE}`);
      }
    },
  },
];
