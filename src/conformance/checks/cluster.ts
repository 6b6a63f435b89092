/**
 * Clusters (CLU-001 … CLU-008): what only a deployment of several instances can break. They run in cluster
 * mode (`--url` once per instance) and skip otherwise; when the instances cannot be told apart (CLU-001),
 * the others are blocked by it, since a "cluster" of one instance would pass them without proving anything.
 * CLU-008 speaks the Socket.IO binding, with socket.io-client as a front end would.
 */
import { isDeepStrictEqual } from 'node:util';
import { CLUSTER_COUNT_DELAY_MS, CloseCode, ErrorCode } from '../../protocol/constants.js';
import {
  instanceIds,
  instanceName,
  ONE_INSTANCE,
  sameInstances,
  distinctInstances,
} from '../cluster/instances.js';
import { describeClose } from '../probe.js';
import type { ClientSocket, ReceivedEvent } from '../socketio/client-connection.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { isReplyTo } from './acks.js';
import { QUIET_PERIOD_MS, REPLY_DEADLINE_MS } from './deadlines.js';
import { ESTABLISHED_EVENT } from '../../protocol/socketio.js';
import {
  choose,
  CONVERSATIONS_DATA,
  isDataMessage,
  MARKET_DATA,
  ON_DEMAND_DATA,
  seqOf,
  uniqueSuffix,
  type OnDemandData,
} from './endpoint-choice.js';
import {
  connectWhenAdmitted,
  expectTryAgainLater,
  freshUser,
  limitOf,
  MAX_CONNECTIONS_PER_CHECK,
  openMany,
  positive,
  quickRequest,
  requestsAnswered,
  serverTimeOf,
  type FreshUser,
  type Limit,
} from './limit-probes.js';
import { isRefusalNotice, noticeCode } from './refusal.js';
import { receivedAfter, resume, startSession, type ResumeAttempt } from './resume-session.js';
import { offsetOf } from './socketio.js';

/** Opening and resuming on several instances: a few replies' worth of waits. */
const clusterBudget = () => 6 * REPLY_DEADLINE_MS;

/** Fails unless the resume on `to` of a session of `from` was honoured. */
function resumedAcross(ctx: CheckContext, attempt: ResumeAttempt, from: number, to: number): void {
  if (attempt.outcome.type === 'resumed') return;
  ctx.fail(
    `expected resumed on ${instanceName(to)} for a session of ${instanceName(from)}, got: ${attempt.outcome.text} (do the instances share sessions?)`,
    { expected: 'resumed', actual: attempt.outcome.text },
  );
}

/**
 * What a reply says: the fields the protocol gives an `ack` or `error`. Another instance stamps it anew and
 * may add fields of its own (which instance served it, say), which do not make it another reply.
 */
function replyContent(message: ReceivedMessage): Record<string, unknown> {
  const { type, id, ok, data, error } = message.json ?? {};
  return { type, id, ok, data, error };
}

/** How many comments are posted while a socket is away (CLU-008). */
const MISSED_COMMENTS = 3;

/** The comment a `project:update` carries. */
function commentOf(args: readonly unknown[]): unknown {
  return (args[0] as { data?: { comment?: unknown } } | undefined)?.data?.comment;
}

/**
 * The `instanceId` of a socket's `connection:established`, if one comes (it follows CONNECT at once, but
 * may arrive just after socket.io-client reports the socket connected).
 */
async function establishedInstanceId(socket: ClientSocket): Promise<unknown> {
  const established = await socket.next(ESTABLISHED_EVENT, QUIET_PERIOD_MS).catch(() => undefined);
  return (established?.args[0] as Record<string, unknown> | undefined)?.instanceId;
}

/** Fails unless `socket`'s CONNECT on `instance` recovered `pid`. */
function recoveredOn(ctx: CheckContext, socket: ClientSocket, pid: string, instance: number, when: string) {
  if (socket.recovered && socket.pid === pid) return;
  const actual = `a fresh session (pid ${socket.pid ?? 'none'})`;
  ctx.fail(
    `expected ${instanceName(instance)} to recover pid ${pid} ${when}, got: ${actual} (do the instances share sessions, and serve them with their namespace?)`,
    { expected: `CONNECT with pid ${pid}`, actual },
  );
}

