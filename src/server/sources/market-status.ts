/**
 * The market service's status messages in the seed's shapes: `sentiment_update`, `models_status` and
 * `system_status`. Each is a pure function of (seed, period, time), drawn from its own random stream.
 */
import type { OutgoingData } from '../endpoint-handler.js';
import { streamFor } from './random.js';

const MODELS: ReadonlyArray<{ id: string; type: string }> = [
  { id: 'ElKulako/CryptoBERT', type: 'sentiment' },
  { id: 'kk08/CryptoBERT', type: 'sentiment' },
  { id: 'ProsusAI/finbert', type: 'sentiment' },
  { id: 'yiyanghkust/finbert-tone', type: 'sentiment' },
  { id: 'cardiffnlp/twitter-roberta-base-sentiment-latest', type: 'sentiment' },
  { id: 'mrm8488/distilroberta-finetuned-financial-news-sentiment-analysis', type: 'sentiment' },
  { id: 'StephanAkkerman/FinTwitBERT-sentiment', type: 'sentiment' },
  { id: 'facebook/bart-large-mnli', type: 'classification' },
  { id: 'MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli', type: 'classification' },
  { id: 'distilbert-base-uncased-finetuned-sst-2-english', type: 'classification' },
  { id: 'facebook/bart-large-cnn', type: 'summarization' },
  { id: 'sshleifer/distilbart-cnn-12-6', type: 'summarization' },
  { id: 'google/pegasus-xsum', type: 'summarization' },
  { id: 'google/flan-t5-base', type: 'generation' },
  { id: 'gpt2', type: 'generation' },
  { id: 'dslim/bert-base-NER', type: 'ner' },
  { id: 'sentence-transformers/all-MiniLM-L6-v2', type: 'embedding' },
  { id: 'BAAI/bge-small-en-v1.5', type: 'embedding' },
];

const SOURCE_CATEGORIES: Readonly<Record<string, number>> = {
  market_data: 20,
  news: 15,
  sentiment: 12,
  onchain: 25,
  social: 18,
  defi: 22,
  exchanges: 25,
};

const SAMPLE_SOURCES: ReadonlyArray<{ id: string; category: string }> = [
  { id: 'binance', category: 'exchanges' },
  { id: 'coingecko', category: 'market_data' },
  { id: 'coinmarketcap', category: 'market_data' },
  { id: 'kraken', category: 'exchanges' },
  { id: 'coindesk', category: 'news' },
  { id: 'cointelegraph', category: 'news' },
  { id: 'alternative.me', category: 'sentiment' },
  { id: 'reddit', category: 'social' },
  { id: 'etherscan', category: 'onchain' },
  { id: 'defillama', category: 'defi' },
];

const iso = (ms: number) => new Date(ms).toISOString();
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

export function fearGreedClassification(value: number): string {
  if (value < 25) return 'Extreme Fear';
  if (value < 45) return 'Fear';
  if (value <= 55) return 'Neutral';
  if (value <= 75) return 'Greed';
  return 'Extreme Greed';
}

function mood(score: number): 'bullish' | 'neutral' | 'bearish' {
  return score >= 0.58 ? 'bullish' : score <= 0.42 ? 'bearish' : 'neutral';
}

export function sentimentUpdate(seed: number, period: number, nowMs: number): OutgoingData {
  const random = streamFor(seed, 'sentiment', period);
  const phase = streamFor(seed, 'sentiment-phase').float(0, 2 * Math.PI);
  // A slow swing plus noise, so consecutive updates look related.
  const value = Math.max(
    0,
    Math.min(100, Math.round(55 + 25 * Math.sin(period / 9 + phase) + 4 * random.gaussian())),
  );
  const base = value / 100;
  const twitter = round(Math.max(0, Math.min(1, base + random.float(-0.08, 0.08))), 2);
  const reddit = round(Math.max(0, Math.min(1, base + random.float(-0.12, 0.12))), 2);
  const overall = round((twitter + reddit) / 2, 2);
  return {
    type: 'sentiment_update',
    data: {
      fear_greed: { value, classification: fearGreedClassification(value), timestamp: iso(nowMs) },
      social: {
        twitter: { sentiment: mood(twitter), score: twitter, mentions: random.int(8_000, 20_000) },
        reddit: { sentiment: mood(reddit), score: reddit, mentions: random.int(3_000, 10_000) },
      },
      market: { overall: mood(overall), confidence: round(random.float(0.55, 0.9), 2) },
    },
  };
}

interface ModelState {
  id: string;
  type: string;
  status: 'available' | 'loading' | 'failed';
  success_rate: number;
  avg_response_time: number;
  last_used: string;
}

function modelStates(seed: number, period: number, nowMs: number): ModelState[] {
  const random = streamFor(seed, 'models', period);
  return MODELS.map((model) => {
    const draw = random.next();
    return {
      ...model,
      status: draw < 0.9 ? 'available' : draw < 0.97 ? 'loading' : 'failed',
      success_rate: round(random.float(92, 99.9), 1),
      avg_response_time: random.int(80, 420),
      last_used: iso(nowMs - random.int(1, 120) * 1_000),
    };
  });
}

function countBy(models: readonly ModelState[]) {
  return {
    total: models.length,
    available: models.filter((m) => m.status === 'available').length,
    loading: models.filter((m) => m.status === 'loading').length,
    failed: models.filter((m) => m.status === 'failed').length,
  };
}

export function modelsStatus(seed: number, period: number, nowMs: number): OutgoingData {
  const models = modelStates(seed, period, nowMs);
  return { type: 'models_status', data: { ...countBy(models), models } };
}

/** Seed 004's `system_status`: its fields sit at the top level, not under `data`. */
export function systemStatus(seed: number, period: number, nowMs: number): OutgoingData {
  const random = streamFor(seed, 'system', period);
  const models = modelStates(seed, period, nowMs);
  const counts = countBy(models);
  const categories: Record<string, { total: number; active: number }> = {};
  let totalSources = 0;
  let activeSources = 0;
  for (const [category, total] of Object.entries(SOURCE_CATEGORIES)) {
    const active = total - (random.chance(0.15) ? 1 : 0);
    categories[category] = { total, active };
    totalSources += total;
    activeSources += active;
  }
  const requestsLastMinute = random.int(30, 90);
  return {
    type: 'system_status',
    ai_models: {
      ...counts,
      models: models.map(({ id, status, success_rate }) => ({ id, status, success_rate })),
    },
    data_sources: {
      total: totalSources,
      active: activeSources,
      inactive: totalSources - activeSources,
      categories,
      pools: 10,
      sources: SAMPLE_SOURCES.map((source) => ({ ...source, status: 'active' })),
    },
    database: { online: true, last_check: iso(nowMs), ai_models_db: true, main_db: true },
    stats: {
      total_sources: totalSources,
      active_sources: activeSources,
      total_models: counts.total,
      available_models: counts.available,
      requests_last_minute: requestsLastMinute,
      requests_last_hour: requestsLastMinute * 60 + random.int(-300, 300),
    },
    agent_running: true,
  };
}
