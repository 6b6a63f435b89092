/**
 * The limits per user counted across the instances of a deployment (CLU-007), in Redis:
 * - messages per fixed window (RL-009, RL-010): a hash per key and window with one field per instance,
 *   whose time to live is set by the first count, so that every instance agrees on when the window
 *   started. `countMessage` answers at once from this instance's view (its own count plus the others'
 *   last told) and adds its new messages in the background, one script call per key per tick; each call
 *   tells every instance the window's counts (pub/sub), so each view trails the deployment by about a
 *   tick and two round trips to Redis;
 * - open connections (SEC-004): a hash per key with one field per instance holding some, summed over the
 *   instances still alive (`tw:inst:<id>`), so a dead instance's connections stop counting;
 * - barred keys: a string with a time to live.
 * While Redis cannot be reached the server refuses connections and closes live ones; the counters go on
 * from their local view, never throw on a message's path, and write what they owe once Redis is back.
 */
import { CLUSTER_COUNT_DELAY_MS } from '../../protocol/constants.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { LimitCounters } from '../core/limit-counters.js';
import { errorMessage } from '../core/guard.js';
import { StoreUnavailableError } from '../core/session-store.js';
import type { RateCount } from '../core/rate-window.js';
import { RedisKeys } from './redis-keys.js';
import type { RedisLink, Reply } from './redis-link.js';
import { BAR, BARRED, COUNT_MESSAGES, SET_GAUGE } from './redis-scripts.js';

/**
 * How often an instance adds its new messages to the shared windows: a tenth of the delay CLU-007
 * allows (`CLUSTER_COUNT_DELAY_MS`), leaving the rest to two round trips to Redis and a busy event loop.
 */
export const RECONCILE_MS = CLUSTER_COUNT_DELAY_MS / 10;
/** Time to live of a gauge; the instances that hold connections rewrite it a third as often. */
const GAUGE_TTL_MS = 60_000;
/** Entries are swept once the map holds this many, so keys that went quiet do not accumulate. */
const SWEEP_AT_ENTRIES = 1_024;

export interface RedisLimitCountersOptions {
  link: RedisLink;
  instanceId: string;
  clock: Clock;
  /** Listens on a pub/sub channel (a client of its own). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  logger(line: string): void;
}

/** This instance's view of one key's window. */
interface WindowView {
  endsAt: number;
  windowMs: number;
  /** Messages this instance counted in the window. */
  own: number;
  /** Of those, the ones sent to Redis (in flight or answered). */
  sent: number;
  inFlight: boolean;
  /** The other instances' counts, as last told. */
  others: Map<string, number>;
  othersTotal: number;
}

export class RedisLimitCounters implements LimitCounters {
  private readonly windows = new Map<string, WindowView>();
  /** Keys with messages not yet sent to Redis. */
  private readonly unsent = new Set<string>();
  /** Connections this instance holds, per gauge key: the truth it writes to Redis. */
  private readonly held = new Map<string, number>();
  /** Gauges whose last write failed: written again once Redis is back. */
  private readonly owed = new Set<string>();
  private readonly bars = new Map<string, number>();
  /** Additions sent and not yet answered. */
  private readonly sending = new Set<Promise<void>>();
  private tick: TimerHandle | undefined;
  private readonly rewriting: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private sweepAt = SWEEP_AT_ENTRIES;
  private closed = false;

  constructor(private readonly options: RedisLimitCountersOptions) {
    this.stopListening = options.link.onAvailability((available) => {
      if (!available) return;
      this.schedule();
      for (const key of new Set([...this.owed, ...this.held.keys()])) this.rewrite(key);
    });
    this.rewriting = setInterval(() => {
      for (const key of this.held.keys()) this.rewrite(key);
    }, GAUGE_TTL_MS / 3);
    this.rewriting.unref();
  }

  /** Starts hearing the other instances' counts. */
  async listen(): Promise<void> {
    await this.options.subscribe(RedisKeys.limitCounts, (text) => this.told(text));
  }

  countMessage(key: string, windowMs: number): RateCount {
    const now = this.options.clock.now();
    const view = this.viewOf(key, windowMs, now);
    view.windowMs = windowMs;
    view.own += 1;
    this.unsent.add(key);
    this.schedule();
    return { count: view.own + view.othersTotal, retryAfterMs: Math.max(1, view.endsAt - now) };
  }

