/** Waiting for a client event with a deadline: a timeout is a failure that says what was expected. */
import type { ClientEvents, TidewireClient } from '../../../src/client/index.js';

export const EVENT_DEADLINE_MS = 5_000;

export function nextEvent<K extends keyof ClientEvents>(
  client: TidewireClient<{ type: string }, object>,
  name: K,
  predicate: (payload: ClientEvents[K]) => boolean = () => true,
  timeoutMs = EVENT_DEADLINE_MS,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`expected client event "${String(name)}", got: nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onEvent(name, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves when `condition()` holds, checked on every server message; rejects after the deadline. */
export function untilMessage(
  client: TidewireClient<{ type: string }, object>,
  condition: () => boolean,
  what: string,
  timeoutMs = EVENT_DEADLINE_MS,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`expected ${what}, got: nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onMessage(() => {
      if (!condition()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
