import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import type { Family } from '../../src/protocol/endpoints.js';
import { runAgainstReference } from './support/reference-run.js';

/** The in-process server advertises short timers: the whole suite fits in a few seconds. */
const RUN_WALL_LIMIT_MS = 15_000;

describe('conformance checks against the reference server', () => {
  it('passes every check within a few seconds and exits 0', { timeout: 60_000 }, async () => {
    const startedAt = performance.now();
    const report = await runConformance({});
    const wallMs = performance.now() - startedAt;
    const notPassing = report.checks
      .filter((check) => check.outcome !== 'pass')
      .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
    expect(notPassing).toEqual([]);
    expect(report.summary.pass).toBe(report.checks.length);
    expect(report.exitCode).toBe(0);
    expect(wallMs).toBeLessThan(RUN_WALL_LIMIT_MS);
  });

  it.each<Family>(['campaign', 'chat', 'market'])(
    'passes or skips every check when the server offers only the %s family',
    { timeout: 60_000 },
    async (family) => {
      const { report, failing } = await runAgainstReference({ families: [family] });
      expect(report.families).toEqual([family]);
      expect(failing).toEqual([]);
      expect(report.exitCode).toBe(0);
    },
  );
});
