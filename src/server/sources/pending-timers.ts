import type { Scheduler, TimerHandle } from './scheduler.js';

/** One-shot timers (simulated AI replies) that a simulation can cancel all at once when it stops. */
export class PendingTimers {
  private readonly pending = new Set<TimerHandle>();

  constructor(private readonly scheduler: Scheduler) {}

  schedule(delayMs: number, callback: () => void): void {
    const handle = this.scheduler.setTimeout(() => {
      this.pending.delete(handle);
      callback();
    }, delayMs);
    this.pending.add(handle);
  }

  clear(): void {
    for (const handle of this.pending) this.scheduler.clearTimeout(handle);
    this.pending.clear();
  }
}
