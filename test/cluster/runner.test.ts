/**
 * The runner's cluster mode against real deployments: three instances sharing Redis pass every check;
 * instances that share nothing fail the cluster checks, saying what they do not share; two URLs of one
 * instance are reported as such, never passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { IN_PROCESS_PARAMS, IN_PROCESS_SERVER_OPTIONS } from '../../src/conformance/in-process-target.js';
import type { CheckResult } from '../../src/conformance/types.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { cli } from '../conformance/support/run-cli-captured.js';
import { scaled } from '../support/timing.js';
import { SMALL_USER_LIMIT, startDeployment, type Deployment } from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RUN_TIMEOUT_MS = scaled(120_000);

/** The in-process target's short timers, so that every check runs in seconds. */
const SHORT_TIMERS = {
  ...IN_PROCESS_SERVER_OPTIONS,
  rateLimit: { ...IN_PROCESS_SERVER_OPTIONS.rateLimit },
  simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
};

let deployment: Deployment | undefined;
afterEach(async () => {
  await deployment?.close();
  deployment = undefined;
});

/** AUTH-010 is about optional mode: a deployment in required mode gives it nothing to judge. */
const SKIPPED_IN_REQUIRED_MODE = ['AUTH-010'];

const urlsOf = (cluster: Deployment) => cluster.instances.map((server) => server.url);
const describe_ = (check: CheckResult) => `${check.id} ${check.outcome}: ${check.message}`;

describeWithRedis('the runner in cluster mode', () => {
  it('passes every check against three instances sharing Redis', { timeout: RUN_TIMEOUT_MS }, async () => {
    const cluster = (deployment = await startDeployment(3, SHORT_TIMERS));
    const report = await runConformance({
      urls: urlsOf(cluster),
      tokenSecret: DEV_TOKEN_SECRET,
      params: { ...IN_PROCESS_PARAMS },
    });
    const notPassing = report.checks.filter(
      (check) =>
        check.outcome !== 'pass' &&
        !(check.outcome === 'skip' && SKIPPED_IN_REQUIRED_MODE.includes(check.id)),
    );
    expect(notPassing.map(describe_)).toEqual([]);
    expect(report.checks.filter((check) => check.area === 'cluster')).toHaveLength(8);
    expect(report.exitCode).toBe(0);
  });

  it(
    'fails the cluster checks of instances that share nothing, saying so',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const cluster = (deployment = await startDeployment(2, { shared: false }));
      const report = await runConformance({
        urls: urlsOf(cluster),
        tokenSecret: DEV_TOKEN_SECRET,
        only: ['cluster'],
      });
      const outcomes = Object.fromEntries(report.checks.map((check) => [check.id, check.outcome]));
      expect(outcomes).toEqual({
        'CLU-001': 'pass',
        'CLU-002': 'fail',
        'CLU-003': 'fail',
        'CLU-004': 'fail',
        'CLU-005': 'fail',
        'CLU-006': 'fail',
        'CLU-007': 'fail',
        'CLU-008': 'fail',
      });
      const message = (id: string) => report.checks.find((check) => check.id === id)?.message;
      expect(message('CLU-002')).toContain('do the instances share rooms?');
      for (const id of ['CLU-003', 'CLU-004', 'CLU-005', 'CLU-006']) {
        expect(message(id)).toMatch(/resume_failed.*do the instances share sessions\?/);
      }
      expect(message('CLU-007')).toMatch(
        /^user clu-007-\S+ holds 64 connections over 2 instances \(32 on instance 1, 32 on instance 2\), limit 64: connection 65 of one user, on instance 1 was admitted — do the instances share their per-user counters\?$/,
      );
      expect(message('CLU-008')).toMatch(/got: a fresh session .*do the instances share sessions/);
      expect(report.exitCode).toBe(1);
    },
  );

  it(
    "says what CLU-007 saw when the instances count a user's messages on their own",
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const cluster = (deployment = await startDeployment(2, { ...SMALL_USER_LIMIT, faults: ['CLU-007'] }));
      const report = await runConformance({
        urls: urlsOf(cluster),
        tokenSecret: DEV_TOKEN_SECRET,
        only: ['CLU-007'],
      });
      expect(report.checks.map((check) => check.outcome)).toEqual(['fail']);
      expect(report.checks[0].message).toMatch(
        /^user clu-007-\S+ sent 21 messages over 2 instances in one window of \d+ ms \(20 on instance 1, then 1 on instance 2 100 ms later\), limit 20: none refused — do the instances share their per-user counters\?$/,
      );
    },
  );

  it('reports two URLs of one instance as one instance, blocking the other cluster checks', async () => {
    const cluster = (deployment = await startDeployment(1));
    const url = cluster.instances[0].url;
    const report = await runConformance({
      urls: [url, url],
      tokenSecret: DEV_TOKEN_SECRET,
      only: ['cluster'],
    });
    const clu001 = report.checks.find((check) => check.id === 'CLU-001');
    expect(clu001?.outcome).toBe('fail');
    expect(clu001?.message).toContain('instances 1 and 2 both advertise instanceId "i1"');
    const others = report.checks.filter((check) => check.id !== 'CLU-001');
    expect(others.map((check) => [check.outcome, check.blockedBy])).toEqual(
      others.map(() => ['blocked', 'CLU-001']),
    );
  });

  it('leaves the cluster checks out of a run against one server unless they are asked for', async () => {
    const cluster = (deployment = await startDeployment(1));
    const plain = await cli(['--url', cluster.instances[0].url, '--list']);
    expect(plain.stdout).not.toContain('CLU-');
    const asked = await runConformance({ url: cluster.instances[0].url, only: ['CLU-003'] });
    expect(asked.checks.map((check) => [check.id, check.outcome, check.message])).toEqual([
      [
        'CLU-003',
        'skip',
        'cluster checks need the URLs of two or more instances of one deployment (--url once per instance)',
      ],
    ]);
  });

  it('takes --url once per instance on the command line', { timeout: RUN_TIMEOUT_MS }, async () => {
    const cluster = (deployment = await startDeployment(2));
    const [first, second] = urlsOf(cluster);
    const run = await cli([
      '--url',
      first,
      '--url',
      second,
      '--only',
      'CLU-001,CLU-003',
      '--reporter',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as { target: string; checks: CheckResult[] };
    expect(run.status).toBe(0);
    expect(report.target).toBe(`${first}/ and 1 more instance (${second}/)`);
    expect(report.checks.map((check) => [check.id, check.outcome])).toEqual([
      ['CLU-001', 'pass'],
      ['CLU-003', 'pass'],
    ]);
  });
});
