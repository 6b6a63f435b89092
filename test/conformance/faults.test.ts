/**
 * The fault matrix: for every server requirement of docs/protocol.md, the reference server started with
 * that one rule broken makes exactly that check fail (warn for a SHOULD) while every other check still
 * passes, skips, or is blocked by that rule. Runs go concurrently in a bounded pool so the matrix takes well under a minute.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import type { Outcome, RunReport } from '../../src/conformance/types.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';

// The cluster rules need a deployment of several instances: test/cluster/faults.test.ts runs theirs.
const SERVER_REQUIREMENTS = readRequirements().filter(
  (r) => !r.id.startsWith('CR-') && !r.id.startsWith('CLU-'),
);
/** Runs at once: enough to overlap the runs' waits, few enough that timers stay punctual. */
const CONCURRENCY = 8;
const MATRIX_TIMEOUT_MS = 120_000;

/** Starts `task` when one of `concurrency` slots is free. */
function pool(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            active -= 1;
            waiting.shift()?.();
          });
      };
      if (active < concurrency) start();
      else waiting.push(start);
    });
}

const runs = new Map<string, Promise<RunReport>>();

beforeAll(async () => {
  // Load and compile what every run shares before the first timers start, so no run's heartbeat
  // waits overlap with module loading.
  await import('../../src/server/index.js');
  SchemaRegistry.shared();
  const schedule = pool(CONCURRENCY);
  for (const { id } of SERVER_REQUIREMENTS) {
    const run = schedule(() => runConformance({ faults: [id] }));
    run.catch(() => {}); // reported by the test of that id
    runs.set(id, run);
  }
});

describe('conformance checks against a reference server with one fault', () => {
  it.each(SERVER_REQUIREMENTS)(
    'reports only $id when the server breaks $id',
    { timeout: MATRIX_TIMEOUT_MS },
    async ({ id, level }) => {
      const report = await runs.get(id)!;
      const expected: Outcome = level === 'MUST' ? 'fail' : 'warn';
      // Another check may be blocked by the broken rule (it names it), never fail because of it.
      const unexpected = report.checks
        .filter((check) =>
          check.id === id
            ? check.outcome !== expected
            : check.outcome !== 'pass' &&
              check.outcome !== 'skip' &&
              !(check.outcome === 'blocked' && check.blockedBy === id),
        )
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(unexpected).toEqual([]);
      expect(report.checks.find((check) => check.id === id)?.outcome).toBe(expected);
    },
  );
});