/** Sends the source's request once on a resumed connection and waits for its reply after `after`. */
async function oneMoreData(conn: ProbeConnection, source: OnDemandData, after: ReceivedMessage) {
  const isAfter = receivedAfter(conn, after);
  conn.send(source.request);
  await conn.next((m) => m.type === source.replyType && isAfter(m), {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `${source.replyType} answering ${JSON.stringify(source.request)}`,
  });
}

export const CLUSTER_CHECKS: readonly Check[] = [
  {
    id: 'CLU-001',
    level: 'MUST',
    area: 'cluster',
    title: 'every instance advertises an instanceId of its own',
    requirement:
      'Every instance of a deployment advertises in `connection_established` an `instanceId` that no other instance of the deployment advertises.',
    families: [],
    budgetMs: clusterBudget,
    async run(ctx) {
      if (ctx.instances < 2) ctx.skip(ONE_INSTANCE);
      const ids = await instanceIds(ctx);
      const problem = sameInstances(ids);
      if (problem) {
        ctx.fail(`expected an instanceId of its own on every instance, got: ${problem}`, {
          expected: 'a different instanceId on every instance',
          actual: ids.map((id, i) => `${instanceName(i)}: ${id ?? 'none'}`).join(', '),
        });
      }
      ctx.observe(`instanceIds ${ids.join(', ')}`);
    },
  },
  {
    id: 'CLU-002',
    level: 'MUST',
    area: 'cluster',
    title: 'delivers a chat message posted through one instance to room members on another',
    requirement:
      "A message published through one instance (a `chat_message` to a conversation) reaches the members of that conversation's room connected to every other instance.",
    families: ['chat'],
    budgetMs: clusterBudget,
    async run(ctx) {
      const [member, poster] = await distinctInstances(ctx, 2);
      await choose(ctx, ['chat'] as const);
      const conversationId = Number(ctx.param('conversationId') ?? '1');
      const noRoom = { query: { conversationId: undefined } };
      const joined = await ctx.connect('chat', { ...noRoom, instance: member });
      const joinId = `clu-002-join-${uniqueSuffix()}`;
      joined.send({ type: 'chat_join', conversationId, id: joinId });
      await joined.next((m) => m.type === 'ack' && m.json?.id === joinId, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `ack of chat_join ${conversationId} on ${instanceName(member)}`,
      });
      const posting = await ctx.connect('chat', { ...noRoom, instance: poster });
      const content = `CLU-002 ${uniqueSuffix()}`;
      const postId = `clu-002-post-${uniqueSuffix()}`;
      posting.send({ type: 'chat_message', conversationId, content, id: postId });
      const reply = await posting.next(isReplyTo(postId), {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `a reply to the chat_message on ${instanceName(poster)}`,
      });
      if (reply.type !== 'ack') ctx.fail(`expected the chat_message to be accepted, got: ${reply.text}`);
      await joined.next(
        (m) =>
          m.type === 'chat_message' &&
          (m.json?.message as Record<string, unknown> | undefined)?.content === content,
        {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: `the chat_message posted through ${instanceName(poster)} at a member of conversation ${conversationId} on ${instanceName(member)} (do the instances share rooms?)`,
        },
      );
      ctx.observe(`posted through ${instanceName(poster)}, received on ${instanceName(member)}`);
    },
  },
  {
    id: 'CLU-003',
    level: 'MUST',
    area: 'cluster',
    title: 'resumes a session on another instance with the full replay, in order, once',
    requirement:
      'A resume within the window on another instance than the one that served the session replays every data message after `lastSeq`, in order, each once, then sends `resumed` with the number replayed.',
    families: [],
    budgetMs: clusterBudget,
    async run(ctx) {
      const [first, second] = await distinctInstances(ctx, 2);
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 3, { instance: first });
      session.conn.terminate();
      const lastSeq = seqOf(session.data[0]) ?? 0;
      const want = session.data.filter((m) => (seqOf(m) ?? 0) > lastSeq).map((m) => `${seqOf(m)} ${m.type}`);
      const attempt = await resume(ctx, source.endpoint, session.sessionId, lastSeq, { instance: second });
      resumedAcross(ctx, attempt, first, second);
      const got = attempt.replayed.map((m) => `${seqOf(m)} ${m.type}`);
      if (!isDeepStrictEqual(got, want)) {
        ctx.fail(
          `expected ${instanceName(second)} to replay ${want.join(', ')}, got: ${got.join(', ') || 'nothing'}`,
          { expected: want.join(', '), actual: got.join(', ') },
        );
      }
      if (attempt.outcome.json?.replayed !== got.length) {
        ctx.fail(
          `expected resumed.replayed ${got.length}, got: ${JSON.stringify(attempt.outcome.json?.replayed)}`,
        );
      }
      ctx.observe(
        `${instanceName(second)} replayed ${got.join(', ')} of a session of ${instanceName(first)}`,
      );
    },
  },
  {
    id: 'CLU-004',
    level: 'MUST',
    area: 'cluster',
    title: 'closes the connection on the old instance with 4409 when a session is resumed on another',
    requirement:
      'A resume on another instance of a session whose connection is still open closes that connection with `error` (SESSION_TAKEN_OVER) and close 4409.',
    families: [],
    budgetMs: clusterBudget,
    async run(ctx) {
      const [first, second] = await distinctInstances(ctx, 2);
      const source = await choose(ctx, ON_DEMAND_DATA);
      const live = await startSession(ctx, source, 1, { instance: first });
      const attempt = await resume(ctx, source.endpoint, live.sessionId, live.lastSeq, { instance: second });
      resumedAcross(ctx, attempt, first, second);
      const expected = `close ${CloseCode.SESSION_TAKEN_OVER} of the connection on ${instanceName(first)}`;
      const close = await live.conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
      if (!close.clean || close.code !== CloseCode.SESSION_TAKEN_OVER) {
        ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      const notice = [...live.conn.received].reverse().find(isRefusalNotice);
      if (notice && noticeCode(notice) !== ErrorCode.SESSION_TAKEN_OVER) {
        ctx.fail(`expected error ${ErrorCode.SESSION_TAKEN_OVER} before the close, got: ${notice.text}`);
      }
      ctx.observe(`resumed on ${instanceName(second)}; ${instanceName(first)} closed with ${close.code}`);
    },
  },
  {
    id: 'CLU-005',
    level: 'MUST',
    area: 'cluster',
    title: 'keeps seq gap-free when successive resumes land on different instances',
    requirement:
      "A session's `seq` stays gap-free and without repeats when its successive resumes land on different instances.",
    families: [],
    budgetMs: () => 10 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const hops = await distinctInstances(ctx, 4);
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 1, { instance: hops[0] });
      const seqs = session.data.map((m) => seqOf(m) ?? Number.NaN);
      let conn = session.conn;
      for (let hop = 1; hop < hops.length; hop++) {
        conn.terminate();
        const attempt = await resume(ctx, source.endpoint, session.sessionId, seqs.at(-1) ?? 0, {
          instance: hops[hop],
        });
        resumedAcross(ctx, attempt, hops[hop - 1], hops[hop]);
        await oneMoreData(attempt.conn, source, attempt.outcome);
        conn = attempt.conn;
        seqs.push(
          ...conn.received
            .filter((m) => isDataMessage(source.endpoint, m))
            .map((m) => seqOf(m) ?? Number.NaN),
        );
      }
      const path = hops.map((i) => i + 1).join(' → ');
      const broken = seqs.findIndex((seq, i) => seq !== seqs[0] + i);
      if (broken >= 0) {
        ctx.fail(
          `expected seq ${seqs[0]}, ${seqs[0] + 1}, … across instances ${path}, got: ${seqs.join(', ')}`,
          {
            expected: `${seqs[0]} … ${seqs[0] + seqs.length - 1}, each once`,
            actual: seqs.join(', '),
          },
        );
      }
      ctx.observe(`seq ${seqs.join(', ')} across instances ${path}`);
    },
  },
  {
    id: 'CLU-006',
    level: 'MUST',
    area: 'cluster',
    title: 'gives a request resent on another instance no second effect and the same reply',
    requirement:
      'A request resent with the same `id` on another instance, after a resume there within the window, has no second effect and gets the same reply.',
    families: ['chat', 'market'],
    budgetMs: () => 8 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      const [first, second] = await distinctInstances(ctx, 2);
      const source = await choose(ctx, [MARKET_DATA, CONVERSATIONS_DATA]);
      const session = await startSession(ctx, source, 0, { instance: first });
      const id = `clu-006-${uniqueSuffix()}`;
      const request = { ...source.request, id };
      session.conn.send(request);
      const reply = await session.conn.next(isReplyTo(id), {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `a reply with id ${id} on ${instanceName(first)}`,
      });
      await session.conn.next((m) => m.type === source.replyType, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `the ${source.replyType} that ${JSON.stringify(request)} causes`,
      });
      const lastSeq =
        seqOf(session.conn.received.filter((m) => isDataMessage(source.endpoint, m)).at(-1)!) ?? 0;
      session.conn.terminate();
      const attempt = await resume(ctx, source.endpoint, session.sessionId, lastSeq, { instance: second });
      resumedAcross(ctx, attempt, first, second);
      attempt.conn.send(request);
      const again = await attempt.conn.next(isReplyTo(id), {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `a reply to the repeated id ${id} on ${instanceName(second)}`,
      });
      await attempt.conn.staysOpen(QUIET_PERIOD_MS);
      const effects = attempt.conn.received.filter(
        (m) => m.type === source.replyType && receivedAfter(attempt.conn, attempt.outcome)(m),
      );
      if (effects.length > 0) {
        ctx.fail(
          `expected no second ${source.replyType} for the id ${id} resent on ${instanceName(second)}, got: ${effects.length}`,
          { expected: `no ${source.replyType}`, actual: effects.map((m) => m.text).join('\n') },
        );
      }
      if (!isDeepStrictEqual(replyContent(reply), replyContent(again))) {
        ctx.fail(
          `expected the id ${id} resent on ${instanceName(second)} to get the same reply, got: ${again.text}`,
          {
            expected: reply.text,
            actual: again.text,
          },
        );
      }
      ctx.observe(`${instanceName(second)} answered the repeated id ${id} as ${instanceName(first)} had`);
    },
  },
  {
    id: 'CLU-007',
    level: 'MUST',
    area: 'cluster',
    title: 'counts the limits per user on all instances together',
    requirement:
      'The limits per user hold across the instances of a deployment: a connection of a user who holds the advertised `connectionLimits.perUser` connections on the instances together gets `error` TOO_MANY_CONNECTIONS and close 1013, and a message of a user whose connections on the instances together sent `userRateLimit.maxMessages` in the window 100 ms or more before it gets `error` RATE_LIMITED.',
    families: [],
    // It fills a limit of a user: alone, after the others (section 17).
    exclusive: true,
    budgetMs: () => 8 * REPLY_DEADLINE_MS + CLUSTER_COUNT_DELAY_MS,
    async run(ctx) {
      const [first] = await distinctInstances(ctx, 1);
      const user = await freshUser(ctx, 'CLU-007');
      const opener = await connectWhenAdmitted(ctx, user.endpoint, { token: user.token, instance: first });
      const plan = cheaperLimit(ctx, opener);
      if (plan.kind === 'messages') await messagesCountedAcross(ctx, user, opener, first, plan.limit);
      else await connectionsCountedAcross(ctx, user, opener, first, plan.limit);
    },
  },
  {
    id: 'CLU-008',
    level: 'MUST',
    area: 'cluster',
    title: 'recovers a Socket.IO namespace socket on another instance with every missed event once, in order',
    requirement:
      "A Socket.IO CONNECT on another instance, within `resumeWindowMs`, carrying the `pid` and `offset` of a namespace socket's session is answered with the same `pid`, then every data event after `offset`, once and in order, and a socket that still held the session is disconnected.",
    families: ['chat'],
    binding: 'socket.io',
    budgetMs: () => 10 * REPLY_DEADLINE_MS + QUIET_PERIOD_MS,
    async run(ctx) {
      if (ctx.instances < 2) ctx.skip(ONE_INSTANCE);
      const [first, second] = [0, 1];
      const user = ctx.param('userId') ?? '1';
      const token =
        (await ctx.token(user)) ?? ctx.skip(`no token for user ${user} (pass --token or --token-secret)`);
      const projectId = Number(ctx.param('projectId') ?? '1');
      const open = async (instance: number, recover?: { pid: string; offset: string | undefined }) => {
        const manager = await ctx.socketIo.manager({ instance });
        return { manager, socket: await manager.socket('/projects', { token, recover }) };
      };
      const { socket: witness } = await open(second).catch((error: unknown) =>
        ctx.skip(
          `${instanceName(second)} does not serve the Socket.IO binding (${(error as Error).message}): every instance must, for a socket to recover on any of them`,
        ),
      );
      const { manager: heldManager, socket: held } = await open(first);
      // Told apart by what their Socket.IO side says (a deployment may serve the binding alone).
      const ids = await Promise.all([held, witness].map(establishedInstanceId));
      if (typeof ids[0] === 'string' && ids[0] === ids[1]) {
        ctx.blocked(
          'CLU-001',
          `instances 1 and 2 both advertise instanceId "${ids[0]}" in connection:established: one instance, so a pass would prove nothing`,
        );
      }
      const pid =
        held.pid ??
        ctx.blocked(
          'SIO-017',
          `no pid in the CONNECT of ${instanceName(first)}: the server offers no connection state recovery`,
        );
      void held.emitWithAck('project:join', { projectId }, REPLY_DEADLINE_MS).catch(() => undefined);
      await held.next('project:joined', REPLY_DEADLINE_MS);
      // A member on the same instance posts: delivery across instances is CLU-002's.
      const { socket: poster } = await open(first);
      await poster.emitWithAck('project:join', { projectId }, REPLY_DEADLINE_MS).catch(() => undefined);
      // Comments of this check alone: other clients may post to the project meanwhile.
      const tag = `CLU-008 ${uniqueSuffix()}`;
      const ours = (e: ReceivedEvent) => String(commentOf(e.args)).startsWith(tag);
      const post = async (comment: string) => {
        poster.emit('project:comment', { projectId, comment });
        await poster.next('project:update', REPLY_DEADLINE_MS, (args) => commentOf(args) === comment);
      };
      await post(`${tag} before`);
      await held.next('project:update', REPLY_DEADLINE_MS, (args) => commentOf(args) === `${tag} before`);

      // The connection drops (as a network failure ends it: no DISCONNECT); comments follow while it is away.
      const offset = held.lastOffset;
      heldManager.drop();
      const want = Array.from({ length: MISSED_COMMENTS }, (_, i) => `${tag} #${i + 1}`);
      for (const comment of want) await post(comment);
      const { socket: recovering } = await open(second, { pid, offset });
      recoveredOn(ctx, recovering, pid, second, 'after its connection to instance 1 dropped');
      const isData = (e: ReceivedEvent) => offsetOf(e.args) !== undefined;
      const got: ReceivedEvent[] = [];
      while (got.length < want.length) {
        got.push(
          await recovering.events.next(
            (e) => isData(e) && ours(e),
            REPLY_DEADLINE_MS,
            `the missed comments ${want.join(', ')} on ${instanceName(second)} (${got.length} of ${want.length} so far)`,
          ),
        );
      }
      const shown = got.map((e) => String(commentOf(e.args)));
      if (!isDeepStrictEqual(shown, want)) {
        ctx.fail(`expected ${instanceName(second)} to replay ${want.join(', ')}, got: ${shown.join(', ')}`, {
          expected: want.join(', '),
          actual: shown.join(', '),
        });
      }
      // Each once: no offset twice among what came, and nothing of it again for a while.
      const received = recovering.events.all;
      const offsets = received.filter(isData).map((e) => offsetOf(e.args));
      const repeated = offsets.filter((o, i) => offsets.indexOf(o) !== i);
      const arrived = received.length;
      const again = (e: ReceivedEvent) =>
        isData(e) && (ours(e) || (received.indexOf(e) >= arrived && offsets.includes(offsetOf(e.args))));
      if (repeated.length > 0 || !(await recovering.events.absent(again, QUIET_PERIOD_MS))) {
        const twice =
          repeated.length > 0
            ? repeated
            : received.filter((e) => again(e) && !got.includes(e)).map((e) => offsetOf(e.args));
        ctx.fail(`expected each missed event once, got: offset ${twice.join(', ')} again`);
      }
      ctx.observe(
        `${instanceName(second)} recovered pid ${pid} after offset ${offset ?? 'none'} with the missed comments at offsets ${got.map((e) => offsetOf(e.args)).join(', ')}, once and in order`,
      );

      // Recovered again on the first instance while the second still holds it: that socket is let go.
      const { socket: back } = await open(first, { pid, offset: recovering.lastOffset });
      recoveredOn(ctx, back, pid, first, `while a socket on ${instanceName(second)} still held it`);
      const reason = await recovering.disconnectReason(
        REPLY_DEADLINE_MS,
        `the socket on ${instanceName(second)} that held pid ${pid} to be disconnected`,
      );
      ctx.observe(
        `${instanceName(first)} recovered it back; the socket on ${instanceName(second)} was disconnected (${reason})`,
      );
    },
  },
];

