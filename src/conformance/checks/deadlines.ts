/**
 * How long the checks wait for things that have no advertised timer, before --timeout-scale. Waits that
 * depend on an advertised timer (heartbeat, resume window, rate window) derive from `ctx.timers` instead.
 */
import type { AdvertisedTimers, RunMode } from '../types.js';

/** A server answers a request (ack, error, data reply) or refuses a handshake within this delay. */
export const REPLY_DEADLINE_MS = 2_000;
/** After the awaited reply, how long a check watches for a reply that must not come (a duplicate). */
export const QUIET_PERIOD_MS = 300;
/** A `price_update` for a subscribed symbol arrives within this delay (the source ticks every second). */
export const PRICE_UPDATE_DEADLINE_MS = 2_500;
/** Slack on top of an advertised timer for scheduling jitter on a busy machine. */
export const TIMER_SLACK_MS = 500;

/**
 * Allowed lateness of what a server does when one of its timeouts fires (close 4408 after an unanswered
 * ping, dropping a connection whose close went unanswered): the slack plus a quarter of the timeout, as a
 * busy server's timers fire late by a share of their length.
 */
export function timeoutLatenessMs(timeoutMs: number): number {
  return TIMER_SLACK_MS + timeoutMs / 4;
}

/**
 * Allowed lateness of a periodic ping against its advertised interval: timers of a busy server (and of
 * the runner measuring them) fire late by a few event-loop turns, up to half a second on a loaded machine,
 * or a quarter of a long interval. Always below one interval, so that a server whose pings are two
 * intervals apart fails however short the interval.
 */
export function pingToleranceMs(intervalMs: number): number {
  return Math.min(Math.max(500, intervalMs * 0.25), intervalMs * 0.9);
}

/**
 * Deadline for a periodic ping: one interval plus the tolerance, counted from the connection opening (a
 * server that pings every interval starts when the connection does) or from the previous ping.
 */
export function pingDeadlineMs(timers: AdvertisedTimers): number {
  return timers.heartbeatIntervalMs + pingToleranceMs(timers.heartbeatIntervalMs);
}

/**
 * Deadline for the `n`-th periodic ping, counted from the connection opening: `n` intervals plus one
 * tolerance (a server that pings every interval is late by a few event-loop turns, not by a tolerance per
 * ping).
 */
export function nthPingDeadlineMs(timers: AdvertisedTimers, n: number): number {
  return n * timers.heartbeatIntervalMs + pingToleranceMs(timers.heartbeatIntervalMs);
}

/** Application pings HB-007 leaves unanswered (one with --quick-heartbeat). */
export function unansweredAppPings(mode: RunMode): number {
  return mode.quickHeartbeat ? 1 : 3;
}

/** Pings HB-001, HB-006 and HB-011 wait for: two, to measure their spacing (one with --quick-heartbeat). */
export function pingsWatched(mode: RunMode): number {
  return mode.quickHeartbeat ? 1 : 2;
}

/**
 * Upper bound of the waits of a heartbeat check that watches `pings` pings and then, when `thenTimeout`,
 * the heartbeat timeout plus slack. With production timers (30 s, 10 s): HB-001 and HB-006 about two
 * intervals, HB-007 about three intervals plus the timeout; with --quick-heartbeat every one of them fits
 * in one interval plus the timeout.
 */
export function heartbeatBudgetMs(timers: AdvertisedTimers, pings: number, thenTimeout: boolean): number {
  const watch = nthPingDeadlineMs(timers, pings);
  const timeout = timers.heartbeatTimeoutMs + timeoutLatenessMs(timers.heartbeatTimeoutMs);
  return thenTimeout ? watch + timeout : watch + TIMER_SLACK_MS;
}
