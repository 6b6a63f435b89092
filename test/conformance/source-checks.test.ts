/**
 * The source-dialect checks (SRC-001 … SRC-006) pass against a server that speaks the dialects in ways
 * the protocol permits (other key order, whitespace, extra fields, fragmented frames, latency), and fail,
 * each alone, against one whose dialect sends a type its source never had.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { ALL_CHECKS } from '../../src/conformance/checks/index.js';
import type { EndpointName } from '../../src/protocol/endpoints.js';
import { startDialectPeer, type DialectPeer, type PeerManner } from './support/dialect-peer.js';

const SOURCE_CHECKS = ALL_CHECKS.filter((check) => check.id.startsWith('SRC-'));

let peer: DialectPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function outcomes(options: Parameters<typeof startDialectPeer>[0]) {
  peer = await startDialectPeer(options);
  const report = await runConformance({ url: peer.url, token: 'peer-token', checks: SOURCE_CHECKS });
  return Object.fromEntries(report.checks.map((check) => [check.id, `${check.outcome}: ${check.message}`]));
}

describe('the source-dialect checks', () => {
  it.each<[string, PeerManner]>([
    ['type last', { typeLast: true }],
    ['indented JSON', { indented: true }],
    ['extra fields', { extraFields: true }],
    ['fragmented frames', { fragmented: true }],
    ['latency', { latencyMs: 150 }],
  ])('pass against a server that sends its messages with %s', async (_name, manner) => {
    const results = await outcomes({ manner });
    expect(Object.values(results).filter((result) => !result.startsWith('pass'))).toEqual([]);
    expect(Object.keys(results).sort()).toEqual([
      'SRC-001',
      'SRC-002',
      'SRC-003',
      'SRC-004',
      'SRC-005',
      'SRC-006',
    ]);
  });

  it.each<[string, EndpointName, string]>([
    ['SRC-001', 'campaigns', 'connection_established'],
    ['SRC-005', 'campaigns', 'error'],
    ['SRC-005', 'campaigns', 'ack'],
    ['SRC-002', 'monitoring', 'ping'],
    ['SRC-002', 'monitoring', 'pong'],
    ['SRC-003', 'conversations', 'error'],
    ['SRC-003', 'conversations', 'ack'],
    ['SRC-003', 'conversations', 'ping'],
    ['SRC-006', 'notifications', 'dialect'],
  ])('report %s alone when the %s dialect sends %s', async (id, endpoint, type) => {
    const results = await outcomes({ leak: { endpoint, type } });
    expect(results[id]).toMatch(/^fail: .*expected .+, got: /);
    expect(
      Object.entries(results).filter(([other, result]) => other !== id && !result.startsWith('pass')),
    ).toEqual([]);
  });
});
