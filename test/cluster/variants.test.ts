/**
 * The cluster checks against deployments that do what the protocol leaves free differently: two instances
 * rather than three (the checks' hops wrap around), messages in fragments, with whitespace, keys in another
 * order, optional fields added, and latency; a user's message limit smaller than its connection limit, so
 * that CLU-007 counts messages. Every cluster check passes; each proxy's changes are proven to reach the
 * runner.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { CLUSTER_COUNT_DELAY_MS } from '../../src/protocol/constants.js';
import { scaled, TEST_SCALE } from '../support/timing.js';
import { SMALL_USER_LIMIT, startDeployment, type Deployment } from './support/deployment.js';
import { startReframingProxy, type Reframing, type ReframingProxy } from './support/reframing-proxy.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RUN_TIMEOUT_MS = scaled(120_000);
/**
 * CLU-007's waits (the 100 ms it allows among them) stretched three times: instances in this busy process
 * may hear each other late, and waiting longer never turns a fault into a pass.
 */
const CLU_007_WAIT_SCALE = 3 * TEST_SCALE;

let deployment: Deployment | undefined;
let proxies: ReframingProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  proxies = [];
  await deployment?.close();
  deployment = undefined;
});

/** Runs the cluster checks through one proxy per instance, each changing the instance's messages as told. */
async function clusterChecksThrough(...reframings: Reframing[]) {
  const cluster = (deployment = await startDeployment(reframings.length));
  proxies = await Promise.all(reframings.map((how, i) => startReframingProxy(cluster.instances[i].url, how)));
  const report = await runConformance({
    urls: proxies.map((proxy) => proxy.url),
    tokenSecret: DEV_TOKEN_SECRET,
    only: ['cluster'],
  });
  const notPassed = report.checks
    .filter((check) => check.outcome !== 'pass')
    .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
  return { report, notPassed };
}

describeWithRedis('cluster checks against permitted variants', () => {
  it(
    'pass through fragmented, indented messages on one instance and reordered ones with added fields on the other',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const { report, notPassed } = await clusterChecksThrough(
        { fragments: 3, indent: 2 },
        { reverseKeys: true, addFields: { region: 'eu-west', servedBy: 'proxy' } },
      );
      expect(notPassed).toEqual([]);
      expect(report.checks).toHaveLength(8);
      const received = report.checks
        .flatMap((check) => check.transcript)
        .filter((entry) => entry.direction === 'received' && entry.kind === 'text')
        .map((entry) => entry.data);
      expect(received.some((text) => text.startsWith(' {\n  "type"'))).toBe(true);
      expect(received.some((text) => text.startsWith('{"servedBy":"proxy"'))).toBe(true);
    },
  );

  it('pass when the instances answer with latency', { timeout: RUN_TIMEOUT_MS }, async () => {
    const latencyMs = scaled(40);
    const { notPassed } = await clusterChecksThrough({ latencyMs }, { latencyMs: 2 * latencyMs });
    expect(notPassed).toEqual([]);
  });

  it(
    "pass on a user's message limit in CLU-007, directly and through latency and reframing",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const cluster = (deployment = await startDeployment(2, SMALL_USER_LIMIT));
      const clu007Through = async (urls: string[]) =>
        (
          await runConformance({
            urls,
            tokenSecret: DEV_TOKEN_SECRET,
            only: ['CLU-007'],
            timeoutScale: CLU_007_WAIT_SCALE,
          })
        ).checks[0];
      const direct = await clu007Through(cluster.instances.map((server) => server.url));
      expect([direct.outcome, direct.message]).toEqual([
        'pass',
        `20 requests of one user on instance 1, then one on instance 2 ${CLUSTER_COUNT_DELAY_MS * CLU_007_WAIT_SCALE} ms later: RATE_LIMITED`,
      ]);
      const latencyMs = scaled(40);
      proxies = await Promise.all([
        startReframingProxy(cluster.instances[0].url, { latencyMs, fragments: 3 }),
        startReframingProxy(cluster.instances[1].url, { latencyMs: 2 * latencyMs, reverseKeys: true }),
      ]);
      const proxied = await clu007Through(proxies.map((proxy) => proxy.url));
      expect([proxied.outcome, proxied.message]).toEqual(['pass', direct.message]);
    },
  );
});
