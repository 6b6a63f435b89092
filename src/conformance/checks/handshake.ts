/**
 * Handshake (HS-001 … HS-015): upgrade on every path, `connection_established` first and what it says,
 * the initial state of a fresh session, subprotocol selection, refusals of bad handshake parameters and
 * their order, ignored and repeated parameters, and frames sent before the session is established.
 */
import {
  CAMPAIGN_SUBPROTOCOL,
  CloseCode,
  CONNECTED_MESSAGE,
  ErrorCode,
  SUBPROTOCOL,
} from '../../protocol/constants.js';
import { endpoint, ENDPOINTS, type EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import type { Check, CheckContext, ConnectOptions, ProbeConnection, ReceivedMessage } from '../types.js';
import { appPing, isAppPong } from './app-pings.js';
import { endpointsOfProfiles, profilesOfEndpoint } from '../../protocol/profiles.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import {
  ANY_ENDPOINT,
  choose,
  chooseOnePerFamily,
  connectTo,
  isDataMessage,
  onEach,
  onEveryFamily,
  uniqueSuffix,
  usable,
} from './endpoint-choice.js';
import { expectRefusedConnection, isRefusalNotice, provokeRefusals } from './refusal.js';
import { outcomeOf, type HandshakeOutcome } from './handshake-outcome.js';
import { resumeUnknownSession } from './resume-session.js';

const refusalBudget = () => 2 * REPLY_DEADLINE_MS;

/**
 * Connects to `name` without offering `tidewire.v1` and checks that the connection is accepted: no
 * subprotocol selected, and a first message that is no refusal. Such a client is served in its source
 * dialect (section 15.6), so the first message need not be `connection_established`. Resolves with what
 * came first, for the evidence.
 */
async function acceptedWithoutTidewire(
  ctx: CheckContext,
  name: EndpointName,
  client: string,
  options: ConnectOptions,
): Promise<string> {
  const conn = await ctx.connect(name, { ...options, waitEstablished: false });
  if (conn.protocol !== '') {
    ctx.fail(
      `expected no subprotocol on ${name} for a client that ${client}, got: ${conn.protocol.slice(0, 24)}`,
      {
        expected: 'no subprotocol',
        actual: conn.protocol.slice(0, 24),
      },
    );
  }
  const first = await conn.next(() => true, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `a first message on ${name}`,
  });
  if (first.type === 'error' || first.type === 'authentication_error') {
    ctx.fail(`expected ${name} to accept a client that ${client}, got: ${first.text}`, {
      expected: 'an accepted connection',
      actual: first.text,
    });
  }
  return first.type ?? first.text;
}

/** Fields of `connection_established` that must be positive numbers (HS-002). */
const ADVERTISED_NUMBERS = [
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'resumeWindowMs',
  'maxMessageBytes',
] as const;

/** `protocolVersion` of this major version: `1.` and a minor version (HS-009). */
const PROTOCOL_VERSION_1 = /^1\.(0|[1-9][0-9]*)$/;

/** The initial state a fresh session gets first on the endpoints that have one (HS-010). */
const INITIAL_STATE: Partial<Record<EndpointName, string>> = {
  campaigns: 'campaign_update',
  conversations: 'conversations_list',
  customers: 'customers_list',
  monitoring: 'system_status',
  sentiment: 'sentiment_update',
  huggingface: 'models_status',
};

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

/** What is wrong with the descriptive fields of `connection_established` on `name` (HS-009). */
function descriptionProblems(name: EndpointName, message: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (message.message !== CONNECTED_MESSAGE) problems.push(`message ${JSON.stringify(message.message)}`);
  // A missing or non-string protocolVersion is HS-002's finding; this rule judges its value.
  if (typeof message.protocolVersion === 'string' && !PROTOCOL_VERSION_1.test(message.protocolVersion)) {
    problems.push(`protocolVersion ${JSON.stringify(message.protocolVersion)}`);
  }
  if (message.endpoint !== name) problems.push(`endpoint ${JSON.stringify(message.endpoint)}`);
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
  ctx.observe(`offered ${offered.join(', ')} on ${name}: ${selected} selected`);
}

