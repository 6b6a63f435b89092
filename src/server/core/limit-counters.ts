/**
 * The counters behind the limits that span connections (RL-009, RL-010, SEC-004): messages per user in
 * fixed windows, open connections per user, and users barred after a flood. Keys are opaque strings
 * (`user:7`, `address:10.0.0.3`). The in-memory implementation serves one server; servers that share
 * users (a cluster) give every instance one implementation backed by a shared store such as Redis.
 */
import type { Clock } from '../clock.js';
import type { RateCount } from './rate-window.js';

export interface LimitCounters {
  /**
   * Counts one message of `key` in fixed windows of `windowMs`, each starting with the first message
   * after the previous one ended. Synchronous, since it is on every message's path: a shared
   * implementation answers from its local view and reconciles with the others in the background.
   */
  countMessage(key: string, windowMs: number): RateCount;
  /** Adds `delta` to the gauge `key` (open connections) and resolves with its new value. */
  add(key: string, delta: number): number | Promise<number>;
  /** Bars `key` for `ms` (a user that flooded, until its window ends). */
  bar(key: string, ms: number): void;
  /** How long `key` stays barred; 0 when it is not. */
  barredForMs(key: string): number | Promise<number>;
}

interface Window {
  startedAt: number;
  count: number;
  windowMs: number;
}

/** Entries are swept once the maps hold this many, so keys that went quiet do not accumulate. */
const SWEEP_AT_ENTRIES = 1_024;

export class InMemoryLimitCounters implements LimitCounters {
  private readonly windows = new Map<string, Window>();
  private readonly gauges = new Map<string, number>();
  private readonly bars = new Map<string, number>();
  private sweepAt = SWEEP_AT_ENTRIES;

  constructor(private readonly clock: Clock) {}

  countMessage(key: string, windowMs: number): RateCount {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= window.windowMs) {
      window = { startedAt: now, count: 0, windowMs };
      this.windows.set(key, window);
      if (this.windows.size + this.bars.size >= this.sweepAt) this.sweep(now);
    }
    window.count += 1;
    return { count: window.count, retryAfterMs: Math.max(1, window.startedAt + window.windowMs - now) };
  }

  add(key: string, delta: number): number {
    const value = (this.gauges.get(key) ?? 0) + delta;
    if (value <= 0) this.gauges.delete(key);
    else this.gauges.set(key, value);
    return Math.max(0, value);
  }

  bar(key: string, ms: number): void {
    const until = this.clock.now() + ms;
    if (until > (this.bars.get(key) ?? 0)) this.bars.set(key, until);
  }

  barredForMs(key: string): number {
    const until = this.bars.get(key);
    if (until === undefined) return 0;
    const left = until - this.clock.now();
    if (left > 0) return left;
    this.bars.delete(key);
    return 0;
  }

  /** Keys tracked now, for leak checks. */
  get size(): number {
    return this.windows.size + this.gauges.size + this.bars.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= window.windowMs) this.windows.delete(key);
    }
    for (const [key, until] of this.bars) if (until <= now) this.bars.delete(key);
    this.sweepAt = Math.max(SWEEP_AT_ENTRIES, 2 * (this.windows.size + this.bars.size));
  }
}
