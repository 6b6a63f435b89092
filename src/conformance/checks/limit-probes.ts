/**
 * Steps shared by the checks of the limits that span connections (RL-009, RL-010, SEC-004 … SEC-006):
 * what the server advertises, users that no other check shares (so that filling one user's limit refuses
 * nothing of theirs), and many connections opened and held at once.
 */
import { CloseCode, Defaults } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { CheckFailure } from '../check-failure.js';
import { describeClose } from '../probe.js';
import type { CheckContext, ConnectOptions, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { choose, uniqueSuffix } from './endpoint-choice.js';
import { noticeCloseCode, noticeCode } from './refusal.js';

/** The most connections a check opens to reach a limit; a larger advertised limit is not checked. */
export const MAX_CONNECTIONS_PER_CHECK = 1_000;
/** Connections opened at once while filling a limit: held briefly, they cost the server little. */
const OPEN_BATCH = 64;

/**
 * Endpoints that take a JSON `ping` from any user with a token (no scope to own), the cheapest first:
 * market data sends nothing until asked.
 */
export const PING_ENDPOINTS: readonly EndpointName[] = ['market_data', 'monitoring', 'conversations'];

export interface Limit {
  maxMessages: number;
  windowMs: number;
}

/** A positive finite number, or undefined. */
export function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `{maxMessages, windowMs}` when both are positive numbers, else undefined. */
export function limitOf(value: unknown): Limit | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { maxMessages, windowMs } = value as Record<string, unknown>;
  const max = positive(maxMessages);
  const window = positive(windowMs);
  return max !== undefined && window !== undefined ? { maxMessages: max, windowMs: window } : undefined;
}

/** `maxMessageDepth` and `maxMessageItems` as advertised, or the protocol's defaults. */
export function advertisedBounds(conn: ProbeConnection): { depth: number; items: number } {
  return {
    depth: positive(conn.established?.maxMessageDepth) ?? Defaults.maxMessageDepth,
    items: positive(conn.established?.maxMessageItems) ?? Defaults.maxMessageItems,
  };
}

/** The advertised `userRateLimit`; skips the check when the server advertises none. */
export function advertisedUserRateLimit(ctx: CheckContext, conn: ProbeConnection): Limit {
  return limitOf(conn.established?.userRateLimit) ?? ctx.skip('the server advertises no userRateLimit');
}

/** One of the advertised `connectionLimits`; skips the check when it is absent or too large to reach. */
export function advertisedConnectionLimit(
  ctx: CheckContext,
  conn: ProbeConnection,
  name: 'perUser' | 'perAddress' | 'total',
): number {
  const limits = conn.established?.connectionLimits as Record<string, unknown> | undefined;
  const limit = positive(limits?.[name]);
  if (limit === undefined) ctx.skip(`the server advertises no connectionLimits.${name}`);
  if (limit > MAX_CONNECTIONS_PER_CHECK) {
    ctx.skip(
      `connectionLimits.${name} is ${limit}: reaching it takes more than the ${MAX_CONNECTIONS_PER_CHECK} connections a check opens`,
    );
  }
  return limit;
}

export interface FreshUser {
  userId: string;
  token: string;
  /** An endpoint where the user needs no scope of its own and `{type:'ping'}` is answered. */
  endpoint: EndpointName;
}

/** A user of its own for the check (minted token); skips the check when tokens cannot be minted. */
export async function freshUser(ctx: CheckContext, checkId: string): Promise<FreshUser> {
  const userId = `${checkId.toLowerCase()}-${uniqueSuffix()}`;
  const token = await ctx.token(userId, { expiresInSeconds: 600 });
  if (token === undefined) {
    ctx.skip('needs a user no other check shares: pass --token-secret so that the runner can mint one');
  }
  return { userId, token, endpoint: await choose(ctx, PING_ENDPOINTS) };
}

/**
 * Connects, and when the upgrade gets HTTP 429 tries again for a while: connections the run closed a
 * moment ago may still count against the address's limit on the server (behind a proxy that relays the
 * close late, say). A 429 that lasts is the answer.
 */
