import type { Bus } from '../bus.js';
import type { Leases } from '../leases.js';
import { BaseCadenceMs, scaledMs } from '../sources/cadence.js';
import { CampaignSource, type CampaignRuns } from '../sources/campaign-source.js';
import { ChatStore, type ChatData, type ChatQuota } from '../sources/chat-store.js';
import { Feed } from '../sources/feed.js';
import { modelsStatus, sentimentUpdate, systemStatus } from '../sources/market-status.js';
import { NewsSource } from '../sources/news-source.js';
import { NotificationSource, type NotificationStore } from '../sources/notification-source.js';
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
  readonly chat: ChatData;
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

/**
 * Where a simulation keeps what changes and who produces what: in this process by default, or shared by
 * the instances of a deployment (src/server/cluster).
 */
export interface SimulationBackend {
  bus: Bus;
  leases?: Leases;
  chat?: ChatData;
  notifications?: NotificationStore;
  campaignRuns?: CampaignRuns;
  /** When the simulation started: the origin of its clocks (price walks, reference dates). Default: now. */
  epochMs?: number;
}

export function createSources(
  backend: SimulationBackend,
  scheduler: Scheduler,
  seed: number,
  speed: number,
  chatQuota?: ChatQuota,
): SimulationSources {
  const { bus, leases } = backend;
  const epochMs = backend.epochMs ?? scheduler.now();
  return {
    bus,
    scheduler,
    speed,
    campaigns: new CampaignSource(bus, scheduler, seed, speed, backend.campaignRuns, leases),
    chat: backend.chat ?? new ChatStore(seed, scheduler, chatQuota, epochMs),
    notifications: new NotificationSource(bus, scheduler, seed, speed, backend.notifications, leases),
    prices: new PriceSource(bus, scheduler, seed, speed, epochMs, leases),
    news: new NewsSource(bus, scheduler, seed, speed, leases),
    sentiment: new PeriodicSource(
      bus,
      'market:sentiment',
      scheduler,
      scaledMs(BaseCadenceMs.sentiment, speed),
      (p, now) => sentimentUpdate(seed, p, now),
      epochMs,
      leases,
    ),
    models: new PeriodicSource(
      bus,
      'market:models',
      scheduler,
      scaledMs(BaseCadenceMs.modelsStatus, speed),
      (p, now) => modelsStatus(seed, p, now),
      epochMs,
      leases,
    ),
    system: new PeriodicSource(
      bus,
      'market:system',
      scheduler,
      scaledMs(BaseCadenceMs.systemStatus, speed),
      (p, now) => systemStatus(seed, p, now),
      epochMs,
      leases,
    ),
    conversationRooms: new Feed(bus, (id) => `chat:conversation:${id}`, undefined),
    projectRooms: new Feed(bus, (id) => `projects:project:${id}`, undefined),
    conversationLists: new Feed(bus, (userId) => `conversations:user:${userId}`, undefined),
    customerLists: new Feed(bus, (userId) => `customers:user:${userId}`, undefined),
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