type LimitPlan = { kind: 'connections'; limit: number } | { kind: 'messages'; limit: Limit };

/**
 * The advertised per-user limit that takes fewer messages and connections together to fill: the
 * connection limit (its value + 1 connections) or the message limit (its value + 1 messages, over as many
 * connections as the per-connection rate limit needs). Skips when neither is advertised within reach.
 */
function cheaperLimit(ctx: CheckContext, opener: ProbeConnection): LimitPlan {
  const established = opener.established;
  const limits = established?.connectionLimits as Record<string, unknown> | undefined;
  const perUser = positive(limits?.perUser);
  const userRate = limitOf(established?.userRateLimit);
  const connectionCost =
    perUser !== undefined && perUser <= MAX_CONNECTIONS_PER_CHECK ? perUser + 1 : Infinity;
  const messageCost = userRate
    ? userRate.maxMessages + 2 + Math.ceil(userRate.maxMessages / ctx.timers.rateLimit.maxMessages)
    : Infinity;
  if (messageCost < connectionCost) return { kind: 'messages', limit: userRate! };
  if (connectionCost < Infinity) return { kind: 'connections', limit: perUser! };
  return ctx.skip(
    `the server advertises neither connectionLimits.perUser (up to ${MAX_CONNECTIONS_PER_CHECK}) nor userRateLimit to count across instances`,
  );
}