export async function connectWhenAdmitted(
  ctx: CheckContext,
  endpoint: EndpointName,
  options: ConnectOptions,
): Promise<ProbeConnection> {
  const until = performance.now() + 2 * REPLY_DEADLINE_MS * ctx.timeoutScale;
  for (let pauseMs = 25; ; pauseMs = Math.min(2 * pauseMs, 400)) {
    try {
      return await ctx.connect(endpoint, options);
    } catch (error) {
      const refusedForNow = error instanceof CheckFailure && error.actual === 'HTTP 429';
      if (!refusedForNow || performance.now() + pauseMs > until || ctx.signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Opens `count` connections, `OPEN_BATCH` at a time, each established; `options(i)` says how. */
export async function openMany(
  ctx: CheckContext,
  endpoint: EndpointName,
  count: number,
  options: (index: number) => ConnectOptions,
): Promise<ProbeConnection[]> {
  const conns: ProbeConnection[] = [];
  for (let start = 0; start < count; start += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, count - start) }, (_, i) =>
      connectWhenAdmitted(ctx, endpoint, options(start + i)),
    );
    conns.push(...(await Promise.all(batch)));
  }
  return conns;
}

/** What answers a request: its `ack` (or `pong`), or an `error`. */
function isAnswer(message: ReceivedMessage): boolean {
  return message.type === 'ack' || message.type === 'pong' || message.type === 'error';
}

/**
 * A request answered at once on each endpoint a fresh user may use: with an `ack` where the endpoint has
 * requests, else a `ping` answered by `pong`.
 */
export function quickRequest(endpoint: EndpointName): Record<string, unknown> {
  if (endpoint === 'market_data') return { type: 'get_all' };
  if (endpoint === 'conversations') return { type: 'refresh_conversations' };
  return { type: 'ping' };
}

/**
 * Sends `request` once per id and waits for each answer; returns them in the order of `ids`. An answer
 * is matched by its `id`; an `error` without one (a server that leaves ids off errors) answers the
 * oldest request still waiting, since a connection's messages are answered in order. A second answer to
 * the same id (a server that acknowledges twice) is not taken.
 */
export async function requestsAnswered(
  conn: ProbeConnection,
  request: Record<string, unknown>,
  ids: readonly string[],
): Promise<ReceivedMessage[]> {
  const waiting = [...ids];
  for (const id of ids) conn.send({ ...request, id });
  const answers = new Map<string, ReceivedMessage>();
  while (waiting.length > 0) {
    const answer = await conn.next(
      (m) =>
        isAnswer(m) && (m.json?.id === undefined ? m.type === 'error' : waiting.includes(String(m.json.id))),
      {
        timeoutMs: REPLY_DEADLINE_MS + ids.length * 5,
        expected: `answers to ${ids.length} requests (${waiting[0]} …)`,
      },
    );
    const id = answer.json?.id === undefined ? waiting[0] : String(answer.json.id);
    waiting.splice(waiting.indexOf(id), 1);
    answers.set(id, answer);
  }
  return ids.map((id) => answers.get(id)!);
}

/** The server's time of a message (its `timestamp`), in ms since the epoch. */
export function serverTimeOf(message: ReceivedMessage): number {
  const stamp = message.json?.timestamp;
  return typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
}

/** `retryAfterMs` of an error, when it is a number of ms. */
export function retryAfterOf(message: ReceivedMessage): number | undefined {
  const error = message.json?.error as Record<string, unknown> | undefined;
  const retryAfterMs = error?.retryAfterMs;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? retryAfterMs : undefined;
}

/**
 * Expects a connection (opened with `waitEstablished: false`) to be refused after the upgrade with an
 * `error` of `code` and close 1013, never `connection_established`; returns the `error`. `received` is
 * the first of those two messages when the caller has already taken it.
 */
export async function expectTryAgainLater(
  ctx: CheckContext,
  conn: ProbeConnection,
  code: string,
  why: string,
  received?: ReceivedMessage,
): Promise<ReceivedMessage> {
  const expected = `error ${code} and close 1013 for ${why}`;
  const first =
    received ??
    (await conn.next((m) => m.type === 'connection_established' || m.type === 'error', {
      timeoutMs: REPLY_DEADLINE_MS,
      expected,
    }));
  if (first.type === 'connection_established' || noticeCode(first) !== code) {
    ctx.fail(`expected ${expected}, got: ${first.text}`, { expected, actual: first.text });
  }
  if (noticeCloseCode(first) !== undefined) {
    ctx.fail(`expected no closeCode in the error before close 1013 (not a 4xxx code), got: ${first.text}`);
  }
  const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
  if (!close.clean || close.code !== CloseCode.TRY_AGAIN_LATER) {
    ctx.fail(`expected close 1013 for ${why}, got: ${describeClose(close)}`, {
      expected: 'close 1013',
      actual: describeClose(close),
    });
  }
  return first;
}
