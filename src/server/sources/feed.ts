import type { Bus, TopicPosition } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import { LOCAL_LEASES, type Leases } from '../leases.js';
import { OnDemand } from './on-demand.js';

/** What travels on the bus: a data message, and the session it must skip ("to the others in the room"). */
export interface Delivery {
  message: OutgoingData;
  exceptSessionId?: string;
}

/**
 * Receives the deliveries of a topic. `resumeAfter` (set for a session moved here from another instance)
 * names the position in a topic after which it has not received anything yet; `stopped` hears when the
 * listener no longer follows a topic.
 */
export type DeliveryListener = ((delivery: Delivery, at?: TopicPosition) => void) & {
  resumeAfter?: (topic: string) => string | undefined;
  stopped?: (topic: string) => void;
};

/**
 * A family of bus topics (one per key) whose producer runs on demand: subscribing to a key both adds the
 * listener to its topic and holds the key's producer running (on the instance that holds its lease).
 */
export class Feed<K extends string | number> {
  /** Absent for topics without a producer (rooms: their messages come from sessions). */
  private readonly demand: OnDemand<K> | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly topicOf: (key: K) => string,
    startProducer: ((key: K) => () => void) | undefined,
    leases: Leases = LOCAL_LEASES,
  ) {
    if (startProducer) {
      this.demand = new OnDemand((key) => leases.hold(topicOf(key), () => startProducer(key)));
    }
  }

  subscribe(key: K, listener: DeliveryListener): () => void {
    const topic = this.topicOf(key);
    const unsubscribe = this.bus.subscribe<Delivery>(topic, listener, {
      after: listener.resumeAfter?.(topic),
    });
    const release = this.demand?.acquire(key);
    return () => {
      unsubscribe();
      listener.stopped?.(topic);
      release?.();
    };
  }

  publish(key: K, message: OutgoingData, exceptSessionId?: string): void {
    const delivery: Delivery = exceptSessionId === undefined ? { message } : { message, exceptSessionId };
    this.bus.publish(this.topicOf(key), delivery);
  }

  /** Keys whose producer runs now. */
  get running(): number {
    return this.demand?.size ?? 0;
  }

  stop(): void {
    this.demand?.stopAll();
  }
}
