/**
 * Several reference server instances as one deployment, through Redis (`--redis URL`). Every instance
 * started with the same URL serves the same sessions, rooms, subscriptions, stores and request memory; any
 * instance resumes any session; exactly one instance produces each simulated source. docs/cluster.md
 * says what lives where and what happens when Redis cannot be reached.
 */
import type { Clock } from '../clock.js';
import { InMemoryLimitCounters, type LimitCounters } from '../core/limit-counters.js';
import type { SimulationBackend } from '../endpoints/simulation-sources.js';
import type { ChatQuota } from '../sources/chat-store.js';
import { RedisBus } from './redis-bus.js';
import { RedisKeys } from './redis-keys.js';
import { RedisLeases } from './redis-leases.js';
import { RedisLimitCounters } from './redis-limit-counters.js';
import { RedisLink } from './redis-link.js';
import type { ClusterBehaviour } from './behaviour.js';
import { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
import { RedisCampaignRuns, RedisChatData, RedisNotifications } from './redis-stores.js';

export type { RedisSessionStore } from './redis-session-store.js';

/** Timers of a deployment's instances. */
export interface ClusterTimers {
  /** Time to live of a source's lease: a dead producer is replaced within about 4/3 of it. */
  leaseMs: number;
  /** Wait between attempts at reaching Redis again; the `retryAfterMs` clients get meanwhile. */
  reconnectMs: number;
}

/** How long starting waits for Redis before it gives up. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Entries kept per topic stream (approximately): what a session taken over late can still catch up on. */
const TOPIC_LENGTH = 10_000;
/** The chat rooms' topics (CLU-002's fault keeps them on one instance). */
const ROOM_TOPIC = /^chat:conversation:/;

export interface ClusterOptions {
  url: string;
  instanceId: string;
  /** The simulation's seed: instances generate the same reference data from it. */
  seed: number;
  clock: Clock;
  timers: ClusterTimers;
  behaviour: ClusterBehaviour;
  /** Caps on the chat messages kept; Redis keeps `messagesPerConversation` per conversation. */
  chatQuota: ChatQuota;
  logger(line: string): void;
}

/** What the server decides about its sessions; the deployment adds the rest. */
export type SessionStoreSettings = Omit<
  RedisSessionStoreOptions,
  'link' | 'instanceId' | 'clock' | 'behaviour' | 'logger'
>;

export interface Cluster {
  readonly link: RedisLink;
  /** Where the simulation publishes and keeps its data. */
  readonly backend: SimulationBackend;
  sessionStore(settings: SessionStoreSettings): Promise<RedisSessionStore>;
  /** The limits per user, counted across the instances (CLU-007). */
  readonly counters: LimitCounters;
  /** Leaves the deployment: sessions stay resumable on the other instances. */
  close(): Promise<void>;
}

export async function connectCluster(options: ClusterOptions): Promise<Cluster> {
  const { instanceId, timers, logger } = options;
  const link = await RedisLink.connect({
    url: options.url,
    reconnectMs: timers.reconnectMs,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    logger,
  });
  let reader: Awaited<ReturnType<RedisLink['extraClient']>> | undefined;
  let subscriber: Awaited<ReturnType<RedisLink['extraClient']>> | undefined;
  try {
    reader = await link.extraClient();
    subscriber = await link.extraClient();
  } catch (error) {
    await link.close();
    throw error;
  }
  // The first instance of a deployment sets when its simulation started; the others take that.
  await link.send(['SET', RedisKeys.epoch, Date.now(), 'NX']);
  const epochMs = Number(await link.send(['GET', RedisKeys.epoch]));

  const instanceKey = RedisKeys.instance(instanceId);
  const instanceTtlMs = 3 * timers.leaseMs;
  const announce = () =>
    link.send(['SET', instanceKey, String(process.pid), 'PX', instanceTtlMs]).catch(() => {});
  await announce();
  const announcing = setInterval(() => void announce(), timers.leaseMs);
  announcing.unref();

  const bus = new RedisBus({
    link,
    reader,
    topicLength: TOPIC_LENGTH,
    sharesTopic: (topic) => options.behaviour.sharesRooms || !ROOM_TOPIC.test(topic),
    logger,
  });
  const now = () => options.clock.now();
  const backend: SimulationBackend = {
    bus,
    leases: new RedisLeases({ link, instanceId, leaseMs: timers.leaseMs, logger }),
    chat: new RedisChatData(link, options.seed, epochMs, now, options.chatQuota.messagesPerConversation),
    notifications: new RedisNotifications(link),
    campaignRuns: new RedisCampaignRuns(link, logger),
    epochMs,
  };
  const channelClient = subscriber;
  const subscribe = (channel: string, listener: (message: string) => void) =>
    channelClient.subscribe(channel, listener);
  let sharedCounters: RedisLimitCounters | undefined;
  if (options.behaviour.sharesLimits) {
    sharedCounters = new RedisLimitCounters({ link, instanceId, clock: options.clock, subscribe, logger });
    try {
      await sharedCounters.listen();
    } catch (error) {
      clearInterval(announcing);
      sharedCounters.close();
      bus.close();
      await link.close();
      throw error;
    }
  }
  return {
    link,
    backend,
    counters: sharedCounters ?? new InMemoryLimitCounters(options.clock),
    async sessionStore(settings) {
      const store = new RedisSessionStore({
        ...settings,
        link,
        instanceId,
        clock: options.clock,
        behaviour: options.behaviour,
        logger,
      });
      await store.listen(
        subscribe,
        (channel, message) => void link.send(['PUBLISH', channel, message]).catch(() => {}),
      );
      return store;
    },
    async close() {
      clearInterval(announcing);
      bus.close();
      if (link.isAvailable) {
        // What this instance wrote last (detached sessions, released leases, the last messages it
        // counted) lands before it goes.
        await sharedCounters?.flush();
        await link.barrier().catch(() => {});
        await link.send(['DEL', instanceKey]).catch(() => {});
      }
      sharedCounters?.close();
      await link.close();
    },
  };
}
