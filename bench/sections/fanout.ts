/**
 * Section 2 — fan-out of market ticks to many subscribed connections over loopback. Three stacks run in
 * the same run, each server in a process of its own and its clients in another: a bare `ws` broadcast of
 * the same bytes (the ceiling), Socket.IO broadcasting to a room, and the reference server. Every stack is
 * offered its load the same way: a source in the server process publishes ticks at the offered rate (the
 * reference server's go through the bus its simulation uses, and each session's copy gets its own `seq` and
 * `timestamp` and is kept for resume).
 *
 * `paced` offers 10 ticks/s per connection (ten symbols at the seed's 1 s cadence): the delivery latency
 * of a healthy server. `saturated` offers far more than any stack delivers: its throughput ceiling, per
 * wall-clock second and per server CPU second. Saturated windows run in interleaved rounds (ws, Socket.IO,
 * reference server, ws, …), so a slow moment of a busy machine hits every stack alike; each ratio is the
 * median of the per-round ratios, with the lowest and highest round beside it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SYMBOLS } from '../fixtures/server-messages.js';
import { BenchChild, startPair } from '../lib/child.js';
import { LatencyHistogram, median } from '../lib/measure.js';
import { SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';

export type Kind = 'ws' | 'socketio' | 'tidewire';
const KINDS: readonly Kind[] = ['ws', 'socketio', 'tidewire'];

export interface WindowResult {
  deliveredPerSec: number;
  perServerCpuSec: number;
  p50Ms: number;
  p99Ms: number;
  serverCore: number;
  clientCore: number;
}

/** Ticks per second per connection in the paced windows: ten symbols at the seed's cadence. */
const PACED_TICKS_PER_SEC = 10;
/** Offered load in the saturated windows, in messages per second across all connections. */
const SATURATED_OFFERED_PER_SEC = 2_000_000;
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 20_000;
/** How often a drain looks whether the clients still receive, and for how long at most. */
const DRAIN_POLL_MS = 100;
const DRAIN_LIMIT_MS = 10_000;

/** The reference server as the bench runs it: its simulation's own sources never tick during a run. */
export const TIDEWIRE_BENCH_OPTIONS = {
  auth: 'optional',
  simulation: { seed: 1, speed: 1e-6 },
  rateLimit: { maxMessages: 1_000, windowMs: 60_000 },
  // Every client comes from the one load process, i.e. one address.
  connectionLimits: { perAddress: 100_000, total: 100_000 },
} as const;

/** A server and the clients connected to it, each in a process of its own. */
export interface Stack {
  readonly name: string;
  readonly servers: BenchChild[];
  readonly clients: BenchChild;
}

/**
 * Starts a server of `kind` and `connections` clients on it; the reference server's clients subscribe to
 * every symbol. With several `servers`, the clients are spread over them and the first one publishes.
 */
export async function startStack(
  name: string,
  kind: Kind,
  connections: number,
  serverOptions: readonly Record<string, unknown>[] = [{}],
): Promise<Stack> {
  const servers: BenchChild[] = [];
  let clients: BenchChild | undefined;
  try {
    for (const options of serverOptions) {
      const [server, maybeClients] = await startPair(
        BenchChild.start({
          script: 'bench/processes/server.ts',
          profile: true,
          args: [
            kind,
            JSON.stringify(kind === 'tidewire' ? { ...TIDEWIRE_BENCH_OPTIONS, ...options } : options),
          ],
        }),
        clients ? Promise.resolve(clients) : BenchChild.start({ script: 'bench/processes/load-clients.ts' }),
      );
      servers.push(server);
      clients = maybeClients;
    }
    const share = Math.ceil(connections / servers.length);
    for (const [index, server] of servers.entries()) {
      const count = Math.min(share, connections - index * share);
      const opened = await clients!.call<{ failed: number; firstError?: string }>(
        'connect',
        {
          url: server.info.url,
          kind,
          count,
          path: kind === 'tidewire' ? '/ws/market_data' : '',
          concurrency: CONNECT_CONCURRENCY,
          connectTimeoutMs: CONNECT_TIMEOUT_MS,
        },
        120_000,
      );
      if (opened.failed > 0)
        throw new Error(`${opened.failed} of ${count} connections failed: ${opened.firstError}`);
    }
    if (kind === 'tidewire') {
      await clients!.call('sendAll', { message: { type: 'subscribe', id: 'bench', symbols: [...SYMBOLS] } });
    }
    await drain(clients!);
    return { name, servers, clients: clients! };
  } catch (error) {
    await Promise.all([...servers, ...(clients ? [clients] : [])].map((child) => child.stop()));
    throw error;
  }
}

