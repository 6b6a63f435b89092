/**
 * The reference server's endpoints: one handler per endpoint of the catalogue, all fed by one simulation
 * (seeded sources, an in-memory store and a bus). The protocol core calls `createSimulation` once and
 * routes every session to `handlers[endpoint]`.
 */
import type { EndpointName } from '../../protocol/endpoints.js';
import { InMemoryBus, type Bus } from '../bus.js';
import type { EndpointHandler } from '../endpoint-handler.js';
import type { ChatQuota } from '../sources/chat-store.js';
import { systemScheduler, type Scheduler } from '../sources/scheduler.js';
import { campaignsHandler } from './campaigns.js';
import { chatHandler } from './chat.js';
import { conversationsHandler } from './conversations.js';
import { customersHandler } from './customers.js';
import { huggingfaceHandler } from './huggingface.js';
import { marketDataHandler } from './market-data.js';
import { monitoringHandler } from './monitoring.js';
import { newsHandler } from './news.js';
import { notificationsHandler } from './notifications.js';
import { projectsHandler } from './projects.js';
import { sentimentHandler } from './sentiment.js';
import { beginSession, endSession, restoreState, saveState, type Follow } from './session-subscriptions.js';
import {
  createSources,
  runningProducers,
  stopSources,
  type SimulationBackend,
  type SimulationSources,
} from './simulation-sources.js';

export interface SimulationOptions {
  /** Seed of every simulated source: the same seed and the same clock give the same data. */
  seed: number;
  /** Multiplies every source's cadence (2 = twice as often). */
  speed: number;
  /** Clock and timers; default real time. Tests drive time with `ManualScheduler`. */
  scheduler?: Scheduler;
  /** Where sources publish and sessions subscribe, where data is kept; default a fresh `InMemoryBus`, in memory. */
  backend?: Partial<SimulationBackend>;
  /** Caps on the chat messages kept in memory; default `DEFAULT_CHAT_QUOTA`. */
  chatQuota?: ChatQuota;
}

export interface Simulation {
  handlers: Record<EndpointName, EndpointHandler>;
  /** Stops every source and pending timer; sessions still open simply receive nothing more. */
  stop(): void;
  readonly bus: Bus;
  /** Sources producing now (each one timer): 0 when no session follows anything. */
  producers(): number;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const { seed, speed } = options;
  if (!Number.isFinite(seed)) throw new Error(`simulation seed must be a finite number, got ${String(seed)}`);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new Error(`simulation speed must be a number above 0, got ${String(speed)}`);
  }
  const bus = options.backend?.bus ?? new InMemoryBus();
  const sources = createSources(
    { ...options.backend, bus },
    options.scheduler ?? systemScheduler,
    Math.trunc(seed) >>> 0,
    speed,
    options.chatQuota,
  );
  const factories: Record<EndpointName, (sources: SimulationSources) => SimulatedHandler> = {
    campaigns: campaignsHandler,
    chat: chatHandler,
    conversations: conversationsHandler,
    customers: customersHandler,
    notifications: notificationsHandler,
    projects: projectsHandler,
    monitoring: monitoringHandler,
    market_data: marketDataHandler,
    news: newsHandler,
    sentiment: sentimentHandler,
    huggingface: huggingfaceHandler,
  };
  const handlers = {} as Record<EndpointName, EndpointHandler>;
  for (const [name, factory] of Object.entries(factories)) {
    handlers[name as EndpointName] = restartable(factory(sources));
  }
  return {
    handlers,
    stop: () => stopSources(sources),
    bus,
    producers: () => runningProducers(sources),
  };
}

/** A handler of the simulation, which knows how to follow each of its subscription keys again. */
type SimulatedHandler = EndpointHandler & { follow: Follow };

/**
 * What every handler of the simulation can do: a session the core closes and opens again (it may, to start
 * one over) is live again after `open`; a session's state can be saved and rebuilt on another instance,
 * and released here when it moves there.
 */
function restartable({ follow, ...handler }: SimulatedHandler): EndpointHandler {
  return {
    ...handler,
    open(session, start) {
      beginSession(session);
      return handler.open(session, start);
    },
    saveState,
    restoreState: (session, saved) => restoreState(session, saved, follow),
    release: endSession,
  };
}

export { InMemoryBus, type Bus } from '../bus.js';
export { ManualScheduler } from '../sources/manual-scheduler.js';
export { systemScheduler, type Scheduler } from '../sources/scheduler.js';
