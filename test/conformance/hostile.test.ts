import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { runCli } from '../../src/conformance/run-cli.js';
import {
  floodServer,
  garbageServer,
  halfOpenServer,
  neverUpgradeServer,
  silentServer,
  type HostileServer,
} from './support/hostile.js';
import { envelopeChecks, pingPongCheck } from './support/tiny-checks.js';

const TIMEOUT_SCALE = 0.1;

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
/** Discovery (one connect timeout) plus two rounds of check deadlines, with room for a slow machine. */
const RUN_DEADLINE_MS = 8_000;

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(start: () => Promise<HostileServer>) {
  server = await start();
  const startedAt = performance.now();
  const report = await runConformance({
    url: server.url,
    timeoutScale: TIMEOUT_SCALE,
    checks: [pingPongCheck('T-PING'), ...envelopeChecks()],
  });
  return { report, elapsedMs: performance.now() - startedAt };
}

describe.each([
  ['accepts and never speaks', silentServer],
  ['sends garbage bytes after the upgrade', garbageServer],
])('against a server that %s', (_name, start) => {
  it('finishes within its deadline, blocks every check on HS-002 and exits 1', async () => {
    const { report, elapsedMs } = await runAgainst(start);
    expect(elapsedMs).toBeLessThan(RUN_DEADLINE_MS);
    expect(report.exitCode).toBe(1);
    expect(report.rootCauses).toEqual([
      {
        checkId: 'HS-002',
        message: expect.stringMatching(/^no connection_established on any endpoint/),
        blocked: 4,
      },
    ]);
    expect(report.checks.every((c) => c.outcome === 'blocked' && c.blockedBy === 'HS-002')).toBe(true);
  });
});

describe('against a server that holds connections half-open', () => {
  it('finishes within its deadline and fails the check whose answer never comes', async () => {
    const { report, elapsedMs } = await runAgainst(halfOpenServer);
    expect(elapsedMs).toBeLessThan(RUN_DEADLINE_MS);
    expect(report.exitCode).toBe(1);
    const ping = report.checks.find((c) => c.id === 'T-PING');
    expect(ping?.outcome).toBe('fail');
    expect(ping?.message).toMatch(/^expected pong, got: nothing within \d+ ms$/);
  });
});

describe('against a server that never completes the upgrade', () => {
  it('ends the run with one line naming what happened to the upgrade', async () => {
    server = await neverUpgradeServer();
    await expect(
      runConformance({ url: server.url, timeoutScale: TIMEOUT_SCALE, checks: [pingPongCheck('T-PING')] }),
    ).rejects.toThrow(
      /^no WebSocket endpoint at .*: the upgrade on .* got no answer to the upgrade within \d+ ms$/,
    );
  });
});

describe('against a server that floods megabytes of frames', () => {
  it('keeps memory bounded and attributes the violations to the envelope checks', async () => {
    const heapBefore = heapAfterGc();
    const { report, elapsedMs } = await runAgainst(() => floodServer(64 * 1024 * 1024));
    // Retained: what the run keeps (queues, transcripts, violations) once the flood is garbage.
    const retainedBytes = heapAfterGc() - heapBefore;
    expect(elapsedMs).toBeLessThan(RUN_DEADLINE_MS);
    expect(server?.sentBytes()).toBeGreaterThan(16 * 1024 * 1024);
    expect(retainedBytes).toBeLessThan(32 * 1024 * 1024);
    expect(JSON.stringify(report).length).toBeLessThan(4 * 1024 * 1024);
    expect(report.exitCode).toBe(1);
    const env = report.checks.find((c) => c.id === 'ENV-002');
    expect(env?.outcome).toBe('fail');
    expect(env?.message).toMatch(/violate ENV-002 \(seen by discovery/);
  });
});

describe('the command line against hostile servers', () => {
  it('exits 1 with a report that names the root cause against a server that never speaks', async () => {
    server = await silentServer();
    const out: string[] = [];
    const status = await runCli(['--url', server.url, '--only', 'HB-003,HS-002', '--timeout-scale', '0.1'], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => out.push(text) },
      env: { NO_COLOR: '1' },
      cwd: process.cwd(),
    });
    expect(status).toBe(1);
    expect(out.join('')).toMatch(
      /^Root causes:\n {2}no connection_established on any endpoint.* \(HS-002\)$/m,
    );
    expect(out.join('')).toMatch(/2 checks, 0 passed, 2 failed/);
  });
});
