import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { MarketDataClient } from '../../generated/client/index.js';
import { runClientConformance } from '../../src/conformance/client-mode/index.js';

describe("the runner's client mode", () => {
  it('passes every reconnect rule with the generated MarketDataClient (CR-001…CR-010)', async () => {
    const report = await runClientConformance({
      delayScale: 0.01,
      startClient: async (url, scenario) => {
        const client = new MarketDataClient({
          url,
          WebSocket,
          token: 'client-mode',
          delayScale: scenario.delayScale,
        });
        client.connect().catch(() => undefined);
        client.send({ type: 'subscribe', symbols: ['BTC'] });
        return { stop: () => client.close() };
      },
    });
    const failed = report.checks.filter((check) => check.outcome !== 'pass');
    expect(failed.map((check) => `${check.id}: ${check.outcome} ${check.message ?? ''}`)).toEqual([]);
    expect(report.summary.pass).toBe(10);
  }, 60_000);
});
