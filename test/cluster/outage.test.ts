/**
 * Redis out of reach: live connections are closed with `error` SERVICE_UNAVAILABLE (`retryAfterMs`) and
 * 1013, new ones are refused the same way, nothing a client received is lost, and the instances serve
 * again once Redis is back.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../server/support/wait.js';
import { CLUSTER_TEST_OPTIONS } from './support/instances.js';
import {
  dataOf,
  lastSeqOf,
  MARKET,
  REPLY_MS,
  resumeQuery,
  startDeployment,
  type Deployment,
} from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RETRY_MS = CLUSTER_TEST_OPTIONS.cluster.reconnectMs;

let deployment: Deployment | undefined;
afterEach(async () => {
  await deployment?.close();
  deployment = undefined;
});

/** Drops every client connection Redis has (as a network failure would), keeping its data. */
function dropRedisConnections(redis: RedisServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(redis.socketPath);
    socket.once('error', reject);
    socket.once('connect', () => socket.write('CLIENT KILL TYPE normal\r\nCLIENT KILL TYPE pubsub\r\n'));
    let answers = 0;
    socket.on('data', (data) => {
      answers += data
        .toString()
        .split('\r\n')
        .filter((line) => line.startsWith(':')).length;
      if (answers < 2) return;
      socket.destroy();
      resolve();
    });
  });
}

describeWithRedis('an instance that loses Redis', () => {
  it('closes live connections with SERVICE_UNAVAILABLE and 1013, refuses new ones alike, and serves again once Redis is back', async () => {
    const cluster = (deployment = await startDeployment(2));
    const live = await cluster.open(0, MARKET);
    live.client.send({ type: 'subscribe', symbols: ['BTC'] });
    await until(() => lastSeqOf(live.client) >= 2, 'price updates', REPLY_MS);

    await cluster.redis.stop();
    const error = await live.client.waitForMessage('error', REPLY_MS);
    expect(error.error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.any(String),
      retryAfterMs: RETRY_MS,
    });
    expect((await live.client.waitForClose(REPLY_MS)).code).toBe(1013);

    const refused = await cluster.attempt(1, MARKET);
    expect(refused.first).toMatchObject({
      type: 'error',
      error: { code: 'SERVICE_UNAVAILABLE', retryAfterMs: RETRY_MS },
    });
    expect((await refused.client.waitForClose(REPLY_MS)).code).toBe(1013);

    await cluster.redis.start();
    // A restarted Redis without persistence forgot every session: the client is told, not left guessing.
    await until(
      () => cluster.instances.every((server) => server.stats().connections === 0),
      'closed',
      REPLY_MS,
    );
    const back = await waitForService(
      cluster,
      resumeQuery(live.established.sessionId, lastSeqOf(live.client)),
    );
    expect(await back.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({ reason: 'unknown_session' });
  });

  it('loses nothing a client received when the instances lose Redis for a moment', async () => {
    const cluster = (deployment = await startDeployment(2));
    const { client, established } = await cluster.open(0, MARKET);
    client.send({ type: 'subscribe', symbols: ['SOL'] });
    await until(() => lastSeqOf(client) >= 3, 'price updates', REPLY_MS);

    await dropRedisConnections(cluster.redis);
    const error = await client.waitForMessage('error', REPLY_MS);
    const { retryAfterMs } = error.error as { retryAfterMs: number };
    expect((await client.waitForClose(REPLY_MS)).code).toBe(1013);
    const received = dataOf(client).map((m) => m.seq as number);
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));

    const resumed = await waitForService(cluster, resumeQuery(established.sessionId, received.at(-1)!), 1);
    await resumed.waitForMessage('resumed', REPLY_MS);
    await until(() => lastSeqOf(resumed) >= received.at(-1)! + 3, 'live updates after the resume', REPLY_MS);
    const all = [...received, ...dataOf(resumed).map((m) => m.seq as number)];
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });
});

/**
 * Connects to instance `index` on the market endpoint until it is served (`connection_established`); an
 * instance still reconnecting to Redis refuses with 1013 and its `retryAfterMs`, which the next try waits.
 */
async function waitForService(cluster: Deployment, query: Record<string, string>, index = 0) {
  const deadline = Date.now() + 20 * RETRY_MS + REPLY_MS;
  for (;;) {
    const { client, first } = await cluster.attempt(index, MARKET, query);
    if (first.type === 'connection_established') return client;
    const retryAfterMs = (first.error as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (retryAfterMs === undefined || Date.now() > deadline) {
      throw new Error(`expected the instance to serve again, got: ${JSON.stringify(first)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
  }
}
