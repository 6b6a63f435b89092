/**
 * CLU-007's check when the user's message limit is the cheaper one to fill (a small `userRateLimit`):
 * it passes on instances that share their counters, directly and through proxies that add latency,
 * reframe and reorder; it fails, saying what it saw, on instances that count on their own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { scaled, TEST_SCALE } from '../support/timing.js';
import { CLUSTER_COUNT_DELAY_MS } from '../../src/protocol/constants.js';
import { startDeployment, type Deployment } from './support/deployment.js';
import { startReframingProxy, type ReframingProxy } from './support/reframing-proxy.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RUN_TIMEOUT_MS = scaled(60_000);
const WAIT_SCALE = 3 * TEST_SCALE;
/** Fewer messages than the 65 connections the default connection limit takes: the check counts messages. */
const SMALL_USER_LIMIT = { userRateLimit: { maxMessages: 20, windowMs: scaled(60_000) } };

let deployment: Deployment | undefined;
let proxies: ReframingProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  proxies = [];
  await deployment?.close();
  deployment = undefined;
});

/**
 * Runs the check with its waits (the 100 ms CLU-007 allows among them) stretched three times: instances
 * in this busy process may hear each other late, and waiting longer never turns a fault into a pass.
 */
async function checkAgainst(urls: string[]) {
  const report = await runConformance({
    urls,
    tokenSecret: DEV_TOKEN_SECRET,
    only: ['CLU-007'],
    timeoutScale: WAIT_SCALE,
  });
  const [check] = report.checks;
  return check;
}

describeWithRedis("CLU-007's check on the user's message limit", () => {
  it(
    'passes on instances that share their counters, directly and through latency and reframing',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const cluster = (deployment = await startDeployment(2, SMALL_USER_LIMIT));
      const direct = await checkAgainst(cluster.instances.map((server) => server.url));
      expect(direct.outcome).toBe('pass');
      expect(direct.evidence?.join(' ')).toMatch(
        new RegExp(
          `^20 requests of one user on instance 1, then one on instance 2 ${CLUSTER_COUNT_DELAY_MS * WAIT_SCALE} ms later: RATE_LIMITED$`,
        ),
      );

      const latencyMs = scaled(40);
      proxies = await Promise.all([
        startReframingProxy(cluster.instances[0].url, { latencyMs, fragments: 3 }),
        startReframingProxy(cluster.instances[1].url, { latencyMs: 2 * latencyMs, reverseKeys: true }),
      ]);
      const proxied = await checkAgainst(proxies.map((proxy) => proxy.url));
      expect([proxied.outcome, proxied.message]).toEqual(['pass', direct.message]);
    },
  );

  it(
    'fails on instances that count on their own, saying what it saw',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const cluster = (deployment = await startDeployment(2, { ...SMALL_USER_LIMIT, faults: ['CLU-007'] }));
      const check = await checkAgainst(cluster.instances.map((server) => server.url));
      expect(check.outcome).toBe('fail');
      expect(check.message).toMatch(
        /^user clu-007-\S+ sent 21 messages over 2 instances in one window of \d+ ms \(20 on instance 1, then 1 on instance 2 \d+ ms later\), limit 20: none refused — do the instances share their per-user counters\?$/,
      );
    },
  );
});
