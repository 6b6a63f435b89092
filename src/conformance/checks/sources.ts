/**
 * Source dialects and profiles (SRC-001 … SRC-006, docs/protocol.md sections 15.6 and 15.7): what a
 * client of a source system receives when it does not offer `tidewire.v1`, and the profiles a server
 * declares.
 */
import { CAMPAIGN_SUBPROTOCOL, CloseCode } from '../../protocol/constants.js';
import { dialect, dialectServerTypes } from '../../protocol/dialects.js';
import { endpoint, ENDPOINTS, type EndpointName } from '../../protocol/endpoints.js';
import { completeProfiles, declaredProfiles } from '../profile-offer.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { pingDeadlineMs, REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, usable } from './endpoint-choice.js';

/** Budget of the checks that watch a dialect connection for one heartbeat interval. */
const watchBudget = (timers: Parameters<typeof pingDeadlineMs>[0]) =>
  REPLY_DEADLINE_MS + pingDeadlineMs(timers);

/**
 * Opens a connection that offers `protocols` (none by default) and waits for its first JSON message.
 * A server that refuses such a client (4406) blocks the check: HS-006 (HS-004 for `campaign-updates`)
 * owns that rule.
 */
async function openDialect(
  ctx: CheckContext,
  name: EndpointName,
  protocols: string[] = [],
): Promise<{ conn: ProbeConnection; first: ReceivedMessage }> {
  const conn = await ctx.connect(name, { protocols, waitEstablished: false });
  const offered = protocols.length > 0 ? protocols.join(', ') : 'no subprotocol';
  const refused = () =>
    ctx.blocked(
      protocols.length > 0 ? 'HS-004' : 'HS-006',
      `${endpoint(name).path} refuses a client that offers ${offered}`,
    );
  try {
    const first = await conn.next((m) => m.json !== undefined, {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `a first JSON message on ${endpoint(name).path} (offering ${offered})`,
    });
    const error = first.type === 'error' ? (first.json?.error as { closeCode?: unknown }) : undefined;
    if (error?.closeCode === CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE) refused();
    return { conn, first };
  } catch (failure) {
    if (!conn.isOpen) {
      const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close' });
      if (close.code === CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE) refused();
    }
    throw failure;
  }
}

/**
 * Watches the connection for one heartbeat interval, then fails on any message of a type not allowed: a
 * JSON message whose type is not in `allowed` (nor in `judgedElsewhere`, which another check owns), or a
 * text frame not in `textFrames`.
 */
async function expectOnlyDialectTypes(
  ctx: CheckContext,
  conn: ProbeConnection,
  allowed: readonly string[],
  options: { textFrames?: readonly string[]; judgedElsewhere?: readonly string[] } = {},
) {
  await conn.staysOpen(pingDeadlineMs(ctx.timers));
  const permitted = (m: ReceivedMessage) =>
    m.json === undefined
      ? (options.textFrames ?? []).includes(m.text)
      : m.type !== undefined &&
        (allowed.includes(m.type) || (options.judgedElsewhere ?? []).includes(m.type));
  const others = conn.received.filter((m) => !permitted(m));
  if (others.length > 0) {
    const actual = others.map((m) => m.type ?? JSON.stringify(m.text)).join(', ');
    ctx.fail(`expected only ${allowed.join(', ')} on ${endpoint(conn.endpoint).path}, got: ${actual}`, {
      expected: allowed.join(', '),
      actual: others.map((m) => m.text).join('\n'),
    });
  }
  const seen = [...new Set(conn.received.map((m) => m.type ?? JSON.stringify(m.text)))].join(', ');
  ctx.observe(`${endpoint(conn.endpoint).path} without tidewire.v1 sent only ${seen}`);
}

