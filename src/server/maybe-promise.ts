/**
 * Values that a store in this process gives at once and a store shared by several instances (Redis) gives
 * later. Code that goes on with such a value at once when it can keeps a job synchronous in memory: what
 * it emits then precedes what the connection sends next (RL-001's order of answers, an update before the
 * unsubscribe that follows it).
 */
export type MaybePromise<T> = T | Promise<T>;

/** `then(value)` now when `value` is at hand, or once it is. */
export function whenReady<T, R>(value: MaybePromise<T>, then: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(then) : then(value);
}
