/**
 * Resume (RES-001 … RES-015): loss-free reconnects within the window and what `connection_established`
 * and `resumed` say about them, `resume_failed` with a fresh session whenever a resume is impossible and
 * the reason it gives, and which ends of a connection keep its session resumable.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import { endpoint, ENDPOINTS, type EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import { describeClose } from '../probe.js';
import type { AdvertisedTimers, Check, CheckContext, ConnectOptions, ProbeConnection } from '../types.js';
import { PRICE_UPDATE_DEADLINE_MS, QUIET_PERIOD_MS, REPLY_DEADLINE_MS, TIMER_SLACK_MS } from './deadlines.js';
import {
  ANY_ENDPOINT,
  CAMPAIGN_DATA,
  choose,
  onEveryFamily,
  usable,
  CONVERSATIONS_DATA,
  isDataMessage,
  MARKET_DATA,
  ON_DEMAND_DATA,
  requestData,
  seqOf,
  uniqueSuffix,
} from './endpoint-choice.js';
import { subjectOf } from './jwt-claims.js';
import { isRefusalNotice, noticeCode } from './refusal.js';
import {
  describeSession,
  expectResumeFailed,
  receivedAfter,
  resume,
  startSession,
  drop,
  type ResumeAttempt,
} from './resume-session.js';

const resumeBudget = () => 4 * REPLY_DEADLINE_MS;

/** Waits `ms` of real time: the rule is about time passing on the server (RES-009). */
function elapse(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function priceUpdateFor(symbol: string) {
  return (m: { type: string | undefined; json: Record<string, unknown> | undefined }) =>
    m.type === 'price_update' && (m.json?.data as Record<string, unknown> | undefined)?.symbol === symbol;
}

function resumedOrFail(ctx: CheckContext, attempt: ResumeAttempt, when = ''): void {
  if (attempt.outcome.type !== 'resumed') {
    ctx.fail(`expected resumed${when ? ` ${when}` : ''}, got: ${attempt.outcome.text}`, {
      expected: 'resumed',
      actual: attempt.outcome.text,
    });
  }
}

/** RES-007's precondition: the session was resumed at all, which is RES-001's rule. */
function resumedOrBlocked(ctx: CheckContext, attempt: ResumeAttempt): void {
  if (attempt.outcome.type !== 'resumed') {
    ctx.blocked('RES-001', `a resume within the window got ${attempt.outcome.text}`);
  }
}

/** RES-007 on market: a subscribed symbol keeps its `price_update` stream after the resume. */
async function keepsPriceSubscription(ctx: CheckContext): Promise<void> {
  const conn = await ctx.connect('market_data');
  conn.send({ type: 'subscribe', symbols: ['BTC'] });
  try {
    await conn.next(priceUpdateFor('BTC'), {
      timeoutMs: PRICE_UPDATE_DEADLINE_MS,
      expected: 'price_update for BTC',
    });
  } catch (error) {
    if (!(error instanceof CheckFailure) || !conn.isOpen || ctx.signal.aborted) throw error;
    ctx.blocked('ACK-003', 'no price_update for BTC after {"type":"subscribe","symbols":["BTC"]}');
  }
  const session = describeSession(ctx, conn);
  const droppedAt = drop(ctx, conn);
  const attempt = await resume(ctx, 'market_data', session.sessionId, session.lastSeq, {}, droppedAt);
  resumedOrBlocked(ctx, attempt);
  const isLive = receivedAfter(attempt.conn, attempt.outcome);
  await attempt.conn.next((m) => priceUpdateFor('BTC')(m) && isLive(m), {
    timeoutMs: PRICE_UPDATE_DEADLINE_MS,
    expected: 'price_update for BTC after resumed, without subscribing again',
  });
  ctx.observe('market_data: price_update for BTC kept coming after the resume, without subscribing again');
}

/**
 * RES-007 on chat: a conversation joined with `chat_join` (not through the handshake, which a fresh
 * session would repeat) keeps delivering messages posted to it after the resume.
 */
async function keepsConversationRoom(ctx: CheckContext): Promise<void> {
  const conversationId = Number(ctx.param('conversationId') ?? '1');
  const noRoom = { query: { conversationId: undefined } };
  const conn = await ctx.connect('chat', noRoom);
  const joinId = `res-007-join-${uniqueSuffix()}`;
  conn.send({ type: 'chat_join', conversationId, id: joinId });
  let reply;
  try {
    reply = await conn.next((m) => (m.type === 'ack' || m.type === 'error') && m.json?.id === joinId, {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `ack of chat_join ${conversationId}`,
    });
  } catch (error) {
    // A request with an id is answered (ACK-001's rule): without an answer there is no room to keep.
    if (!(error instanceof CheckFailure) || !conn.isOpen || ctx.signal.aborted) throw error;
    ctx.blocked('ACK-001', `no ack or error answering chat_join ${conversationId} with id ${joinId}`);
  }
  if (reply.type === 'error') {
    ctx.skip(
      `chat_join of the run's conversation ${conversationId} was refused (${reply.text}): pass --param conversationId=<a conversation of the run's user>`,
    );
  }
  const session = describeSession(ctx, conn);
  const droppedAt = drop(ctx, conn);
  const attempt = await resume(ctx, 'chat', session.sessionId, session.lastSeq, noRoom, droppedAt);
  resumedOrBlocked(ctx, attempt);
  // Another connection of the same user posts to the room; only a member receives it.
  const poster = await ctx.connect('chat', noRoom);
  const content = `RES-007 ${uniqueSuffix()}`;
  poster.send({ type: 'chat_message', conversationId, content });
  await attempt.conn.next(
    (m) =>
      m.type === 'chat_message' &&
      (m.json?.message as Record<string, unknown> | undefined)?.content === content,
    {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `the chat_message posted to conversation ${conversationId}, without joining it again`,
    },
  );
  ctx.observe(
    `chat: a message posted to conversation ${conversationId} after the resume arrived, without joining again`,
  );
}

export const RESUME_CHECKS: readonly Check[] = [
  {
    id: 'RES-001',
    level: 'MUST',
    area: 'resume',
    title: 'replays every data message after lastSeq in order, then sends resumed',
    requirement:
      'A resume within the window with `lastSeq=n` replays every data message after n, in order, without gaps, then sends `resumed` with the number replayed.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 3);
      const droppedAt = drop(ctx, session.conn);
      // Resume from the first message: the ones after it are known to exist and must come back.
      const lastSeq = seqOf(session.data[0]) ?? 0;
      const missed = session.data.filter((m) => (seqOf(m) ?? 0) > lastSeq);
      const attempt = await resume(ctx, source.endpoint, session.sessionId, lastSeq, {}, droppedAt);
      if (attempt.outcome.type !== 'resumed') {
        ctx.fail(`expected a replay and resumed within the window, got: ${attempt.outcome.text}`, {
          expected: 'resumed',
          actual: attempt.outcome.text,
        });
      }
      if (attempt.established.sessionId !== session.sessionId) {
        ctx.fail(
          `expected the resumed session ${session.sessionId}, got: ${JSON.stringify(attempt.established.sessionId)}`,
        );
      }
      const want = missed.map((m) => `${seqOf(m)} ${m.type}`);
      const got = attempt.replayed.map((m) => `${seqOf(m)} ${m.type}`);
      ctx.note(`missed: ${want.join(', ')}; replayed: ${got.join(', ')}`);
      const increasing = attempt.replayed.every(
        (m, i, all) => i === 0 || (seqOf(m) ?? 0) > (seqOf(all[i - 1]) ?? 0),
      );
      if (want.some((w, i) => got[i] !== w) || !increasing) {
        ctx.fail(
          `expected the replay to start with ${want.join(', ')} in order, got: ${got.join(', ') || 'nothing'}`,
          {
            expected: want.join(', '),
            actual: got.join(', '),
          },
        );
      }
      if (attempt.outcome.json?.replayed !== attempt.replayed.length) {
        ctx.fail(
          `expected resumed.replayed ${attempt.replayed.length}, got: ${JSON.stringify(attempt.outcome.json?.replayed)}`,
          { expected: String(attempt.replayed.length), actual: attempt.outcome.text },
        );
      }
      ctx.observe(
        `${source.endpoint}: resumed from lastSeq ${lastSeq}; replayed ${got.join(', ')} in order, then resumed {replayed: ${attempt.replayed.length}}`,
      );
    },
  },
  {
    id: 'RES-002',
    level: 'MUST',
    area: 'resume',
    title: 'answers a resume of an unknown session with resume_failed and a fresh session',
    requirement:
      'A resume of an unknown session gets `resume_failed` and a fresh session (new `sessionId`), never a partial replay.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const unknown = `unknown-session-${uniqueSuffix()}`;
      const attempt = await resume(ctx, source.endpoint, unknown, 1);
      expectResumeFailed(ctx, attempt, 'an unknown session');
      if (attempt.established.sessionId === unknown) {
        ctx.fail(`expected a new sessionId, got: the requested ${unknown}`, {
          expected: 'a new sessionId',
          actual: unknown,
        });
      }
      if (attempt.outcome.json?.sessionId !== attempt.established.sessionId) {
        ctx.fail(
          `expected resume_failed to name the new session ${JSON.stringify(attempt.established.sessionId)}, got: ${JSON.stringify(attempt.outcome.json?.sessionId)}`,
          {
            expected: `sessionId ${JSON.stringify(attempt.established.sessionId)}`,
            actual: attempt.outcome.text,
          },
        );
      }
      if (attempt.replayed.length > 0) {
        ctx.fail(
          `expected no replay before resume_failed, got: ${attempt.replayed.map((m) => m.type).join(', ')}`,
        );
      }
      const fresh = `${source.endpoint}: resume_failed and the new session ${String(attempt.established.sessionId).slice(0, 12)}…, named in resume_failed, nothing replayed`;
      // A fresh session numbers its data from 1. (On the campaign endpoint the data that follows
      // resume_failed is the snapshot of RES-008.)
      if (source === CAMPAIGN_DATA) return ctx.observe(fresh);
      await requestData(attempt.conn, source, 1);
      const first = attempt.conn.received.find((m) => isDataMessage(source.endpoint, m));
      if (first && seqOf(first) !== 1) {
        ctx.fail(`expected the fresh session's first data message to have seq 1, got: ${seqOf(first)}`);
      }
      ctx.observe(`${fresh}; its data starts at seq 1`);
    },
  },
  {
    id: 'RES-003',
    level: 'MUST',
    area: 'resume',
    title: 'answers a resume with lastSeq ahead of the session with resume_failed',
    requirement: 'A resume whose `lastSeq` is ahead of the session gets `resume_failed`.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 2);
      const droppedAt = drop(ctx, session.conn);
      const attempt = await resume(
        ctx,
        source.endpoint,
        session.sessionId,
        session.lastSeq + 100,
        {},
        droppedAt,
      );
      expectResumeFailed(
        ctx,
        attempt,
        `lastSeq ${session.lastSeq + 100} when the session is at ${session.lastSeq}`,
      );
      ctx.observe(
        `${source.endpoint}: lastSeq ${session.lastSeq + 100} with the session at ${session.lastSeq}: resume_failed`,
      );
    },
  },
  {
    id: 'RES-004',
    level: 'MUST',
    area: 'resume',
    title: "answers a resume of another user's session with resume_failed",
    requirement: "A resume by a different user than the session's gets `resume_failed`.",
    families: ['market', 'chat'],
    budgetMs: resumeBudget,
    async run(ctx) {
      const otherUser = ctx.param('otherUser') ?? ctx.skip('no otherUser parameter');
      const noToken = () => ctx.skip(`no token for user ${otherUser} (pass --token-secret)`);
      const mine = (await ctx.token(ctx.param('userId') ?? '1')) ?? noToken();
      const theirs = (await ctx.token(otherUser)) ?? noToken();
      const mineSubject = subjectOf(mine);
      if (mine === theirs || (mineSubject !== undefined && mineSubject === subjectOf(theirs))) {
        ctx.skip(`the token for user ${otherUser} is the run's own user's (a fixed --token)`);
      }
      // Endpoints without a per-user scope, so the other user could open a session there.
      const source = await choose(ctx, [MARKET_DATA, CONVERSATIONS_DATA]);
      const session = await startSession(ctx, source, 1, { token: mine });
      const droppedAt = drop(ctx, session.conn);
      const attempt = await resume(
        ctx,
        source.endpoint,
        session.sessionId,
        session.lastSeq,
        { token: theirs },
        droppedAt,
      );
      expectResumeFailed(ctx, attempt, `a session of another user`);
      ctx.observe(
        `${source.endpoint}: user ${otherUser} resuming a session of user ${ctx.param('userId') ?? '1'}: resume_failed`,
      );
    },
  },
  {
    id: 'RES-005',
    level: 'MUST',
    area: 'resume',
    title: 'closes the older connection with 4409 when a live session is resumed',
    requirement:
      'A second connection resuming a live session closes the first with `error` (SESSION_TAKEN_OVER) and close 4409.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const first = await startSession(ctx, source, 1);
      await resume(ctx, source.endpoint, first.sessionId, first.lastSeq);
      const expected = `close ${CloseCode.SESSION_TAKEN_OVER} of the first connection`;
      const close = await first.conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
      if (!close.clean || close.code !== CloseCode.SESSION_TAKEN_OVER) {
        ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      const notice = [...first.conn.received].reverse().find(isRefusalNotice);
      if (notice === undefined || noticeCode(notice) !== ErrorCode.SESSION_TAKEN_OVER) {
        ctx.fail(
          `expected error ${ErrorCode.SESSION_TAKEN_OVER} before the close, got: ${notice?.text ?? 'none'}`,
          {
            expected: `error ${ErrorCode.SESSION_TAKEN_OVER}`,
            actual: notice?.text ?? 'none',
          },
        );
      }
      ctx.observe(
        `${source.endpoint}: the first connection got error ${ErrorCode.SESSION_TAKEN_OVER} and close 4409`,
      );
    },
  },
  {
    id: 'RES-006',
    level: 'MUST',
    area: 'resume',
    title: 'ends the session on a client close 1000',
    requirement: 'A client close with 1000 ends the session: a later resume of it gets `resume_failed`.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 1);
      session.conn.close(CloseCode.NORMAL, 'done');
      await session.conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close to complete' });
      const closedAt = ctx.now();
      // A resume that follows at once may overtake the server's own end of the close handshake.
      await elapse(QUIET_PERIOD_MS * ctx.timeoutScale, ctx.signal);
      const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq, {}, closedAt);
      expectResumeFailed(ctx, attempt, 'a session the client closed with 1000');
      ctx.observe(`${source.endpoint}: a session closed with 1000, then resumed: resume_failed`);
    },
  },
  {
    id: 'RES-007',
    level: 'MUST',
    area: 'resume',
    title: 'keeps subscriptions across a resume',
    requirement:
      'A resumed session keeps its subscriptions: data for them keeps flowing without re-subscribing.',
    families: ['market', 'chat'],
    budgetMs: () => 3 * REPLY_DEADLINE_MS + 2 * PRICE_UPDATE_DEADLINE_MS,
    async run(ctx) {
      await onEveryFamily(ctx, ['market_data', 'chat'] as const, async (name) => {
        if (name === 'market_data') await keepsPriceSubscription(ctx);
        else await keepsConversationRoom(ctx);
      });
    },
  },
  {
    id: 'RES-008',
    level: 'MUST',
    area: 'resume',
    title: 'follows resume_failed with a full campaign_update on the campaign endpoint',
    requirement:
      'On the campaign endpoint, `resume_failed` is followed by a full `campaign_update` snapshot.',
    families: ['campaign'],
    budgetMs: resumeBudget,
    async run(ctx) {
      const attempt = await resume(ctx, 'campaigns', `unknown-session-${uniqueSuffix()}`, 1);
      expectResumeFailed(ctx, attempt, 'an unknown session');
      const isAfter = receivedAfter(attempt.conn, attempt.outcome);
      const next = await attempt.conn.next((m) => isDataMessage('campaigns', m) && isAfter(m), {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: 'campaign_update after resume_failed',
      });
      const data = next.json?.data as Record<string, unknown> | undefined;
      const full =
        data !== undefined && ['id', 'title', 'status', 'progress'].every((field) => field in data);
      if (next.type !== CAMPAIGN_DATA.replyType || !full) {
        ctx.fail(`expected a full campaign_update snapshot after resume_failed, got: ${next.text}`, {
          expected: 'campaign_update {id, title, status, progress, …}',
          actual: next.text,
        });
      }
      ctx.observe('campaigns: resume_failed, then a full campaign_update snapshot');
    },
  },
  {
    id: 'RES-009',
    level: 'MUST',
    area: 'resume',
    title: 'answers a resume after the window with resume_failed',
    requirement: 'A resume after `resumeWindowMs` has passed gets `resume_failed`.',
    families: [],
    budgetMs: (t: AdvertisedTimers) => resumeBudget() + t.resumeWindowMs + TIMER_SLACK_MS,
    async run(ctx: CheckContext) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 1);
      session.conn.terminate();
      await elapse(ctx.timers.resumeWindowMs + TIMER_SLACK_MS, ctx.signal);
      const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq);
      expectResumeFailed(ctx, attempt, `a session dropped more than ${ctx.timers.resumeWindowMs} ms ago`);
      ctx.observe(
        `${source.endpoint}: resumed ${ctx.timers.resumeWindowMs + TIMER_SLACK_MS} ms after the drop (resumeWindowMs ${ctx.timers.resumeWindowMs}): resume_failed`,
      );
    },
  },
  {
    id: 'RES-010',
    level: 'MUST',
    area: 'resume',
    title: 'says resumed: true in connection_established exactly when it resumed',
    requirement:
      '`connection_established` carries `resumed: true` on a connection that resumed its session, and never on one that did not.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 1);
      if (session.conn.established?.resumed === true) {
        ctx.fail(
          `expected no resumed: true on a new connection, got: ${JSON.stringify(session.conn.established)}`,
        );
      }
      const droppedAt = drop(ctx, session.conn);
      const [resumed, failed] = await Promise.all([
        resume(ctx, source.endpoint, session.sessionId, session.lastSeq, {}, droppedAt),
        resume(ctx, source.endpoint, `unknown-session-${uniqueSuffix()}`, 0),
      ]);
      if (resumed.outcome.type !== 'resumed')
        ctx.blocked('RES-001', `the resume within the window got ${resumed.outcome.text}`);
      if (resumed.established.resumed !== true) {
        ctx.fail(
          `expected resumed: true in connection_established of a resumed session, got: ${JSON.stringify(resumed.established.resumed)}`,
          {
            expected: 'resumed: true',
            actual: JSON.stringify(resumed.established),
          },
        );
      }
      if (failed.established.resumed === true) {
        ctx.fail(
          'expected no resumed: true in connection_established of a failed resume, got: resumed: true',
          {
            expected: 'no resumed: true',
            actual: JSON.stringify(failed.established),
          },
        );
      }
      ctx.observe(
        `${source.endpoint}: resumed: true after a resume; absent on a new connection and after resume_failed`,
      );
    },
  },
  {
    id: 'RES-011',
    level: 'MUST',
    area: 'resume',
    title: 'names the session and its last seq in resumed',
    requirement:
      "`resumed` carries the session's `sessionId` and, in `lastSeq`, the `seq` of the session's last data message (the client's `lastSeq` when nothing was replayed).",
    families: [],
    budgetMs: () => 6 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 2);
      const droppedAt = drop(ctx, session.conn);
      // Once with messages to replay, then with none.
      const replaying = await resume(
        ctx,
        source.endpoint,
        session.sessionId,
        seqOf(session.data[0]) ?? 0,
        {},
        droppedAt,
      );
      if (replaying.outcome.type !== 'resumed')
        ctx.blocked('RES-001', `the resume within the window got ${replaying.outcome.text}`);
      const last = replaying.replayed.at(-1);
      const lastReplayed = last === undefined ? session.lastSeq : (seqOf(last) ?? session.lastSeq);
      const expectations: [ResumeAttempt, number, string][] = [[replaying, lastReplayed, 'after a replay']];
      const droppedAgainAt = drop(ctx, replaying.conn);
      const quiet = await resume(ctx, source.endpoint, session.sessionId, lastReplayed, {}, droppedAgainAt);
      if (quiet.outcome.type === 'resumed' && quiet.replayed.length === 0) {
        expectations.push([quiet, lastReplayed, 'with nothing to replay']);
      }
      for (const [attempt, lastSeq, when] of expectations) {
        const { sessionId, lastSeq: got } = attempt.outcome.json ?? {};
        if (sessionId !== session.sessionId || got !== lastSeq) {
          ctx.fail(
            `expected resumed {sessionId: ${session.sessionId}, lastSeq: ${lastSeq}} ${when}, got: ${attempt.outcome.text}`,
            {
              expected: `sessionId ${session.sessionId}, lastSeq ${lastSeq}`,
              actual: attempt.outcome.text,
            },
          );
        }
        ctx.observe(`${source.endpoint}: resumed ${when} names the session and lastSeq ${lastSeq}`);
      }
    },
  },
  {
    id: 'RES-012',
    level: 'SHOULD',
    area: 'resume',
    title: 'gives the reason of a failed resume from the table',
    requirement: '`resume_failed.reason` names the cause as the table of section 11 does.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const other = ANY_ENDPOINT.find(
        (name) => name !== source.endpoint && ctx.families.includes(endpoint(name).family),
      );
      const session = await startSession(ctx, source, 1);
      const droppedAt = drop(ctx, session.conn);
      const cases: [string, string, () => Promise<ResumeAttempt>][] = [
        [
          'an unknown session',
          'unknown_session',
          () => resume(ctx, source.endpoint, `unknown-session-${uniqueSuffix()}`, 0),
        ],
        [
          'a lastSeq ahead of the session',
          'seq_ahead',
          () => resume(ctx, source.endpoint, session.sessionId, session.lastSeq + 100, {}, droppedAt),
        ],
      ];
      if (other !== undefined && (await usable(ctx, other))) {
        cases.push([
          'a session of another endpoint',
          'invalid_request',
          () => resume(ctx, other, session.sessionId, session.lastSeq, {}, droppedAt),
        ]);
      }
      const attempts = await Promise.all(cases.map(([, , attempt]) => attempt()));
      let judged = 0;
      for (const [i, [label, reason]] of cases.entries()) {
        const attempt = attempts[i];
        // Whether the resume fails at all is another rule's (RES-002, RES-003, RES-013): only a failure
        // has a reason to judge.
        if (attempt.outcome.type !== 'resume_failed') {
          ctx.note(`${label}: ${attempt.outcome.type}, no reason to judge`);
          continue;
        }
        judged += 1;
        if (attempt.outcome.json?.reason !== reason) {
          ctx.fail(
            `expected reason ${reason} for ${label}, got: ${JSON.stringify(attempt.outcome.json?.reason)}`,
            {
              expected: reason,
              actual: attempt.outcome.text,
            },
          );
        }
        ctx.observe(`${label}: reason ${reason}`);
      }
      if (judged === 0) ctx.blocked('RES-002', 'no resume failed, so no reason to judge');
    },
  },
  {
    id: 'RES-013',
    level: 'MUST',
    area: 'resume',
    title: 'refuses to resume a session on another endpoint or scope',
    requirement:
      'A resume of a session that belongs to another endpoint, or to other scope parameters, gets `resume_failed`.',
    families: [],
    budgetMs: resumeBudget,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const session = await startSession(ctx, source, 1);
      const droppedAt = drop(ctx, session.conn);
      const sameFamily = ENDPOINTS.find(
        (spec) =>
          spec.family === endpoint(source.endpoint).family &&
          spec.name !== source.endpoint &&
          spec.name !== 'chat' &&
          spec.params.length === 0,
      );
      const cases: [string, EndpointName, ConnectOptions][] = [];
      for (const name of [sameFamily?.name, ...ANY_ENDPOINT]) {
        if (name === undefined || name === source.endpoint || !(await usable(ctx, name))) continue;
        if (!cases.some(([, n]) => n === name)) cases.push([`${name}`, name, {}]);
        if (cases.length === 2) break;
      }
      const otherCampaign = ctx.param('otherCampaignId');
      if (source.endpoint === 'campaigns' && otherCampaign !== undefined) {
        cases.push([`campaignId ${otherCampaign}`, 'campaigns', { query: { campaignId: otherCampaign } }]);
      }
      if (cases.length === 0) ctx.skip('needs a second endpoint to resume the session on');
      for (const [label, name, options] of cases) {
        const attempt = await resume(ctx, name, session.sessionId, session.lastSeq, options, droppedAt);
        expectResumeFailed(ctx, attempt, `a ${source.endpoint} session resumed on ${label}`);
        ctx.observe(`a ${source.endpoint} session resumed on ${label}: resume_failed`);
      }
    },
  },
  {
    id: 'RES-014',
    level: 'MUST',
    area: 'resume',
    title: 'keeps a session resumable after every end but the client’s 1000',
    requirement:
      'A session stays resumable when its connection ends in any way other than a close 1000 from the client, a close the server started included.',
    families: [],
    budgetMs: () => 6 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const source = await choose(ctx, ON_DEMAND_DATA);
      const ends: [string, (conn: ProbeConnection) => Promise<void>][] = [
        [
          'a client close with 4000',
          async (conn) => {
            conn.close(4000, 'going');
            await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'the close to complete' });
          },
        ],
        [
          'a close 1003 the server started (after a binary frame)',
          async (conn) => {
            conn.sendBytes(Buffer.from('{}'), { binary: true });
            const close = await conn
              .closed({ timeoutMs: REPLY_DEADLINE_MS, expected: 'close 1003' })
              .catch(() => ctx.blocked('CL-003', 'no close after a binary frame'));
            if (close.code !== CloseCode.UNSUPPORTED_DATA)
              ctx.blocked('CL-003', `a binary frame got ${describeClose(close)}`);
          },
        ],
      ];
      await Promise.all(
        ends.map(async ([label, end]) => {
          const session = await startSession(ctx, source, 1);
          await end(session.conn);
          const endedAt = ctx.now();
          const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq, {}, endedAt);
          resumedOrFail(ctx, attempt, `after ${label}`);
          ctx.observe(`${source.endpoint}: resumed after ${label}`);
        }),
      );
    },
  },
  {
    id: 'RES-015',
    level: 'MUST',
    area: 'resume',
    title: 'resumes a chat session whatever conversationId the resume names',
    requirement:
      "On `/ws/chat/` a resume with another `conversationId` than the session's first connection still resumes the session.",
    families: ['chat'],
    budgetMs: resumeBudget,
    async run(ctx) {
      if (!(await usable(ctx, 'chat'))) ctx.skip('needs a token for /ws/chat/');
      const conversationId = ctx.param('conversationId') ?? '1';
      const conn = await ctx.connect('chat', { query: { conversationId } });
      const session = describeSession(ctx, conn);
      const droppedAt = drop(ctx, conn);
      const attempt = await resume(
        ctx,
        'chat',
        session.sessionId,
        session.lastSeq,
        { query: { conversationId: undefined } },
        droppedAt,
      );
      resumedOrFail(ctx, attempt, 'with no conversationId');
      ctx.observe(`chat: a session opened with conversationId=${conversationId} resumed without it`);
    },
  },
  {
    id: 'RES-016',
    level: 'MUST',
    area: 'resume',
    title: 'refuses a resume without a token of a session opened with one',
    requirement:
      'A session opened with a token is resumed only by a connection whose token names the same user: a resume without a token gets `resume_failed`, or `authentication_error` where a token is required.',
    families: ['campaign'],
    budgetMs: resumeBudget,
    async run(ctx) {
      if ((await ctx.token(ctx.param('userId') ?? '1')) === undefined) {
        ctx.skip('no token available (pass --token or --token-secret)');
      }
      // Without a token the campaign endpoint takes the user from its userId parameter: the same user
      // id as the session's, without the token that opened it.
      const session = await startSession(ctx, CAMPAIGN_DATA, 1);
      session.conn.terminate();
      const conn = await ctx.connect('campaigns', {
        token: null,
        waitEstablished: false,
        query: { resume: session.sessionId, lastSeq: String(session.lastSeq) },
      });
      const outcome = await conn.next(
        (m) => m.type === 'resumed' || m.type === 'resume_failed' || m.type === 'authentication_error',
        {
          timeoutMs: REPLY_DEADLINE_MS,
          expected: 'resume_failed (or authentication_error) for a resume without a token',
        },
      );
      if (outcome.type === 'resumed') {
        ctx.fail(
          `expected resume_failed for a resume without a token of a session opened with one, got: ${outcome.text}`,
          {
            expected: 'resume_failed',
            actual: outcome.text,
          },
        );
      }
      ctx.observe(`a resume without a token of a session opened with one: ${outcome.type}`);
    },
  },
];
