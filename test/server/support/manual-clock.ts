/** A clock the test moves by hand: timers fire, in order, only inside `advance`. */
import type { Clock, TimerHandle } from '../../../src/server/clock.js';

interface ManualTimer {
  at: number;
  order: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private current = Date.parse('2026-01-01T00:00:00.000Z');
  private readonly timers = new Set<ManualTimer>();
  private created = 0;

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { at: this.current + delayMs, order: this.created++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle as ManualTimer);
  }

  /** Pending timers, for leak checks. */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = [...this.timers]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers.delete(due);
      this.current = due.at;
      due.callback();
    }
    this.current = target;
  }
}
