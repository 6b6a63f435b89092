import { describe, expect, it } from 'vitest';
import { runClientConformance } from '../../src/conformance/client-mode/index.js';

describe('an interrupted client-mode run', () => {
  it('reports the checks it stopped as cancelled and exits 143 for SIGTERM', async () => {
    const interrupt = new AbortController();
    const report = await runClientConformance({
      only: ['CR-003'],
      // A client that never connects: the check waits for it until the run is interrupted.
      startClient: async () => {
        setImmediate(() => interrupt.abort('SIGTERM'));
        return { stop: async () => {} };
      },
      connectTimeoutMs: 3_600_000,
      signal: interrupt.signal,
    });
    expect(report.checks.map((c) => [c.id, c.outcome, c.message])).toEqual([
      ['CR-003', 'cancelled', 'the run was interrupted'],
    ]);
    expect(report.exitCode).toBe(143);
  });
});
