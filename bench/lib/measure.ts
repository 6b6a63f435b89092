/**
 * Measuring helpers: operations per second of a tight loop (variants interleaved round by round, so a
 * slow moment of the machine hits every variant alike) and latency histograms with 1 ms buckets.
 */
import { performance } from 'node:perf_hooks';

export interface Rate {
  /** Operations per second of wall-clock time. */
  wall: number;
  /**
   * Operations per second of this process's CPU time (user + system): the rate of one dedicated core,
   * which other jobs sharing the machine do not skew. It includes V8's helper threads (GC), a real cost.
   */
  cpu: number;
}

/** Runs `body(i)` in batches until `budgetMs` of wall time has passed. */
function opsPerSecond(body: (i: number) => void, budgetMs: number, batch = 1000): Rate {
  let done = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) body(done + i);
    done += batch;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (done / elapsed) * 1000, cpu: (done / (cpu.user + cpu.system)) * 1e6 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures several variants in `rounds` interleaved rounds of `budgetMs` each (after one warm-up round)
 * and returns the median rates of each.
 */
export function compareVariants(
  variants: Record<string, (i: number) => void>,
  options: { rounds: number; budgetMs: number },
): Record<string, Rate> {
  const samples: Record<string, Rate[]> = {};
  for (const name of Object.keys(variants)) samples[name] = [];
  for (let round = 0; round <= options.rounds; round++) {
    for (const [name, body] of Object.entries(variants)) {
      const rate = opsPerSecond(body, round === 0 ? options.budgetMs / 2 : options.budgetMs);
      if (round > 0) samples[name].push(rate);
    }
  }
  const result: Record<string, Rate> = {};
  for (const [name, rates] of Object.entries(samples)) {
    result[name] = { wall: median(rates.map((r) => r.wall)), cpu: median(rates.map((r) => r.cpu)) };
  }
  return result;
}

/** The last latency bucket, in ms: it also collects every longer latency. */
const MAX_LATENCY_MS = 60_000;

/** Latencies in whole milliseconds, bucketed (the last bucket collects everything beyond it). */
export class LatencyHistogram {
  readonly buckets = new Uint32Array(MAX_LATENCY_MS + 1);
  count = 0;

  record(ms: number): void {
    const bucket = ms < 0 ? 0 : ms >= this.buckets.length ? this.buckets.length - 1 : Math.floor(ms);
    this.buckets[bucket]++;
    this.count++;
  }

  /** The latency below which `p` (0..1) of the samples fall, in ms; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms];
      if (seen >= rank) return ms;
    }
    return this.buckets.length - 1;
  }

  /** Non-empty buckets only, as [ms, count] pairs: compact enough for IPC. */
  sparse(): Array<[number, number]> {
    const pairs: Array<[number, number]> = [];
    for (let ms = 0; ms < this.buckets.length; ms++) if (this.buckets[ms]) pairs.push([ms, this.buckets[ms]]);
    return pairs;
  }

  static fromSparse(pairs: ReadonlyArray<[number, number]>): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [ms, count] of pairs) {
      histogram.buckets[Math.min(ms, MAX_LATENCY_MS)] += count;
      histogram.count += count;
    }
    return histogram;
  }
}
