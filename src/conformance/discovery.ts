/**
 * Discovery: the preflight's findings plus the timers the checks wait by. The timers come from the first
 * `connection_established` received; what it does not advertise comes from `--timers`, else from the
 * protocol's defaults (or the in-process server's settings), and a server that advertises none is a root
 * cause reported once (HS-002), since every heartbeat, size and rate check then waits by assumed figures.
 */
import { Defaults } from '../protocol/constants.js';
import { preflight, type Blocker, type Preflight, type PreflightInput } from './preflight.js';
import type { AdvertisedTimers } from './types.js';

export const DEFAULT_TIMERS: AdvertisedTimers = {
  heartbeatIntervalMs: Defaults.heartbeatIntervalMs,
  heartbeatTimeoutMs: Defaults.heartbeatTimeoutMs,
  resumeWindowMs: Defaults.resumeWindowMs,
  maxMessageBytes: Defaults.maxMessageBytes,
  rateLimit: { maxMessages: Defaults.rateLimitMaxMessages, windowMs: Defaults.rateLimitWindowMs },
  authMode: 'unknown',
};

/** The numeric timers, by the names `--timers` and the reports use. */
export const TIMER_NAMES = [
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'resumeWindowMs',
  'maxMessageBytes',
  'rateLimit.maxMessages',
  'rateLimit.windowMs',
] as const;
export type TimerName = (typeof TIMER_NAMES)[number];
/** Timers given with `--timers`, for servers that advertise none. */
export type GivenTimers = Partial<Record<TimerName, number>>;

export interface DiscoveryResult extends Preflight {
  timers: AdvertisedTimers;
}

export async function discover(
  input: PreflightInput,
  timers: { fallback: AdvertisedTimers; given: GivenTimers },
): Promise<DiscoveryResult> {
  const found = await preflight(input);
  const notes = [...found.notes];
  const rootCauses: Blocker[] = [...found.rootCauses];
  const fallback = withGiven(timers.fallback, timers.given);
  const givenNames = Object.keys(timers.given) as TimerName[];
  const given = givenNames.map((name) => `${name}=${timers.given[name]}`).join(', ');
  if (found.established === undefined) {
    if (found.diagnosis.bindings.includes('websocket')) {
      notes.push(
        `no connection_established received during discovery; timers are ${givenNames.length > 0 ? `${given} (--timers), else ` : ''}the protocol defaults`,
      );
    }
    return { ...found, notes, rootCauses, timers: fallback };
  }
  const { timers: resolved, missing } = timersFrom(found.established, fallback);
  const assumed = missing.filter((name) => !givenNames.includes(name));
  for (const name of givenNames.filter((n) => !missing.includes(n))) {
    notes.push(`--timers ${name} is not used: the server advertises ${valueAt(resolved, name)}`);
  }
  if (givenNames.some((n) => missing.includes(n))) notes.push(`timers from --timers: ${given}`);
  if (assumed.length > 0) {
    rootCauses.push({
      checkId: 'HS-002',
      message: `connection_established advertises no ${assumed.join(', ')}: checks wait by ${assumed.map((n) => `${n}=${valueAt(resolved, n)}`).join(', ')} (give the server's with --timers)`,
    });
  }
  return { ...found, notes, rootCauses, timers: resolved };
}

/** Timers from a `connection_established`, each missing or invalid one taken from `fallback`. */
function timersFrom(
  established: Record<string, unknown>,
  fallback: AdvertisedTimers,
): { timers: AdvertisedTimers; missing: TimerName[] } {
  const missing: TimerName[] = [];
  const read = (value: unknown, name: TimerName, fallbackValue: number): number => {
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
  return { timers, missing };
}

/** `timers` with the given values in place. */
function withGiven(timers: AdvertisedTimers, given: GivenTimers): AdvertisedTimers {
  return {
    ...timers,
    heartbeatIntervalMs: given.heartbeatIntervalMs ?? timers.heartbeatIntervalMs,
    heartbeatTimeoutMs: given.heartbeatTimeoutMs ?? timers.heartbeatTimeoutMs,
    resumeWindowMs: given.resumeWindowMs ?? timers.resumeWindowMs,
    maxMessageBytes: given.maxMessageBytes ?? timers.maxMessageBytes,
    rateLimit: {
      maxMessages: given['rateLimit.maxMessages'] ?? timers.rateLimit.maxMessages,
      windowMs: given['rateLimit.windowMs'] ?? timers.rateLimit.windowMs,
    },
  };
}

function valueAt(timers: AdvertisedTimers, name: TimerName): number {
  if (name === 'rateLimit.maxMessages') return timers.rateLimit.maxMessages;
  if (name === 'rateLimit.windowMs') return timers.rateLimit.windowMs;
  return timers[name];
}