  async add(key: string, delta: number): Promise<number> {
    const value = Math.max(0, (this.held.get(key) ?? 0) + delta);
    this.hold(key, value);
    try {
      return await this.writeGauge(key);
    } catch (error) {
      // A connection that was not admitted holds nothing; one that went away holds nothing either, and
      // its close must not fail: the gauge is written again once Redis is back.
      if (delta > 0) {
        this.hold(key, Math.max(0, (this.held.get(key) ?? 0) - delta));
        throw error;
      }
      return this.held.get(key) ?? 0;
    }
  }

  bar(key: string, ms: number): void {
    const until = this.options.clock.now() + ms;
    if (until > (this.bars.get(key) ?? 0)) this.bars.set(key, until);
    this.options.link.run(BAR, [RedisKeys.limitBar(key)], [Math.ceil(ms)]).catch(() => {
      // Redis away: this instance's own bar holds meanwhile, and the server takes no connections.
    });
  }

  /** Also takes the key's window as Redis has it: a new connection starts with the deployment's count. */
  async barredForMs(key: string): Promise<number> {
    const now = this.options.clock.now();
    const until = this.bars.get(key) ?? 0;
    if (until <= now) this.bars.delete(key);
    const [barTtl, windowTtl, fields] = (await this.options.link.run(
      BARRED,
      [RedisKeys.limitBar(key), RedisKeys.limitWindow(key)],
      [],
    )) as [number, number, Reply[]];
    if (windowTtl > 0) this.learn(key, windowTtl, fields as string[], false, windowTtl);
    return Math.max(0, until - now, barTtl);
  }

  /** The count of `key`'s window as this instance sees it now (what its next message would add to). */
  counted(key: string): number {
    const view = this.windows.get(key);
    return view && this.options.clock.now() < view.endsAt ? view.own + view.othersTotal : 0;
  }

  /** Sends what is counted and not yet sent now; resolves once Redis has answered all of it. */
  async flush(): Promise<void> {
    // Keys with an addition in flight are sent again once it is answered: a second round sends them.
    for (let round = 0; round < 2; round++) {
      this.options.clock.clearTimeout(this.tick);
      this.tick = undefined;
      await Promise.all([...this.sending, ...this.reconcile()]);
    }
  }

  /** Keys tracked now, for leak checks. */
  get size(): number {
    return this.windows.size + this.held.size + this.bars.size + this.owed.size;
  }

  close(): void {
    this.closed = true;
    this.options.clock.clearTimeout(this.tick);
    clearInterval(this.rewriting);
    this.stopListening();
  }

  private viewOf(key: string, windowMs: number, now: number): WindowView {
    let view = this.windows.get(key);
    if (!view || now >= view.endsAt) {
      view = {
        endsAt: now + windowMs,
        windowMs,
        own: 0,
        sent: 0,
        // An addition still in flight belongs to the window that ended, not to this one.
        inFlight: false,
        others: new Map(),
        othersTotal: 0,
      };
      this.windows.set(key, view);
      if (this.windows.size + this.bars.size >= this.sweepAt) this.sweep(now);
    }
    return view;
  }

  /**
   * The counts of a window as Redis has them (`fields`: instance, count, …), `ttlMs` before it ends.
   * This instance's own count is taken only from the answer to its own addition (`ownReply`): anything
   * else may predate what it has in flight.
   */
  private learn(
    key: string,
    ttlMs: number,
    fields: readonly string[],
    ownReply: boolean,
    windowMs: number,
  ): void {
    const now = this.options.clock.now();
    const endsAt = now + ttlMs;
    let view = this.windows.get(key);
    if (!view || now >= view.endsAt) {
      view = this.viewOf(key, windowMs, now);
    } else if (endsAt - view.endsAt > view.windowMs / 2) {
      // Redis started a new window while this one had not ended here: what was counted is gone.
      view.own -= view.sent;
      view.sent = 0;
      view.others.clear();
      view.othersTotal = 0;
    }
    // Redis's end of the window is every instance's.
    view.endsAt = endsAt;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const instance = fields[i];
      const count = Number(fields[i + 1]);
      if (instance === this.options.instanceId) {
        if (!ownReply) continue;
        // Redis lost some of ours (it restarted empty): its count is the truth.
        view.own += count - view.sent;
        view.sent = count;
      } else if (count > (view.others.get(instance) ?? 0)) {
        view.othersTotal += count - (view.others.get(instance) ?? 0);
        view.others.set(instance, count);
      }
    }
  }

