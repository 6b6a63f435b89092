/**
 * Measures how late the runner's own timers fire. On a loaded machine a client's reconnect timer fires
 * late for the same reason, so an upper timing bound allows the lateness seen while the delay ran
 * (a delay that is too long by design stays too long; one stretched by a stall is not blamed on the client).
 */

/** Sampling period of the monitor. */
const SAMPLE_INTERVAL_MS = 5;
/** Samples older than this are forgotten. */
const HISTORY_MS = 5 * 60_000;
/** Lateness below this is ordinary timer granularity and is not stored. */
const MIN_RECORDED_LAG_MS = 1;

interface LagSample {
  /** `performance.now()` when the late tick ran. */
  at: number;
  lagMs: number;
}

export class EventLoopLagMonitor {
  private readonly samples: LagSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const lagMs = now - this.last - SAMPLE_INTERVAL_MS;
      this.last = now;
      if (lagMs >= MIN_RECORDED_LAG_MS) this.samples.push({ at: now, lagMs });
      while (this.samples.length > 0 && this.samples[0].at < now - HISTORY_MS) this.samples.shift();
    }, SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The worst stall that overlapped [from, to] (both `performance.now()` values), in ms. */
  worstLagMs(from: number, to: number): number {
    let worst = 0;
    for (const { at, lagMs } of this.samples) {
      const stallStart = at - lagMs - SAMPLE_INTERVAL_MS;
      if (at >= from && stallStart <= to) worst = Math.max(worst, lagMs);
    }
    return worst;
  }
}
