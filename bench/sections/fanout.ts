/**
 * Section 2 — fan-out of market ticks to many subscribed connections over loopback. The server runs in
 * one process, the clients in another; three stacks are measured in the same run: a bare `ws` broadcast
 * of the same bytes (the ceiling), Socket.IO broadcasting to a room, and the reference server.
 *
 * Two load levels per stack and size: `paced` offers 10 ticks/s per connection (ten symbols at the
 * seed's 1 s cadence) and gives the delivery latency of a healthy server; `saturated` offers far more
 * than the stack can deliver and gives its throughput ceiling (latency there is queueing, shown anyway).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SYMBOLS } from '../fixtures/server-messages.js';
import { BenchChild, startPair } from '../lib/child.js';
import { LatencyHistogram } from '../lib/measure.js';
import { SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';

type Kind = 'ws' | 'socketio' | 'tidewire';
type Mode = 'paced' | 'saturated';

interface RunResult {
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverCore: number;
  clientCore: number;
  serverRssBytes: number;
}

/** The seed's cadence: one price_update per subscribed symbol per second, ten symbols. */
const PACED_TICKS_PER_CONNECTION = 10;
/** Offered load in the saturated runs, in messages per second across all connections. */
const SATURATED_OFFERED_PER_SEC = 2_000_000;
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 20_000;

/** Reference-server options for a run: generous limits so nothing but fan-out is measured. */
function tidewireOptions(ticksPerConnection: number): Record<string, unknown> {
  return {
    auth: 'optional',
    // The simulation's price cadence is 1 s per symbol; `speed` multiplies it.
    simulation: { seed: 1, speed: ticksPerConnection / SYMBOLS.length },
    rateLimit: { maxMessages: 1_000, windowMs: 60_000 },
    // Every client comes from the one load process, i.e. one address.
    connectionLimits: { perAddress: 100_000, total: 100_000 },
  };
}

async function runOnce(
  kind: Kind,
  connections: number,
  mode: Mode,
  timing: { warmMs: number; measureMs: number },
): Promise<RunResult> {
  const ticksPerConnection =
    mode === 'paced' ? PACED_TICKS_PER_CONNECTION : Math.ceil(SATURATED_OFFERED_PER_SEC / connections);
  const [server, clients] = await startPair(
    BenchChild.start({
      script: 'bench/processes/server.ts',
      profile: true,
      args: [kind, JSON.stringify(kind === 'tidewire' ? tidewireOptions(ticksPerConnection) : {})],
    }),
    BenchChild.start({ script: 'bench/processes/load-clients.ts' }),
  );
  try {
    const opened = await clients.call<{ failed: number; firstError?: string }>(
      'connect',
      {
        url: server.info.url,
        kind,
        count: connections,
        path: kind === 'tidewire' ? '/ws/market_data' : '',
        concurrency: CONNECT_CONCURRENCY,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
      },
      120_000,
    );
    if (opened.failed > 0) {
      throw new Error(`${opened.failed} of ${connections} connections failed: ${opened.firstError}`);
    }
    const totalMs = timing.warmMs + timing.measureMs;
    let publishing: Promise<unknown> = Promise.resolve();
    if (kind === 'tidewire') {
      await clients.call('sendAll', { message: { type: 'subscribe', id: 'bench', symbols: [...SYMBOLS] } });
    } else {
      publishing = server.call(
        'publish',
        { ratePerSec: ticksPerConnection, durationMs: totalMs },
        totalMs + 60_000,
      );
    }
    await delay(timing.warmMs);
    await Promise.all([clients.call('measureStart'), server.call('cpuStart')]);
    await delay(timing.measureMs);
    const [measured, serverCpu] = await Promise.all([
      clients.call<{
        received: number;
        elapsedMs: number;
        latency: Array<[number, number]>;
        coreShare: number;
      }>('measureStop'),
      server.call<{ coreShare: number }>('cpuStop'),
    ]);
    const { rss } = await server.call<{ rss: number }>('memory', { gc: false });
    await publishing;
    const histogram = LatencyHistogram.fromSparse(measured.latency);
    return {
      deliveredPerSec: (measured.received / measured.elapsedMs) * 1000,
      p50Ms: histogram.percentile(0.5),
      p99Ms: histogram.percentile(0.99),
      serverCore: serverCpu.coreShare,
      clientCore: measured.coreShare,
      serverRssBytes: rss,
    };
  } finally {
    await Promise.all([clients.stop(), server.stop()]);
  }
}

