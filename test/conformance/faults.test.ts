/**
 * The fault matrix: for every server requirement of docs/protocol.md, the reference server started with
 * that one rule broken makes exactly that check fail (warn for a SHOULD) while every other check passes,
 * skips, or is blocked by that very rule (a check whose precondition the fault broke). Runs go
 * concurrently in a bounded pool; the servers' timers follow the suite's timer scale.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { IN_PROCESS_PARAMS, IN_PROCESS_SERVER_OPTIONS } from '../../src/conformance/in-process-target.js';
import type { CheckResult, Outcome, RunReport } from '../../src/conformance/types.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { createServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';

const SERVER_REQUIREMENTS = readRequirements().filter((r) => !r.id.startsWith('CR-'));
/**
 * Runs at once: enough to overlap the runs' waits, few enough that the timers of the servers and runners
 * sharing this process stay punctual.
 */
const CONCURRENCY = 4;
const MATRIX_TIMEOUT_MS = scaled(600_000);

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

/** The in-process server's settings with every timer stretched by the suite's scale. */
function scaledServerOptions() {
  const { heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs, rateLimit } = IN_PROCESS_SERVER_OPTIONS;
  return {
    ...IN_PROCESS_SERVER_OPTIONS,
    heartbeatIntervalMs: scaled(heartbeatIntervalMs),
    heartbeatTimeoutMs: scaled(heartbeatTimeoutMs),
    resumeWindowMs: scaled(resumeWindowMs),
    rateLimit: { maxMessages: rateLimit.maxMessages, windowMs: scaled(rateLimit.windowMs) },
    simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
  };
}

/** Every check against a reference server that breaks `id`. */
async function runWithFault(id: string): Promise<RunReport> {
  const server = await createServer({ ...scaledServerOptions(), faults: [id] });
  try {
    return await runConformance({
      url: server.url,
      tokenSecret: server.options.tokenSecret,
      params: { ...IN_PROCESS_PARAMS },
    });
  } finally {
    await server.close();
  }
}

/** A result the fault `id` may cause in a check other than its own. */
function allowedElsewhere(check: CheckResult, id: string): boolean {
  return (
    check.outcome === 'pass' ||
    check.outcome === 'skip' ||
    (check.outcome === 'blocked' && check.blockedBy === id)
  );
}

const runs = new Map<string, Promise<RunReport>>();

beforeAll(async () => {
  // Load and compile what every run shares before the first timers start, so no run's heartbeat
  // waits overlap with module loading.
  SchemaRegistry.shared();
  const schedule = pool(CONCURRENCY);
  for (const { id } of SERVER_REQUIREMENTS) {
    const run = schedule(() => runWithFault(id));
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
      const unexpected = report.checks
        .filter((check) => (check.id === id ? check.outcome !== expected : !allowedElsewhere(check, id)))
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(unexpected).toEqual([]);
      expect(report.checks.find((check) => check.id === id)?.outcome).toBe(expected);
    },
  );
});
