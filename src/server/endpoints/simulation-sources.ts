import type { Bus } from '../bus.js';
import { BaseCadenceMs, scaledMs } from '../sources/cadence.js';
import { CampaignSource } from '../sources/campaign-source.js';
import { ChatStore, type ChatQuota } from '../sources/chat-store.js';
import { Feed } from '../sources/feed.js';
import { modelsStatus, sentimentUpdate, systemStatus } from '../sources/market-status.js';
import { NewsSource } from '../sources/news-source.js';
import { NotificationSource } from '../sources/notification-source.js';
import { PendingTimers } from '../sources/pending-timers.js';
import { PeriodicSource } from '../sources/periodic-source.js';
import { PriceSource } from '../sources/price-source.js';
import type { Scheduler } from '../sources/scheduler.js';

/** Everything the endpoint handlers of one simulation share. */
export interface SimulationSources {
  readonly bus: Bus;
  readonly scheduler: Scheduler;
  readonly speed: number;
  readonly campaigns: CampaignSource;
  readonly chat: ChatStore;
  readonly notifications: NotificationSource;
  readonly prices: PriceSource;
  readonly news: NewsSource;
  readonly sentiment: PeriodicSource;
  readonly models: PeriodicSource;
  readonly system: PeriodicSource;
  /** Chat rooms (one per conversation) and project rooms: topics without a producer. */
  readonly conversationRooms: Feed<number>;
  readonly projectRooms: Feed<number>;
  /** Per-user topics of the conversation and customer lists. */
  readonly conversationLists: Feed<string>;
  readonly customerLists: Feed<string>;
  /** Simulated AI replies waiting for their delay. */
  readonly aiReplies: PendingTimers;
}

const noProducer = () => () => undefined;

export function createSources(
  bus: Bus,
  scheduler: Scheduler,
  seed: number,
  speed: number,
  chatQuota?: ChatQuota,
): SimulationSources {
  return {
    bus,
    scheduler,
    speed,
    campaigns: new CampaignSource(bus, scheduler, seed, speed),
    chat: new ChatStore(seed, scheduler, chatQuota),
    notifications: new NotificationSource(bus, scheduler, seed, speed),
    prices: new PriceSource(bus, scheduler, seed, speed),
    news: new NewsSource(bus, scheduler, seed, speed),
    sentiment: new PeriodicSource(
      bus,
      'market:sentiment',
      scheduler,
      scaledMs(BaseCadenceMs.sentiment, speed),
      (p, now) => sentimentUpdate(seed, p, now),
    ),
    models: new PeriodicSource(
      bus,
      'market:models',
      scheduler,
      scaledMs(BaseCadenceMs.modelsStatus, speed),
      (p, now) => modelsStatus(seed, p, now),
    ),
    system: new PeriodicSource(
      bus,
      'market:system',
      scheduler,
      scaledMs(BaseCadenceMs.systemStatus, speed),
      (p, now) => systemStatus(seed, p, now),
    ),
    conversationRooms: new Feed(bus, (id) => `chat:conversation:${id}`, noProducer),
    projectRooms: new Feed(bus, (id) => `projects:project:${id}`, noProducer),
    conversationLists: new Feed(bus, (userId) => `conversations:user:${userId}`, noProducer),
    customerLists: new Feed(bus, (userId) => `customers:user:${userId}`, noProducer),
    aiReplies: new PendingTimers(scheduler),
  };
}

export function stopSources(sources: SimulationSources): void {
  sources.aiReplies.clear();
  for (const source of [
    sources.campaigns,
    sources.notifications,
    sources.prices,
    sources.news,
    sources.sentiment,
    sources.models,
    sources.system,
    sources.conversationRooms,
    sources.projectRooms,
    sources.conversationLists,
    sources.customerLists,
  ]) {
    source.stop();
  }
}

/** Producers running now (timers), for leak checks: 0 once every session has closed. */
export function runningProducers(sources: SimulationSources): number {
  return (
    sources.campaigns.running +
    sources.notifications.running +
    sources.prices.running +
    sources.news.running +
    sources.sentiment.running +
    sources.models.running +
    sources.system.running
  );
}
