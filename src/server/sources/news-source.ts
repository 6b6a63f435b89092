import type { Bus } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import type { Leases } from '../leases.js';
import { BaseCadenceMs, scaledMs } from './cadence.js';
import { Feed, type DeliveryListener } from './feed.js';
import { streamFor, type Random } from './random.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

const COINS = [
  { name: 'Bitcoin', symbol: 'BTC' },
  { name: 'Ethereum', symbol: 'ETH' },
  { name: 'Solana', symbol: 'SOL' },
  { name: 'Cardano', symbol: 'ADA' },
  { name: 'Dogecoin', symbol: 'DOGE' },
  { name: 'Chainlink', symbol: 'LINK' },
];
const OUTLETS = ['CoinDesk', 'Cointelegraph', 'The Block', 'Decrypt', 'CryptoSlate'];
const STORIES: ReadonlyArray<{
  sentiment: 'positive' | 'negative' | 'neutral';
  title: string;
  description: string;
}> = [
  {
    sentiment: 'positive',
    title: '{coin} climbs as institutional inflows grow',
    description: '{coin} ({symbol}) gained ground after fund flows reached their highest level this quarter.',
  },
  {
    sentiment: 'positive',
    title: '{coin} network upgrade goes live',
    description: 'Developers shipped the long-awaited {symbol} upgrade without incident.',
  },
  {
    sentiment: 'negative',
    title: '{coin} slips as traders take profits',
    description: '{coin} ({symbol}) fell after a week of gains as short-term holders sold.',
  },
  {
    sentiment: 'negative',
    title: 'Regulators question {coin} exchange listings',
    description: 'A new consultation puts {symbol} trading products under review.',
  },
  {
    sentiment: 'neutral',
    title: '{coin} trades sideways ahead of macro data',
    description: '{coin} ({symbol}) held its range as markets waited for inflation figures.',
  },
];

/** Matching of news against a session's keywords: case-insensitive, in the title or the description. */
export function newsMatches(message: OutgoingData, keywords: readonly string[]): boolean {
  if (keywords.length === 0) return true;
  const data = message.data as { title?: string; description?: string } | undefined;
  const text = `${data?.title ?? ''}\n${data?.description ?? ''}`.toLowerCase();
  return keywords.some((keyword) => text.includes(keyword.toLowerCase()));
}

/** Crypto news "as published": one story at a time, at random intervals, while anyone reads the feed. */
export class NewsSource {
  private readonly random: Random;
  private readonly feed: Feed<'all'>;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private nextId = 1;

  constructor(
    bus: Bus,
    private readonly scheduler: Scheduler,
    seed: number,
    speed: number,
    leases?: Leases,
  ) {
    this.random = streamFor(seed, 'news');
    this.minDelayMs = scaledMs(BaseCadenceMs.newsMin, speed);
    this.maxDelayMs = scaledMs(BaseCadenceMs.newsMax, speed);
    this.feed = new Feed(
      bus,
      () => 'market:news',
      () => {
        // A chain of timeouts rather than an interval: each story comes after its own random delay.
        let timer: TimerHandle;
        const publishNext = (): void => {
          this.feed.publish('all', this.story());
          timer = this.scheduler.setTimeout(publishNext, this.nextDelayMs());
        };
        timer = this.scheduler.setTimeout(publishNext, this.nextDelayMs());
        return () => this.scheduler.clearTimeout(timer);
      },
      leases,
    );
  }

  subscribe(listener: DeliveryListener): () => void {
    return this.feed.subscribe('all', listener);
  }

  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }

  private nextDelayMs(): number {
    return this.random.int(this.minDelayMs, this.maxDelayMs);
  }

  private story(): OutgoingData {
    const id = this.nextId++;
    const coin = this.random.pick(COINS);
    const story = this.random.pick(STORIES);
    const fill = (text: string) => text.replaceAll('{coin}', coin.name).replaceAll('{symbol}', coin.symbol);
    const title = fill(story.title);
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const score =
      story.sentiment === 'positive'
        ? this.random.float(0.6, 0.95)
        : story.sentiment === 'negative'
          ? this.random.float(0.05, 0.4)
          : this.random.float(0.4, 0.6);
    return {
      type: 'news',
      data: {
        title,
        description: fill(story.description),
        url: `https://news.example.com/${id}-${slug}`,
        source: this.random.pick(OUTLETS),
        published_at: new Date(this.scheduler.now()).toISOString(),
        sentiment: story.sentiment,
        sentiment_score: Math.round(score * 100) / 100,
        image_url: `https://news.example.com/images/${id}.jpg`,
      },
    };
  }
}
