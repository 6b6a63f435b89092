/**
 * A bus shared by the instances of a deployment: every topic is a Redis stream. Publishing adds an entry;
 * each instance reads the topics its sessions follow (one blocking `XREAD` for all of them) and hands each
 * entry to its own subscribers, with the entry's id as the message's position in the topic. A subscriber
 * that comes with a position (a session taken over from another instance) first gets what it missed since.
 * Streams are read from where the instance left off, so a dropped connection to Redis loses nothing.
 */
import {
  InMemoryBus,
  type Bus,
  type BusListener,
  type SubscribeOptions,
  type TopicPosition,
} from '../bus.js';
import type { RedisLink } from './redis-link.js';
import { RedisKeys } from './redis-keys.js';

type Client = Awaited<ReturnType<RedisLink['extraClient']>>;
type Entry = [id: string, fields: string[]];

export interface RedisBusOptions {
  link: RedisLink;
  /** A connection of its own, for the blocking reads. */
  reader: Client;
  /** Entries kept per topic (approximately). */
  topicLength: number;
  /** Topics shared by the instances; the others are delivered on the publishing instance only. */
  sharesTopic(topic: string): boolean;
  logger(line: string): void;
}

/** A topic an instance starts to read is read from this long before (clocks differ). */
const START_MARGIN_MS = 2_000;
/** Longest a read blocks: new topics are picked up at once anyway (the read is interrupted). */
const BLOCK_MS = 5_000;
/** Entries read per topic at once. */
const READ_COUNT = 1_000;

interface Subscription {
  listener: BusListener<unknown>;
  /** Entries up to this id are not for this subscriber; undefined once every new entry is. */
  from: string | undefined;
  /** Catching up with entries before the topic's read position; live ones wait meanwhile. */
  waiting: Array<[unknown, TopicPosition]> | undefined;
}

interface TopicState {
  /** The id of the last entry read (or where reading starts). */
  position: string;
  readonly subscriptions: Set<Subscription>;
  /** The subscriptions as an array, made on the first entry after a change and reused until the next. */
  snapshot: Subscription[] | undefined;
}