/** Checks the first data message of `conn` after `after` (HS-010). */
async function expectInitialState(
  ctx: CheckContext,
  conn: ProbeConnection,
  after: (m: ReceivedMessage) => boolean,
  how: string,
): Promise<void> {
  const name = conn.endpoint;
  const wanted = INITIAL_STATE[name] as string;
  const first = await conn.next((m) => isDataMessage(name, m) && after(m), {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `${wanted} as the first data message of ${how} on ${name}`,
  });
  if (first.type !== wanted) {
    ctx.fail(`expected ${wanted} as the first data message of ${how} on ${name}, got: ${first.type}`, {
      expected: wanted,
      actual: first.text,
    });
  }
  ctx.observe(`${how} on ${name}: ${wanted} first`);
}

/** Connections for the handshake-order check: each problem alone, then two of them together (HS-012). */
interface OrderCase {
  /** The earlier problem in the order of checks, and the rule that refuses it alone. */
  first: { label: string; owner: string };
  /** The later problem, and its rule. */
  second: { label: string; owner: string };
  endpoint: EndpointName;
  firstOnly: ConnectOptions;
  secondOnly: ConnectOptions;
  both: ConnectOptions;
}

async function orderCases(ctx: CheckContext): Promise<OrderCase[]> {
  const [any] = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
  const origin = { label: 'a disallowed Origin', owner: 'SEC-001' };
  const subprotocol = { label: 'an unknown subprotocol', owner: 'HS-005' };
  const token = { label: 'a malformed token', owner: 'AUTH-001' };
  const params = { label: 'a malformed lastSeq', owner: 'HS-007' };
  const badOrigin = { headers: { Origin: 'https://origin-not-allowed.invalid' } };
  const badProtocol = { protocols: ['tidewire.v0-unknown'] };
  const badToken = { token: 'not-a-jwt' };
  const badParam = { query: { resume: `order-${uniqueSuffix()}`, lastSeq: 'x' } };
  const cases: OrderCase[] = [
    {
      first: origin,
      second: subprotocol,
      endpoint: any,
      firstOnly: badOrigin,
      secondOnly: badProtocol,
      both: { ...badOrigin, ...badProtocol },
    },
    {
      first: subprotocol,
      second: token,
      endpoint: any,
      firstOnly: badProtocol,
      secondOnly: badToken,
      both: { ...badProtocol, ...badToken },
    },
    {
      first: token,
      second: params,
      endpoint: any,
      firstOnly: badToken,
      secondOnly: badParam,
      both: { ...badToken, ...badParam },
    },
  ];
  const user = ctx.param('userId') ?? '1';
  const other = ctx.param('otherUser') ?? (user === '1' ? '2' : '1');
  const unknownCampaign = ctx.param('unknownCampaignId');
  // A token of the run's user acting as another user, on that user's own campaign: refused for the
  // identity alone, so that no scope check (SEC-002) can stand in for it.
  const foreignCampaign = ctx.param('foreignCampaignId');
  if (
    (await usable(ctx, 'campaigns')) &&
    (await ctx.token()) !== undefined &&
    foreignCampaign !== undefined
  ) {
    const identity = { label: "another user's userId", owner: 'AUTH-008' };
    const asOther = { userId: other, campaignId: foreignCampaign };
    cases.push({
      first: params,
      second: identity,
      endpoint: 'campaigns',
      firstOnly: { query: { campaignId: 'abc' } },
      secondOnly: { query: asOther },
      both: { query: { ...asOther, campaignId: 'abc' } },
    });
    if (unknownCampaign !== undefined) {
      cases.push({
        first: identity,
        second: { label: 'an unknown campaign', owner: 'HS-008' },
        endpoint: 'campaigns',
        firstOnly: { query: asOther },
        secondOnly: { query: { campaignId: unknownCampaign } },
        both: { query: { ...asOther, campaignId: unknownCampaign } },
      });
    }
  }
  return cases;
}

/**
 * For a check that got no `connection_established` where its rule needs one: when a plain connection to
 * the endpoint gets none either, that is HS-002's finding and the check is blocked by it.
 */
async function blockedUnlessEstablished(ctx: CheckContext, name: EndpointName): Promise<void> {
  try {
    await ctx.connect(name);
  } catch (error) {
    if (error instanceof CheckFailure) {
      ctx.blocked('HS-002', `no connection_established on a plain connection to ${name} either`);
    }
    throw error;
  }
}

