import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/protocol/endpoints.js';
import { truncateUtf8 } from '../../src/server/core/close-reason.js';
import { checkParams, selectSubprotocol } from '../../src/server/core/handshake.js';
import { isOriginAllowed, DEFAULT_ALLOWED_ORIGINS } from '../../src/server/origin.js';
import { createHarness } from './support/core-harness.js';

const MARKET = '/ws/market_data';
const campaign = ENDPOINTS.find((e) => e.name === 'campaigns')!;
const market = ENDPOINTS.find((e) => e.name === 'market_data')!;

describe('protocol core', () => {
  it('sends connection_established, then handles frames that arrived during the handshake', async () => {
    const { open } = createHarness();
    const { connection, transport } = await open(MARKET);
    connection.receiveText(JSON.stringify({ type: 'ping', id: 1 }));
    expect(transport.messages().map((m) => m.type)).toEqual(['connection_established', 'pong']);
  });

  it('pings every heartbeatIntervalMs and closes 4408 after error when no pong comes within heartbeatTimeoutMs', async () => {
    const { open, clock } = createHarness();
    const { transport } = await open(MARKET);
    clock.advance(1_000);
    expect(transport.actions.filter((a) => a.kind === 'ping')).toHaveLength(1);
    clock.advance(499);
    expect(transport.closes()).toEqual([]);
    clock.advance(1);
    expect(transport.messages().at(-1)).toMatchObject({
      error: { code: 'HEARTBEAT_TIMEOUT', closeCode: 4408 },
    });
    expect(transport.closes()).toEqual([{ kind: 'close', code: 4408, reason: 'no pong within 500 ms' }]);
  });

  it('keeps a connection whose pongs arrive in time', async () => {
    const { open, clock } = createHarness();
    const { connection, transport } = await open(MARKET);
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      connection.receivePong();
    }
    expect(transport.closes()).toEqual([]);
    expect(transport.messages().filter((m) => m.type === 'ping')).toHaveLength(5);
  });

  it('drops a peer that does not finish the close handshake within heartbeatTimeoutMs', async () => {
    const { open, clock } = createHarness();
    const { connection, transport } = await open(MARKET);
    connection.receiveBinary();
    expect(transport.closes()).toEqual([
      { kind: 'close', code: 1003, reason: 'binary frames are not supported' },
    ]);
    clock.advance(500);
    expect(transport.actions.at(-1)).toEqual({ kind: 'terminate' });
  });

  it('ends the session on a client 1000 and keeps it for resumeWindowMs on a drop', async () => {
    const { open, sessions, clock, endpoints } = createHarness();
    const first = await open(MARKET);
    first.connection.closed(1000);
    expect(sessions.size).toBe(0);
    const second = await open(MARKET);
    second.connection.closed(1006);
    expect(sessions.size).toBe(1);
    clock.advance(10_000);
    expect(sessions.size).toBe(0);
    expect(endpoints.closedSessions).toEqual(['s1', 's2']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('closes with 1011 when the endpoint handler fails to open a session', async () => {
    const failing = {
      open: () => {
        throw new Error('boom');
      },
      handle: () => undefined,
      close: () => {},
    };
    const { open } = createHarness({ handlers: { market_data: failing } });
    const { transport } = await open(MARKET);
    expect(transport.closes()).toEqual([{ kind: 'close', code: 1011, reason: 'internal error' }]);
  });

  it('buffers data emitted while detached and replays it on resume', async () => {
    const { open, endpoints } = createHarness();
    const first = await open(MARKET);
    first.connection.closed(1006);
    endpoints.emit('market_data', { type: 'prices_snapshot', data: { prices: [] } });
    const { transport } = await open(MARKET, { resume: 's1', lastSeq: '0' });
    expect(transport.messages().map((m) => [m.type, m.seq])).toEqual([
      ['connection_established', undefined],
      ['prices_snapshot', 1],
      ['resumed', undefined],
    ]);
  });
});

describe('handshake decisions', () => {
  it.each([
    [['tidewire.v1'], campaign, 'tidewire.v1', true],
    [['campaign-updates', 'tidewire.v1'], campaign, 'tidewire.v1', true],
    [['campaign-updates'], campaign, 'campaign-updates', true],
    [['campaign-updates'], market, undefined, false],
    [['bearer.abc'], market, undefined, true],
    [['bearer.abc', 'tidewire.v1'], market, 'tidewire.v1', true],
    [['graphql-ws'], market, undefined, false],
    [[], market, undefined, true],
  ])('offered %j on %s selects %s (acceptable: %s)', (offered, spec, selected, acceptable) => {
    expect(selectSubprotocol(offered, spec)).toEqual({ selected, acceptable });
  });

  it('checks integer params and resume bookkeeping', () => {
    expect(checkParams(campaign, { campaignId: '1', userId: '2' })).toBeUndefined();
    expect(checkParams(campaign, { campaignId: '0', userId: '2' })).toMatchObject({ closeCode: 4400 });
    expect(checkParams(campaign, { campaignId: '1.5', userId: '2' })).toMatchObject({
      closeCode: 4400,
    });
    expect(checkParams(market, { resume: 's', lastSeq: '0' })).toBeUndefined();
    expect(checkParams(market, { resume: 's', lastSeq: '01' })).toMatchObject({ closeCode: 4400 });
    expect(checkParams(market, { resume: '', lastSeq: '1' })).toMatchObject({ closeCode: 4400 });
  });

  it('allows no Origin, localhost on any port, and listed origins only', () => {
    expect(isOriginAllowed(undefined, DEFAULT_ALLOWED_ORIGINS)).toBe(true);
    expect(isOriginAllowed('http://localhost:3000', DEFAULT_ALLOWED_ORIGINS)).toBe(true);
    expect(isOriginAllowed('https://127.0.0.1', DEFAULT_ALLOWED_ORIGINS)).toBe(true);
    expect(isOriginAllowed('http://localhost.evil.example', DEFAULT_ALLOWED_ORIGINS)).toBe(false);
    expect(isOriginAllowed('https://app.example', ['https://app.example'])).toBe(true);
    expect(isOriginAllowed('https://other.example', '*')).toBe(true);
  });

  it('cuts close reasons at 123 bytes without splitting a character', () => {
    const cut = truncateUtf8('é'.repeat(100), 123);
    expect(Buffer.byteLength(cut)).toBe(122);
    expect(truncateUtf8('short', 123)).toBe('short');
  });
});
