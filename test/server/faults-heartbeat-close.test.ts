import { afterEach, describe, expect, it } from 'vitest';
import { rawUpgrade } from './support/raw-upgrade.js';
import {
  CAMPAIGN,
  MARKET,
  OWN_CAMPAIGN,
  startFaultyServer as faulty,
  stopTestServers,
} from './support/test-server.js';

afterEach(stopTestServers);

const FAST = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 200 };

describe('heartbeat faults', () => {
  it('HB-001 sends RFC pings twice the interval apart, and still closes silent clients with 4408', async () => {
    const { establish } = await faulty('HB-001', FAST);
    const { client } = await establish(MARKET);
    const [first, second] = await client.waitForPing(2, 2_000);
    expect(second - first).toBeGreaterThanOrEqual(1.5 * FAST.heartbeatIntervalMs);
    const { client: silent } = await establish(MARKET, { autoPong: false });
    expect((await silent.waitForClose(2_000)).code).toBe(4408);
  });

  it('HB-002 never closes a client that does not answer RFC pings', async () => {
    const { establish } = await faulty('HB-002', FAST);
    const { client } = await establish(MARKET, { autoPong: false });
    await client.waitForPing(3, 2_000);
    expect(await client.staysOpen(FAST.heartbeatTimeoutMs * 2)).toBe(true);
  });

  it('HB-003 sends no JSON pong', async () => {
    const { establish } = await faulty('HB-003');
    const { client } = await establish(MARKET);
    client.send({ type: 'ping', id: 1 });
    await expect(client.waitForMessage('pong', 200)).rejects.toThrow(/pong/);
  });

  it('HB-004 sends no text pong on the campaign endpoint', async () => {
    const { establish } = await faulty('HB-004');
    const { client } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    client.send('ping');
    await expect(client.waitForText('pong', 200)).rejects.toThrow(/pong/);
  });

  it('HB-005 answers an RFC ping with a different payload', async () => {
    const { establish } = await faulty('HB-005');
    const { client } = await establish(MARKET);
    client.socket.ping(Buffer.from('abc'));
    expect((await client.waitForPong()).toString()).not.toBe('abc');
  });

  it('HB-006 sends no application pings while RFC pings go on', async () => {
    const { establish } = await faulty('HB-006', FAST);
    const { client } = await establish(MARKET);
    await client.waitForPing(3, 2_000);
    expect(client.messages().some((m) => m.type === 'ping')).toBe(false);
  });

  it('HB-007 closes with 4408 a client that answers RFC pings but not application pings', async () => {
    const { establish } = await faulty('HB-007', FAST);
    const { client } = await establish(MARKET);
    expect(await client.waitForMessage('error', 2_000)).toMatchObject({
      error: { code: 'HEARTBEAT_TIMEOUT', closeCode: 4408 },
    });
    expect((await client.waitForClose()).code).toBe(4408);
  });
});

describe('close faults', () => {
  it('CL-001 closes 4400 without the error, and still sends it before 4404', async () => {
    const { connect } = await faulty('CL-001');
    const bad = await connect(CAMPAIGN, { query: { campaignId: 'x', userId: '1' } });
    expect((await bad.waitForClose()).code).toBe(4400);
    expect(bad.messages()).toEqual([]);
    const unknown = await connect(CAMPAIGN, { query: { campaignId: '5000', userId: '1' } });
    await unknown.waitForMessage('error');
  });

  it('CL-002 writes a close frame with a 124-byte reason when the reason is long', async () => {
    const { url } = await faulty('CL-002');
    const answer = await rawUpgrade(url(CAMPAIGN, { campaignId: 'x'.repeat(200), userId: '1' }));
    expect(answer.closeCode).toBe(4400);
    expect(answer.closeReason?.length).toBe(124);
  });

  it('CL-002 keeps short close reasons as they are', async () => {
    const { connect } = await faulty('CL-002');
    const client = await connect(CAMPAIGN, { query: { userId: '1' } });
    expect((await client.waitForClose()).reason).toBe('missing required query parameter campaignId');
  });

  it('CL-003 ignores binary frames', async () => {
    const { establish } = await faulty('CL-003');
    const { client } = await establish(MARKET);
    client.socket.send(Buffer.from([1, 2]), { binary: true });
    client.send({ type: 'ping', id: 'after' });
    await client.waitForMessage('pong');
    expect(client.isOpen).toBe(true);
  });

  it('CL-004 accepts invalid UTF-8', async () => {
    const { establish } = await faulty('CL-004');
    const { client } = await establish(MARKET);
    client.socket.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false });
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'INVALID_JSON' } });
    expect(client.isOpen).toBe(true);
  });

  it('CL-005 accepts messages over maxMessageBytes', async () => {
    const { establish } = await faulty('CL-005', { maxMessageBytes: 1_024 });
    const { client } = await establish(MARKET);
    client.send('x'.repeat(2_000));
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'INVALID_JSON' } });
    expect(client.isOpen).toBe(true);
  });

  it('CL-006 drops the TCP connection instead of echoing a client close', async () => {
    const { establish } = await faulty('CL-006');
    const { client } = await establish(MARKET);
    client.close(1000);
    expect((await client.waitForClose()).code).toBe(1006);
  });
});
