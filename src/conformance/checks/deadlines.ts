/**
 * How long the checks wait for things that have no advertised timer, before --timeout-scale. Waits that
 * depend on an advertised timer (heartbeat, resume window, rate window) derive from `ctx.timers` instead.
 */
import type { AdvertisedTimers } from '../types.js';

/** A server answers a request (ack, error, data reply) or refuses a handshake within this delay. */
export const REPLY_DEADLINE_MS = 2_000;
/** After the awaited reply, how long a check watches for a reply that must not come (a duplicate). */
export const QUIET_PERIOD_MS = 300;
/** A `price_update` for a subscribed symbol arrives within this delay (the source ticks every second). */
export const PRICE_UPDATE_DEADLINE_MS = 2_500;
/** Slack on top of an advertised timer for scheduling jitter on a busy machine. */
export const TIMER_SLACK_MS = 500;

/**
 * Allowed lateness of a periodic ping against its advertised interval: timers of a busy server (and of
 * the runner measuring them) fire late by a few event-loop turns.
 */
export function pingToleranceMs(intervalMs: number): number {
  return Math.max(250, intervalMs * 0.25);
}

/** Deadline for the next periodic ping: one interval plus the tolerance. */
export function nextPingDeadlineMs(timers: AdvertisedTimers): number {
  return timers.heartbeatIntervalMs * 1.5 + 200;
}
