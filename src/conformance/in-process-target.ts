/**
 * The bundled reference server, started in-process when no URL is given, with timers short enough for
 * the whole suite to run in seconds. Tokens are minted with its secret; the params name a campaign and a
 * user that belong to someone else, which its data guarantees (owner of campaign 2 is user 2).
 */
import type { AdvertisedTimers } from './types.js';

export const IN_PROCESS_SERVER_OPTIONS = {
  port: 0,
  host: '127.0.0.1',
  heartbeatIntervalMs: 400,
  // Longer than the interval: a runner whose event loop a busy machine stalls still answers pings in time.
  heartbeatTimeoutMs: 1_000,
  // Long enough for a drop, a resume and a resent request on a busy machine; RES-009 waits it out.
  resumeWindowMs: 2_500,
  rateLimit: { maxMessages: 20, windowMs: 2_000 },
  // userRateLimit and connectionLimits.perUser are the defaults (50 × rateLimit, 64): above what the run's
  // user sends in a window and holds at once (about 35 connections). The checks that fill a limit run
  // alone; perAddress and total are small enough for SEC-005 and SEC-006 to reach in a moment.
  connectionLimits: { perAddress: 80, total: 96 },
  auth: 'required',
  // Fast enough that every source pushes within a check's waits, slow enough that the pushes do not
  // dominate the run (campaign steps and prices every 200 ms).
  simulation: { speed: 5 },
} as const;

export const IN_PROCESS_PARAMS: Readonly<Record<string, string>> = {
  foreignCampaignId: '2',
  foreignConversationId: '2',
  otherUser: '2',
};

export interface InProcessTarget {
  url: string;
  label: string;
  tokenSecret: string;
  /** The server's configured timers, for what its `connection_established` might not advertise. */
  timers: AdvertisedTimers;
  close(): Promise<void>;
}

export async function startInProcessTarget(faults: readonly string[] | undefined): Promise<InProcessTarget> {
  const { createServer } = await import('../server/index.js');
  const server = await createServer({
    ...IN_PROCESS_SERVER_OPTIONS,
    rateLimit: { ...IN_PROCESS_SERVER_OPTIONS.rateLimit },
    connectionLimits: { ...IN_PROCESS_SERVER_OPTIONS.connectionLimits },
    simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
    ...(faults && faults.length > 0 ? { faults: [...faults] } : {}),
  });
  const resolved = server.options;
  return {
    url: server.url,
    label: `in-process reference server (${server.url})${faults && faults.length > 0 ? ` with faults ${faults.join(', ')}` : ''}`,
    tokenSecret: resolved.tokenSecret,
    timers: {
      heartbeatIntervalMs: resolved.heartbeatIntervalMs,
      heartbeatTimeoutMs: resolved.heartbeatTimeoutMs,
      resumeWindowMs: resolved.resumeWindowMs,
      maxMessageBytes: resolved.maxMessageBytes,
      rateLimit: { ...resolved.rateLimit },
      authMode: resolved.auth,
    },
    close: () => server.close(),
  };
}