/** The user's connections, spread over every instance so that none alone holds the limit, then one more. */
async function connectionsCountedAcross(
  ctx: CheckContext,
  user: FreshUser,
  opener: ProbeConnection,
  first: number,
  limit: number,
): Promise<void> {
  const instanceOf = (index: number) => (first + index) % ctx.instances;
  const perAddress = (opener.established?.connectionLimits as Record<string, unknown>).perAddress;
  const perInstance = Math.ceil((limit + 1) / ctx.instances);
  if (typeof perAddress === 'number' && perInstance >= perAddress) {
    ctx.skip(
      `connectionLimits.perAddress (${perAddress}) would refuse the ${perInstance} connections per instance that filling connectionLimits.perUser (${limit}) takes`,
    );
  }
  const rest = await openMany(ctx, user.endpoint, limit - 1, (i) => ({
    token: user.token,
    instance: instanceOf(i + 1),
  }));
  const held = [opener, ...rest];
  const where = Array.from({ length: ctx.instances }, (_, instance) => {
    const count = held.filter((_, i) => instanceOf(i) === instance).length;
    return `${count} on ${instanceName(instance)}`;
  }).join(', ');
  const target = instanceOf(limit);
  const over = await ctx.connect(user.endpoint, {
    token: user.token,
    instance: target,
    waitEstablished: false,
  });
  const why = `connection ${limit + 1} of one user, on ${instanceName(target)}`;
  const answer = await over.next((m) => m.type === 'connection_established' || m.type === 'error', {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `error ${ErrorCode.TOO_MANY_CONNECTIONS} and close 1013 for ${why}`,
  });
  if (answer.type === 'connection_established') {
    const open = held.filter((c) => c.isOpen).length;
    if (open < limit) {
      ctx.skip(
        `the server closed some of the check's connections while they were counted (${open} of ${limit} still open)`,
      );
    }
    ctx.fail(
      `user ${user.userId} holds ${limit} connections over ${ctx.instances} instances (${where}), limit ${limit}: ${why} was admitted — do the instances share their per-user counters?`,
      {
        expected: `error ${ErrorCode.TOO_MANY_CONNECTIONS} and close 1013`,
        actual: `connection_established on ${instanceName(target)}`,
      },
    );
  }
  await expectTryAgainLater(ctx, over, ErrorCode.TOO_MANY_CONNECTIONS, why, answer);
  ctx.observe(
    `${limit} connections of one user (${where}); ${why}: ${ErrorCode.TOO_MANY_CONNECTIONS}, close 1013`,
  );
}

