import type { Bus } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import { OnDemand } from './on-demand.js';

/** What travels on the bus: a data message, and the session it must skip ("to the others in the room"). */
export interface Delivery {
  message: OutgoingData;
  exceptSessionId?: string;
}

export type DeliveryListener = (delivery: Delivery) => void;

/**
 * A family of bus topics (one per key) whose producer runs on demand: subscribing to a key both adds the
 * listener to its topic and holds the key's producer running.
 */
export class Feed<K extends string | number> {
  private readonly demand: OnDemand<K>;

  constructor(
    private readonly bus: Bus,
    private readonly topicOf: (key: K) => string,
    startProducer: (key: K) => () => void,
  ) {
    this.demand = new OnDemand(startProducer);
  }

  subscribe(key: K, listener: DeliveryListener): () => void {
    const unsubscribe = this.bus.subscribe<Delivery>(this.topicOf(key), listener);
    const release = this.demand.acquire(key);
    return () => {
      unsubscribe();
      release();
    };
  }

  publish(key: K, message: OutgoingData, exceptSessionId?: string): void {
    const delivery: Delivery = exceptSessionId === undefined ? { message } : { message, exceptSessionId };
    this.bus.publish(this.topicOf(key), delivery);
  }

  /** Keys whose producer runs now. */
  get running(): number {
    return this.demand.size;
  }

  stop(): void {
    this.demand.stopAll();
  }
}
