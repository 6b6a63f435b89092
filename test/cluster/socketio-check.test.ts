/**
 * CLU-008 in the runner's cluster mode, against real deployments sharing a real redis-server: two
 * reference server instances pass it, directly and through a slow network that fragments every frame;
 * instances that share nothing fail it, saying what came instead. Plain socket.io servers are judged by the
 * rule: socket.io's own recovery across instances (`@socket.io/redis-streams-adapter`) replays what was
 * missed but leaves the old socket connected, and servers written as source 002's guide offer no recovery
 * at all, which SIO-017 reports. (The reference server breaking CLU-008 is the fault matrix's.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import type { CheckResult, RunOptions } from '../../src/conformance/api.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { RedisServer } from '../support/redis-server.js';
import { scaled } from '../support/timing.js';
import { startDepthServer } from '../socketio/support/depth-server.js';
import { startNativeRecoveryServer } from '../socketio/support/native-recovery-server.js';
import { startSlowProxy } from '../socketio/support/slow-proxy.js';
import { startDeployment } from './support/deployment.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RUN_TIMEOUT_MS = scaled(60_000);
const SECRET = 'clu-008-secret';
const HEARTBEAT_MS = scaled(1_000);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The outcome of CLU-008 alone against `urls`. */
async function clu008(urls: string[], options: RunOptions = {}): Promise<CheckResult> {
  const report = await runConformance({ urls, tokenSecret: DEV_TOKEN_SECRET, only: ['CLU-008'], ...options });
  expect(report.checks.map((check) => check.id)).toEqual(['CLU-008']);
  return report.checks[0];
}

/** The URLs of a deployment's instances (stopped after the test). */
async function instanceUrls(...args: Parameters<typeof startDeployment>): Promise<string[]> {
  const deployment = await startDeployment(...args);
  cleanups.push(() => deployment.close());
  return deployment.instances.map((server) => server.url);
}

/** The URLs of two plain socket.io servers that share a Redis server of their own. */
async function twoServers(
  start: (redisSocketPath: string) => Promise<{ url: string; close(): Promise<void> }>,
): Promise<string[]> {
  const redis = await RedisServer.start();
  cleanups.push(() => redis.dispose());
  const servers = await Promise.all([1, 2].map(() => start(redis.socketPath)));
  cleanups.push(async () => void (await Promise.all(servers.map((server) => server.close()))));
  return servers.map((server) => server.url);
}

describeWithRedis('CLU-008 in cluster mode', () => {
  it(
    'passes against two instances sharing Redis, with the recovery as its evidence',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const result = await clu008(await instanceUrls(2));
      expect(result).toMatchObject({ outcome: 'pass' });
      expect(result.evidence).toEqual([
        expect.stringMatching(
          /^instance 2 recovered pid \S+ after offset \d+ with the missed comments at offsets \d+, \d+, \d+, once and in order$/,
        ),
        'instance 1 recovered it back; the socket on instance 2 was disconnected (io server disconnect)',
      ]);
    },
  );

  it(
    'passes through a slow network that delays and fragments every frame',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const proxies = await Promise.all(
        (await instanceUrls(2)).map((url) => startSlowProxy(Number(new URL(url).port), scaled(25), 7)),
      );
      cleanups.push(async () => void (await Promise.all(proxies.map((proxy) => proxy.close()))));
      const result = await clu008(proxies.map((proxy) => proxy.url));
      expect(`${result.outcome}: ${result.message}`).toMatch(/^pass/);
    },
  );

  it(
    'fails against instances that share nothing, saying the socket got a fresh session',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const result = await clu008(await instanceUrls(2, { shared: false }));
      expect(result).toMatchObject({
        outcome: 'fail',
        message: expect.stringMatching(
          /^expected instance 2 to recover pid \S+ after its connection to instance 1 dropped, got: a fresh session \(pid \S+\) \(do the instances share sessions/,
        ),
      });
    },
  );

  it('skips with one URL, saying what it needs', { timeout: RUN_TIMEOUT_MS }, async () => {
    const result = await clu008(await instanceUrls(1));
    expect(result).toMatchObject({
      outcome: 'skip',
      message: expect.stringContaining('--url once per instance'),
    });
  });

  it(
    "fails socket.io's own recovery across instances only for a session still held by a connected socket",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const urls = await twoServers((redisSocketPath) =>
        startNativeRecoveryServer({
          secret: SECRET,
          heartbeatMs: HEARTBEAT_MS,
          recoveryWindowMs: 10 * HEARTBEAT_MS,
          redisSocketPath,
        }),
      );
      const result = await clu008(urls, { tokenSecret: SECRET });
      expect(result).toMatchObject({
        outcome: 'fail',
        message: expect.stringMatching(
          /^expected instance 1 to recover pid \S+ while a socket on instance 2 still held it, got: a fresh session/,
        ),
      });
    },
  );

  it(
    "reports two instances of a server written as source 002's guide as blocked by SIO-017, which finds no recovery",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const urls = await twoServers((redisSocketPath) =>
        startDepthServer({
          redisSocketPath,
          secret: SECRET,
          pingIntervalMs: HEARTBEAT_MS,
          pingTimeoutMs: HEARTBEAT_MS,
        }),
      );
      const result = await clu008(urls, { tokenSecret: SECRET });
      expect(result).toMatchObject({
        outcome: 'blocked',
        blockedBy: 'SIO-017',
        message: expect.stringContaining(
          'no pid in the CONNECT of instance 1: the server offers no connection state recovery',
        ),
      });
    },
  );
});
