/**
 * Source dialects and profiles in the reference server (docs/protocol.md, sections 15.6 and 15.7): the
 * transport filter, which connections speak a dialect, what the server declares and serves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { endpoint } from '../../src/protocol/endpoints.js';
import { dialectTransport, SOURCE_DIALECTS } from '../../src/server/dialect-transport.js';
import { createServer, resolveOptions, type ReferenceServer } from '../../src/server/index.js';
import { RecordingTransport } from './support/core-harness.js';
import { openClient, UpgradeRefused } from './support/test-client.js';

const ALL_PROFILES = ['campaign-sender', 'pilito', 'depth', 'market-data'] as const;
/** Timers short enough to see application pings within a wait. */
const TIMERS = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 2_000 };

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the dialect filter', () => {
  const filterOf = (name: Parameters<typeof endpoint>[0], offered: string[] = []) =>
    SOURCE_DIALECTS.filterFor(endpoint(name), offered, ALL_PROFILES);

  it('lets through the source types, whatever the key order and spacing, and drops the others', () => {
    const inner = new RecordingTransport();
    const transport = dialectTransport(inner, filterOf('monitoring')!);
    transport.sendText('{"type":"system_status","stats":{}}');
    transport.sendText('{ "stats": {}, "type": "system_status" }');
    transport.sendText('{"timestamp":"2026-01-01T00:00:00.000Z","type":"ping"}');
    transport.sendText('{"type":"connection_established"}');
    transport.sendText('{"type":"error","error":{"code":"UNKNOWN_TYPE"}}');
    transport.sendText('hello');
    expect(inner.actions.map((a) => (a.kind === 'text' ? a.text : a.kind))).toEqual([
      '{"type":"system_status","stats":{}}',
      '{ "stats": {}, "type": "system_status" }',
      '{"type":"error","error":{"code":"UNKNOWN_TYPE"}}',
    ]);
    transport.close(1000, 'bye');
    expect(inner.closes()).toEqual([{ kind: 'close', code: 1000, reason: 'bye' }]);
  });

  it("keeps source 001's bare text ping and pong on the campaign endpoint only", () => {
    const inner = new RecordingTransport();
    const transport = dialectTransport(inner, filterOf('campaigns', ['campaign-updates'])!);
    transport.sendText('ping');
    transport.sendText('pong');
    transport.sendText('{"type":"ping"}');
    expect(inner.actions.map((a) => (a.kind === 'text' ? a.text : a.kind))).toEqual(['ping', 'pong']);
  });

  it.each([
    ['a client that offers tidewire.v1', 'campaigns', ['campaign-updates', 'tidewire.v1']],
    ['a client that offers only unsupported entries', 'monitoring', ['graphql-ws']],
    ['an endpoint whose source was Socket.IO', 'notifications', []],
  ] as const)('is none for %s', (_what, name, offered) => {
    expect(filterOf(name, [...offered])).toBeUndefined();
  });

  it('is none on /ws/chat/ of a server that offers Depth but not Pilito', () => {
    expect(SOURCE_DIALECTS.filterFor(endpoint('chat'), [], ['depth'])).toBeUndefined();
    expect(SOURCE_DIALECTS.filterFor(endpoint('chat'), ['bearer.dG9rZW4'], ['pilito'])?.dialect).toBe(
      'pilito',
    );
  });
});

describe('profiles in the reference server', () => {
  it('declares its profiles in connection_established and serves only their endpoints', async () => {
    server = await createServer({ ...TIMERS, profiles: ['pilito', 'market-data'] });
    const client = await openClient(`${server.url}/ws/conversations/?token=${await server.mintToken('1')}`);
    expect(await client.waitForMessage('connection_established')).toMatchObject({
      profiles: ['pilito', 'market-data'],
    });
    client.close(1000);
    await expect(openClient(`${server.url}/ws/notifications/`)).rejects.toEqual(new UpgradeRefused(404));
    await expect(openClient(`${server.url}/ws/campaigns?campaignId=1&userId=1`)).rejects.toEqual(
      new UpgradeRefused(404),
    );
  });

  it('speaks the full protocol on /ws/chat/ of a Depth server to a client without a subprotocol', async () => {
    server = await createServer({ ...TIMERS, profiles: ['depth'] });
    const client = await openClient(`${server.url}/ws/chat/?token=${await server.mintToken('1')}`, {
      protocols: [],
    });
    await client.waitForMessage('connection_established');
    client.send({ type: 'no_such_type' });
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'UNKNOWN_TYPE' } });
    await client.waitForMessage('ping');
  });

  it('speaks the Pilito dialect on /ws/chat/ of a Pilito server: no error, no ping', async () => {
    server = await createServer({ ...TIMERS, profiles: ['pilito'] });
    const client = await openClient(`${server.url}/ws/chat/?token=${await server.mintToken('1')}`, {
      protocols: [],
    });
    await client.waitForMessage('connection_established');
    client.send({ type: 'no_such_type' });
    client.send({ type: 'chat_message', conversationId: 1, content: 'hello' });
    await client.waitForMessage('chat_message');
    // Several heartbeat intervals have passed by the time the AI reply comes.
    await client.waitForPing(3);
    expect(
      client.frames.map((f) => f.json?.type).filter((type) => type === 'error' || type === 'ping'),
    ).toEqual([]);
  });

  it.each([
    [
      { profiles: ['admin'] },
      'unknown profile "admin"; profiles are campaign-sender, pilito, depth, market-data',
    ],
    [{ profiles: [] }, 'profiles must name at least one of campaign-sender, pilito, depth, market-data'],
    [
      { profiles: ['pilito'], families: ['market'] },
      'profile pilito belongs to the chat family, which families does not name',
    ],
  ])('refuses %j with one clear line', (options, message) => {
    expect(() => resolveOptions(options as Parameters<typeof resolveOptions>[0])).toThrow(new Error(message));
  });

  it('offers every profile of the families it serves by default', () => {
    expect(resolveOptions({ families: ['chat'] }).profiles).toEqual(['pilito', 'depth']);
    expect(resolveOptions({ profiles: ['depth'] }).families).toEqual(['chat']);
  });
});
