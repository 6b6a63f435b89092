import type { OutgoingData, SessionContext } from '../endpoint-handler.js';
import type { DeliveryListener } from '../sources/feed.js';

/**
 * What one session follows (topics, rooms), keyed by name, kept in `session.state` so that it survives a
 * resume and is released in one go when the session ends. A key names what it follows completely
 * (`price:BTC`, `room:12`), so that another instance can follow the same from the key alone.
 */
export class SessionSubscriptions {
  private readonly active = new Map<string, () => void>();

  /** `changed` is told of every subscription added or removed. */
  constructor(private readonly changed: () => void = () => {}) {}

  has(key: string): boolean {
    return this.active.has(key);
  }

  /** Records a subscription; returns false (and does not subscribe) when `key` is already followed. */
  add(key: string, subscribe: () => () => void): boolean {
    if (this.active.has(key)) return false;
    this.active.set(key, subscribe());
    this.changed();
    return true;
  }

  /** Ends one subscription; returns false when it was not followed. */
  remove(key: string): boolean {
    const unsubscribe = this.active.get(key);
    if (!unsubscribe) return false;
    this.active.delete(key);
    unsubscribe();
    this.changed();
    return true;
  }

  keys(): string[] {
    return [...this.active.keys()];
  }

  /** Ends every subscription (the session ended or moved away: nothing to tell). */
  clear(): void {
    const all = [...this.active.values()];
    this.active.clear();
    for (const unsubscribe of all) unsubscribe();
  }
}

const SUBSCRIPTIONS = 'subscriptions';
const CLOSED = 'closed';

export function subscriptionsOf(session: SessionContext): SessionSubscriptions {
  let subscriptions = session.state[SUBSCRIPTIONS];
  if (!(subscriptions instanceof SessionSubscriptions)) {
    subscriptions = new SessionSubscriptions(() => session.stateChanged?.());
    session.state[SUBSCRIPTIONS] = subscriptions;
  }
  return subscriptions as SessionSubscriptions;
}

/** Follows one subscription key of a session: what `add` runs for it (undefined: no such key). */
export type Follow = (session: SessionContext, key: string) => (() => void) | undefined;

/** Follows `key` for the session unless it already does; false when it did. */
export function follow(session: SessionContext, key: string, how: Follow): boolean {
  return subscriptionsOf(session).add(key, () => how(session, key) ?? (() => {}));
}

/** A session's state as JSON: the keys it follows and the handler's other values (a news filter). */
export interface SavedState {
  follows: string[];
  values: Record<string, unknown>;
}

export function saveState(session: SessionContext): SavedState {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(session.state)) {
    if (name !== SUBSCRIPTIONS && name !== CLOSED) values[name] = value;
  }
  return { follows: subscriptionsOf(session).keys(), values };
}

/** Rebuilds the state of a session moved from another instance, following again what it followed. */
export function restoreState(session: SessionContext, saved: unknown, how: Follow): void {
  const { follows, values } = (saved ?? {}) as Partial<SavedState>;
  session.state = { ...values };
  for (const key of Array.isArray(follows) ? follows : []) {
    if (typeof key === 'string') follow(session, key, how);
  }
}

export function beginSession(session: SessionContext): void {
  delete session.state[CLOSED];
}

/** Releases everything the session follows; later deliveries (a pending AI reply) skip it. */
export function endSession(session: SessionContext): void {
  session.state[CLOSED] = true;
  subscriptionsOf(session).clear();
}

export function isEnded(session: SessionContext): boolean {
  return session.state[CLOSED] === true;
}

/**
 * A bus listener that emits to this session, skipping deliveries meant for the others only. The message
 * itself is emitted, not a copy: the core never changes what it is given (it stamps seq and timestamp on a
 * copy), and handing every session the same object lets it serialise the body once for all of them.
 */
export function deliverTo(
  session: SessionContext,
  accept?: (message: OutgoingData) => boolean,
): DeliveryListener {
  const listener: DeliveryListener = ({ message, exceptSessionId }, at) => {
    if (exceptSessionId === session.sessionId || isEnded(session)) return;
    if (accept && !accept(message)) return;
    session.emit(message, at);
  };
  if (session.resumeAfter) listener.resumeAfter = (topic) => session.resumeAfter?.(topic);
  if (session.stoppedFollowing) listener.stopped = (topic) => session.stoppedFollowing?.(topic);
  return listener;
}
