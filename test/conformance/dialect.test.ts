/**
 * The runner's recognition of source dialects (src/conformance/dialect.ts): from the first message of an
 * endpoint it names the dialect of docs/protocol.md section 15.6, says what the endpoint lacks for
 * tidewire.v1, and recognises nothing in messages no source system sent there. The dialects the
 * reference server speaks to clients without tidewire.v1 are the ones the runner recognises. End to end,
 * against servers built as the sources describe theirs: seed-dialects.test.ts.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { recogniseDialect, type FamilyObservation } from '../../src/conformance/dialect.js';
import type { ReceivedMessage } from '../../src/conformance/types.js';
import type { EndpointName } from '../../src/protocol/endpoints.js';
import { endpoint } from '../../src/protocol/endpoints.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { openClient } from '../server/support/test-client.js';
import { scaled } from '../support/timing.js';

interface FixtureMessage {
  endpoint: EndpointName;
  direction: 'server' | 'client';
  message: Record<string, unknown>;
}

/** The first server message of `type` on `name` that the source document shows. */
function sourceMessage(fixture: string, name: EndpointName, type: string): Record<string, unknown> {
  const file = new URL(`../fixtures/seeds/${fixture}.json`, import.meta.url);
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureMessage[];
  const found = all.find((m) => m.endpoint === name && m.direction === 'server' && m.message.type === type);
  if (!found) throw new Error(`no ${type} on ${name} in ${fixture}`);
  return found.message;
}

function received(value: Record<string, unknown> | string): ReceivedMessage {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const json = typeof value === 'string' ? undefined : value;
  return { at: 0, text, json, type: typeof json?.type === 'string' ? json.type : undefined };
}

function seen(name: EndpointName, first: Record<string, unknown> | string, protocol = ''): FamilyObservation {
  return { family: endpoint(name).family, endpoint: name, protocol, first: received(first) };
}

describe('recogniseDialect', () => {
  it("recognises the market-data dialect from source 004's own system_status", () => {
    const finding = recogniseDialect({
      ...seen('monitoring', sourceMessage('004-market', 'monitoring', 'system_status')),
      actionReply: received(sourceMessage('004-market', 'market_data', 'price_update')),
    });
    expect(finding).toEqual({
      family: 'market',
      dialect: 'market-data',
      source: '004',
      system: 'the market data service',
      evidence:
        'system_status as {type, timestamp, …} first, no connection_established; answers {"action":"get_all"} with price_update',
      missing: [
        'connection_established (sessionId, protocolVersion, timers) (HS-002)',
        'subprotocol tidewire.v1 (HS-003)',
        'seq on data messages (ENV-004)',
      ],
    });
  });

  it("recognises the campaign-sender dialect from source 001's messages and from its text ping", () => {
    const update = recogniseDialect(
      seen('campaigns', sourceMessage('001-campaigns', 'campaigns', 'progress_update')),
    );
    expect(update).toMatchObject({
      dialect: 'campaign-sender',
      evidence: 'progress_update {type, campaignId, data:{…, timestamp}} first, no connection_established',
    });
    expect(update?.missing).toContain('a top-level timestamp on every message (ENV-003)');
    expect(recogniseDialect(seen('campaigns', 'ping', 'campaign-updates'))).toMatchObject({
      dialect: 'campaign-sender',
      evidence: 'a bare text ping and no connection_established',
      missing: [
        'connection_established (sessionId, protocolVersion, timers) (HS-002)',
        'subprotocol tidewire.v1 (HS-003)',
      ],
    });
  });

  it("recognises the pilito dialect from Pilito's greeting without a session or timers", () => {
    const greeting = sourceMessage('003-pilito', 'conversations', 'connection_established');
    const finding = recogniseDialect(seen('conversations', greeting));
    expect(finding).toMatchObject({ family: 'chat', dialect: 'pilito', source: '003' });
    expect(finding?.missing).toEqual([
      'sessionId, protocolVersion, heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs, maxMessageBytes, rateLimit in connection_established (HS-002)',
      'subprotocol tidewire.v1 (HS-003)',
    ]);
    // The greeting of a server with the chat family's `depth` profile alone comes on /ws/chat/.
    expect(recogniseDialect(seen('chat', greeting))?.dialect).toBe('pilito');
  });

  it.each<[string, EndpointName, Record<string, unknown> | string]>([
    ['a price_update on the monitoring endpoint', 'monitoring', { type: 'price_update', timestamp: 't' }],
    ['a market message without a timestamp', 'monitoring', { type: 'system_status', stats: {} }],
    ['a campaign message without data.timestamp', 'campaigns', { type: 'campaign_update', campaignId: 1 }],
    ['a text frame other than ping', 'campaigns', 'hello'],
    [
      "a greeting with a session (a Tidewire server's, however incomplete)",
      'conversations',
      { type: 'connection_established', message: 'hi', sessionId: 's-1' },
    ],
    ['anything on a Depth endpoint (source 002 is Socket.IO)', 'notifications', { type: 'notification_new' }],
  ])('recognises no dialect in %s', (_what, name, first) => {
    expect(recogniseDialect(seen(name, first))).toBeUndefined();
  });
});

describe("the reference server's dialects", () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each<[EndpointName, string, string, string]>([
    ['campaigns', 'campaign-sender', 'campaign_update', '?campaignId=1&userId=1'],
    ['monitoring', 'market-data', 'system_status', ''],
  ])(
    'are what the runner recognises: %s without tidewire.v1 is the %s dialect, lacking only the handshake (first %s)',
    async (name, dialect, type, query) => {
      server = await createServer({ simulation: { speed: 50 } });
      const client = await openClient(`${server.url}${endpoint(name).path}${query}`, { protocols: [] });
      try {
        const first = await client.waitForMessage(type, scaled(2_000));
        expect(client.frames[0].json).toEqual(first);
        expect(recogniseDialect(seen(name, first, client.protocol))).toMatchObject({
          dialect,
          missing: [
            'connection_established (sessionId, protocolVersion, timers) (HS-002)',
            'subprotocol tidewire.v1 (HS-003)',
          ],
        });
      } finally {
        client.socket.terminate();
      }
    },
  );
});
