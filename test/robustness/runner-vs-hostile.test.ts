/**
 * The conformance runner against servers that misbehave below the protocol, all at once: every run ends
 * (a report or a usage error) within its deadlines, none passes, and the runner's memory stays bounded
 * even while one server floods it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import {
  floodServer,
  garbageServer,
  halfOpenServer,
  neverUpgradeServer,
  silentServer,
  type HostileServer,
} from '../conformance/support/hostile.js';
import { heapAfterGc, MIB } from './support/heap.js';

/** Checks whose budget exceeds this are skipped, so the run's length is bounded by the runner's own deadlines. */
const MAX_WAIT_MS = 3_000;
const RUN_DEADLINE_MS = 40_000;
const MEMORY_SAMPLE_MS = 100;
/**
 * Generous bounds. The flood sends gigabytes within the run, so a runner that kept what it receives without
 * limit would exceed them; a bounded one peaks at a few hundred MiB (garbage not yet collected included).
 */
const PEAK_RSS_GROWTH_BYTES = 1536 * MIB;
const HEAP_SLACK_BYTES = 64 * MIB;
/** Payload the flooding server sends on each connection, at socket speed. */
const FLOOD_BYTES_PER_CONNECTION = 256 * MIB;

const HOSTILE: Record<string, () => Promise<HostileServer>> = {
  silent: silentServer,
  flood: () => floodServer(FLOOD_BYTES_PER_CONNECTION),
  garbage: garbageServer,
  'never upgrades': neverUpgradeServer,
  'half-open': halfOpenServer,
};

let servers: Array<{ kind: string; server: HostileServer }> = [];
afterEach(async () => {
  await Promise.all(servers.map(({ server }) => server.close()));
  servers = [];
});

type Outcome = { kind: string; ms: number; exitCode?: number; passed?: number; usageError?: string };

async function runAgainst({ kind, server }: { kind: string; server: HostileServer }): Promise<Outcome> {
  const start = performance.now();
  try {
    const report = await runConformance({ url: server.url, maxWaitMs: MAX_WAIT_MS });
    return { kind, ms: performance.now() - start, exitCode: report.exitCode, passed: report.summary.pass };
  } catch (error) {
    return { kind, ms: performance.now() - start, usageError: (error as Error).message };
  }
}

describe('conformance runner against hostile servers', () => {
  it('finishes every run within its deadline, with bounded memory, and passes none', async () => {
    servers = await Promise.all(
      Object.entries(HOSTILE).map(async ([kind, start]) => ({ kind, server: await start() })),
    );
    const heapBefore = heapAfterGc();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, MEMORY_SAMPLE_MS);

    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      deadlineTimer = setTimeout(
        () => reject(new Error(`runs still going after ${RUN_DEADLINE_MS} ms`)),
        RUN_DEADLINE_MS,
      );
    });
    const outcomes = await Promise.race([Promise.all(servers.map(runAgainst)), deadline]).finally(() => {
      clearTimeout(deadlineTimer);
      clearInterval(sampler);
    });

    for (const outcome of outcomes) {
      expect(outcome.ms, outcome.kind).toBeLessThan(RUN_DEADLINE_MS);
      if (outcome.usageError === undefined) expect(outcome.exitCode, outcome.kind).not.toBe(0);
    }
    expect(peakRss - rssBefore).toBeLessThan(PEAK_RSS_GROWTH_BYTES);
    await Promise.all(servers.map(({ server }) => server.close()));
    expect(heapAfterGc() - heapBefore).toBeLessThan(HEAP_SLACK_BYTES);
  }, 55_000);
});
