/**
 * The client reconnect schedule (CR-001, CR-005, CR-009) and the close codes that end reconnection
 * (CR-003, CR-004), as pure functions so they are tested without a socket.
 */
import {
  CloseCode,
  NO_RECONNECT_CLOSE_CODES,
  RECONNECT_DELAYS_MS,
  RECONNECT_JITTER_MAX,
  RECONNECT_JITTER_MIN,
  RESTART_FIRST_RETRY_MS,
} from '../protocol/constants.js';

export interface BackoffOptions {
  /** Nominal delays; attempt n uses entry n-1, the last entry repeats. Default 2 s, 4 s, 8 s, 16 s, 30 s. */
  delaysMs?: readonly number[];
  /** Multiplies every nominal delay (tests use a small value). Default 1. */
  delayScale?: number;
  /** Source of randomness in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
}

export interface DelayInput {
  /** 1 for the first attempt after a connection was lost. */
  attempt: number;
  /** Close code that ended the last connection (1006 when it dropped without one). */
  closeCode: number;
  /** `retryAfterMs` of the last `error` from the server, if any: a lower bound (CR-005). */
  retryAfterMs?: number;
}

/** The jitter factor in [0.8, 1.0] for a random value in [0, 1) (CR-001). */
export function jitterFactor(random: () => number): number {
  const unit = Math.min(Math.max(random(), 0), 1);
  return RECONNECT_JITTER_MIN + (RECONNECT_JITTER_MAX - RECONNECT_JITTER_MIN) * unit;
}

/** The delay before reconnect attempt `attempt`, in milliseconds. */
export function reconnectDelayMs(input: DelayInput, options: BackoffOptions = {}): number {
  const delaysMs = options.delaysMs ?? RECONNECT_DELAYS_MS;
  if (delaysMs.length === 0) throw new Error('delaysMs must contain at least one delay');
  const scale = options.delayScale ?? 1;
  const factor = jitterFactor(options.random ?? Math.random);
  const index = Math.min(Math.max(input.attempt, 1), delaysMs.length) - 1;
  let delayMs = delaysMs[index] * factor * scale;
  if (input.closeCode === CloseCode.SERVICE_RESTART && input.attempt === 1) {
    // CR-009: a restarting server is back soon; the first attempt comes within 1 s (half of it, jittered).
    delayMs = Math.min(delayMs, (RESTART_FIRST_RETRY_MS / 2) * factor * scale);
  }
  if (input.retryAfterMs !== undefined && input.retryAfterMs > delayMs) delayMs = input.retryAfterMs;
  return Math.round(delayMs);
}

/**
 * Whether a close with this code may be followed by an automatic reconnect. 4001 is refused here too:
 * the client waits for a new token (CR-003), which `setToken()` provides.
 */
export function closeAllowsReconnect(closeCode: number): boolean {
  return !NO_RECONNECT_CLOSE_CODES.has(closeCode);
}