  /** Another instance added messages to a window. */
  private told(text: string): void {
    try {
      const [key, ttl, fields, windowMs] = JSON.parse(text) as [string, number, string[], number];
      if (typeof key === 'string' && ttl > 0 && Array.isArray(fields) && windowMs > 0) {
        this.learn(key, ttl, fields, false, windowMs);
      }
    } catch {
      // Not ours to judge: channels of a deployment carry only what its instances publish.
    }
  }

  private schedule(): void {
    if (this.tick !== undefined || this.closed || this.unsent.size === 0) return;
    if (!this.options.link.isAvailable) return;
    this.tick = this.options.clock.setTimeout(() => {
      this.tick = undefined;
      this.reconcile();
    }, RECONCILE_MS);
  }

  /** Sends each key's new messages: one script call per key, at most one in flight. */
  private reconcile(): Promise<void>[] {
    const sending: Promise<void>[] = [];
    const now = this.options.clock.now();
    for (const key of [...this.unsent]) {
      const view = this.windows.get(key);
      if (!view || now >= view.endsAt) {
        this.unsent.delete(key);
        continue;
      }
      if (view.inFlight) continue;
      this.unsent.delete(key);
      const batch = view.own - view.sent;
      if (batch <= 0) continue;
      view.sent += batch;
      view.inFlight = true;
      const { link, instanceId } = this.options;
      const sent = link
        .run(
          COUNT_MESSAGES,
          [RedisKeys.limitWindow(key)],
          [instanceId, batch, view.windowMs, RedisKeys.limitCounts, key],
        )
        .then(
          (reply) => {
            view.inFlight = false;
            const [ttl, fields] = reply as [number, string[]];
            if (this.windows.get(key) === view && ttl > 0) this.learn(key, ttl, fields, true, view.windowMs);
          },
          (error: unknown) => {
            view.inFlight = false;
            if (!(error instanceof StoreUnavailableError)) {
              // Redis refused the script itself: sending it again would fail the same way.
              this.options.logger(
                `limit counters: cannot add to the window of ${key}: ${errorMessage(error)}`,
              );
              return;
            }
            // Sent again with the next messages or once Redis is back, while the window lasts.
            view.sent -= batch;
            this.unsent.add(key);
          },
        )
        .finally(() => {
          this.sending.delete(sent);
          this.schedule();
        });
      this.sending.add(sent);
      sending.push(sent);
    }
    return sending;
  }

  private hold(key: string, value: number): void {
    if (value > 0) this.held.set(key, value);
    else this.held.delete(key);
  }

  /** Writes this instance's value of a gauge and resolves with the sum over live instances. */
  private async writeGauge(key: string): Promise<number> {
    const { link, instanceId } = this.options;
    try {
      const total = await link.run(
        SET_GAUGE,
        [RedisKeys.limitGauge(key)],
        [instanceId, this.held.get(key) ?? 0, GAUGE_TTL_MS, RedisKeys.instancePrefix],
      );
      this.owed.delete(key);
      return Number(total);
    } catch (error) {
      this.owed.add(key);
      throw error;
    }
  }

  /** Writes a gauge again (its time to live, or what a failed write left out); a failure stays owed. */
  private rewrite(key: string): void {
    this.writeGauge(key).catch(() => {});
  }

  private sweep(now: number): void {
    for (const [key, view] of this.windows) {
      if (now >= view.endsAt && !view.inFlight && !this.unsent.has(key)) this.windows.delete(key);
    }
    for (const [key, until] of this.bars) if (until <= now) this.bars.delete(key);
    this.sweepAt = Math.max(SWEEP_AT_ENTRIES, 2 * (this.windows.size + this.bars.size));
  }
}
