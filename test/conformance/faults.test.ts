/**
 * The fault matrix: for every server requirement of docs/protocol.md, the reference server started with
 * that one rule broken makes exactly that check fail (warn for a SHOULD) while every other check passes,
 * skips, or is blocked by that very rule (a check whose precondition the fault broke). The runs are
 * spread over one worker process per core (support/fault-runs.ts); the servers' timers follow the
 * suite's timer scale.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/conformance/types.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { scaled } from '../support/timing.js';

// The cluster rules need a deployment of several instances: test/cluster/faults.test.ts runs theirs.
const SERVER_REQUIREMENTS = readRequirements().filter(
  (r) => !r.id.startsWith('CR-') && !r.id.startsWith('CLU-'),
);
const WORKER = fileURLToPath(new URL('./support/fault-runs.ts', import.meta.url));
const WORKERS = Math.max(1, Math.min(availableParallelism(), 4));
const MATRIX_TIMEOUT_MS = scaled(900_000);

interface CheckOutcome {
  id: string;
  outcome: Outcome;
  blockedBy?: string;
  message: string;
}

type FaultRun = { id: string; checks: CheckOutcome[] } | { id: string; error: string };

const runs = new Map<string, Promise<FaultRun>>();
const workers: ChildProcess[] = [];

/** Runs the faults `ids` in a worker process; settles each ID's promise as its line arrives. */
function runInWorker(ids: string[]): void {
  const settle = new Map<string, (run: FaultRun) => void>();
  for (const id of ids) runs.set(id, new Promise<FaultRun>((resolve) => settle.set(id, resolve)));
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...ids], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  createInterface({ input: child.stdout }).on('line', (line) => {
    const run = JSON.parse(line) as FaultRun;
    settle.get(run.id)?.(run);
    settle.delete(run.id);
  });
  child.on('exit', (code) => {
    for (const [id, resolve] of settle) resolve({ id, error: `the worker exited with ${code} before ${id}` });
  });
}

/** A result the fault `id` may cause in a check other than its own. */
function allowedElsewhere(check: CheckOutcome, id: string): boolean {
  return (
    check.outcome === 'pass' ||
    check.outcome === 'skip' ||
    (check.outcome === 'blocked' && check.blockedBy === id)
  );
}

beforeAll(() => {
  const ids = SERVER_REQUIREMENTS.map((r) => r.id);
  for (let w = 0; w < WORKERS; w++) runInWorker(ids.filter((_, i) => i % WORKERS === w));
});

afterAll(() => {
  for (const worker of workers) worker.kill();
});

describe('conformance checks against a reference server with one fault', () => {
  it.each(SERVER_REQUIREMENTS)(
    'reports only $id when the server breaks $id',
    { timeout: MATRIX_TIMEOUT_MS },
    async ({ id, level }) => {
      const run = await runs.get(id)!;
      if ('error' in run) throw new Error(run.error);
      const expected: Outcome = level === 'MUST' ? 'fail' : 'warn';
      const unexpected = run.checks
        .filter((check) => (check.id === id ? check.outcome !== expected : !allowedElsewhere(check, id)))
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(unexpected).toEqual([]);
      expect(run.checks.find((check) => check.id === id)?.outcome).toBe(expected);
    },
  );
});
