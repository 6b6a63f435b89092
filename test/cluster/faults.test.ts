/**
 * The fault matrix of the cluster rules: a deployment of three instances sharing Redis, each started with
 * the one cluster rule broken, makes exactly that check fail while every other cluster check passes (or,
 * when it is CLU-001 that breaks, is blocked by it).
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { startDeployment } from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const CLUSTER_REQUIREMENTS = readRequirements().filter((r) => r.id.startsWith('CLU-'));

describeWithRedis('cluster checks against a deployment with one fault', () => {
  it('covers every cluster requirement', () => {
    expect(CLUSTER_REQUIREMENTS.length).toBeGreaterThan(0);
  });

  it.each(CLUSTER_REQUIREMENTS)(
    'reports only $id when the instances break $id',
    { timeout: scaled(120_000) },
    async ({ id }) => {
      const deployment = await startDeployment(3, { faults: [id] });
      try {
        const report = await runConformance({
          urls: deployment.instances.map((server) => server.url),
          tokenSecret: DEV_TOKEN_SECRET,
          only: ['cluster'],
        });
        const unexpected = report.checks
          .filter((check) =>
            check.id === id
              ? check.outcome !== 'fail'
              : check.outcome !== 'pass' && !(check.outcome === 'blocked' && check.blockedBy === id),
          )
          .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
        expect(unexpected).toEqual([]);
      } finally {
        await deployment.close();
      }
    },
  );
});
