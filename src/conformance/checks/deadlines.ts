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

/**
 * Deadline for a periodic ping: one interval plus the tolerance, counted from the connection opening (a
 * server that pings every interval starts when the connection does) or from the previous ping.
 */
export function pingDeadlineMs(timers: AdvertisedTimers): number {
  return timers.heartbeatIntervalMs + pingToleranceMs(timers.heartbeatIntervalMs);
}

/**
 * Upper bound of every heartbeat check's waits (HB-001, HB-002, HB-006, HB-007): the first ping within
 * one interval plus the tolerance, then the heartbeat timeout plus slack. A server with production timers
 * (30 s, 10 s) is checked in about one heartbeat period plus its timeout, never in two periods.
 */
export function heartbeatCheckBudgetMs(timers: AdvertisedTimers): number {
  return pingDeadlineMs(timers) + timers.heartbeatTimeoutMs + TIMER_SLACK_MS;
}
