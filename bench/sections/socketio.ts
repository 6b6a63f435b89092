/**
 * Socket.IO fan-out: one client's `project:progress` goes out as `project:update` to every member of the
 * project's room, through the reference server's Socket.IO binding and through a bare `socket.io` server
 * doing the same broadcast. Server and clients run in separate processes; rounds alternate the two
 * servers (bare, reference, bare, reference …) so that a change in the machine's load hits both alike,
 * and the ratios are those of the medians. The publisher keeps a few events in flight, so each server
 * runs at its own ceiling: the figures are throughput ceilings.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BenchChild, startPair } from '../lib/child.js';
import { SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';

type Kind = 'bare' | 'tidewire';

interface Round {
  deliveredPerSec: number;
  serverCore: number;
}

/** Events the publisher keeps in flight: enough to keep a server busy, few enough that no queue grows. */
const IN_FLIGHT = 8;
const CONNECT_TIMEOUT_MS = 20_000;
const TARGET_RATIO = 0.8;

async function runOnce(
  kind: Kind,
  members: number,
  timing: { warmMs: number; measureMs: number },
): Promise<Round> {
  const [server, clients] = await startPair(
    BenchChild.start({ script: 'bench/processes/socketio-fanout-server.ts', args: [kind], profile: true }),
    BenchChild.start({ script: 'bench/processes/socketio-fanout-clients.ts' }),
  );
  try {
    await clients.call(
      'connect',
      { url: server.info.url, token: server.info.token, count: members, timeoutMs: CONNECT_TIMEOUT_MS },
      120_000,
    );
    await clients.call('publish', { inFlight: IN_FLIGHT });
    await delay(timing.warmMs);
    await Promise.all([clients.call('measureStart'), server.call('cpuStart')]);
    await delay(timing.measureMs);
    const [measured, cpu] = await Promise.all([
      clients.call<{ received: number; elapsedMs: number }>('measureStop'),
      server.call<{ coreShare: number }>('cpuStop'),
    ]);
    await clients.call('stop');
    return { deliveredPerSec: (measured.received / measured.elapsedMs) * 1000, serverCore: cpu.coreShare };
  } finally {
    await Promise.all([clients.stop(), server.stop()]);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function socketIoSection(options: SectionContext): Promise<SectionResult> {
  const section = new SectionBuilder(
    'Socket.IO fan-out of project updates (server and clients in separate processes)',
  );
  const members = options.quick ? 50 : 1_000;
  const rounds = options.quick ? 1 : 5;
  const timing = options.quick ? { warmMs: 200, measureMs: 500 } : { warmMs: 1_500, measureMs: 3_000 };
  const results: Record<Kind, Round[]> = { bare: [], tidewire: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const kind of ['bare', 'tidewire'] as const) {
      options.log(`socketio: ${kind} round ${round} of ${rounds}, ${members} members`);
      results[kind].push(await runOnce(kind, members, timing));
    }
  }
  const delivered = (kind: Kind) => median(results[kind].map((r) => r.deliveredPerSec));
  const perCpu = (kind: Kind) => median(results[kind].map((r) => r.deliveredPerSec / r.serverCore));
  for (const kind of ['bare', 'tidewire'] as const) {
    const label = kind === 'bare' ? 'bare socket.io' : 'reference server';
    section.figure(`${label} ×${members} delivered`, delivered(kind), 'events/s');
    section.figure(`${label} ×${members} delivered per server CPU second`, perCpu(kind), 'events/s');
    section.figure(
      `${label} ×${members} server cpu`,
      median(results[kind].map((r) => r.serverCore)) * 100,
      '% of a core',
    );
  }
  section.ratio(`reference/bare ×${members}`, delivered('tidewire') / delivered('bare'));
  section.ratio(`reference/bare per server CPU second ×${members}`, perCpu('tidewire') / perCpu('bare'));
  section.atLeast(
    `reference/bare throughput ×${members}`,
    delivered('tidewire') / delivered('bare'),
    TARGET_RATIO,
  );
  section.atLeast(
    `reference/bare per server CPU second ×${members}`,
    perCpu('tidewire') / perCpu('bare'),
    TARGET_RATIO,
  );
  section.note(
    `medians of ${rounds} interleaved rounds; the reference server validates each event, runs the projects handler and numbers each member's copy (seq and offset), the bare server broadcasts one packet to the room`,
  );
  return section.build();
}