export async function stopStack(stack: Stack): Promise<void> {
  await Promise.all([stack.clients.stop(), ...stack.servers.map((server) => server.stop())]);
}

/**
 * Offers `ticksPerSec` ticks per second for one window and measures what the clients get; the CPU is
 * every server process's. Then waits until the clients receive nothing more, so the next window starts
 * on idle processes.
 */
export async function measureWindow(
  stack: Stack,
  ticksPerSec: number,
  timing: { warmMs: number; measureMs: number },
): Promise<WindowResult> {
  const [publisher] = stack.servers;
  await publisher.call('publishStart', { ratePerSec: ticksPerSec });
  try {
    await delay(timing.warmMs);
    await Promise.all([stack.clients.call('measureStart'), ...stack.servers.map((s) => s.call('cpuStart'))]);
    await delay(timing.measureMs);
    const [measured, ...serverCpu] = await Promise.all([
      stack.clients.call<{
        received: number;
        elapsedMs: number;
        latency: Array<[number, number]>;
        coreShare: number;
      }>('measureStop'),
      ...stack.servers.map((s) => s.call<{ coreShare: number }>('cpuStop')),
    ]);
    const histogram = LatencyHistogram.fromSparse(measured.latency);
    const deliveredPerSec = (measured.received / measured.elapsedMs) * 1000;
    const serverCore = serverCpu.reduce((total, { coreShare }) => total + coreShare, 0);
    return {
      deliveredPerSec,
      perServerCpuSec: deliveredPerSec / serverCore,
      p50Ms: histogram.percentile(0.5),
      p99Ms: histogram.percentile(0.99),
      serverCore,
      clientCore: measured.coreShare,
    };
  } finally {
    await publisher.call('publishStop');
    await drain(stack.clients);
  }
}

/** Waits until the clients have received nothing for two polls (a server's queues have drained). */
async function drain(clients: BenchChild): Promise<void> {
  const deadline = performance.now() + DRAIN_LIMIT_MS;
  let last = -1;
  let quiet = 0;
  while (quiet < 2 && performance.now() < deadline) {
    const received = await clients.call<number>('receivedInAll');
    quiet = received === last ? quiet + 1 : 0;
    last = received;
    await delay(DRAIN_POLL_MS);
  }
}

/** The median of per-round values with the lowest and highest, as figures and ratios of a section. */
export function reportRounds(section: SectionBuilder, name: string, values: readonly number[]): number {
  const middle = median(values);
  section.ratio(name, middle);
  section.ratio(`${name} lowest round`, Math.min(...values));
  section.ratio(`${name} highest round`, Math.max(...values));
  return middle;
}

