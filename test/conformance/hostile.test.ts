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
  ['never completes the upgrade', neverUpgradeServer],
  ['holds connections half-open', halfOpenServer],
])('against a server that %s', (_name, start) => {
  it('finishes within its deadline and reports every check as failed', async () => {
    const { report, elapsedMs } = await runAgainst(start);
    expect(elapsedMs).toBeLessThan(RUN_DEADLINE_MS);
    expect(report.exitCode).toBe(1);
    const ping = report.checks.find((c) => c.id === 'T-PING');
    expect(ping?.outcome).toBe('fail');
    expect(ping?.message).toMatch(/^expected .+, got: .+/);
    expect(report.checks.every((c) => c.outcome === 'fail' || c.outcome === 'pass')).toBe(true);
  });
});

describe('against a server that floods megabytes of frames', () => {
  it('keeps memory bounded and attributes the violations to the envelope checks', async () => {
    const heapBefore = heapAfterGc();
    const { report, elapsedMs } = await runAgainst(() => floodServer(64 * 1024 * 1024));
    // Retained: what the run keeps (queues, transcripts, violations) once the flood is garbage.
    const retainedBytes = heapAfterGc() - heapBefore;
    expect(elapsedMs).toBeLessThan(RUN_DEADLINE_MS);
    expect(server?.sentBytes()).toBeGreaterThan(32 * 1024 * 1024);
    expect(retainedBytes).toBeLessThan(32 * 1024 * 1024);
    expect(JSON.stringify(report).length).toBeLessThan(4 * 1024 * 1024);
    expect(report.exitCode).toBe(1);
    const env = report.checks.find((c) => c.id === 'ENV-002');
    expect(env?.outcome).toBe('fail');
    expect(env?.message).toMatch(/violate ENV-002 \(seen by discovery, .*T-PING/);
  });
});

describe('the command line against hostile servers', () => {
  it('exits 1 with a report against a server that never speaks', async () => {
    server = await silentServer();
    const out: string[] = [];
    const status = await runCli(['--url', server.url, '--only', 'HB-003,HS-002', '--timeout-scale', '0.1'], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => out.push(text) },
      env: { NO_COLOR: '1' },
      cwd: process.cwd(),
    });
    expect(status).toBe(1);
    expect(out.join('')).toMatch(/2 checks, 0 passed, 2 failed/);
  });
});
