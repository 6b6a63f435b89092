/**
 * Section 3 — idle connections: memory the server process holds per open connection (RSS and JS heap
 * after a full collection, minus a warmed-up baseline), with heartbeats running, and the time to open
 * them all. The reference server is measured next to a bare `ws` server holding the same connections.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BenchChild, startPair } from '../lib/child.js';
import { SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';

type Kind = 'ws' | 'tidewire';

const KIB = 1024;
const TARGET_KIB_PER_CONNECTION = 20;
/** Short heartbeats so that several rounds of pings (RFC and application) run while connections are held. */
const HEARTBEAT_INTERVAL_MS = 1_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const WARM_UP_CONNECTIONS = 200;

const CONNECT_CONCURRENCY = 200;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

interface Measured {
  rssPerConnection: number;
  heapPerConnection: number;
  openMs: number;
  stillOpen: number;
}

async function waitForServerConnections(
  server: BenchChild,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await server.call<number>('connections');
    if (count === expected) return;
    if (Date.now() > deadline) throw new Error(`server holds ${count} connections, expected ${expected}`);
    await delay(50);
  }
}

async function measure(kind: Kind, count: number, heartbeatRounds: number): Promise<Measured> {
  const options = {
    auth: 'optional',
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
    resumeWindowMs: 1_000,
    // Every client comes from the one load process, i.e. one address.
    connectionLimits: { perAddress: 2 * count, total: 2 * count },
  };
  const [server, clients] = await startPair(
    BenchChild.start({
      script: 'bench/processes/server.ts',
      profile: true,
      args: [kind, JSON.stringify(kind === 'tidewire' ? options : {})],
      exposeGc: true,
    }),
    BenchChild.start({ script: 'bench/processes/load-clients.ts' }),
  );
  const connectArgs = {
    url: server.info.url,
    kind,
    path: kind === 'tidewire' ? '/ws/market_data' : '',
    concurrency: CONNECT_CONCURRENCY,
    connectTimeoutMs: 30_000,
  };
  try {
    // Warm up: open and close a few connections so the baseline includes the code paths' one-off costs.
    await clients.call('connect', { ...connectArgs, count: Math.min(WARM_UP_CONNECTIONS, count) }, 60_000);
    await clients.call('closeAll', { how: 'close', timeoutMs: 10_000 }, 20_000);
    await waitForServerConnections(server, 0, 10_000);
    const before = await server.call<Memory>('memory', { gc: true });

    const opened = await clients.call<{ failed: number; openMs: number; firstError?: string }>(
      'connect',
      { ...connectArgs, count },
      300_000,
    );
    if (opened.failed > 0)
      throw new Error(`${opened.failed} of ${count} connections failed: ${opened.firstError}`);
    await delay(HEARTBEAT_INTERVAL_MS * heartbeatRounds);
    const stillOpen = await clients.call<number>('openCount');
    const after = await server.call<Memory>('memory', { gc: true });
    return {
      rssPerConnection: (after.rss - before.rss) / count,
      heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / count,
      openMs: opened.openMs,
      stillOpen,
    };
  } finally {
    await Promise.all([clients.stop(), server.stop()]);
  }
}

export async function connectionsSection(options: SectionContext): Promise<SectionResult> {
  const count = options.quick ? 300 : 10_000;
  const heartbeatRounds = options.quick ? 1 : 3;
  const section = new SectionBuilder(`${count.toLocaleString('en-US')} idle connections, heartbeats running`);
  const results: Partial<Record<Kind, Measured>> = {};
  for (const kind of ['ws', 'tidewire'] as const) {
    options.log(`connections: ${kind} ×${count}`);
    try {
      const result = await measure(kind, count, heartbeatRounds);
      results[kind] = result;
      section
        .figure(`${kind} RSS per connection`, result.rssPerConnection / KIB, 'KiB')
        .figure(`${kind} heap+external per connection`, result.heapPerConnection / KIB, 'KiB')
        .figure(`${kind} time to open all`, result.openMs, 'ms')
        .figure(`${kind} connections opened per second`, (count / result.openMs) * 1000, 'conn/s')
        .figure(`${kind} open after ${heartbeatRounds} heartbeat rounds`, result.stillOpen, `of ${count}`);
    } catch (error) {
      section.note(`${kind}: not available: ${(error as Error).message}`);
    }
  }
  const { ws, tidewire } = results;
  if (tidewire) {
    section.atMost(
      'tidewire RSS per connection (KiB)',
      tidewire.rssPerConnection / KIB,
      TARGET_KIB_PER_CONNECTION,
      false,
      '< 20 KiB',
    );
    if (ws) section.ratio('tidewire/ws RSS per connection', tidewire.rssPerConnection / ws.rssPerConnection);
  }
  section.note(
    `heartbeat every ${HEARTBEAT_INTERVAL_MS} ms (RFC ping + application ping); memory after a full GC, ` +
      'minus a baseline taken after a warm-up of opened and closed connections',
  );
  return section.build();
}
