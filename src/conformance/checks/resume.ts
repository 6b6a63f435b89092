/**
 * Resume (RES-001 … RES-009): loss-free reconnects within the window, and `resume_failed` with a fresh
 * session whenever a resume is impossible.
 */
import { CloseCode, ErrorCode } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import type { AdvertisedTimers, Check, CheckContext } from '../types.js';
import { PRICE_UPDATE_DEADLINE_MS, REPLY_DEADLINE_MS, TIMER_SLACK_MS } from './deadlines.js';
import {
  CAMPAIGN_DATA,
  choose,
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

function resumedOrFail(ctx: CheckContext, attempt: ResumeAttempt): void {
  if (attempt.outcome.type !== 'resumed') {
    ctx.fail(`expected resumed, got: ${attempt.outcome.text}`, {
      expected: 'resumed',
      actual: attempt.outcome.text,
    });
  }
}

/** RES-007 on market: a subscribed symbol keeps its `price_update` stream after the resume. */
async function keepsPriceSubscription(ctx: CheckContext): Promise<void> {
  const conn = await ctx.connect('market_data');
  conn.send({ type: 'subscribe', symbols: ['BTC'] });
  await conn.next(priceUpdateFor('BTC'), {
    timeoutMs: PRICE_UPDATE_DEADLINE_MS,
    expected: 'price_update for BTC',
  });
  const session = describeSession(ctx, conn);
  conn.terminate();
  const attempt = await resume(ctx, 'market_data', session.sessionId, session.lastSeq);
  resumedOrFail(ctx, attempt);
  const isLive = receivedAfter(attempt.conn, attempt.outcome);
  await attempt.conn.next((m) => priceUpdateFor('BTC')(m) && isLive(m), {
    timeoutMs: PRICE_UPDATE_DEADLINE_MS,
    expected: 'price_update for BTC after resumed, without subscribing again',
  });
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
  await conn.next((m) => m.type === 'ack' && m.json?.id === joinId, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `ack of chat_join ${conversationId}`,
  });
  const session = describeSession(ctx, conn);
  conn.terminate();
  const attempt = await resume(ctx, 'chat', session.sessionId, session.lastSeq, noRoom);
  resumedOrFail(ctx, attempt);
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
      session.conn.terminate();
      // Resume from the first message: the ones after it are known to exist and must come back.
      const lastSeq = seqOf(session.data[0]) ?? 0;
      const missed = session.data.filter((m) => (seqOf(m) ?? 0) > lastSeq);
      const attempt = await resume(ctx, source.endpoint, session.sessionId, lastSeq);
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
      if (attempt.replayed.length > 0) {
        ctx.fail(
          `expected no replay before resume_failed, got: ${attempt.replayed.map((m) => m.type).join(', ')}`,
        );
      }
      // A fresh session numbers its data from 1. (On the campaign endpoint the data that follows
      // resume_failed is the snapshot of RES-008.)
      if (source === CAMPAIGN_DATA) return;
      await requestData(attempt.conn, source, 1);
      const first = attempt.conn.received.find((m) => isDataMessage(source.endpoint, m));
      if (first && seqOf(first) !== 1) {
        ctx.fail(`expected the fresh session's first data message to have seq 1, got: ${seqOf(first)}`);
      }
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
      session.conn.terminate();
      const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq + 100);
      expectResumeFailed(
        ctx,
        attempt,
        `lastSeq ${session.lastSeq + 100} when the session is at ${session.lastSeq}`,
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
      session.conn.terminate();
      const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq, {
        token: theirs,
      });
      expectResumeFailed(ctx, attempt, `a session of another user`);
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
      // The notice itself is CL-001's rule; when there is one it must say why.
      const notice = [...first.conn.received].reverse().find(isRefusalNotice);
      if (notice && noticeCode(notice) !== ErrorCode.SESSION_TAKEN_OVER) {
        ctx.fail(`expected error ${ErrorCode.SESSION_TAKEN_OVER} before the close, got: ${notice.text}`);
      }
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
      const attempt = await resume(ctx, source.endpoint, session.sessionId, session.lastSeq);
      expectResumeFailed(ctx, attempt, 'a session the client closed with 1000');
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
      const name = await choose(ctx, ['market_data', 'chat'] as const);
      if (name === 'market_data') await keepsPriceSubscription(ctx);
      else await keepsConversationRoom(ctx);
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
