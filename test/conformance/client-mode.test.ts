import { describe, expect, it } from 'vitest';
import { CLIENT_CHECKS } from '../../src/conformance/client-mode/checks.js';
import { runClientConformance, ClientModeUsageError } from '../../src/conformance/client-mode/runner.js';
import type { ClientRunReport } from '../../src/conformance/client-mode/types.js';
import {
  FIXTURE_CLIENT_FAULTS,
  startFixtureClient,
  type FixtureClientFault,
} from '../fixtures/clients/fixture-client.js';

/** The client's reconnect timers run 100 times faster than the protocol's. */
const DELAY_SCALE = 0.01;
/** Lateness allowed on a loaded test machine; every fault stays well outside it. */
const TOLERANCE_MS = 100;

function runAgainstFixture(faults: FixtureClientFault[] = []): Promise<ClientRunReport> {
  return runClientConformance({
    delayScale: DELAY_SCALE,
    toleranceMs: TOLERANCE_MS,
    startClient: (url, scenario) => startFixtureClient(url, { delayScale: scenario.delayScale, faults }),
  });
}

function outcomes(report: ClientRunReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.outcome]));
}

function explain(report: ClientRunReport): string {
  return report.checks
    .filter((c) => c.outcome !== 'pass')
    .map((c) => `${c.id} ${c.outcome}: ${c.message} | expected ${c.expected} | actual ${c.actual}`)
    .join('\n');
}

describe('client mode', () => {
  it('passes every client check for a client that follows the reconnect rules', async () => {
    const report = await runAgainstFixture();
    expect(outcomes(report), explain(report)).toEqual(
      Object.fromEntries(CLIENT_CHECKS.map((c) => [c.id, 'pass'])),
    );
    expect(report.exitCode).toBe(0);
  });

  it('has one faulty fixture client per client check', () => {
    expect(Object.keys(FIXTURE_CLIENT_FAULTS)).toEqual(CLIENT_CHECKS.map((c) => c.id));
  });

  for (const [fault, behaviour] of Object.entries(FIXTURE_CLIENT_FAULTS) as [FixtureClientFault, string][]) {
    it(`fails exactly ${fault} for a client that ${behaviour}`, async () => {
      const report = await runAgainstFixture([fault]);
      const failed = report.checks.filter((c) => c.outcome !== 'pass').map((c) => c.id);
      expect(failed, explain(report)).toEqual([fault]);
      expect(report.checks.find((c) => c.id === fault)?.outcome).toBe('fail');
      expect(report.exitCode).toBe(1);
    });
  }

  it('refuses a selector that matches no client check', async () => {
    await expect(
      runClientConformance({
        delayScale: DELAY_SCALE,
        only: ['CR-999'],
        startClient: () => Promise.reject(),
      }),
    ).rejects.toThrow(ClientModeUsageError);
  });
});
