import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../generated/client/ChatClient.js';
import { MarketDataClient } from '../../generated/client/MarketDataClient.js';
import { CLIENT_CHECKS } from '../../src/conformance/client-mode/checks.js';
import { runClientConformance } from '../../src/conformance/client-mode/runner.js';
import type { ClientHandle, ClientScenario } from '../../src/conformance/client-mode/types.js';

/** The client's reconnect timers run 100 times faster than the protocol's. */
const DELAY_SCALE = 0.01;
/** Lateness allowed on a loaded test machine. */
const TOLERANCE_MS = 100;

/** Options every generated client gets here: `ws` on Node, the scenario's time scale, no jitter spread. */
function runtimeOptions(url: string, scenario: ClientScenario) {
  return { url, WebSocket, delayScale: scenario.delayScale, random: () => 0.5 };
}

/** Starts a client the way an application would: connect, then subscribe. */
function started(
  client: { connect(): Promise<void>; close(): Promise<void> },
  subscribe: () => Promise<unknown>,
): ClientHandle {
  // Scenarios end connections on purpose: a rejected connect or request is part of the script.
  client.connect().catch(() => undefined);
  subscribe().catch(() => undefined);
  return { stop: () => client.close() };
}

const GENERATED_CLIENTS: Record<string, (url: string, scenario: ClientScenario) => ClientHandle> = {
  'market-data client subscribed to BTC': (url, scenario) => {
    const client = new MarketDataClient(runtimeOptions(url, scenario));
    return started(client, () => client.request({ type: 'subscribe', symbols: ['BTC'] }));
  },
  'chat client in conversation 1': (url, scenario) => {
    const client = new ChatClient({
      ...runtimeOptions(url, scenario),
      token: 'scripted-endpoints-accept-any-token',
    });
    return started(client, () => client.request({ type: 'chat_join', conversationId: 1 }));
  },
};

describe('client mode against the generated clients', () => {
  for (const [name, start] of Object.entries(GENERATED_CLIENTS)) {
    it(`passes every client check with the generated ${name}`, async () => {
      const report = await runClientConformance({
        delayScale: DELAY_SCALE,
        toleranceMs: TOLERANCE_MS,
        startClient: (url, scenario) => Promise.resolve(start(url, scenario)),
      });
      const failures = report.checks
        .filter((c) => c.outcome !== 'pass')
        .map((c) => `${c.id} ${c.outcome}: ${c.message} | expected ${c.expected} | actual ${c.actual}`);
      expect(Object.fromEntries(report.checks.map((c) => [c.id, c.outcome])), failures.join('\n')).toEqual(
        Object.fromEntries(CLIENT_CHECKS.map((c) => [c.id, 'pass'])),
      );
    });
  }
});