/**
 * The user's window filled on one instance, then, `CLUSTER_COUNT_DELAY_MS` later, one more message on a
 * connection of another instance opened before the fill (so that its instance must have heard of the
 * others' messages, not read them when the connection opened).
 */
async function messagesCountedAcross(
  ctx: CheckContext,
  user: FreshUser,
  opener: ProbeConnection,
  first: number,
  limit: Limit,
): Promise<void> {
  const second = (first + 1) % ctx.instances;
  const late = await connectWhenAdmitted(ctx, user.endpoint, { token: user.token, instance: second });
  const perConnection = ctx.timers.rateLimit.maxMessages;
  const senders = Math.ceil(limit.maxMessages / perConnection);
  const conns = [
    opener,
    ...(await openMany(ctx, user.endpoint, senders - 1, () => ({ token: user.token, instance: first }))),
  ];
  const request = quickRequest(user.endpoint);
  const share = (k: number) =>
    Math.floor(limit.maxMessages / senders) + (k < limit.maxMessages % senders ? 1 : 0);
  const answers = (
    await Promise.all(
      conns.map((conn, k) =>
        requestsAnswered(
          conn,
          request,
          Array.from({ length: share(k) }, (_, n) => `clu-007-${k}-${n}`),
        ),
      ),
    )
  ).flat();
  const refused = answers.filter((m) => noticeCode(m) === ErrorCode.RATE_LIMITED).length;
  if (refused > 0) {
    ctx.blocked(
      'RL-003',
      `${refused} of ${limit.maxMessages} requests within each connection's limit were refused`,
    );
  }
  const delayMs = CLUSTER_COUNT_DELAY_MS * ctx.timeoutScale;
  if (!(await late.staysOpen(delayMs))) {
    const close = await late.closed({ timeoutMs: 0, expected: 'the close' });
    ctx.fail(
      `expected the connection on ${instanceName(second)} to stay open while the window filled, got: ${describeClose(close)}`,
    );
  }
  const [over] = await requestsAnswered(late, request, ['clu-007-over']);
  if (noticeCode(over) !== ErrorCode.RATE_LIMITED) {
    if (serverTimeOf(over) - Math.min(...answers.map(serverTimeOf)) >= limit.windowMs) {
      ctx.skip(`the user's window (${limit.windowMs} ms) ended before it was filled: raise --timeout-scale`);
    }
    ctx.fail(
      `user ${user.userId} sent ${limit.maxMessages + 1} messages over 2 instances in one window of ${limit.windowMs} ms (${limit.maxMessages} on ${instanceName(first)}, then 1 on ${instanceName(second)} ${delayMs} ms later), limit ${limit.maxMessages}: none refused — do the instances share their per-user counters?`,
      { expected: `error ${ErrorCode.RATE_LIMITED}`, actual: over.text },
    );
  }
  ctx.observe(
    `${limit.maxMessages} requests of one user on ${instanceName(first)}, then one on ${instanceName(second)} ${delayMs} ms later: ${ErrorCode.RATE_LIMITED}`,
  );
}
