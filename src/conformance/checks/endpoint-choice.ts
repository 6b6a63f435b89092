/**
 * Which endpoint a check uses. Checks prefer endpoints that need the least from the server under test:
 * market endpoints need no scope, chat endpoints need a token, the campaign endpoint needs a campaign of
 * the user. A check runs on the first candidate whose family the server offers.
 */
import { endpoint, type EndpointName } from '../../protocol/endpoints.js';
import { CheckBlocked, CheckFailure, CheckSkipped } from '../check-failure.js';
import { endpointsOfProfiles } from '../../protocol/profiles.js';
import type { CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';

/** The rule of the data requests (`get_all`, `get_campaign`, `refresh_*`): checks that need them name it. */
export const DATA_REQUESTS_RULE = 'ACK-003';

/** An endpoint with a request that makes it send one data message at once (no waiting for a source). */
export interface OnDemandData {
  endpoint: EndpointName;
  request: Record<string, unknown>;
  /** The data message type that answers `request`. */
  replyType: string;
  /** Messages of `replyType` a fresh session receives before any request (its initial snapshot). */
  initialReplies: number;
}

export const MARKET_DATA: OnDemandData = {
  endpoint: 'market_data',
  request: { type: 'get_all' },
  replyType: 'prices_snapshot',
  initialReplies: 0,
};
export const CONVERSATIONS_DATA: OnDemandData = {
  endpoint: 'conversations',
  request: { type: 'refresh_conversations' },
  replyType: 'conversations_list',
  initialReplies: 1,
};
export const CAMPAIGN_DATA: OnDemandData = {
  endpoint: 'campaigns',
  request: { type: 'get_campaign' },
  replyType: 'campaign_update',
  initialReplies: 1,
};

/** In order of preference. */
export const ON_DEMAND_DATA: readonly OnDemandData[] = [MARKET_DATA, CONVERSATIONS_DATA, CAMPAIGN_DATA];

/**
 * One endpoint per family, in order of preference, for checks that need "any endpoint" (`/ws/chat/` for
 * a server that offers the chat family's `depth` profile alone).
 */
export const ANY_ENDPOINT: readonly EndpointName[] = ['monitoring', 'campaigns', 'conversations', 'chat'];

/**
 * Whether the check can use an endpoint: it belongs to a profile the server offers, and chat has a
 * token to present.
 */
export async function usable(ctx: CheckContext, name: EndpointName): Promise<boolean> {
  const family = endpoint(name).family;
  if (!endpointsOfProfiles(ctx.profiles).includes(name)) return false;
  // Chat endpoints refuse anonymous connections whatever the auth mode.
  return family !== 'chat' || (await ctx.token()) !== undefined;
}

/** The first usable candidate; skips the check when there is none. */
export async function choose<T extends EndpointName | { endpoint: EndpointName }>(
  ctx: CheckContext,
  candidates: readonly T[],
): Promise<T> {
  for (const candidate of candidates) {
    if (await usable(ctx, nameOf(candidate))) return candidate;
  }
  return ctx.skip(noUsableEndpoint(candidates));
}

function noUsableEndpoint(candidates: readonly (EndpointName | { endpoint: EndpointName })[]): string {
  const paths = candidates.map((c) => endpoint(nameOf(c)).path).join(', ');
  return `needs one of ${paths} (chat endpoints also need a token)`;
}

/** Every usable candidate (at most one per family); skips the check when there is none. */
export async function chooseOnePerFamily<T extends EndpointName | { endpoint: EndpointName }>(
  ctx: CheckContext,
  candidates: readonly T[],
): Promise<T[]> {
  const chosen = new Map<string, T>();
  for (const candidate of candidates) {
    const family = endpoint(nameOf(candidate)).family;
    if (!chosen.has(family) && (await usable(ctx, nameOf(candidate)))) chosen.set(family, candidate);
  }
  if (chosen.size === 0) ctx.skip(noUsableEndpoint(candidates));
  return [...chosen.values()];
}

function nameOf(candidate: EndpointName | { endpoint: EndpointName }): EndpointName {
  return typeof candidate === 'string' ? candidate : candidate.endpoint;
}

/** Data messages are the endpoint's `serverData` types: they carry `seq` and are replayed on resume. */
export function isDataMessage(name: EndpointName, message: ReceivedMessage): boolean {
  return message.type !== undefined && endpoint(name).serverData.includes(message.type);
}

export function seqOf(message: ReceivedMessage): number | undefined {
  const seq = message.json?.seq;
  return typeof seq === 'number' ? seq : undefined;
}

/** Data messages received so far, in order. */
export function dataMessages(conn: ProbeConnection): ReceivedMessage[] {
  return conn.received.filter((m) => isDataMessage(conn.endpoint, m));
}

/**
 * Sends `count` on-demand requests and waits for their replies (and the initial snapshot, if any). A reply
 * that does not come while the connection stays open is ACK-003's failure: the check needing the data is
 * blocked by it (ACK-003's own check asks for `judged: true` and fails instead).
 */
export async function requestData(
  conn: ProbeConnection,
  source: OnDemandData,
  count: number,
  options: { judged?: boolean } = {},
): Promise<void> {
  for (let i = 0; i < count; i++) conn.send(source.request);
  for (let i = 0; i < count + source.initialReplies; i++) {
    const what = i < source.initialReplies ? 'initial state' : `answering ${JSON.stringify(source.request)}`;
    try {
      await conn.next((m) => m.type === source.replyType, {
        timeoutMs: REPLY_DEADLINE_MS,
        expected: `${source.replyType} #${i + 1} (${what})`,
      });
    } catch (error) {
      if (options.judged || !(error instanceof CheckFailure) || !conn.isOpen) throw error;
      const owner = i < source.initialReplies ? 'HS-010' : DATA_REQUESTS_RULE;
      throw new CheckBlocked(owner, `needs ${source.replyType} on ${source.endpoint}: ${error.message}`);
    }
  }
}

/**
 * Connects to an endpoint of an offered family. HTTP 404 on it is HS-001's finding (every endpoint of an
 * offered family is served), so a check that goes through every endpoint is blocked by it, not failed.
 */
export async function connectTo(
  ctx: CheckContext,
  name: EndpointName,
  options?: Parameters<CheckContext['connect']>[1],
): Promise<ProbeConnection> {
  try {
    return await ctx.connect(name, options);
  } catch (error) {
    if (error instanceof CheckFailure && error.actual === 'HTTP 404') {
      ctx.blocked('HS-001', `${endpoint(name).path} answered HTTP 404 although its family is offered`);
    }
    throw error;
  }
}

/**
 * Connects without requiring `connection_established` (these rules hold on servers that send none) and
 * waits at most REPLY_DEADLINE_MS for the server's first message, whatever it is, before the check sends
 * anything: frames sent before `connection_established` are held until it is sent, which is HS-015's
 * rule, not the check's.
 */
export async function connectSettled(ctx: CheckContext, name: EndpointName): Promise<ProbeConnection> {
  const conn = await ctx.connect(name, { waitEstablished: false });
  await conn
    .next(() => true, { timeoutMs: REPLY_DEADLINE_MS, expected: `a first message on ${name}` })
    .catch((error: unknown) => {
      if (!(error instanceof CheckFailure) || ctx.signal.aborted) throw error;
    });
  return conn;
}

/** A short random suffix, so ids and contents of one check never collide with another's. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/**
 * Connects to an on-demand endpoint, consumes its initial snapshot and proves that it answers its data
 * request (blocked by ACK-003 when it does not), so that a later missing answer is the check's own finding.
 */
export async function openServingOn(
  ctx: CheckContext,
  source: OnDemandData,
): Promise<{ conn: ProbeConnection; source: OnDemandData }> {
  const conn = await ctx.connect(source.endpoint);
  await requestData(conn, source, 1);
  return { conn, source };
}

/** `openServingOn` for the first usable on-demand endpoint. */
export async function openServing(
  ctx: CheckContext,
): Promise<{ conn: ProbeConnection; source: OnDemandData }> {
  return openServingOn(ctx, await choose(ctx, ON_DEMAND_DATA));
}

/**
 * Runs `each` on every item at once. A failure on any fails the check; the check is skipped or blocked
 * only when every item was (with the first such reason), so a skip on one item never hides a failure on
 * another.
 */
export async function onEach<T>(
  ctx: CheckContext,
  items: readonly T[],
  each: (item: T) => Promise<void>,
): Promise<void> {
  const settled = await Promise.allSettled(items.map(each));
  const rejected = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const unjudged = (reason: unknown) => reason instanceof CheckSkipped || reason instanceof CheckBlocked;
  const failure = rejected.find((reason) => !unjudged(reason));
  if (failure !== undefined) throw failure;
  if (rejected.length > 0 && rejected.length === items.length) throw rejected[0];
  for (const reason of rejected) ctx.note(`not judged: ${(reason as Error).message}`);
}

/** `onEach` on one endpoint of every usable family (skips the check when there is none). */
export async function onEveryFamily<T extends EndpointName | { endpoint: EndpointName }>(
  ctx: CheckContext,
  candidates: readonly T[],
  each: (candidate: T) => Promise<void>,
): Promise<void> {
  await onEach(ctx, await chooseOnePerFamily(ctx, candidates), each);
}

/** The connection is open and still answers requests. */
export async function expectStillServing(conn: ProbeConnection, source: OnDemandData, after: string) {
  conn.send(source.request);
  await conn.next((m) => m.type === source.replyType, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `the connection to stay open and answer ${JSON.stringify(source.request)} after ${after}`,
  });
}
