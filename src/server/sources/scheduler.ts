/**
 * The clock and timers the simulated sources run on. Injected so that tests (and anything that wants a
 * reproducible run) can drive time by hand with `ManualScheduler` instead of waiting for it. It is the
 * protocol core's `Clock` under the sources' name, so one time source can drive both.
 */
import { systemClock, type Clock } from '../clock.js';

export type { TimerHandle } from '../clock.js';

export type Scheduler = Clock;

/**
 * Real time. Timers are unref'd: a source never keeps the process alive on its own (the listening server
 * does), so a forgotten subscription cannot hang a test run or a shutdown.
 */
export const systemScheduler: Scheduler = systemClock;

/**
 * Calls `tick` every `intervalMs` until the returned function is called. Each tick is scheduled from the
 * previous due time, so ticks do not drift; after a stall the missed ticks are skipped, not fired in a burst.
 */
export function repeatEvery(scheduler: Scheduler, intervalMs: number, tick: () => void): () => void {
  let dueAt = scheduler.now() + intervalMs;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    const now = scheduler.now();
    dueAt = dueAt + intervalMs > now ? dueAt + intervalMs : now + intervalMs;
    handle = scheduler.setTimeout(run, dueAt - now);
    tick();
  };
  let handle = scheduler.setTimeout(run, intervalMs);
  return () => {
    stopped = true;
    scheduler.clearTimeout(handle);
  };
}
