import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import type { RunReport } from '../../src/conformance/types.js';
import { scaled } from '../support/timing.js';
import { startMiniServer, type MiniServer } from './support/mini-server.js';
import { cli } from './support/run-cli-captured.js';
import { killSpawned, LAUNCH_TIMEOUT_MS, spawnCli, within } from './support/spawned-cli.js';
import { pingPongCheck, tinyCheck } from './support/tiny-checks.js';

/** A heartbeat so long that HB-001 is still waiting when the test interrupts the run. */
const ENDLESS_HEARTBEAT_MS = 3_600_000;
/** After a signal the runner stops its checks within their grace period and writes the reports. */
const SHUTDOWN_TIMEOUT_MS = scaled(10_000);

let dir: string;
let server: MiniServer;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-interrupt-'));
  server = await startMiniServer({ established: { heartbeatIntervalMs: ENDLESS_HEARTBEAT_MS } });
});
afterEach(async () => {
  killSpawned();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** HS-003 ends at once; HB-001 waits for a ping that is an hour away. */
const RUN_ARGS = ['--only', 'HS-003,HB-001', '--max-wait-ms', String(ENDLESS_HEARTBEAT_MS * 10)];
const readReport = (file: string): RunReport => JSON.parse(fs.readFileSync(file, 'utf8'));
const outcomes = (report: RunReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.outcome]));

describe('an interrupted run', () => {
  it('reports the checks it stopped as cancelled, not failed, and exits 143 for SIGTERM', async () => {
    const interrupt = new AbortController();
    const report = await runConformance({
      url: server.url,
      checks: [
        pingPongCheck('T-QUICK'),
        tinyCheck(
          'T-LONG',
          async (ctx) => {
            const conn = await ctx.connect('news');
            await conn.next(() => false, { timeoutMs: ENDLESS_HEARTBEAT_MS, expected: 'nothing' });
          },
          { budgetMs: () => ENDLESS_HEARTBEAT_MS },
        ),
      ],
      maxWaitMs: ENDLESS_HEARTBEAT_MS * 10,
      onResult: () => interrupt.abort('SIGTERM'),
      signal: interrupt.signal,
    });
    expect(outcomes(report)).toEqual({ 'T-QUICK': 'pass', 'T-LONG': 'cancelled' });
    const cancelled = report.checks[1];
    expect(cancelled.message).toMatch(/^the run was interrupted \(SIGTERM\) after \d+ ms of this check$/);
    expect(cancelled).not.toHaveProperty('expected');
    expect(cancelled.transcript.some((e) => e.kind === 'open')).toBe(true);
    expect(report.summary).toMatchObject({ pass: 1, fail: 0, cancelled: 1 });
    expect(report.exitCode).toBe(143);
  });

  it('writes every report with the exit status the command returns', async () => {
    const interrupt = new AbortController();
    const run = await cli(
      [
        ...['--url', server.url, ...RUN_ARGS],
        ...['--reporter', `json=${dir}/report.json`, '--reporter', `junit=${dir}/junit.xml`],
      ],
      {
        signal: interrupt.signal,
        onOutput: ({ stdout }) => {
          if (/^✓ HS-003 /m.test(stdout)) interrupt.abort('SIGINT');
        },
      },
    );
    expect(run.status).toBe(130);
    expect(run.stderr).toBe('interrupted by SIGINT: 1 of 2 checks cancelled; exit 130\n');
    const report = readReport(`${dir}/report.json`);
    expect(outcomes(report)).toEqual({ 'HS-003': 'pass', 'HB-001': 'cancelled' });
    expect(report.exitCode).toBe(130);
    expect(fs.readFileSync(`${dir}/junit.xml`, 'utf8')).toMatch(
      /<testcase name="HB-001 [^"]*"[^>]*>\s*<skipped message="cancelled: the run was interrupted \(SIGINT\)/,
    );
  });

  it.each([
    ['SIGINT', 130, 'launcher'],
    ['SIGTERM', 143, 'launcher'],
    ['SIGTERM', 143, 'npm'],
  ] as const)(
    'on %s the process writes its report and exits %i, started through %s',
    async (signal, status, via) => {
      const report = path.join(dir, `${signal}.json`);
      const launched = spawnCli(['--url', server.url, ...RUN_ARGS, '--reporter', `json=${report}`], { via });
      await launched.waitForStdout(/^✓ HS-003 /m, LAUNCH_TIMEOUT_MS);
      launched.child.kill(signal);
      expect(await within(launched.exited, SHUTDOWN_TIMEOUT_MS, `exit after ${signal}`)).toBe(status);
      expect(launched.output().stderr).toContain(
        `interrupted by ${signal}: 1 of 2 checks cancelled; exit ${status}`,
      );
      expect(readReport(report)).toMatchObject({ exitCode: status, summary: { cancelled: 1, fail: 0 } });
    },
  );
});
