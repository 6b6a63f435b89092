/**
 * Topic pub/sub between the simulated sources and the sessions that follow them. Handlers and sources talk
 * only to this interface, so a bus shared by several server instances can replace the in-memory one without
 * touching either. Messages are plain JSON values so that such a bus can serialise them.
 */

/** Where a message sits in its topic, for a bus that numbers them (one shared by several instances). */
export interface TopicPosition {
  topic: string;
  id: string;
}

/** `at` is given by a bus that numbers its messages. */
export type BusListener<T = unknown> = (message: T, at?: TopicPosition) => void;

export interface SubscribeOptions {
  /**
   * For a bus that numbers its messages: deliver the messages after this position first (those a
   * subscriber missed while it was served by another instance), then the new ones.
   */
  after?: string;
}

export interface Bus {
  /** Delivers `message` to every current subscriber of `topic`. */
  publish<T>(topic: string, message: T): void;
  /** Adds a subscriber; the returned function removes it (calling it twice is harmless). */
  subscribe<T>(topic: string, listener: BusListener<T>, options?: SubscribeOptions): () => void;
  /** Subscribers of one topic, or of every topic when none is given (leak checks, demand decisions). */
  subscriberCount(topic?: string): number;
}

export interface InMemoryBusOptions {
  /** Called when a subscriber throws; the other subscribers still get the message. */
  onListenerError?: (topic: string, error: unknown) => void;
}

export class InMemoryBus implements Bus {
  private readonly topics = new Map<string, Set<BusListener<never>>>();
  /** Each topic's listeners as an array, made on the first publish after a change and reused until the next. */
  private readonly snapshots = new Map<string, readonly BusListener<never>[]>();
  private readonly onListenerError: (topic: string, error: unknown) => void;

  constructor(options: InMemoryBusOptions = {}) {
    this.onListenerError =
      options.onListenerError ??
      ((topic, error) => {
        const reason = error instanceof Error ? error.message : String(error);
        process.stderr.write(`bus: a subscriber of "${topic}" failed: ${reason}\n`);
      });
  }

  publish<T>(topic: string, message: T): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    // A snapshot: a subscriber may unsubscribe itself (or another) while the message is being delivered,
    // and one subscribed meanwhile waits for the next message. Shared by publishes until the set changes.
    let snapshot = this.snapshots.get(topic);
    if (snapshot === undefined) {
      snapshot = [...listeners];
      this.snapshots.set(topic, snapshot);
    }
    for (const listener of snapshot) {
      if (!listeners.has(listener)) continue;
      try {
        (listener as BusListener<T>)(message);
      } catch (error) {
        this.onListenerError(topic, error);
      }
    }
  }

  subscribe<T>(topic: string, listener: BusListener<T>): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.topics.set(topic, listeners);
    }
    // Wrapped so that the same function subscribed twice counts (and unsubscribes) twice.
    const entry: BusListener<never> = (message) => listener(message as T);
    listeners.add(entry);
    this.snapshots.delete(topic);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const current = this.topics.get(topic);
      if (!current) return;
      current.delete(entry);
      this.snapshots.delete(topic);
      if (current.size === 0) this.topics.delete(topic);
    };
  }

  subscriberCount(topic?: string): number {
    if (topic !== undefined) return this.topics.get(topic)?.size ?? 0;
    let total = 0;
    for (const listeners of this.topics.values()) total += listeners.size;
    return total;
  }
}
