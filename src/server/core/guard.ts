/**
 * The one guard around everything the server runs on its own schedule (timers, source ticks, bus
 * deliveries, socket events): an exception goes to the caller's `onError`, which logs it and ends only
 * what it concerns, instead of unwinding into Node's event loop, where nothing would catch it and the
 * process would exit.
 */
import type { Clock } from '../clock.js';

export type ErrorSink = (error: unknown) => void;

/** `callback` with whatever it throws handed to `onError`. */
export function guard<A extends unknown[]>(
  callback: (...args: A) => void,
  onError: ErrorSink,
): (...args: A) => void {
  return (...args) => {
    try {
      callback(...args);
    } catch (error) {
      onError(error);
    }
  };
}

/** A clock whose timer callbacks run behind `guard`. */
export function guardedClock(clock: Clock, onError: ErrorSink): Clock {
  return {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => clock.setTimeout(guard(callback, onError), delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}

/** The message of an error, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
