import type { Bus } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import type { Leases } from '../leases.js';
import { BaseCadenceMs, scaledMs } from './cadence.js';
import { Feed, type DeliveryListener } from './feed.js';
import { streamFor, type Random } from './random.js';
import { repeatEvery, type Scheduler } from './scheduler.js';

interface Asset {
  /** Price when the simulation starts, in USD. */
  startPrice: number;
  circulatingSupply: number;
  /** Typical 24 h volume in USD. */
  volume24h: number;
}

/** The reference symbols, with start prices and supplies of the right order of magnitude. */
export const ASSETS: Readonly<Record<string, Asset>> = {
  BTC: { startPrice: 43_250.5, circulatingSupply: 19_600_000, volume24h: 25_000_000_000 },
  ETH: { startPrice: 2_280, circulatingSupply: 120_200_000, volume24h: 12_000_000_000 },
  SOL: { startPrice: 98.4, circulatingSupply: 432_000_000, volume24h: 2_400_000_000 },
  BNB: { startPrice: 312.6, circulatingSupply: 153_800_000, volume24h: 900_000_000 },
  XRP: { startPrice: 0.62, circulatingSupply: 54_000_000_000, volume24h: 1_500_000_000 },
  ADA: { startPrice: 0.55, circulatingSupply: 35_000_000_000, volume24h: 450_000_000 },
  DOGE: { startPrice: 0.085, circulatingSupply: 142_000_000_000, volume24h: 600_000_000 },
  DOT: { startPrice: 7.2, circulatingSupply: 1_280_000_000, volume24h: 210_000_000 },
  AVAX: { startPrice: 36.1, circulatingSupply: 366_000_000, volume24h: 520_000_000 },
  LINK: { startPrice: 14.8, circulatingSupply: 567_000_000, volume24h: 380_000_000 },
};

export const SYMBOLS: readonly string[] = Object.keys(ASSETS);

/** Standard deviation of the log return per step (one step = one second at speed 1). */
const VOLATILITY_PER_STEP = 0.0004;
/** After a long idle spell the walk jumps ahead instead of replaying every missed step. */
const MAX_CATCH_UP_STEPS = 100_000;

interface Walk {
  readonly symbol: string;
  readonly random: Random;
  step: number;
  price: number;
  /** Prices 24 h and 7 d "ago", fixed per walk, from which the changes are computed. */
  readonly price24hAgo: number;
  readonly price7dAgo: number;
}

/**
 * Market prices as a seeded random walk per symbol. A symbol's walk advances one step per price interval
 * while someone follows it (and catches up with the clock when it is looked at after an idle spell), and
 * every step is published as a `price_update` in the seed service's shape.
 */
export class PriceSource {
  private readonly walks = new Map<string, Walk>();
  /** Symbols whose walks started ticking at the same instant, keyed by it: they share one timer. */
  private readonly tickGroups = new Map<number, { symbols: Set<string>; stop: () => void }>();
  private readonly feed: Feed<string>;
  private readonly intervalMs: number;
  private readonly epochMs: number;

  constructor(
    bus: Bus,
    private readonly scheduler: Scheduler,
    private readonly seed: number,
    speed: number,
    /** Where the walks start: instances of one deployment share it, so they know the same prices. */
    epochMs: number = scheduler.now(),
    leases?: Leases,
  ) {
    this.intervalMs = scaledMs(BaseCadenceMs.price, speed);
    this.epochMs = epochMs;
    this.feed = new Feed(
      bus,
      (symbol) => `market:price:${symbol}`,
      (symbol) => {
        this.catchUp(this.walk(symbol));
        return this.startTicking(symbol);
      },
      leases,
    );
  }

