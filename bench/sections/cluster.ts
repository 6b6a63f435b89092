/**
 * Section 7 — the reference server as a deployment of two instances sharing Redis, against one instance
 * keeping everything in memory, in the same run. Ticks are offered to both the same way (through the bus,
 * on the first instance); the clients are spread over the two instances, so every tick crosses Redis to
 * reach half of them, and every message each session gets is written to Redis before it is sent.
 *
 * Figures: delivered messages per server CPU second (both instances' CPU together) under the same steady
 * load, which both deliver in full, and the ratio to the in-memory server: what a message costs the
 * instances when it goes through Redis; the latency a healthy deployment adds (paced p99 through Redis
 * minus in memory); and the CPU Redis itself used, shown apart. Every window runs in interleaved rounds
 * (in memory, through Redis, in memory, …) and each comparison is the median of per-round ones.
 * Not a saturated throughput: the deployment has no backpressure from its readers to the publisher, so
 * an offered load above its capacity queues in Redis instead of being dropped, and a window's CPU would
 * then pay for messages delivered in the next.
 */
import net from 'node:net';
import { median } from '../lib/measure.js';
import { SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';
import { RedisServer } from '../../test/support/redis-server.js';
import {
  measureWindow,
  reportRounds,
  startStack,
  stopStack,
  type Stack,
  type WindowResult,
} from './fanout.js';

/** Ticks per second per connection in the paced windows: ten symbols at the seed's cadence. */
const PACED_TICKS_PER_SEC = 10;
/** Ticks per second per connection in the steady windows: twice the seed's cadence, sustained. */
const STEADY_TICKS_PER_SEC = 20;

/** Redis's own CPU time so far, in ms (user + system, from `INFO cpu`). */
function redisCpuMs(redis: RedisServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(redis.socketPath);
    let text = '';
    socket.once('error', reject);
    socket.once('connect', () => socket.write('INFO cpu\r\n'));
    socket.on('data', (data) => {
      text += data.toString();
      const user = /used_cpu_user:([\d.]+)/.exec(text)?.[1];
      const system = /used_cpu_sys:([\d.]+)/.exec(text)?.[1];
      if (user === undefined || system === undefined || !text.includes('used_cpu_user_children')) return;
      socket.destroy();
      resolve((Number(user) + Number(system)) * 1000);
    });
  });
}

export async function clusterSection(options: SectionContext): Promise<SectionResult> {
  const section = new SectionBuilder('two instances through Redis against one in memory');
  if (!RedisServer.available()) return section.note('not measured: redis-server is not installed').build();
  const connections = options.quick ? 50 : 1_000;
  const rounds = options.quick ? 1 : 5;
  const paced = options.quick ? { warmMs: 200, measureMs: 500 } : { warmMs: 500, measureMs: 2_000 };
  const steady = options.quick ? { warmMs: 200, measureMs: 500 } : { warmMs: 1_000, measureMs: 3_000 };
  const redis = await RedisServer.start();
  const stacks: Stack[] = [];
  try {
    options.log(`cluster: starting one in-memory instance ×${connections}`);
    const memory = await startStack('in memory', 'tidewire', connections);
    stacks.push(memory);
    options.log(`cluster: starting two instances sharing Redis ×${connections}`);
    const shared = await startStack('through Redis', 'tidewire', connections, [
      { redis: redis.url, instanceId: 'bench-1' },
      { redis: redis.url, instanceId: 'bench-2' },
    ]);
    stacks.push(shared);

    // Paced windows in interleaved rounds too: a slow moment of a busy machine would otherwise land on
    // one stack's only window and decide the latency difference.
    const pacedRounds = new Map<Stack, WindowResult[]>(stacks.map((stack) => [stack, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const stack of stacks) {
        options.log(`cluster: ${stack.name} paced ×${connections}, round ${round} of ${rounds}`);
        pacedRounds.get(stack)!.push(await measureWindow(stack, PACED_TICKS_PER_SEC, paced));
      }
    }
    for (const stack of stacks) {
      const runs = pacedRounds.get(stack)!;
      const label = `${stack.name} paced ×${connections}`;
      section.figure(`${label} delivered`, median(runs.map((r) => r.deliveredPerSec)), 'msg/s');
      section.figure(`${label} p50`, median(runs.map((r) => r.p50Ms)), 'ms');
      section.figure(`${label} p99`, median(runs.map((r) => r.p99Ms)), 'ms');
    }
    const addedP99 = pacedRounds.get(shared)!.map((run, r) => run.p99Ms - pacedRounds.get(memory)![r].p99Ms);
    section.figure(`added p99 latency through Redis ×${connections}`, median(addedP99), 'ms');
    section.figure(
      `added p99 latency through Redis ×${connections} lowest round`,
      Math.min(...addedP99),
      'ms',
    );
    section.figure(
      `added p99 latency through Redis ×${connections} highest round`,
      Math.max(...addedP99),
      'ms',
    );

    const perRound = new Map<Stack, WindowResult[]>(stacks.map((stack) => [stack, []]));
    const redisCores: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const stack of stacks) {
        options.log(`cluster: ${stack.name} steady ×${connections}, round ${round} of ${rounds}`);
        const before = stack === shared ? await redisCpuMs(redis) : 0;
        const started = performance.now();
        perRound.get(stack)!.push(await measureWindow(stack, STEADY_TICKS_PER_SEC, steady));
        if (stack === shared)
          redisCores.push(((await redisCpuMs(redis)) - before) / (performance.now() - started));
      }
    }
    for (const stack of stacks) {
      const runs = perRound.get(stack)!;
      const label = `${stack.name} steady ×${connections}`;
      section.figure(`${label} delivered`, median(runs.map((r) => r.deliveredPerSec)), 'msg/s');
      section.figure(
        `${label} delivered per server CPU second`,
        median(runs.map((r) => r.perServerCpuSec)),
        'msg/s',
      );
      section.figure(`${label} server cpu`, median(runs.map((r) => r.serverCore)) * 100, '% of a core');
      section.figure(`${label} p99`, median(runs.map((r) => r.p99Ms)), 'ms');
    }
    section.figure(`redis cpu, steady ×${connections}`, median(redisCores) * 100, '% of a core');
    const sharedRuns = perRound.get(shared)!;
    const memoryRuns = perRound.get(memory)!;
    const ratio = reportRounds(
      section,
      `through Redis / in memory per server CPU second ×${connections}`,
      sharedRuns.map((run, r) => run.perServerCpuSec / memoryRuns[r].perServerCpuSec),
    );
    section.atLeast(`through Redis / in memory per server CPU second ×${connections}`, ratio, 0.6);
    section.note(
      `steady windows offer ${STEADY_TICKS_PER_SEC} ticks/s per connection, which both deliver in full; ` +
        'server CPU counts both instances; Redis runs in its own process and its CPU is shown apart ' +
        '(with it, a message through Redis costs more still)',
    );
  } finally {
    await Promise.all(stacks.map((stack) => stopStack(stack)));
    await redis.dispose();
  }
  return section.build();
}
