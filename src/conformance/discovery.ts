/**
 * Profile discovery and advertised timers. The runner sends an upgrade to every endpoint path (HTTP 404
 * means not served), then opens one connection per family it found (preferring `/ws/campaigns`,
 * `/ws/conversations/`, `/api/monitoring/ws`, with the run's token). The offered profiles come from the
 * `profiles` of the first `connection_established` received, or from the paths that answered
 * (profile-offer.ts); the timers from the same message, with protocol defaults (or the caller's
 * fallbacks) for what it lacks.
 */
import { setMaxListeners } from 'node:events';
import { CloseCode, Defaults } from '../protocol/constants.js';
import {
  endpoint as endpointSpec,
  ENDPOINTS,
  FAMILIES,
  type EndpointName,
  type Family,
} from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import type { RunEnvironment } from './check-context.js';
import { CheckRunContext } from './check-context.js';
import { CONNECT_TIMEOUT_MS, Probe, type ProbeEnvironment } from './probe.js';
import { declaredProfiles, resolveOffer } from './profile-offer.js';
import { buildProbeRequest } from './probe-request.js';
import { RunnerError } from './runner-error.js';
import { Transcript } from './transcript.js';
import type { AdvertisedTimers, TranscriptEntry } from './types.js';

export const DISCOVERY_ENDPOINTS: Readonly<Record<Family, EndpointName>> = {
  campaign: 'campaigns',
  chat: 'conversations',
  market: 'monitoring',
};

const HTTP_NOT_FOUND = 404;

export const DEFAULT_TIMERS: AdvertisedTimers = {
  heartbeatIntervalMs: Defaults.heartbeatIntervalMs,
  heartbeatTimeoutMs: Defaults.heartbeatTimeoutMs,
  resumeWindowMs: Defaults.resumeWindowMs,
  maxMessageBytes: Defaults.maxMessageBytes,
  rateLimit: { maxMessages: Defaults.rateLimitMaxMessages, windowMs: Defaults.rateLimitWindowMs },
  authMode: 'unknown',
};

export interface DiscoveryResult {
  families: Family[];
  /** The profiles the server offers (declared, or inferred from the paths that answered). */
  profiles: ProfileName[];
  timers: AdvertisedTimers;
  /** Where checks put the token when they do not say (the query, unless the server refuses it there). */
  tokenVia: TokenPlacement;
  /** What the user should know about how families and timers were found. */
  notes: string[];
  transcript: TranscriptEntry[];
}

type FamilyAnswer =
  | {
      family: Family;
      present: true;
      established: Record<string, unknown> | undefined;
      /** The upgrade succeeded but the token was refused (4001). */
      tokenRefused: boolean;
      note?: string;
    }
  | { family: Family; present: false };

export type TokenPlacement = 'query' | 'header';

export async function discover(
  run: Omit<RunEnvironment, 'timers' | 'families' | 'profiles' | 'defaultTokenVia'>,
  fallbackTimers: AdvertisedTimers,
  signal: AbortSignal,
): Promise<DiscoveryResult> {
  const transcript = new Transcript();
  // Every probe listens to the signal: one upgrade per endpoint path plus one connection per family.
  const probes = new AbortController();
  setMaxListeners(0, probes.signal);
  if (signal.aborted) probes.abort();
  else signal.addEventListener('abort', () => probes.abort(), { once: true });
  const context = new CheckRunContext(
    { ...run, timers: fallbackTimers, families: FAMILIES, profiles: [], defaultTokenVia: 'query' },
    { checkId: 'discovery', iteration: 0 },
    transcript,
    probes.signal,
  );
  const token = await run.tokens.tokenFor();
  const waitMs = CONNECT_TIMEOUT_MS * run.timeoutScale;
  const served = await servedEndpoints(context, run, token);
  const discoveryEndpoint = (family: Family): EndpointName => {
    const preferred = DISCOVERY_ENDPOINTS[family];
    if (served.has(preferred)) return preferred;
    return ENDPOINTS.find((spec) => spec.family === family && served.has(spec.name))?.name ?? preferred;
  };
  const ask = async (family: Family, tokenVia: TokenPlacement): Promise<FamilyAnswer> => {
    const name = discoveryEndpoint(family);
    const path = endpointSpec(name).path;
    const request = buildProbeRequest(run.targetUrl, name, run.params, { tokenVia }, token);
    const probe = new Probe(context, request);
    try {
      const outcome = await probe.handshake;
      if (outcome.status === HTTP_NOT_FOUND) return { family, present: false };
      if (outcome.status !== 101) {
        const note = `${path} answered the upgrade with HTTP ${outcome.status}; the ${family} family is treated as offered`;
        return { family, present: true, established: undefined, tokenRefused: false, note };
      }
      await probe.awaitEstablished(waitMs, `connection_established on ${path}`);
      return { family, present: true, established: probe.established, tokenRefused: false };
    } catch (error) {
      const note = `${path}: ${(error as Error).message}; the ${family} family is treated as offered`;
      const tokenRefused = token !== undefined && probe.closeDetails?.code === CloseCode.UNAUTHORIZED;
      return { family, present: true, established: probe.established, tokenRefused, note };
    } finally {
      probe.dispose();
    }
  };

  let tokenVia: TokenPlacement = 'query';
  let answers = await Promise.all(FAMILIES.map((family) => ask(family, 'query')));
  const notes: string[] = [];
  // A server may refuse tokens in the URL (they get logged): then the run presents its token in the
  // Authorization header, and only the check of the query form (AUTH-006) uses the query.
  if (answers.some((a) => a.present && a.tokenRefused)) {
    const retried = await Promise.all(
      answers.map((a) => (a.present && a.tokenRefused ? ask(a.family, 'header') : Promise.resolve(a))),
    );
    if (retried.some((a) => a.present && !a.tokenRefused && a.established !== undefined)) {
      tokenVia = 'header';
      answers = retried;
      notes.push(
        'the token was refused in the query but accepted in the Authorization header; checks present it there',
      );
    }
  }

  notes.push(...answers.flatMap((a) => (a.present && a.note ? [a.note] : [])));
  if (!answers.some((a) => a.present)) {
    throw new RunnerError(`no Tidewire endpoint at ${run.targetUrl}: every endpoint path answered HTTP 404`);
  }
  const source = answers.find((a) => a.present && a.established !== undefined);
  const established = source?.present ? source.established : undefined;
  const offer = resolveOffer(served, declaredProfiles(established));
  notes.push(...offer.notes);
  const families = offer.families;
  const timers = timersFrom(established, fallbackTimers, notes);
  if (established === undefined) {
    notes.push('no connection_established received during discovery; timers are the protocol defaults');
  } else if (established.auth === undefined) {
    notes.push('the server does not advertise its auth mode');
  }
  if (token === undefined && timers.authMode === 'required') {
    notes.push('the server requires a token: give --token, or --token-secret to mint them');
  }
  return { families, profiles: offer.profiles, timers, tokenVia, notes, transcript: transcript.entries() };
}