export async function fanoutSection(options: SectionContext): Promise<SectionResult> {
  const section = new SectionBuilder('fan-out of market ticks (server and clients in separate processes)');
  const sizes = options.quick ? [50] : [1_000, 5_000];
  // The window starts half-way between two of the reference server's once-a-second price timers and
  // lasts whole seconds, so a paced window holds exactly three of them.
  const timing = options.quick ? { warmMs: 200, measureMs: 500 } : { warmMs: 1_500, measureMs: 3_000 };
  const kinds: Kind[] = ['ws', 'socketio', 'tidewire'];
  // The smoke run keeps to the saturated runs: they exercise every process and every figure's code path.
  const modes: Mode[] = options.quick ? ['saturated'] : ['paced', 'saturated'];
  for (const connections of sizes) {
    const saturated: Partial<Record<Kind, RunResult>> = {};
    for (const kind of kinds) {
      for (const mode of modes) {
        const label = `${kind} ${mode} ×${connections}`;
        options.log(`fanout: ${label}`);
        try {
          const run = await runOnce(kind, connections, mode, timing);
          section.figure(`${label} delivered`, run.deliveredPerSec, 'msg/s');
          if (mode === 'saturated') {
            section.figure(
              `${label} delivered per server CPU second`,
              run.deliveredPerSec / run.serverCore,
              'msg/s',
            );
          }
          section.figure(`${label} p50`, run.p50Ms, 'ms');
          section.figure(`${label} p99`, run.p99Ms, 'ms');
          section.figure(`${label} server cpu`, run.serverCore * 100, '% of a core');
          section.figure(`${label} client cpu`, run.clientCore * 100, '% of a core');
          section.figure(`${label} server RSS`, run.serverRssBytes / 2 ** 20, 'MiB');
          if (mode === 'saturated') saturated[kind] = run;
        } catch (error) {
          section.note(`${label}: not available: ${(error as Error).message}`);
        }
      }
    }
    const perCpu = (run: RunResult) => run.deliveredPerSec / run.serverCore;
    const { ws, socketio, tidewire } = saturated;
    if (ws && socketio)
      section.ratio(`socketio/ws ×${connections}`, socketio.deliveredPerSec / ws.deliveredPerSec);
    if (tidewire && ws) {
      section.ratio(`tidewire/ws ×${connections}`, tidewire.deliveredPerSec / ws.deliveredPerSec);
      section.ratio(`tidewire/ws per server CPU second ×${connections}`, perCpu(tidewire) / perCpu(ws));
      section.atLeast(
        `tidewire/ws throughput ×${connections}`,
        tidewire.deliveredPerSec / ws.deliveredPerSec,
        0.8,
      );
      section.atLeast(
        `tidewire/ws per server CPU second ×${connections}`,
        perCpu(tidewire) / perCpu(ws),
        0.8,
      );
    }
    if (tidewire && socketio) {
      const wall = tidewire.deliveredPerSec / socketio.deliveredPerSec;
      section.ratio(`tidewire/socketio ×${connections}`, wall);
      section.ratio(
        `tidewire/socketio per server CPU second ×${connections}`,
        perCpu(tidewire) / perCpu(socketio),
      );
      section.above(`tidewire/socketio throughput ×${connections}`, wall, 1);
      section.above(
        `tidewire/socketio per server CPU second ×${connections}`,
        perCpu(tidewire) / perCpu(socketio),
        1,
      );
    }
  }
  section.note(
    'saturated runs offer 2,000,000 msg/s; "per server CPU second" divides by the server process\'s CPU use, ' +
      'which other load on the machine does not skew',
  );
  return section.build();
}