/**
 * Sends two pings as soon as the upgrade completes and checks that both are answered, in order, after
 * `connection_established` (HS-015). A server that establishes the session together with its upgrade
 * answer leaves nothing to judge: the frames reach it afterwards.
 */
async function expectEarlyFramesHandled(ctx: CheckContext, name: EndpointName): Promise<void> {
  const conn = await ctx.connect(name, { waitEstablished: false });
  if (conn.established !== undefined) {
    ctx.skip(
      `${name} sent connection_established with its upgrade answer, before any frame could reach it: nothing arrives early to judge`,
    );
  }
  const ids = [`hs-015-${uniqueSuffix()}`, `hs-015-${uniqueSuffix()}`];
  for (const id of ids) conn.send({ type: 'ping', id });
  const pongs: ReceivedMessage[] = [];
  try {
    for (const id of ids) {
      pongs.push(
        await conn.next((m) => m.type === 'pong', {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `a pong answering the ping ${id} sent right after the upgrade on ${name}`,
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof CheckFailure) || !conn.isOpen) throw error;
    // Whether the server answers pings at all is HB-003's rule: ask once more, now that it is established.
    conn.send(appPing(name));
    try {
      await conn.next(isAppPong(name), { timeoutMs: REPLY_DEADLINE_MS, expected: 'a pong' });
    } catch {
      ctx.blocked('HB-003', `no pong on ${name} answering a ping`);
    }
    throw error;
  }
  const established = conn.received.findIndex((m) => m.type === 'connection_established');
  if (established === -1) await blockedUnlessEstablished(ctx, name);
  if (established === -1 || established > conn.received.indexOf(pongs[0])) {
    ctx.fail(
      `expected connection_established before the answers to early frames on ${name}, got: a pong first`,
      {
        expected: 'connection_established, then the answers',
        actual: pongs[0].text,
      },
    );
  }
  const order = pongs.map((p) => p.json?.id);
  // Answered in order: when the pongs carry the ids (HB-008's rule), they come in the order sent.
  if (order.every((id) => id !== undefined) && order.join() !== ids.join()) {
    ctx.fail(
      `expected the early pings answered in order ${ids.join(', ')} on ${name}, got: ${order.join(', ')}`,
      {
        expected: ids.join(', '),
        actual: order.join(', '),
      },
    );
  }
  ctx.observe(
    `${name}: 2 pings sent as the upgrade completed, before connection_established arrived; both answered after it, in order`,
  );
}

export const HANDSHAKE_CHECKS: readonly Check[] = [
  {
    id: 'HS-001',
    level: 'MUST',
    area: 'handshake',
    title: 'accepts the upgrade on every endpoint path of its profiles',
    requirement:
      'The server accepts a WebSocket upgrade (HTTP 101) on every endpoint path of each profile it offers (section 15.7).',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const offered = endpointsOfProfiles(ctx.profiles).map(endpoint);
      const results = await Promise.all(
        offered.map(async (spec) => ({ spec, result: await ctx.upgrade(spec.name) })),
      );
      const refused = results.filter(({ result }) => result.status !== 101);
      if (refused.length > 0) {
        const actual = refused
          .map(({ spec, result }) => {
            const of = profilesOfEndpoint(spec.name).filter((name) => ctx.profiles.includes(name));
            return `HTTP ${result.status} on ${spec.path} (${of.join(', ')})`;
          })
          .join(', ');
        ctx.fail(`expected HTTP 101 on every path of the offered profiles, got: ${actual}`, {
          expected: 'HTTP 101',
          actual,
        });
      }
      const paths = offered.length === 1 ? 'the path' : `the ${offered.length} paths`;
      ctx.observe(`HTTP 101 on ${paths} of ${ctx.profiles.join(', ')}`);
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
        ctx.observe(`${name}: connection_established first, with the session and every timer`);
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
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        await expectRefusedConnection(
          ctx,
          name,
          { protocols: ['tidewire.v0-unknown', 'chat-legacy'] },
          {
            closeCode: CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE,
            notice: 'error',
            code: ErrorCode.SUBPROTOCOL_NOT_ACCEPTABLE,
          },
        );
        ctx.observe(`${name}: error ${ErrorCode.SUBPROTOCOL_NOT_ACCEPTABLE}, then close 4406`);
      });
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
      const names = await chooseOnePerFamily(ctx, ANY_ENDPOINT);
      await Promise.all(
        names.map(async (name) => {
          const first = await acceptedWithoutTidewire(ctx, name, 'offers no subprotocol', { protocols: [] });
          ctx.observe(`${name} accepted no subprotocol; first message ${first}`);
        }),
      );
    },
  },
  {
    id: 'HS-007',
    level: 'MUST',
    area: 'handshake',
    title: 'refuses a missing or malformed required parameter with 4400',
    requirement: 'A missing or malformed required query parameter gets `error` (BAD_REQUEST) and close 4400.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      const refusal = {
        closeCode: CloseCode.BAD_REQUEST,
        notice: 'error',
        code: ErrorCode.BAD_REQUEST,
      } as const;
      const cases: [EndpointName, string, ConnectOptions][] = [];
      const session = `hs-007-${uniqueSuffix()}`;
      // `resume` needs a well-formed `lastSeq` on every endpoint (section 11).
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        cases.push(
          [name, 'resume without lastSeq', { query: { resume: session } }],
          [name, 'lastSeq=-1', { query: { resume: session, lastSeq: '-1' } }],
          [name, 'lastSeq=1.5', { query: { resume: session, lastSeq: '1.5' } }],
          [name, 'an empty resume', { query: { resume: '', lastSeq: '0' } }],
        );
      }
      if (await usable(ctx, 'campaigns')) {
        cases.push(
          ['campaigns', 'no campaignId', { query: { campaignId: undefined } }],
          ['campaigns', 'campaignId=abc', { query: { campaignId: 'abc' } }],
          ['campaigns', 'campaignId=0', { query: { campaignId: '0' } }],
          ['campaigns', 'userId=-1', { query: { userId: '-1' } }],
        );
      }
      if (await usable(ctx, 'chat')) {
        cases.push(['chat', 'conversationId=01', { query: { conversationId: '01' } }]);
      }
      await Promise.all(
        cases.map(async ([name, label, options]) => {
          await expectRefusedConnection(ctx, name, options, refusal);
          ctx.observe(`${label} on ${name}: error BAD_REQUEST, then close 4400`);
        }),
      );
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
      const cases: [EndpointName, ConnectOptions][] = [];
      if (unknownCampaign !== undefined && (await usable(ctx, 'campaigns'))) {
        cases.push(['campaigns', { query: { campaignId: unknownCampaign } }]);
      }
      if (unknownConversation !== undefined && (await usable(ctx, 'chat'))) {
        cases.push(['chat', { query: { conversationId: unknownConversation } }]);
      }
      if (cases.length === 0)
        ctx.skip('no unknownCampaignId parameter, or no usable campaign or chat endpoint');
      await Promise.all(
        cases.map(async ([name, options]) => {
          await expectRefusedConnection(ctx, name, options, refusal);
          ctx.observe(`${JSON.stringify(options.query)} on ${name}: error NOT_FOUND, then close 4404`);
        }),
      );
    },
  },
  {
    id: 'HS-009',
    level: 'MUST',
    area: 'handshake',
    title: 'describes itself in connection_established: message, protocol version and endpoint name',
    requirement:
      '`connection_established` carries `message` "✅ WebSocket connected successfully", a `protocolVersion` of major version 1 (`1.0` for this document) and, in `endpoint`, the endpoint\'s name from the catalogue.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const names: EndpointName[] = [];
      for (const spec of ENDPOINTS) if (await usable(ctx, spec.name)) names.push(spec.name);
      if (names.length === 0) ctx.skip('no usable endpoint (chat endpoints need a token)');
      await Promise.all(
        names.map(async (name) => {
          const conn = await connectTo(ctx, name);
          const problems = descriptionProblems(name, conn.established ?? {});
          if (problems.length > 0) {
            ctx.fail(`connection_established on ${name} has ${problems.join(', ')}`, {
              expected: `message "${CONNECTED_MESSAGE}", protocolVersion 1.x, endpoint "${name}"`,
              actual: JSON.stringify(conn.established),
            });
          }
        }),
      );
      ctx.observe(
        `message, protocolVersion 1.x and the endpoint's name on all ${names.length} endpoints: ${names.join(', ')}`,
      );
    },
  },
  {
    id: 'HS-010',
    level: 'MUST',
    area: 'handshake',
    title: 'starts a fresh session with the endpoint’s initial state',
    requirement:
      "On a fresh session the first data message is the endpoint's initial state: `campaign_update`, `conversations_list`, `customers_list`, `system_status`, `sentiment_update` or `models_status` on the campaign, conversations, customers, monitoring, sentiment and huggingface endpoints.",
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const names: EndpointName[] = [];
      for (const name of Object.keys(INITIAL_STATE) as EndpointName[]) {
        if (await usable(ctx, name)) names.push(name);
      }
      if (names.length === 0)
        ctx.skip('no usable endpoint with an initial state (chat endpoints need a token)');
      await Promise.all(
        names.map(async (name) => {
          await expectInitialState(ctx, await connectTo(ctx, name), () => true, 'a new connection');
          // After resume_failed too; on the campaign endpoint that is RES-008's rule.
          if (name === 'campaigns') return;
          const attempt = await resumeUnknownSession(ctx, name);
          const outcomeAt = attempt.conn.received.indexOf(attempt.outcome);
          const before = attempt.conn.received.slice(0, outcomeAt).filter((m) => isDataMessage(name, m));
          if (before.length > 0) {
            ctx.fail(
              `expected the initial state after resume_failed on ${name}, got: ${before[0].text} before it`,
            );
          }
          await expectInitialState(
            ctx,
            attempt.conn,
            (m) => attempt.conn.received.indexOf(m) > outcomeAt,
            'a session started by resume_failed',
          );
        }),
      );
    },
  },
  {
    id: 'HS-011',
    level: 'MUST',
    area: 'handshake',
    title: 'accepts a bearer-only subprotocol offer with none selected',
    requirement:
      'A connection whose only offered subprotocols are `bearer.` entries is accepted with no subprotocol selected.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = (await ctx.token()) ?? ctx.skip('no token available (pass --token or --token-secret)');
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        // The token also goes where the run's connections carry it and in the header, so that which
        // placements the server reads (AUTH-004 … AUTH-006) does not decide this rule.
        const entry = `bearer.${Buffer.from(token, 'utf8').toString('base64url')}`;
        const first = await acceptedWithoutTidewire(ctx, name, 'offers only a bearer. entry', {
          protocols: [entry],
          headers: { Authorization: `Bearer ${token}` },
        });
        ctx.observe(`${name}: a bearer-only offer accepted, no subprotocol selected; first message ${first}`);
      });
    },
  },
  {
    id: 'HS-012',
    level: 'MUST',
    area: 'handshake',
    title: 'refuses a handshake with several problems for the first in the order of checks',
    requirement:
      'A handshake with several problems is refused for the first of them in the order path, `Origin`, subprotocol, token, query parameters, identity and scope.',
    families: [],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const cases = await orderCases(ctx);
      const judged: string[] = [];
      await Promise.all(
        cases.map(async (c) => {
          const [first, second] = await Promise.all([
            outcomeOf(ctx, c.endpoint, c.firstOnly),
            outcomeOf(ctx, c.endpoint, c.secondOnly),
          ]);
          // Each problem alone must be refused as its own rule says, or the pair tells nothing.
          const alone: [{ label: string; owner: string }, HandshakeOutcome][] = [
            [c.first, first],
            [c.second, second],
          ];
          const unusable = alone.find(([, outcome]) => !outcome.refused);
          if (unusable) {
            const [problem, outcome] = unusable;
            ctx.note(
              `${problem.label} alone on ${c.endpoint}: ${outcome.label}; that pair is ${problem.owner}'s to judge`,
            );
            return;
          }
          const both = await outcomeOf(ctx, c.endpoint, c.both);
          if (both.label !== first.label) {
            ctx.fail(
              `expected ${c.first.label} and ${c.second.label} on ${c.endpoint} to be refused as ${c.first.label} alone (${first.label}), got: ${both.label}`,
              { expected: first.label, actual: both.label },
            );
          }
          judged.push(`${c.first.label} before ${c.second.label} (${first.label})`);
        }),
      );
      if (judged.length === 0) {
        ctx.blocked(cases[0].first.owner, 'no bad handshake was refused as its own rule says');
      }
      for (const line of judged) ctx.observe(line);
    },
  },
  {
    id: 'HS-013',
    level: 'MUST',
    area: 'handshake',
    title: 'never sends connection_established on a connection it refuses',
    requirement: 'The server never sends `connection_established` on a connection it refuses.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const closes = (await provokeRefusals(ctx)).filter(({ close }) => close.clean && close.code >= 4000);
      if (closes.length === 0) ctx.blocked('HS-005', 'no bad handshake was refused with a 4xxx close');
      const established = closes.filter(({ conn }) =>
        conn.received.some((m) => m.type === 'connection_established'),
      );
      if (established.length > 0) {
        const actual = established.map(({ label, close }) => `${label} (close ${close.code})`).join('; ');
        ctx.fail(`expected no connection_established before a refusal, got one before: ${actual}`, {
          expected: 'the refusal notice and the close only',
          actual,
        });
      }
      ctx.observe(
        `${closes.length} refusals (${[...new Set(closes.map(({ close }) => close.code))].join(', ')}), none preceded by connection_established`,
      );
    },
  },
  {
    id: 'HS-014',
    level: 'MUST',
    area: 'handshake',
    title: 'ignores parameters it does not define and takes the first of a repeated one',
    requirement:
      'Query parameters the endpoint does not define (a `lastSeq` without `resume` among them) are ignored, and a repeated parameter counts with its first value.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const cases: [EndpointName, string, ConnectOptions][] = [];
      for (const name of await chooseOnePerFamily(ctx, ANY_ENDPOINT)) {
        cases.push([
          name,
          'unknown parameters and a lastSeq without resume',
          { query: { utm_source: 'x', lastSeq: 'x' } },
        ]);
      }
      if (await usable(ctx, 'campaigns')) {
        const campaignId = ctx.param('campaignId') ?? '1';
        cases.push([
          'campaigns',
          `campaignId=${campaignId}&campaignId=abc`,
          {
            query: { campaignId: undefined },
            extraQuery: [
              ['campaignId', campaignId],
              ['campaignId', 'abc'],
            ],
          },
        ]);
      }
      const unknownConversation = ctx.param('unknownConversationId') ?? ctx.param('unknownCampaignId');
      if ((await usable(ctx, 'chat')) && unknownConversation !== undefined) {
        const own = ctx.param('conversationId') ?? '1';
        cases.push([
          'chat',
          `conversationId=${own}&conversationId=${unknownConversation}`,
          {
            extraQuery: [
              ['conversationId', own],
              ['conversationId', unknownConversation],
            ],
          },
        ]);
      }
      await onEach(ctx, cases, async ([name, label, options]) => {
        const conn = await ctx.connect(name, { ...options, waitEstablished: false });
        try {
          await conn.next((m) => m.type === 'connection_established' || isRefusalNotice(m), {
            timeoutMs: REPLY_DEADLINE_MS,
            expected: `connection_established with ${label} on ${name}`,
          });
        } catch (error) {
          if (!(error instanceof CheckFailure)) throw error;
        }
        if (conn.established === undefined) {
          const notice = conn.received.find(isRefusalNotice);
          if (notice === undefined) await blockedUnlessEstablished(ctx, name);
          ctx.fail(
            `expected ${label} on ${name} to be accepted, got: ${notice?.text ?? 'no connection_established'}`,
            {
              expected: 'connection_established',
              actual: notice?.text ?? 'nothing',
            },
          );
        }
        ctx.observe(`${label} on ${name}: accepted`);
      });
    },
  },
  {
    id: 'HS-015',
    level: 'MUST',
    area: 'handshake',
    title: 'handles frames sent before connection_established, in order, right after it',
    requirement:
      'Text frames that arrive before `connection_established` is sent are handled, in order, right after it.',
    families: ['chat', 'market'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['monitoring', 'conversations'] as const, (name) =>
        expectEarlyFramesHandled(ctx, name),
      );
    },
  },
  {
    id: 'HS-016',
    level: 'MUST',
    area: 'handshake',
    title: 'refuses a pre-RFC 6455 upgrade (hybi-08) with HTTP 426',
    requirement: 'An upgrade request whose `Sec-WebSocket-Version` is not 13 gets HTTP 426 and no upgrade.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const result = await ctx.upgrade(name, { protocolVersion: 8 });
      if (result.status !== 426) {
        ctx.fail(`expected HTTP 426 for Sec-WebSocket-Version: 8, got: HTTP ${result.status}`, {
          expected: 'HTTP 426',
          actual: `HTTP ${result.status}`,
        });
      }
      ctx.observe(`Sec-WebSocket-Version: 8 on ${name}: HTTP 426`);
    },
  },
];
