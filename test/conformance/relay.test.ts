/**
 * Negative controls: a relay between the runner and the reference server changes, one way at a time,
 * only what the protocol leaves free (fragmentation, key order, whitespace, added properties, latency).
 * The runner must find nothing wrong: no check fails or warns.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { referenceServerOptions, runAgainst } from './support/reference-run.js';
import { startRelay, type Relay, type RelayMode } from './support/relay.js';

const RUN_TIMEOUT_MS = scaled(120_000);

/**
 * Server timers for a relay run: with latency, the heartbeat timeout must outlast the round trip the
 * relay adds (a pong comes back two delays after its ping), and the resume window a drop, a resume and
 * a resent request at that pace.
 */
function serverOptions(addedRoundTripMs: number) {
  const base = referenceServerOptions();
  const heartbeatMs = Math.max(base.heartbeatTimeoutMs ?? 0, scaled(3 * addedRoundTripMs));
  return referenceServerOptions({
    heartbeatIntervalMs: heartbeatMs,
    heartbeatTimeoutMs: heartbeatMs,
    resumeWindowMs: (base.resumeWindowMs ?? 0) + scaled(4 * addedRoundTripMs),
  });
}

const MODES: [string, RelayMode][] = [
  ['re-fragments every text message into continuation frames', { kind: 'fragment' }],
  ['reverses the order of JSON keys', { kind: 'reorder-keys' }],
  ['adds whitespace around and inside JSON', { kind: 'whitespace' }],
  ['adds properties the server schemas allow', { kind: 'extra-fields' }],
  ['delays every frame by 50 ms', { kind: 'latency', ms: 50 }],
  ['delays every frame by 300 ms', { kind: 'latency', ms: 300 }],
];

// Compile the schemas before the first run's timers start.
beforeAll(() => {
  SchemaRegistry.shared();
});

let server: ReferenceServer | undefined;
let relay: Relay | undefined;

afterEach(async () => {
  await relay?.close();
  await server?.close();
  relay = server = undefined;
});

describe('the runner through a relay that changes only what the protocol leaves free', () => {
  it.each(MODES)(
    'finds nothing wrong when the relay %s',
    { timeout: RUN_TIMEOUT_MS },
    async (_what, mode) => {
      const roundTripMs = mode.kind === 'latency' ? 2 * mode.ms : 0;
      server = await createServer(serverOptions(roundTripMs));
      relay = await startRelay({
        upstream: server.url,
        mode,
        closeTimeoutMs: server.options.heartbeatTimeoutMs,
      });
      const report = await runAgainst(relay.url, server);
      const wrong = report.checks
        .filter((check) => check.outcome === 'fail' || check.outcome === 'warn' || check.outcome === 'error')
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(wrong).toEqual([]);
      expect(report.summary.pass).toBeGreaterThan(90);
    },
  );
});
