/**
 * The reference server keeps serving a well-behaved client (HB-003 pongs within their deadline, prices
 * flowing) while one client floods it and a thousand others connect and vanish; afterwards nothing is
 * left behind: no connection, no session once the resume window has passed, and the heap back near its start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Defaults } from '../../src/protocol/constants.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { heapAfterGc, MIB } from './support/heap.js';
import { churn, flood } from './support/load.js';
import { eventually, Peer } from './support/peer.js';

const CHURN_CLIENTS = 1_000;
const CHURN_BATCH = 100;
/** The thousand clients come and go this many times over. */
const CHURN_CYCLES = 3;
const PROBE_EVERY_MS = 100;
const RESUME_WINDOW_MS = 500;
/** Generous: the heap must come back near where it was, not to the byte. */
const HEAP_SLACK_BYTES = 32 * MIB;

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Probe {
  pongMs: number[];
  missed: string[];
}

/** Sends a JSON ping every PROBE_EVERY_MS until `done` settles, timing each pong. */
async function probeUntil(peer: Peer, done: Promise<unknown>): Promise<Probe> {
  const probe: Probe = { pongMs: [], missed: [] };
  let finished = false;
  void done.finally(() => (finished = true));
  for (let n = 0; !finished; n++) {
    const id = `probe-${n}`;
    const sentAt = performance.now();
    peer.send({ type: 'ping', id });
    try {
      await peer.next((m) => m.type === 'pong' && m.id === id, `pong ${id}`, Defaults.pongDeadlineMs);
      probe.pongMs.push(performance.now() - sentAt);
    } catch (error) {
      probe.missed.push((error as Error).message);
    }
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS))]);
  }
  return probe;
}

describe('reference server under hostile load', () => {
  it('keeps serving a well-behaved client while one floods and 1,000 connect and drop in a loop, then leaves nothing behind', async () => {
    server = await createServer({
      heartbeatIntervalMs: 1_000,
      heartbeatTimeoutMs: 2_000,
      resumeWindowMs: RESUME_WINDOW_MS,
      rateLimit: { maxMessages: 50, windowMs: 1_000 },
      // BTC ticks every 100 ms.
      simulation: { seed: 3, speed: 10 },
    });
    const market = `${server.url}/ws/market_data`;
    // Warm-up round, so that one-off allocations are in the baseline rather than counted as a leak.
    await churn(market, CHURN_BATCH, CHURN_BATCH);
    // Authenticated, the well-behaved client has a message budget of its own: anonymous connections of
    // one address, the flooder's, share theirs (RL-009).
    const { peer } = await Peer.connect(`${market}?token=${await server.mintToken('9')}`);
    peer.send({ type: 'subscribe', id: 'btc', symbols: ['BTC'] });
    await peer.next((m) => m.type === 'ack' && m.id === 'btc', 'the ack of the subscription');
    await eventually(() => server?.stats().sessions === 1, 'only the well-behaved session left', 5_000);
    const heapBefore = heapAfterGc();

    const flooder = flood(market);
    const load = (async () => {
      let dropped = 0;
      for (let cycle = 0; cycle < CHURN_CYCLES; cycle++)
        dropped += await churn(market, CHURN_CLIENTS, CHURN_BATCH);
      return dropped;
    })();
    const pricesBefore = peer.received.filter((m) => m.type === 'price_update').length;
    const startedAt = performance.now();
    const probe = await probeUntil(peer, load);
    expect(await load).toBe(CHURN_CLIENTS * CHURN_CYCLES);
    await flooder.stop();
    const loadMs = performance.now() - startedAt;
    const prices = peer.received.filter((m) => m.type === 'price_update').length - pricesBefore;

    expect(probe.missed).toEqual([]);
    expect(probe.pongMs.length).toBeGreaterThan(0);
    expect(flooder.closedByServer).toBeGreaterThan(0);
    expect(peer.isOpen).toBe(true);
    // BTC ticks every 100 ms; at least half of them must have reached the client during the load.
    expect(prices).toBeGreaterThanOrEqual(Math.floor(loadMs / 100 / 2));

    await peer.close();
    const stats = () => server?.stats();
    await eventually(
      () => stats()?.connections === 0 && stats()?.sessions === 0,
      'no connection and no session left after the resume window',
      RESUME_WINDOW_MS + 5_000,
    );
    expect(heapAfterGc() - heapBefore).toBeLessThan(HEAP_SLACK_BYTES);
  }, 45_000);
});
