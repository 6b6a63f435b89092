/**
 * One worker process of the fault matrix: runs every check against a reference server broken by each
 * requirement ID given on the command line, `CONCURRENCY` servers at a time, and writes one JSON line per
 * ID to stdout: `{"id": …, "checks": [{id, outcome, blockedBy?, message}]}` (or `{"id": …, "error": …}`).
 * The matrix spreads the IDs over as many such processes as the machine has cores: one event loop per
 * core keeps every server's and runner's timers punctual.
 */
import { runAgainstReference } from './reference-run.js';

/** Runs at once in one process: enough to overlap their waits, few enough to keep its event loop free. */
const CONCURRENCY = 2;

const ids = process.argv.slice(2);
let next = 0;

async function worker(): Promise<void> {
  while (next < ids.length) {
    const id = ids[next++];
    try {
      // A fault of one binding is judged by that binding's checks (each binding has seams of its own).
      const binding = id.startsWith('SIO-') ? 'socket.io' : 'websocket';
      const report = await runAgainstReference({ faults: [id] }, { binding });
      const checks = report.checks.map(({ id: check, outcome, blockedBy, message }) => ({
        id: check,
        outcome,
        ...(blockedBy !== undefined ? { blockedBy } : {}),
        message,
      }));
      process.stdout.write(`${JSON.stringify({ id, checks })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ id, error: (error as Error).message })}\n`);
    }
  }
}

await Promise.all(Array.from({ length: CONCURRENCY }, worker));
