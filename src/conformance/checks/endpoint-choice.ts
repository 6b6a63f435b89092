/**
 * Which endpoint a check uses. Checks prefer endpoints that need the least from the server under test:
 * market endpoints need no scope, chat endpoints need a token, the campaign endpoint needs a campaign of
 * the user. A check runs on the first candidate whose family the server offers.
 */
import { endpoint, type EndpointName } from '../../protocol/endpoints.js';
import { endpointsOfProfiles } from '../../protocol/profiles.js';
import type { CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';

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

/** Sends `count` on-demand requests and waits for their replies (and the initial snapshot, if any). */
export async function requestData(conn: ProbeConnection, source: OnDemandData, count: number): Promise<void> {
  for (let i = 0; i < count; i++) conn.send(source.request);
  for (let i = 0; i < count + source.initialReplies; i++) {
    await conn.next((m) => m.type === source.replyType, {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `${source.replyType} #${i + 1} (answering ${JSON.stringify(source.request)})`,
    });
  }
}

/** A short random suffix, so ids and contents of one check never collide with another's. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** Connects to the first usable on-demand endpoint and consumes its initial snapshot. */
export async function openServing(
  ctx: CheckContext,
): Promise<{ conn: ProbeConnection; source: OnDemandData }> {
  const source = await choose(ctx, ON_DEMAND_DATA);
  const conn = await ctx.connect(source.endpoint);
  await requestData(conn, source, 0);
  return { conn, source };
}

/** The connection is open and still answers requests. */
export async function expectStillServing(conn: ProbeConnection, source: OnDemandData, after: string) {
  conn.send(source.request);
  await conn.next((m) => m.type === source.replyType, {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `the connection to stay open and answer ${JSON.stringify(source.request)} after ${after}`,
  });
}