/**
 * The endpoints whose upgrade got any answer but HTTP 404 (an unanswered one counts as served). These
 * probes only read the upgrade's answer: frames that come with it are left to the checks to judge.
 */
async function servedEndpoints(
  context: CheckRunContext,
  run: Pick<RunEnvironment, 'targetUrl' | 'params'>,
  token: string | undefined,
): Promise<Set<EndpointName>> {
  const upgradeOnly: ProbeEnvironment = {
    transcript: context.transcript,
    timeoutScale: context.timeoutScale,
    signal: context.signal,
    nextConnectionNumber: () => context.nextConnectionNumber(),
    inspect: () => {},
  };
  const answers = await Promise.all(
    ENDPOINTS.map(async (spec) => {
      const request = buildProbeRequest(run.targetUrl, spec.name, run.params, {}, token);
      const probe = new Probe(upgradeOnly, request);
      try {
        return { name: spec.name, status: (await probe.handshake).status };
      } catch {
        return { name: spec.name, status: undefined };
      } finally {
        probe.dispose();
      }
    }),
  );
  return new Set(answers.filter((a) => a.status !== HTTP_NOT_FOUND).map((a) => a.name));
}

/** Timers from a `connection_established`, each missing or invalid one taken from `fallback` (noted). */
export function timersFrom(
  established: Record<string, unknown> | undefined,
  fallback: AdvertisedTimers,
  notes: string[],
): AdvertisedTimers {
  if (established === undefined) return { ...fallback, rateLimit: { ...fallback.rateLimit } };
  const missing: string[] = [];
  const read = (value: unknown, name: string, fallbackValue: number): number => {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    missing.push(name);
    return fallbackValue;
  };
  const rate = (
    typeof established.rateLimit === 'object' && established.rateLimit !== null ? established.rateLimit : {}
  ) as Record<string, unknown>;
  const auth = (
    typeof established.auth === 'object' && established.auth !== null ? established.auth : {}
  ) as Record<string, unknown>;
  const timers: AdvertisedTimers = {
    heartbeatIntervalMs: read(
      established.heartbeatIntervalMs,
      'heartbeatIntervalMs',
      fallback.heartbeatIntervalMs,
    ),
    heartbeatTimeoutMs: read(
      established.heartbeatTimeoutMs,
      'heartbeatTimeoutMs',
      fallback.heartbeatTimeoutMs,
    ),
    resumeWindowMs: read(established.resumeWindowMs, 'resumeWindowMs', fallback.resumeWindowMs),
    maxMessageBytes: read(established.maxMessageBytes, 'maxMessageBytes', fallback.maxMessageBytes),
    rateLimit: {
      maxMessages: read(rate.maxMessages, 'rateLimit.maxMessages', fallback.rateLimit.maxMessages),
      windowMs: read(rate.windowMs, 'rateLimit.windowMs', fallback.rateLimit.windowMs),
    },
    authMode: auth.mode === 'required' || auth.mode === 'optional' ? auth.mode : fallback.authMode,
  };
  if (missing.length > 0) {
    notes.push(
      `connection_established lacks ${missing.join(', ')}; using ${missing.map((name) => `${name}=${valueAt(timers, name)}`).join(', ')}`,
    );
  }
  return timers;
}

function valueAt(timers: AdvertisedTimers, name: string): number {
  if (name === 'rateLimit.maxMessages') return timers.rateLimit.maxMessages;
  if (name === 'rateLimit.windowMs') return timers.rateLimit.windowMs;
  return timers[name as 'heartbeatIntervalMs'];
}
