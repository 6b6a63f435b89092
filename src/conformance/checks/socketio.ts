/**
 * The Socket.IO binding (SIO-001 … SIO-018, docs/protocol.md section 14a). Checks about the wire speak
 * Engine.IO packets themselves (open packet, heartbeat, CONNECT data, acknowledgement ids, pid and
 * offsets); checks about behaviour use a real socket.io-client, as a front end of source 002 would. Every
 * event any of them receives is validated against its schema and judged by SIO-011.
 */
import { AUTH_REQUIRED, CloseCode, ErrorCode } from '../../protocol/constants.js';
import { ERROR_EVENT, ESTABLISHED_EVENT } from '../../protocol/socketio.js';
import { SocketIoSchemas } from '../../protocol/socketio-schemas.js';
import type { ClientSocket } from '../socketio/client-connection.js';
import { SocketType, type SocketPacket } from '../socketio/packets.js';
import { eventName, type RawEngineConnection } from '../socketio/raw-connection.js';
import type { Check, CheckContext } from '../types.js';
import {
  heartbeatBudgetMs,
  pingsWatched,
  pingToleranceMs,
  QUIET_PERIOD_MS,
  REPLY_DEADLINE_MS,
  TIMER_SLACK_MS,
} from './deadlines.js';
import { subjectOf } from './jwt-claims.js';

const SERVED_NAMESPACES = ['/', '/chat', '/projects', '/notifications'] as const;
/** A namespace no server serves (not `/admin`, which a server written after source 002 may well serve). */
const unservedNamespace = () => `/conformance-unknown-${Math.random().toString(36).slice(2, 10)}`;
/** Acknowledgement id of the raw checks' requests. */
const ACK_ID = 7;
/** Progress values the recovery check posts while its first connection is away. */
const MISSED_PROGRESS = [10, 20, 30] as const;

const common = { level: 'MUST', area: 'socket.io', families: ['chat'], binding: 'socket.io' } as const;

function userOf(ctx: CheckContext): string {
  return ctx.param('userId') ?? '1';
}

function projectOf(ctx: CheckContext): number {
  return Number(ctx.param('projectId') ?? '1');
}