  /**
   * Ticks `symbol` every interval from now. Symbols started at the same instant (a `subscribe` naming
   * several) are on exactly the same schedule, so they share one timer and tick in one turn, in the order
   * they were started: each session then gets its updates in one burst, which its socket sends at once.
   */
  private startTicking(symbol: string): () => void {
    const startedAt = this.scheduler.now();
    let group = this.tickGroups.get(startedAt);
    if (!group) {
      const symbols = new Set<string>();
      const stop = repeatEvery(this.scheduler, this.intervalMs, () => {
        for (const ticking of [...symbols]) if (symbols.has(ticking)) this.tick(ticking);
      });
      group = { symbols, stop };
      this.tickGroups.set(startedAt, group);
    }
    const joined = group;
    joined.symbols.add(symbol);
    return () => {
      if (!joined.symbols.delete(symbol) || joined.symbols.size > 0) return;
      joined.stop();
      if (this.tickGroups.get(startedAt) === joined) this.tickGroups.delete(startedAt);
    };
  }

  private tick(symbol: string): void {
    const walk = this.walk(symbol);
    this.advance(walk, Math.max(walk.step + 1, this.clockStep()));
    this.feed.publish(symbol, this.priceUpdate(walk));
  }

  isKnown(symbol: string): boolean {
    return Object.hasOwn(ASSETS, symbol);
  }

  subscribe(symbol: string, listener: DeliveryListener): () => void {
    return this.feed.subscribe(symbol, listener);
  }

  /** The symbol's current price as a `price_update`. */
  current(symbol: string): OutgoingData {
    const walk = this.walk(symbol);
    this.catchUp(walk);
    return this.priceUpdate(walk);
  }

  /** Every reference symbol's current price, as the `data.prices` of a `prices_snapshot`. */
  all(): Array<Record<string, unknown>> {
    return SYMBOLS.map((symbol) => {
      const walk = this.walk(symbol);
      this.catchUp(walk);
      return this.priceData(walk);
    });
  }

  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }

  private walk(symbol: string): Walk {
    let walk = this.walks.get(symbol);
    if (!walk) {
      const random = streamFor(this.seed, 'price', symbol);
      const { startPrice } = ASSETS[symbol];
      walk = {
        symbol,
        random,
        step: 0,
        price: startPrice,
        price24hAgo: startPrice / (1 + random.float(-0.06, 0.06)),
        price7dAgo: startPrice / (1 + random.float(-0.15, 0.15)),
      };
      this.walks.set(symbol, walk);
    }
    return walk;
  }

  private clockStep(): number {
    return Math.floor((this.scheduler.now() - this.epochMs) / this.intervalMs);
  }

  private catchUp(walk: Walk): void {
    this.advance(walk, this.clockStep());
  }

  private advance(walk: Walk, toStep: number): void {
    if (toStep - walk.step > MAX_CATCH_UP_STEPS) walk.step = toStep - MAX_CATCH_UP_STEPS;
    while (walk.step < toStep) {
      walk.price *= Math.exp(VOLATILITY_PER_STEP * walk.random.gaussian());
      walk.step += 1;
    }
  }

  private priceUpdate(walk: Walk): OutgoingData {
    return { type: 'price_update', data: this.priceData(walk), source: 'binance' };
  }

  private priceData(walk: Walk): Record<string, unknown> {
    const asset = ASSETS[walk.symbol];
    const price = roundPrice(walk.price);
    // Volume wobbles around its typical figure; deterministic per step, drawn from its own stream.
    const wobble = streamFor(this.seed, 'volume', walk.symbol, walk.step).float(0.9, 1.1);
    return {
      symbol: walk.symbol,
      price,
      change_24h: round2((walk.price / walk.price24hAgo - 1) * 100),
      change_7d: round2((walk.price / walk.price7dAgo - 1) * 100),
      volume_24h: Math.round(asset.volume24h * wobble),
      market_cap: Math.round(walk.price * asset.circulatingSupply),
      timestamp: new Date(this.scheduler.now()).toISOString(),
    };
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Two decimals for prices above 100 USD, more for the cheap coins. */
function roundPrice(price: number): number {
  const decimals = price >= 100 ? 2 : price >= 1 ? 4 : 6;
  const factor = 10 ** decimals;
  return Math.round(price * factor) / factor;
}
