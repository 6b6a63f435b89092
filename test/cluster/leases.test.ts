/**
 * One producer per simulated source, and a bounded takeover: two instances in processes of their own follow
 * the same price; the one that produces it is killed with SIGKILL (its lease is not given up, it runs out),
 * and the other produces the price within the lease time plus a third of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient, type TestClient } from '../server/support/test-client.js';
import { scaled } from '../support/timing.js';
import { CLUSTER_TEST_OPTIONS, InstanceProcess } from './support/instances.js';
import { MARKET, REPLY_MS } from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const LEASE_MS = CLUSTER_TEST_OPTIONS.cluster.leaseMs;
/** The bound docs/cluster.md gives: the lease runs out, and the others try every third of it. */
const TAKEOVER_BOUND_MS = (LEASE_MS * 4) / 3;
/** A price ticks 20 times a second at the tests' speed; the first tick of the new producer may wait one. */
const TICK_MS = 1_000 / CLUSTER_TEST_OPTIONS.simulation.speed;

let redis: RedisServer;
let producer: InstanceProcess;
let follower: InstanceProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  producer = new InstanceProcess(redis.url, 'p1');
  follower = new InstanceProcess(redis.url, 'p2');
  await Promise.all([producer.start(), follower.start()]);
}, scaled(300_000));

afterAll(async () => {
  for (const client of clients) client.terminate();
  await Promise.all([producer?.stop(), follower?.stop()]);
  await redis?.dispose();
}, scaled(60_000));

/** A market session on `instance` following `symbol`, once it has received a first price. */
async function follow(instance: InstanceProcess, symbol: string): Promise<TestClient> {
  const client = await openClient(`${instance.url}${MARKET}`, { protocols: ['tidewire.v1'] });
  clients.push(client);
  await client.waitForMessage('connection_established', REPLY_MS);
  client.send({ type: 'subscribe', symbols: [symbol] });
  await client.waitForMessage('price_update', REPLY_MS);
  return client;
}

/** When the price was produced (`data.timestamp`, the producer's clock: the same machine's). */
const producedAt = (message: Record<string, unknown> | undefined) =>
  Date.parse((message?.data as { timestamp?: string } | undefined)?.timestamp ?? '');

describeWithRedis('the lease of a simulated source', () => {
  it('passes to another instance within the lease time and a third when its holder is killed', async () => {
    // The first instance to follow the price takes its lease; the second finds it held.
    await follow(producer, 'ADA');
    const watcher = await follow(follower, 'ADA');

    await producer.kill();
    const killedAt = Date.now();
    const first = await watcher.next(
      (frame) => frame.json?.type === 'price_update' && producedAt(frame.json) > killedAt,
      `a price produced by ${follower.instanceId} after ${producer.instanceId} was killed`,
      TAKEOVER_BOUND_MS + REPLY_MS,
    );
    const takeoverMs = producedAt(first.json) - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_BOUND_MS + TICK_MS + LEASE_MS / 3);

    // From then on the survivor produces the price at its cadence, once.
    const seqs = () => watcher.messages().flatMap((m) => (typeof m.seq === 'number' ? [m.seq] : []));
    const from = seqs().length;
    const windowMs = 10 * TICK_MS;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const produced = seqs().length - from;
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThanOrEqual(2 * (windowMs / TICK_MS));
    expect(seqs()).toEqual(Array.from({ length: seqs().length }, (_, i) => i + 1));
  });
});