async function requireToken(ctx: CheckContext, userId = userOf(ctx)): Promise<string> {
  const token = await ctx.token(userId);
  return token ?? ctx.skip(`no token for user ${userId} (pass --token or --token-secret)`);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A raw connection with CONNECT accepted on `namespace`; fails with the CONNECT_ERROR that came instead. */
async function rawConnected(
  ctx: CheckContext,
  namespace: string,
  auth: Record<string, unknown>,
): Promise<{ conn: RawEngineConnection; connect: SocketPacket }> {
  const { conn } = await ctx.socketIo.raw();
  conn.connect(namespace, auth);
  const connect = await conn.connectAnswer(namespace);
  if (connect.type !== SocketType.CONNECT) {
    ctx.fail(`expected CONNECT for ${namespace}, got: CONNECT_ERROR ${JSON.stringify(connect.data)}`);
  }
  return { conn, connect };
}

/** A socket.io-client socket on `namespace`, over a Manager of its own. */
async function clientSocket(
  ctx: CheckContext,
  namespace: string,
  token: string | null,
): Promise<ClientSocket> {
  const manager = await ctx.socketIo.manager();
  return manager.socket(namespace, { token });
}

/**
 * Emits a request with a callback and waits for its acknowledgement if one comes: joining a room takes
 * effect whether or not the server acknowledges it, and acknowledgements are SIO-013's to judge.
 */
async function request(
  socket: ClientSocket,
  event: string,
  payload: unknown,
  timeoutMs = REPLY_DEADLINE_MS,
): Promise<unknown[] | undefined> {
  try {
    return await socket.emitWithAck(event, payload, timeoutMs);
  } catch {
    return undefined;
  }
}

/** Answers to a burst arrive in order: a little per event on top of the reply deadline (as RL-001). */
const burstDeadlineMs = (events: number) => 2 * REPLY_DEADLINE_MS + 5 * events;

/** Expects CONNECT_ERROR for a CONNECT with `auth`, carrying an `authentication_error` (SIO-004 … SIO-006). */
async function expectAuthRefusal(ctx: CheckContext, auth: Record<string, unknown>, what: string) {
  const { conn } = await ctx.socketIo.raw();
  conn.connect('/chat', auth);
  const answer = await conn.connectAnswer('/chat');
  const shown = JSON.stringify(answer.data);
  if (answer.type !== SocketType.CONNECT_ERROR) {
    ctx.fail(`expected CONNECT_ERROR for ${what}, got: CONNECT ${shown}`, {
      expected: 'CONNECT_ERROR {message, data: authentication_error}',
      actual: `CONNECT ${shown}`,
    });
  }
  const data = record(record(answer.data).data);
  if (data.type !== 'authentication_error') {
    ctx.fail(`expected CONNECT_ERROR data to be an authentication_error for ${what}, got: ${shown}`, {
      expected: '{"message": …, "data": {"type": "authentication_error", …}}',
      actual: shown,
    });
  }
  ctx.observe(`${what}: CONNECT_ERROR ${shown}`);
  return data;
}

/** A valid token whose signature has been changed. */
function withBadSignature(token: string): string {
  const dot = token.lastIndexOf('.');
  const signature = token.slice(dot + 1);
  const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
  return `${token.slice(0, dot + 1)}${flipped}`;
}

/** The Engine.IO timers of a connection's open packet. */
function engineTimers(ctx: CheckContext, open: Record<string, unknown>) {
  const pingInterval = open.pingInterval;
  const pingTimeout = open.pingTimeout;
  if (typeof pingInterval !== 'number' || typeof pingTimeout !== 'number') {
    ctx.blocked(
      'SIO-001',
      `the open packet has no numeric pingInterval and pingTimeout: ${JSON.stringify(open)}`,
    );
  }
  return { pingInterval, pingTimeout };
}

/** Skips a heartbeat check whose waits, from the open packet's timers, exceed what its budget allows. */
function withinBudget(ctx: CheckContext, neededMs: number, budgetMs: number, what: string): void {
  if (neededMs > budgetMs) {
    ctx.skip(
      `${what} needs ${Math.round(neededMs)} ms with this server's Engine.IO timers, more than the ${Math.round(budgetMs)} ms its advertised heartbeat timers allow`,
    );
  }
}

/**
 * The next ping, which must come within `allowedMs` (scaled like every wait) of `since`: its time. A ping
 * later than that, or none, fails SIO-009.
 */
async function nextPingWithin(
  ctx: CheckContext,
  conn: RawEngineConnection,
  since: number,
  allowedMs: number,
  after: string,
  pingInterval: number,
): Promise<number> {
  const expected = `an Engine.IO ping within ${pingInterval} ms of ${after}`;
  const at = await conn.nextPing(allowedMs - (ctx.now() - since) / ctx.timeoutScale, expected);
  const afterMs = Math.round(at - since);
  if (afterMs > allowedMs * ctx.timeoutScale) ctx.fail(`expected ${expected}, got: one after ${afterMs} ms`);
  ctx.observe(`ping ${afterMs} ms after ${after} (pingInterval ${pingInterval} ms)`);
  return at;
}

/** Data events carry their offset (a string) as the last argument. */
export function offsetOf(args: readonly unknown[]): string | undefined {
  const last = args[args.length - 1];
  return args.length > 1 && typeof last === 'string' ? last : undefined;
}

export const SOCKETIO_CHECKS: readonly Check[] = [
  {
    ...common,
    id: 'SIO-001',
    title: 'answers an Engine.IO polling handshake with a complete open packet',
    requirement:
      'The server answers an Engine.IO handshake on `/socket.io/` with the `polling` transport with an open packet carrying `sid`, `pingInterval`, `pingTimeout`, `maxPayload` and `upgrades` that lists `websocket`.',
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const answer = await ctx.socketIo.pollingHandshake();
      const first = answer.packets[0];
      if (answer.status !== 200 || first?.kind !== 'open') {
        ctx.fail(
          `expected HTTP 200 with an open packet, got: HTTP ${answer.status} ${first?.kind ?? 'empty'}`,
        );
      }
      const open = record(first.kind === 'open' ? first.data : undefined);
      const missing = [
        typeof open.sid === 'string' && open.sid.length > 0 ? undefined : 'sid',
        ...(['pingInterval', 'pingTimeout', 'maxPayload'] as const).map((field) =>
          Number.isInteger(open[field]) && (open[field] as number) > 0 ? undefined : field,
        ),
        Array.isArray(open.upgrades) && open.upgrades.includes('websocket')
          ? undefined
          : 'upgrades [websocket]',
      ].filter((field) => field !== undefined);
      if (missing.length > 0) {
        ctx.fail(`expected an open packet with ${missing.join(', ')}, got: ${JSON.stringify(open)}`, {
          expected: 'sid, pingInterval, pingTimeout, maxPayload, upgrades including "websocket"',
          actual: JSON.stringify(open),
        });
      }
      ctx.observe(
        `open packet: pingInterval ${String(open.pingInterval)}, pingTimeout ${String(open.pingTimeout)}, maxPayload ${String(open.maxPayload)}, upgrades ${JSON.stringify(open.upgrades)}`,
      );
    },
  },
  {
    ...common,
    id: 'SIO-002',
    title: 'accepts a CONNECT with a valid token on every namespace',
    requirement:
      'A CONNECT to `/`, `/chat`, `/projects` or `/notifications` with a valid token in its data is answered with CONNECT carrying `sid`.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const { conn } = await ctx.socketIo.raw();
      for (const namespace of SERVED_NAMESPACES) conn.connect(namespace, { token });
      for (const namespace of SERVED_NAMESPACES) {
        const answer = await conn.connectAnswer(namespace);
        const sid = record(answer.data).sid;
        if (answer.type !== SocketType.CONNECT || typeof sid !== 'string' || sid === '') {
          ctx.fail(`expected CONNECT with a sid for ${namespace}, got: ${JSON.stringify(answer)}`);
        }
        ctx.observe(`${namespace}: CONNECT sid ${sid}`);
      }
    },
  },
  {
    ...common,
    id: 'SIO-003',
    title: 'emits connection:established with the session, timers and limits right after CONNECT',
    requirement:
      'Right after CONNECT the server emits `connection:established` with the `sessionId`, `protocolVersion`, `heartbeatIntervalMs`, `heartbeatTimeoutMs`, `resumeWindowMs`, `maxMessageBytes` and `rateLimit` of a `connection_established` message.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const { conn } = await rawConnected(ctx, '/chat', { token });
      const { packet } = await conn.nextSocket(
        (p) => p.namespace === '/chat' && p.type === SocketType.EVENT,
        REPLY_DEADLINE_MS,
        `event ${ESTABLISHED_EVENT} after CONNECT`,
      );
      const [event, payload] = packet.data as [unknown, unknown];
      if (event !== ESTABLISHED_EVENT) ctx.fail(`expected ${ESTABLISHED_EVENT} first, got: ${String(event)}`);
      const established = record(payload);
      const rate = record(established.rateLimit);
      const missing = [
        typeof established.sessionId === 'string' ? undefined : 'sessionId',
        typeof established.protocolVersion === 'string' ? undefined : 'protocolVersion',
        ...(['heartbeatIntervalMs', 'heartbeatTimeoutMs', 'resumeWindowMs', 'maxMessageBytes'] as const).map(
          (field) => (typeof established[field] === 'number' ? undefined : field),
        ),
        typeof rate.maxMessages === 'number' && typeof rate.windowMs === 'number' ? undefined : 'rateLimit',
      ].filter((field) => field !== undefined);
      if (missing.length > 0) {
        ctx.fail(`expected ${ESTABLISHED_EVENT} with ${missing.join(', ')}, got: ${JSON.stringify(payload)}`);
      }
      ctx.observe(`${ESTABLISHED_EVENT} with session ${String(established.sessionId)} and every timer`);
    },
  },
  {
    ...common,
    id: 'SIO-004',
    title: 'refuses a CONNECT without a token with an authentication_error',
    requirement:
      'A CONNECT without a token, on an Engine.IO connection where no namespace was accepted with one, gets CONNECT_ERROR whose `data` is an `authentication_error` with `error_code: AUTH_REQUIRED` and `closeCode: 4001`.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const data = await expectAuthRefusal(ctx, {}, 'a CONNECT without a token');
      if (data.error_code !== AUTH_REQUIRED || data.closeCode !== CloseCode.UNAUTHORIZED) {
        ctx.fail(
          `expected error_code ${AUTH_REQUIRED} and closeCode ${CloseCode.UNAUTHORIZED}, got: ${JSON.stringify(data)}`,
        );
      }
    },
  },
  {
    ...common,
    id: 'SIO-005',
    title: 'refuses a CONNECT with a malformed or badly signed token',
    requirement:
      'A CONNECT with an invalid token (malformed or bad signature) gets CONNECT_ERROR whose `data` is an `authentication_error`.',
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      await expectAuthRefusal(ctx, { token: 'not-a-jwt' }, 'a malformed token');
      const token = await ctx.token(userOf(ctx));
      if (token === undefined) {
        ctx.note('no valid token to alter: only the malformed token was tried');
        return;
      }
      await expectAuthRefusal(ctx, { token: withBadSignature(token) }, 'a token with an altered signature');
    },
  },
  {
    ...common,
    id: 'SIO-006',
    title: 'refuses a CONNECT with an expired token',
    requirement:
      'A CONNECT with an expired token gets CONNECT_ERROR whose `data` is an `authentication_error`.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const expired = await ctx.token(userOf(ctx), { expiresInSeconds: -60 });
      if (expired === undefined) ctx.skip('cannot mint an expired token (pass --token-secret)');
      await expectAuthRefusal(ctx, { token: expired }, 'an expired token');
    },
  },
  {
    ...common,
    id: 'SIO-007',
    title: 'accepts a namespace without a token on a connection another namespace authenticated',
    requirement:
      "A CONNECT without a token, on an Engine.IO connection where another namespace was accepted with a valid token, is accepted for that token's user.",
    budgetMs: () => 3 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const user = userOf(ctx);
      const token = await requireToken(ctx, user);
      const manager = await ctx.socketIo.manager();
      await manager.socket('/projects', { token });
      const chat = await manager.socket('/chat', { token: null });
      const established = await chat.next(ESTABLISHED_EVENT, REPLY_DEADLINE_MS).catch(() => undefined);
      const userId = record(record(established?.args[0]).auth).userId;
      const expected = subjectOf(token) ?? user;
      if (established && userId !== undefined && userId !== expected) {
        ctx.fail(
          `expected /chat to be accepted for user ${expected}, got: auth.userId ${JSON.stringify(userId)}`,
        );
      }
      ctx.observe(
        `/chat accepted without a token after /projects${userId === undefined ? '' : `, as user ${String(userId)}`}`,
      );
    },
  },
  {
    ...common,
    id: 'SIO-008',
    title: 'refuses a CONNECT to a namespace it does not serve',
    requirement: 'A CONNECT to a namespace the server does not serve gets CONNECT_ERROR.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const namespace = unservedNamespace();
      const { conn } = await ctx.socketIo.raw();
      conn.connect(namespace, { token });
      const answer = await conn.connectAnswer(namespace);
      if (answer.type !== SocketType.CONNECT_ERROR) {
        ctx.fail(`expected CONNECT_ERROR for ${namespace}, got: CONNECT ${JSON.stringify(answer.data)}`);
      }
      ctx.observe(`${namespace}: CONNECT_ERROR ${JSON.stringify(answer.data)}`);
    },
  },
  {
    ...common,
    id: 'SIO-009',
    title: 'pings within pingInterval of the open packet and of each pong',
    requirement:
      'The server sends an Engine.IO ping within `pingInterval` of the open packet and of each pong.',
    // As HB-001: two pings, the second counted from the pong that answered the first (one with
    // --quick-heartbeat), so a server that pings once and never again, or at twice its interval, fails.
    budgetMs: (timers, mode) => heartbeatBudgetMs(timers, pingsWatched(mode), false),
    async run(ctx) {
      const { conn, open } = await ctx.socketIo.raw({ autoPong: false });
      const { pingInterval } = engineTimers(ctx, open);
      const allowedMs = pingInterval + pingToleranceMs(pingInterval);
      const pings = pingsWatched(ctx.mode);
      withinBudget(
        ctx,
        pings * allowedMs,
        heartbeatBudgetMs(ctx.timers, pings, false),
        `waiting for ${pings === 1 ? 'a ping' : `${pings} pings`}`,
      );
      const openedAt = conn.openedAtMs ?? ctx.now();
      await nextPingWithin(ctx, conn, openedAt, allowedMs, 'the open packet', pingInterval);
      if (pings < 2) {
        ctx.note('--quick-heartbeat: the ping after a pong is not measured');
        ctx.observe(`an Engine.IO ping within ${pingInterval} ms of the open packet`);
        return;
      }
      conn.sendPong();
      const pongAt = ctx.now();
      await nextPingWithin(ctx, conn, pongAt, allowedMs, 'the first pong', pingInterval);
      ctx.observe(`Engine.IO pings within ${pingInterval} ms of the open packet and of the pong`);
    },
  },
  {
    ...common,
    id: 'SIO-010',
    title: 'closes a connection that does not answer a ping within pingTimeout',
    requirement:
      'The server closes an Engine.IO connection that sends nothing within `pingTimeout` of a ping.',
    budgetMs: (timers) => heartbeatBudgetMs(timers, 1, true),
    async run(ctx) {
      const { conn, open } = await ctx.socketIo.raw({ autoPong: false });
      const { pingInterval, pingTimeout } = engineTimers(ctx, open);
      // A late first ping is SIO-009's to judge.
      const firstPingMs = pingInterval + pingToleranceMs(pingInterval);
      withinBudget(
        ctx,
        firstPingMs + pingTimeout + TIMER_SLACK_MS,
        heartbeatBudgetMs(ctx.timers, 1, true),
        'waiting for a ping and its timeout',
      );
      const pingAt = await conn
        .nextPing(firstPingMs, 'an Engine.IO ping')
        .catch(() => ctx.blocked('SIO-009', `no ping within ${firstPingMs} ms of the open packet`));
      const closedAt = await conn.closed(
        pingTimeout + TIMER_SLACK_MS,
        `the connection closed within pingTimeout (${pingTimeout} ms) of an unanswered ping`,
      );
      ctx.observe(
        `closed ${Math.round(closedAt - pingAt)} ms after an unanswered ping (pingTimeout ${pingTimeout} ms)`,
      );
    },
  },
  {
    ...common,
    id: 'SIO-011',
    title: 'sends only events its namespaces define, each valid against its schema',
    requirement:
      'Every server event is one its namespace defines, and its payload validates against the schema of the message it carries.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      // Every event of every check is validated; this check adds the first events of each namespace, and
      // a project join for a data event where project events are carried.
      const token = await requireToken(ctx);
      const projectId = projectOf(ctx);
      const manager = await ctx.socketIo.manager();
      const counts = await Promise.all(
        SERVED_NAMESPACES.map(async (namespace) => {
          const socket = await manager.socket(namespace, { token }).catch(() => undefined);
          if (!socket) {
            ctx.note(`${namespace} refused the CONNECT (SIO-002 judges that)`);
            return 0;
          }
          const carriesProjects = namespace === '/' || namespace === '/projects';
          if (carriesProjects) socket.emit('project:join', { projectId });
          await socket
            .next(carriesProjects ? 'project:joined' : ESTABLISHED_EVENT, REPLY_DEADLINE_MS)
            .catch(() => undefined);
          return socket.events.all.length;
        }),
      );
      const seen = counts.reduce((sum, count) => sum + count, 0);
      if (seen === 0) ctx.skip('the server sent no event to judge on any namespace');
      ctx.observe(`${seen} events validated here; every event of every check is validated too`);
    },
  },
  {
    ...common,
    id: 'SIO-012',
    title: 'delivers a chat message to every member, the sender included, as message:new and chat:message',
    requirement:
      "A `chat:message` or `message:send` in a conversation reaches every socket joined to it, the sender's included, as `message:new` and as `chat:message`.",
    budgetMs: () => 4 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const conversationId = Number(ctx.param('conversationId') ?? '1');
      const sender = await clientSocket(ctx, '/chat', token);
      const member = await clientSocket(ctx, '/chat', token);
      await Promise.all([sender, member].map((s) => request(s, 'chat:join', { conversationId })));
      const content = `conformance ${ctx.now()}-${Math.random().toString(36).slice(2, 8)}`;
      sender.emit('chat:message', { conversationId, content, type: 'text', metadata: {} });
      const carries = (args: unknown[]) => JSON.stringify(args[0]).includes(content);
      for (const [who, socket] of [
        ['the sender', sender],
        ['another member', member],
      ] as const) {
        for (const event of ['message:new', 'chat:message']) {
          await socket.next(event, REPLY_DEADLINE_MS, carries);
          ctx.observe(`${who} received ${event}`);
        }
      }
    },
  },
  {
    ...common,
    id: 'SIO-013',
    title: 'acknowledges an event with a callback exactly once, with an ack or error message',
    requirement:
      "A client event emitted with an acknowledgement callback gets exactly one acknowledgement, whose one argument is an `ack` or `error` message carrying the packet's acknowledgement id.",
    budgetMs: () => 3 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const { conn } = await rawConnected(ctx, '/projects', { token });
      conn.emit('/projects', 'project:join', { projectId: projectOf(ctx) }, ACK_ID);
      const isAck = (p: SocketPacket) =>
        p.type === SocketType.ACK && p.namespace === '/projects' && p.id === ACK_ID;
      const { packet } = await conn.nextSocket(
        isAck,
        REPLY_DEADLINE_MS,
        `an acknowledgement with id ${ACK_ID}`,
      );
      const args = Array.isArray(packet.data) ? packet.data : [];
      const reply = record(args[0]);
      if (args.length !== 1 || (reply.type !== 'ack' && reply.type !== 'error')) {
        ctx.fail(`expected one argument, an ack or error message, got: ${JSON.stringify(packet.data)}`, {
          expected: '[{"type": "ack" | "error", "id": 7, …}]',
          actual: JSON.stringify(packet.data),
        });
      }
      if (reply.id !== ACK_ID)
        ctx.fail(
          `expected the ${String(reply.type)} to carry id ${ACK_ID}, got: ${JSON.stringify(reply.id)}`,
        );
      const result = SocketIoSchemas.shared().validateReply(reply);
      if (!result.ok) {
        ctx.fail(
          `the ${String(reply.type)} violates its schema: ${result.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        );
      }
      if (
        !(await conn.packets.absent(
          (item) => item.packet.kind === 'socket' && isAck(item.packet.packet),
          QUIET_PERIOD_MS,
        ))
      ) {
        ctx.fail(`expected exactly one acknowledgement with id ${ACK_ID}, got: a second one`);
      }
      ctx.observe(`one acknowledgement: ${JSON.stringify(reply)}`);
    },
  },
  {
    ...common,
    id: 'SIO-014',
    title: 'answers an invalid payload without a callback with an INVALID_MESSAGE error event',
    requirement:
      'A client event whose payload violates its schema, emitted without a callback, gets an `error` event with code `INVALID_MESSAGE` and the failing path in `details.path`.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const socket = await clientSocket(ctx, '/projects', token);
      socket.emit('project:join', { projectId: 'not-a-number' });
      const { args } = await socket.next(ERROR_EVENT, REPLY_DEADLINE_MS);
      const error = record(args[0]);
      const path = record(error.details).path;
      if (error.code !== ErrorCode.INVALID_MESSAGE || path !== '/projectId') {
        ctx.fail(
          `expected error INVALID_MESSAGE with details.path "/projectId", got: ${JSON.stringify(error)}`,
          {
            expected: '{"code": "INVALID_MESSAGE", "details": {"path": "/projectId", …}, …}',
            actual: JSON.stringify(error),
          },
        );
      }
      ctx.observe(`error ${JSON.stringify(error)}`);
    },
  },
  {
    ...common,
    id: 'SIO-015',
    title: 'answers an unknown event without a callback with an UNKNOWN_TYPE error event',
    requirement:
      'A client event the namespace does not define, emitted without a callback, gets an `error` event with code `UNKNOWN_TYPE`.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const socket = await clientSocket(ctx, '/notifications', token);
      socket.emit('conformance:no-such-event', {});
      const { args } = await socket.next(ERROR_EVENT, REPLY_DEADLINE_MS);
      const error = record(args[0]);
      if (error.code !== ErrorCode.UNKNOWN_TYPE) {
        ctx.fail(`expected error UNKNOWN_TYPE, got: ${JSON.stringify(error)}`);
      }
      ctx.observe(`error ${JSON.stringify(error)}`);
    },
  },
  {
    ...common,
    id: 'SIO-016',
    title: 'refuses the events of a user over the rate limit with RATE_LIMITED and stays open',
    requirement:
      "A user's client events over the advertised rate limit get `RATE_LIMITED` with `retryAfterMs` and are not processed, and the connection stays open.",
    budgetMs: (timers) =>
      2 * REPLY_DEADLINE_MS + burstDeadlineMs(timers.rateLimit.maxMessages + 1) + QUIET_PERIOD_MS,
    async run(ctx) {
      // The limit counts every event of a user: a user of its own keeps the other checks' events apart.
      const user = ctx.param('otherUser') ?? (userOf(ctx) === '1' ? '2' : '1');
      const token = (await ctx.token(user)) ?? ctx.skip(`no token for user ${user} (pass --token-secret)`);
      const socket = await clientSocket(ctx, '/projects', token);
      const established = await socket.next(ESTABLISHED_EVENT, REPLY_DEADLINE_MS).catch(() => undefined);
      const advertised = record(record(established?.args[0]).rateLimit).maxMessages;
      const maxMessages = typeof advertised === 'number' ? advertised : ctx.timers.rateLimit.maxMessages;
      const projectId = projectOf(ctx);
      const deadlineMs = burstDeadlineMs(maxMessages + 1);
      const burst = Array.from({ length: maxMessages }, () =>
        request(socket, 'project:leave', { projectId }, deadlineMs),
      );
      const over = request(socket, 'project:join', { projectId }, deadlineMs);
      await Promise.all(burst);
      const reply = record((await over)?.[0]);
      const error = record(reply.error);
      if (error.code !== ErrorCode.RATE_LIMITED || typeof error.retryAfterMs !== 'number') {
        ctx.fail(
          `expected event ${maxMessages + 1} to get RATE_LIMITED with retryAfterMs, got: ${JSON.stringify(reply)}`,
          {
            expected: '{"type": "error", "error": {"code": "RATE_LIMITED", "retryAfterMs": …}}',
            actual: JSON.stringify(reply),
          },
        );
      }
      if (!(await socket.events.absent((e) => e.event === 'project:joined', QUIET_PERIOD_MS))) {
        ctx.fail('expected the refused project:join not to be processed, got: project:joined');
      }
      if (socket.events.ended !== undefined)
        ctx.fail(`expected the connection to stay open, got: ${socket.events.ended}`);
      ctx.observe(`event ${maxMessages + 1} got ${JSON.stringify(error)}; the connection stayed open`);
    },
  },
  {
    ...common,
    id: 'SIO-017',
    title: 'recovers a dropped session with every missed event once, in order',
    requirement:
      'A CONNECT within `resumeWindowMs` carrying the `pid` and `offset` of a dropped session is answered with the same `pid`, then every data event after `offset`, once and in order.',
    budgetMs: () => 6 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const projectId = projectOf(ctx);
      const { conn, connect } = await rawConnected(ctx, '/projects', { token });
      const pid = record(connect.data).pid;
      if (typeof pid !== 'string')
        ctx.fail(`expected CONNECT with a pid, got: ${JSON.stringify(connect.data)}`);
      conn.emit('/projects', 'project:join', { projectId }, ACK_ID);
      const joined = await conn.nextEvent('/projects', 'project:joined', REPLY_DEADLINE_MS);
      const member = await clientSocket(ctx, '/projects', token);
      await request(member, 'project:join', { projectId });
      const received = conn.packets.all.flatMap((item) =>
        item.packet.kind === 'socket' && item.packet.packet.type === SocketType.EVENT
          ? [offsetOf((item.packet.packet.data as unknown[]).slice(1))]
          : [],
      );
      const lastOffset = received.filter((o) => o !== undefined).at(-1) ?? offsetOf(joined.args) ?? '0';
      conn.terminate();
      for (const progress of MISSED_PROGRESS) member.emit('project:progress', { projectId, progress });
      for (const progress of MISSED_PROGRESS) {
        await member.next(
          'project:update',
          REPLY_DEADLINE_MS,
          (args) => record(record(args[0]).data).progress === progress,
        );
      }
      const { conn: again } = await ctx.socketIo.raw();
      again.connect('/projects', { token, pid, offset: lastOffset });
      const answer = await again.connectAnswer('/projects');
      if (answer.type !== SocketType.CONNECT || record(answer.data).pid !== pid) {
        ctx.fail(`expected CONNECT with pid ${pid}, got: ${JSON.stringify(answer)}`, {
          expected: `CONNECT {"sid": …, "pid": "${pid}"}`,
          actual: JSON.stringify(answer.data),
        });
      }
      const progressSeen: unknown[] = [];
      const offsets = new Set<string>([lastOffset]);
      while (progressSeen.length < MISSED_PROGRESS.length) {
        const { packet } = await again.nextSocket(
          (p) =>
            p.type === SocketType.EVENT &&
            p.namespace === '/projects' &&
            offsetOf((p.data as unknown[]).slice(1)) !== undefined,
          REPLY_DEADLINE_MS,
          `the missed project:update events (${progressSeen.length} of ${MISSED_PROGRESS.length} so far)`,
        );
        const args = (packet.data as unknown[]).slice(1);
        const offset = offsetOf(args) as string;
        if (offsets.has(offset))
          ctx.fail(`expected each missed event once, got: offset ${offset} again (${eventName(packet)})`);
        offsets.add(offset);
        if (eventName(packet) === 'project:update') progressSeen.push(record(record(args[0]).data).progress);
      }
      if (JSON.stringify(progressSeen) !== JSON.stringify(MISSED_PROGRESS)) {
        ctx.fail(
          `expected the missed updates in order ${MISSED_PROGRESS.join(', ')}, got: ${progressSeen.join(', ')}`,
        );
      }
      ctx.observe(
        `CONNECT with pid ${pid}, then the missed updates ${progressSeen.join(', ')} once and in order`,
      );
    },
  },
  {
    ...common,
    id: 'SIO-018',
    title: 'starts a fresh session for a pid it cannot recover',
    requirement:
      'A CONNECT carrying a `pid` the server cannot recover is answered with a new `pid` and no replayed event.',
    budgetMs: () => 2 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const unknown = `conformance-unknown-${Math.random().toString(36).slice(2)}`;
      const { conn, connect } = await rawConnected(ctx, '/projects', { token, pid: unknown, offset: '3' });
      const pid = record(connect.data).pid;
      if (pid === undefined)
        ctx.blocked('SIO-017', 'no pid in CONNECT: the server offers no connection state recovery');
      if (pid === unknown) ctx.fail(`expected a new pid, got: the unknown pid ${unknown} back`);
      const replayed = (p: SocketPacket) =>
        p.type === SocketType.EVENT && offsetOf((p.data as unknown[]).slice(1)) !== undefined;
      if (
        !(await conn.packets.absent(
          (item) => item.packet.kind === 'socket' && replayed(item.packet.packet),
          QUIET_PERIOD_MS,
        ))
      ) {
        ctx.fail('expected no replayed event on a fresh session, got: a data event with an offset');
      }
      ctx.observe(`CONNECT with a new pid ${String(pid)} and no replayed event`);
    },
  },
];
