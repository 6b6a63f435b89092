import type { Bus } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import type { Leases } from '../leases.js';
import { Feed, type DeliveryListener } from './feed.js';
import { repeatEvery, type Scheduler } from './scheduler.js';

/** Builds the message for one period: a pure function of the period number and the time, so it is reproducible. */
export type PeriodBuilder = (period: number, nowMs: number) => OutgoingData;

/**
 * A status that is published every `intervalMs` while anyone follows it, and can be read at any time
 * (the snapshot a session gets when it opens). One timer however many sessions follow it.
 */
export class PeriodicSource {
  private readonly feed: Feed<'all'>;
  private readonly epochMs: number;

  constructor(
    bus: Bus,
    topic: string,
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number,
    private readonly build: PeriodBuilder,
    /** Where the periods are counted from: instances of one deployment share it. */
    epochMs: number = scheduler.now(),
    leases?: Leases,
  ) {
    this.epochMs = epochMs;
    this.feed = new Feed(
      bus,
      () => topic,
      () => {
        return repeatEvery(this.scheduler, this.intervalMs, () => this.feed.publish('all', this.current()));
      },
      leases,
    );
  }

  subscribe(listener: DeliveryListener): () => void {
    return this.feed.subscribe('all', listener);
  }

  current(): OutgoingData {
    const now = this.scheduler.now();
    return this.build(Math.floor((now - this.epochMs) / this.intervalMs), now);
  }

  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }
}
