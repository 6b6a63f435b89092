/**
 * The time source of the protocol core. Every timer of the server (heartbeat, resume window, rate window,
 * close grace) goes through it, so tests can drive time or shorten it through options.
 */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    // Timers never keep the process alive on their own: shutdown is driven by close().
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => {
    if (handle) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