export async function fanoutSection(options: SectionContext): Promise<SectionResult> {
  const section = new SectionBuilder('fan-out of market ticks (servers and clients in separate processes)');
  const sizes = options.quick ? [50] : [1_000, 5_000];
  const rounds = options.quick ? 1 : 5;
  const paced = options.quick ? undefined : { warmMs: 1_000, measureMs: 3_000 };
  const saturated = options.quick ? { warmMs: 200, measureMs: 500 } : { warmMs: 500, measureMs: 2_000 };
  for (const connections of sizes) {
    const stacks: Partial<Record<Kind, Stack>> = {};
    try {
      for (const kind of KINDS) {
        options.log(`fanout: starting ${kind} ×${connections}`);
        stacks[kind] = await startStack(kind, kind, connections);
      }
      if (paced) {
        for (const kind of KINDS) {
          options.log(`fanout: ${kind} paced ×${connections}`);
          const run = await measureWindow(stacks[kind]!, PACED_TICKS_PER_SEC, paced);
          const label = `${kind} paced ×${connections}`;
          section.figure(`${label} delivered`, run.deliveredPerSec, 'msg/s');
          section.figure(`${label} p50`, run.p50Ms, 'ms');
          section.figure(`${label} p99`, run.p99Ms, 'ms');
          section.figure(`${label} server cpu`, run.serverCore * 100, '% of a core');
        }
      }
      const perRound: Record<Kind, WindowResult[]> = { ws: [], socketio: [], tidewire: [] };
      for (let round = 1; round <= rounds; round++) {
        for (const kind of KINDS) {
          options.log(`fanout: ${kind} saturated ×${connections}, round ${round} of ${rounds}`);
          perRound[kind].push(
            await measureWindow(stacks[kind]!, Math.ceil(SATURATED_OFFERED_PER_SEC / connections), saturated),
          );
        }
      }
      for (const kind of KINDS) {
        const runs = perRound[kind];
        const label = `${kind} saturated ×${connections}`;
        section.figure(`${label} delivered`, median(runs.map((r) => r.deliveredPerSec)), 'msg/s');
        section.figure(
          `${label} delivered per server CPU second`,
          median(runs.map((r) => r.perServerCpuSec)),
          'msg/s',
        );
        section.figure(`${label} p50`, median(runs.map((r) => r.p50Ms)), 'ms');
        section.figure(`${label} p99`, median(runs.map((r) => r.p99Ms)), 'ms');
        section.figure(`${label} server cpu`, median(runs.map((r) => r.serverCore)) * 100, '% of a core');
        section.figure(`${label} client cpu`, median(runs.map((r) => r.clientCore)) * 100, '% of a core');
      }
      const each = (f: (round: number) => number) => perRound.ws.map((_, round) => f(round));
      const { ws, socketio, tidewire } = perRound;
      const vsWs = reportRounds(
        section,
        `tidewire/ws per server CPU second ×${connections}`,
        each((r) => tidewire[r].perServerCpuSec / ws[r].perServerCpuSec),
      );
      const vsSocketIo = reportRounds(
        section,
        `tidewire/socketio per server CPU second ×${connections}`,
        each((r) => tidewire[r].perServerCpuSec / socketio[r].perServerCpuSec),
      );
      reportRounds(
        section,
        `tidewire/ws wall clock ×${connections}`,
        each((r) => tidewire[r].deliveredPerSec / ws[r].deliveredPerSec),
      );
      reportRounds(
        section,
        `socketio/ws per server CPU second ×${connections}`,
        each((r) => socketio[r].perServerCpuSec / ws[r].perServerCpuSec),
      );
      section.atLeast(`tidewire/ws per server CPU second ×${connections}`, vsWs, 0.95);
      section.atLeast(`tidewire/socketio per server CPU second ×${connections}`, vsSocketIo, 1.1);
    } catch (error) {
      section.note(`×${connections}: not available: ${(error as Error).message}`);
    } finally {
      await Promise.all(Object.values(stacks).map((stack) => stopStack(stack)));
    }
  }
  section.note(
    `saturated windows offer ${SATURATED_OFFERED_PER_SEC.toLocaleString('en-US')} msg/s in ${rounds} interleaved rounds; ` +
      '"per server CPU second" divides by the server process\'s CPU use, which other load on the machine does not skew',
  );
  return section.build();
}
