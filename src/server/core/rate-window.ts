/** Fixed-window message counter of one connection (RL-001..003). */
import type { Clock } from '../clock.js';

export interface RateCount {
  /** Messages counted in the current window, this one included. */
  count: number;
  /** Time until the current window ends. */
  retryAfterMs: number;
}

export class RateWindow {
  private windowStartedAt = -Infinity;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one client message. */
  hit(): RateCount {
    const now = this.clock.now();
    if (now - this.windowStartedAt >= this.windowMs) {
      this.windowStartedAt = now;
      this.count = 0;
    }
    this.count += 1;
    return { count: this.count, retryAfterMs: Math.max(1, this.windowStartedAt + this.windowMs - now) };
  }
}