export const SOURCE_CHECKS: readonly Check[] = [
  {
    id: 'SRC-001',
    level: 'MUST',
    area: 'sources',
    title: 'speaks the campaign-sender dialect to a client without tidewire.v1',
    requirement:
      'On the campaign endpoint, a connection whose client did not offer `tidewire.v1` receives no `connection_established`: its first JSON message is the `campaign_update` snapshot, with its `campaignId`.',
    families: ['campaign'],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      if (!(await usable(ctx, 'campaigns'))) ctx.skip('the server does not offer /ws/campaigns');
      // Which campaign it names is ENV-005's to judge; here, that the first message names one.
      await Promise.all(
        [[], [CAMPAIGN_SUBPROTOCOL]].map(async (protocols) => {
          const { first } = await openDialect(ctx, 'campaigns', protocols);
          const offered = protocols.length > 0 ? protocols.join(', ') : 'no subprotocol';
          if (first.type !== 'campaign_update' || typeof first.json?.campaignId !== 'number') {
            ctx.fail(
              `offering ${offered}, expected campaign_update with its campaignId first, got: ${first.text}`,
              {
                expected: 'campaign_update with campaignId',
                actual: first.text,
              },
            );
          }
          ctx.observe(`offering ${offered}: campaign_update of campaign ${first.json?.campaignId} first`);
        }),
      );
    },
  },
  {
    id: 'SRC-005',
    level: 'MUST',
    area: 'sources',
    title: 'sends a campaign-sender client only the types source 001 had',
    requirement:
      'On the campaign endpoint, a connection whose client did not offer `tidewire.v1` receives only the message types of its endpoint in the table of section 15.6 and the bare text `ping` and `pong`: no `error`, `ack`, `resumed` or JSON `pong`.',
    families: ['campaign'],
    budgetMs: (timers) => REPLY_DEADLINE_MS + watchBudget(timers),
    async run(ctx) {
      if (!(await usable(ctx, 'campaigns'))) ctx.skip('the server does not offer /ws/campaigns');
      const { conn } = await openDialect(ctx, 'campaigns');
      // Each of these gets an answer in tidewire.v1 that the dialect does not have: an error, a JSON pong,
      // an ack. The text ping last: its text pong (HB-004's to judge) shows the others were handled.
      conn.send({ type: 'no_such_type' });
      conn.send({ type: 'ping', id: 'src-005-ping' });
      conn.send({ type: 'get_campaign', id: 'src-005-get' });
      conn.send('ping');
      await conn
        .next((m) => m.text === 'pong', { timeoutMs: REPLY_DEADLINE_MS, expected: 'a text pong' })
        .catch(() => undefined);
      const spec = dialect('campaign-sender');
      // Whether connection_established comes is SRC-001's to judge.
      await expectOnlyDialectTypes(ctx, conn, dialectServerTypes(spec, 'campaigns'), {
        textFrames: spec.textFrames,
        judgedElsewhere: ['connection_established'],
      });
    },
  },
  {
    id: 'SRC-002',
    level: 'MUST',
    area: 'sources',
    title: 'speaks the market-data dialect to a client without tidewire.v1',
    requirement:
      'On a market endpoint, a connection whose client did not offer `tidewire.v1` receives only the message types of its endpoint in the table of section 15.6: no `connection_established`, `ping` or `pong`.',
    families: ['market'],
    budgetMs: watchBudget,
    async run(ctx) {
      if (!(await usable(ctx, 'monitoring'))) ctx.skip('the server does not offer /api/monitoring/ws');
      const { conn } = await openDialect(ctx, 'monitoring');
      // The source's clients may ping; the answer is no message of the dialect.
      conn.send({ type: 'ping' });
      await expectOnlyDialectTypes(ctx, conn, dialectServerTypes(dialect('market-data'), 'monitoring'));
    },
  },
  {
    id: 'SRC-003',
    level: 'MUST',
    area: 'sources',
    title: 'speaks the pilito dialect to a client without tidewire.v1',
    requirement:
      'On `/ws/chat/`, `/ws/conversations/` and `/ws/customers/` of a server that offers the `pilito` profile, a connection whose client did not offer `tidewire.v1` receives `connection_established` first and afterwards only the message types of its endpoint in the table of section 15.6: no `error`, `ping` or `ack`.',
    families: ['chat'],
    budgetMs: (timers) => REPLY_DEADLINE_MS + watchBudget(timers),
    async run(ctx) {
      if (!ctx.profiles.includes('pilito')) ctx.skip('the server does not offer the pilito profile');
      if (!(await usable(ctx, 'conversations'))) ctx.skip('needs a token for /ws/conversations/');
      const { conn, first } = await openDialect(ctx, 'conversations');
      if (first.type !== 'connection_established') {
        ctx.fail(`expected connection_established first on /ws/conversations/, got: ${first.text}`, {
          expected: 'connection_established',
          actual: first.text,
        });
      }
      // Each of these gets an answer in tidewire.v1 that the dialect does not have: an error, a pong, an ack.
      conn.send({ type: 'no_such_type' });
      conn.send({ type: 'ping', id: 'src-003-ping' });
      conn.send({ type: 'refresh_conversations', id: 'src-003-refresh' });
      for (const nth of ['the initial', 'the requested']) {
        await conn.next((m) => m.type === 'conversations_list', {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `${nth} conversations_list`,
        });
      }
      await expectOnlyDialectTypes(ctx, conn, dialectServerTypes(dialect('pilito'), 'conversations'));
    },
  },
  {
    id: 'SRC-006',
    level: 'MUST',
    area: 'sources',
    title: 'speaks the full protocol on Depth endpoints to a client without tidewire.v1',
    requirement:
      'On `/ws/notifications/` and `/ws/projects/`, a connection whose client did not offer `tidewire.v1` speaks the full protocol: its first message is `connection_established`, as for a client that offered it.',
    families: ['chat'],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, ['notifications', 'projects']);
      // Source 002's clients speak Socket.IO: a plain WebSocket client there is a protocol client.
      const { first } = await openDialect(ctx, name);
      if (first.type !== 'connection_established') {
        ctx.fail(
          `offering no subprotocol, expected connection_established first on ${endpoint(name).path}, got: ${first.text}`,
          { expected: 'connection_established', actual: first.text },
        );
      }
      ctx.observe(`${endpoint(name).path} without tidewire.v1: connection_established first`);
    },
  },
  {
    id: 'SRC-004',
    level: 'SHOULD',
    area: 'sources',
    title: 'declares its profiles in connection_established',
    requirement:
      '`connection_established` carries `profiles`, naming every profile all of whose endpoints the server serves.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const [conn, answers] = await Promise.all([
        ctx.connect(name),
        Promise.all(ENDPOINTS.map(async (spec) => ({ spec, result: await ctx.upgrade(spec.name) }))),
      ]);
      const declared = declaredProfiles(conn.established);
      if (declared === undefined) {
        return ctx.fail(`expected profiles in connection_established on ${name}, got: none`, {
          expected: 'profiles',
          actual: JSON.stringify(conn.established),
        });
      }
      const served = new Set(answers.filter((a) => a.result.status === 101).map((a) => a.spec.name));
      const undeclared = completeProfiles(served).filter((profile) => !declared.includes(profile));
      if (undeclared.length > 0) {
        ctx.fail(
          `the server serves every endpoint of ${undeclared.join(', ')}, but connection_established declares only ${declared.join(', ') || 'none'}`,
          { expected: completeProfiles(served).join(', '), actual: declared.join(', ') },
        );
      }
      ctx.observe(`connection_established on ${name} declares ${declared.join(', ')}`);
    },
  },
];
