import type { OutgoingData, SessionContext } from '../endpoint-handler.js';
import type { DeliveryListener } from '../sources/feed.js';

/**
 * What one session follows (topics, rooms), keyed by name, kept in `session.state` so that it survives a
 * resume and is released in one go when the session ends.
 */
export class SessionSubscriptions {
  private readonly active = new Map<string, () => void>();

  has(key: string): boolean {
    return this.active.has(key);
  }

  /** Records a subscription; returns false (and does not subscribe) when `key` is already followed. */
  add(key: string, subscribe: () => () => void): boolean {
    if (this.active.has(key)) return false;
    this.active.set(key, subscribe());
    return true;
  }

  /** Ends one subscription; returns false when it was not followed. */
  remove(key: string): boolean {
    const unsubscribe = this.active.get(key);
    if (!unsubscribe) return false;
    this.active.delete(key);
    unsubscribe();
    return true;
  }

  keys(): string[] {
    return [...this.active.keys()];
  }

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
    subscriptions = new SessionSubscriptions();
    session.state[SUBSCRIPTIONS] = subscriptions;
  }
  return subscriptions as SessionSubscriptions;
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
  return ({ message, exceptSessionId }) => {
    if (exceptSessionId === session.sessionId || isEnded(session)) return;
    if (accept && !accept(message)) return;
    session.emit(message);
  };
}