export class RedisBus implements Bus {
  private readonly local = new InMemoryBus();
  private readonly topics = new Map<string, TopicState>();
  private readerId: string | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    options.reader.on('ready', () => void this.identifyReader());
    void this.identifyReader().then(() => this.readLoop());
  }

  publish<T>(topic: string, message: T): void {
    if (!this.options.sharesTopic(topic)) return this.local.publish(topic, message);
    const { link, topicLength } = this.options;
    const key = RedisKeys.topic(topic);
    link
      .send(['XADD', key, 'MAXLEN', '~', topicLength, '*', 'd', JSON.stringify(message)])
      .catch((error: unknown) => {
        if (link.isAvailable)
          this.options.logger(`bus: publish to ${topic} failed: ${(error as Error).message}`);
      });
  }

  subscribe<T>(topic: string, listener: BusListener<T>, options: SubscribeOptions = {}): () => void {
    if (!this.options.sharesTopic(topic)) return this.local.subscribe(topic, listener);
    let state = this.topics.get(topic);
    const fresh = state === undefined;
    if (!state) {
      state = {
        position: options.after ?? `${Math.max(0, this.options.link.now() - START_MARGIN_MS)}-0`,
        subscriptions: new Set(),
        snapshot: undefined,
      };
      this.topics.set(topic, state);
    }
    const { after } = options;
    const behind = after !== undefined && compareIds(after, state.position) < 0;
    // A subscriber without a position gets what is published after it subscribed: entries whose id
    // (Redis's clock when they were added) is not earlier than this instance's estimate of Redis's clock
    // now (`RedisLink.now`; entries of this very millisecond are delivered, too short to tell before from
    // after). What came before is not its to get: a member who joins a room hears what is said from then
    // on, and one who leaves and comes back does not hear again what it heard before. The estimate errs by
    // at most half the round trip to Redis, and a message that follows a subscription (a reply to the join,
    // then a post) takes a whole round trip at least, so none is left out.
    const from = after ?? `${this.options.link.now() - 1}-${Number.MAX_SAFE_INTEGER}`;
    const subscription: Subscription = {
      listener: listener as BusListener<unknown>,
      from: compareIds(from, state.position) > 0 ? from : undefined,
      waiting: behind ? [] : undefined,
    };
    state.subscriptions.add(subscription);
    state.snapshot = undefined;
    if (behind) void this.catchUp(topic, state, subscription, after);
    if (fresh) this.interruptRead();
    let subscribed = true;
    const current = state;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      current.subscriptions.delete(subscription);
      current.snapshot = undefined;
      if (current.subscriptions.size === 0 && this.topics.get(topic) === current) this.topics.delete(topic);
    };
  }

  subscriberCount(topic?: string): number {
    if (topic !== undefined) {
      return (this.topics.get(topic)?.subscriptions.size ?? 0) + this.local.subscriberCount(topic);
    }
    let total = this.local.subscriberCount();
    for (const state of this.topics.values()) total += state.subscriptions.size;
    return total;
  }

  close(): void {
    this.closed = true;
    this.interruptRead();
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const names = [...this.topics.keys()];
      if (names.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const positions = names.map((name) => this.topics.get(name)!.position);
      let reply: Array<[string, Entry[]]> | null;
      try {
        reply = (await this.options.reader.sendCommand([
          'XREAD',
          'COUNT',
          String(READ_COUNT),
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          ...names.map((name) => RedisKeys.topic(name)),
          ...positions,
        ])) as Array<[string, Entry[]]> | null;
      } catch (error) {
        // Redis is away: the reader reconnects on its own; read again from the same positions then.
        if (this.options.link.isAvailable)
          this.options.logger(`bus: reading failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, this.options.link.retryAfterMs).unref());
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        const topic = key.slice(RedisKeys.topicPrefix.length);
        const state = this.topics.get(topic);
        if (state) this.dispatch(topic, state, entries);
      }
    }
  }

  private dispatch(topic: string, state: TopicState, entries: readonly Entry[]): void {
    for (const [id, fields] of entries) {
      // A read started before a subscriber came with an earlier position may return what it already has.
      if (compareIds(id, state.position) <= 0) continue;
      state.position = id;
      const message = JSON.parse(fields[1]) as unknown;
      const at: TopicPosition = { topic, id };
      state.snapshot ??= [...state.subscriptions];
      for (const subscription of state.snapshot) {
        if (subscription.from !== undefined) {
          if (compareIds(id, subscription.from) <= 0) continue;
          subscription.from = undefined;
        }
        if (subscription.waiting) subscription.waiting.push([message, at]);
        else if (state.subscriptions.has(subscription)) this.deliver(subscription, message, at);
      }
    }
  }

  /**
   * Delivers to one subscriber what was published after `after` and up to the topic's read position, then
   * what came meanwhile.
   */
  private async catchUp(
    topic: string,
    state: TopicState,
    subscription: Subscription,
    after: string,
  ): Promise<void> {
    try {
      const entries = (await this.options.link.send([
        'XRANGE',
        RedisKeys.topic(topic),
        `(${after}`,
        state.position,
      ])) as Entry[];
      for (const [id, fields] of entries) {
        if (!state.subscriptions.has(subscription)) return;
        this.deliver(subscription, JSON.parse(fields[1]) as unknown, { topic, id });
      }
    } catch (error) {
      this.options.logger(`bus: catching up on ${topic} failed: ${(error as Error).message}`);
    }
    const waiting = subscription.waiting ?? [];
    subscription.waiting = undefined;
    for (const [message, at] of waiting) {
      if (state.subscriptions.has(subscription)) this.deliver(subscription, message, at);
    }
  }

  private deliver(subscription: Subscription, message: unknown, at: TopicPosition): void {
    try {
      subscription.listener(message, at);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger(`bus: a subscriber of "${at.topic}" failed: ${reason}`);
    }
  }

  /** Makes the blocked read return, so that it starts again with the current topics. */
  private interruptRead(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (this.readerId === undefined) return;
    this.options.link.send(['CLIENT', 'UNBLOCK', this.readerId]).catch(() => {});
  }

  private async identifyReader(): Promise<void> {
    try {
      this.readerId = String(await this.options.reader.sendCommand(['CLIENT', 'ID']));
    } catch {
      this.readerId = undefined;
    }
  }
}

/** Orders stream ids `<ms>-<n>`. */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = splitId(a);
  const [bMs, bSeq] = splitId(b);
  return aMs - bMs || aSeq - bSeq;
}

function splitId(id: string): [number, number] {
  const dash = id.indexOf('-');
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}
