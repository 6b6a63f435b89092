import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scaled } from '../support/timing.js';
import { startMiniServer, type MiniServer } from './support/mini-server.js';
import { cli } from './support/run-cli-captured.js';

/** A heartbeat so long that HB-001 keeps waiting until the test has seen what it looks for. */
const ENDLESS_HEARTBEAT_MS = 3_600_000;
const PROGRESS_INTERVAL_MS = scaled(50);
const RUN_ARGS = ['--only', 'HS-003,HB-001', '--max-wait-ms', String(ENDLESS_HEARTBEAT_MS * 10)];
const WAITING_LINE = /^still waiting on HB-001 \(up to (\d+) s more\)$/m;

let server: MiniServer;
beforeEach(async () => {
  server = await startMiniServer({ established: { heartbeatIntervalMs: ENDLESS_HEARTBEAT_MS } });
});
afterEach(() => server.close());

/** Runs the CLI (not on a terminal) until `enough` says the output shows what the test needs. */
function runUntil(args: string[], enough: (output: { stdout: string; stderr: string }) => boolean) {
  const interrupt = new AbortController();
  return cli(['--url', server.url, ...RUN_ARGS, ...args], {
    signal: interrupt.signal,
    progressIntervalMs: PROGRESS_INTERVAL_MS,
    onOutput: (output) => {
      if (enough(output)) interrupt.abort();
    },
  });
}

describe('progress when not on a terminal', () => {
  it('writes a line per finished check and names the checks still running at each interval', async () => {
    const run = await runUntil([], ({ stdout }) => WAITING_LINE.test(stdout));
    expect(run.stdout).toMatch(/^✓ HS-003 +selects tidewire\.v1 when the client offers it \d+ ms$/m);
    const seconds = Number(WAITING_LINE.exec(run.stdout)?.[1]);
    // HB-001's deadline: the advertised interval plus its own margins, never less than the interval.
    expect(seconds).toBeGreaterThanOrEqual(ENDLESS_HEARTBEAT_MS / 1000);
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('goes to stderr when stdout carries a JSON report', async () => {
    const run = await runUntil(['--reporter', 'json'], ({ stderr }) => WAITING_LINE.test(stderr));
    expect(run.stderr).toMatch(/^✓ HS-003 /m);
    expect(JSON.parse(run.stdout).checks.map((c: { id: string }) => c.id)).toEqual(['HS-003', 'HB-001']);
  });

  it('redraws one status line on a terminal instead of writing waiting lines', async () => {
    const status = /\[1\/2\] waiting on HB-001 \(up to \d+ s more\)\r\u001b\[2K/g;
    const interrupt = new AbortController();
    const run = await cli(['--url', server.url, ...RUN_ARGS], {
      tty: true,
      env: { NO_COLOR: '1' },
      progressIntervalMs: PROGRESS_INTERVAL_MS,
      signal: interrupt.signal,
      // Redrawn at three intervals: long enough for a waiting line to have shown, had there been one.
      onOutput: ({ stdout }) => {
        if ((stdout.match(status) ?? []).length >= 3) interrupt.abort();
      },
    });
    expect(run.stdout.match(status)?.length).toBeGreaterThanOrEqual(3);
    expect(run.stdout).not.toMatch(WAITING_LINE);
  });
});
