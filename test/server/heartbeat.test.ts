import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN, MARKET, OWN_CAMPAIGN, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

const FAST = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 200 };
/** Timer slack for a loaded machine. */
const SLACK_MS = 400;

describe('heartbeat', () => {
  it('sends RFC pings at most heartbeatIntervalMs apart (HB-001)', async () => {
    const { establish } = await startTestServer(FAST);
    const { client } = await establish(MARKET);
    const pings = await client.waitForPing(4, 2_000);
    const gaps = pings.slice(1).map((at, i) => at - pings[i]);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(FAST.heartbeatIntervalMs + SLACK_MS);
  });

  it('closes with 4408 after error HEARTBEAT_TIMEOUT when RFC pings go unanswered (HB-002)', async () => {
    const { establish } = await startTestServer(FAST);
    const { client } = await establish(MARKET, { autoPong: false });
    expect(await client.waitForMessage('error', 2_000)).toMatchObject({
      error: { code: 'HEARTBEAT_TIMEOUT', closeCode: 4408 },
    });
    expect((await client.waitForClose()).code).toBe(4408);
  });

  it('keeps a connection that answers RFC pings', async () => {
    const { establish } = await startTestServer(FAST);
    const { client } = await establish(MARKET);
    await client.waitForPing(5, 2_000);
    expect(client.isOpen).toBe(true);
  });

  it('answers a JSON ping with a JSON pong echoing its id (HB-003)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ type: 'ping', id: 'p-1' });
    expect(await client.waitForMessage('pong', 1_000)).toMatchObject({
      type: 'pong',
      id: 'p-1',
      timestamp: expect.any(String),
    });
  });

  it('answers a text ping with a text pong on the campaign endpoint, in the source dialect too (HB-004)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: ['campaign-updates'] });
    client.send('ping');
    await client.waitForText('pong', 1_000);
  });

  it('answers an RFC ping with a pong carrying the same payload (HB-005)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.socket.ping(Buffer.from('are-you-there'));
    expect((await client.waitForPong()).toString()).toBe('are-you-there');
  });

  it('sends JSON application pings on market endpoints and text pings on the campaign endpoint (HB-006)', async () => {
    const { establish } = await startTestServer(FAST);
    const { client: market } = await establish(MARKET);
    expect(await market.waitForMessage('ping', 1_000)).toMatchObject({
      timestamp: expect.stringMatching(/Z$/),
    });
    const { client: campaign } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    await campaign.waitForText('ping', 1_000);
  });

  it('never closes a client that ignores application pings (HB-007)', async () => {
    const { establish } = await startTestServer(FAST);
    const { client } = await establish(MARKET);
    await client.waitForMessage('ping', 1_000);
    expect(await client.staysOpen(4 * FAST.heartbeatIntervalMs + FAST.heartbeatTimeoutMs)).toBe(true);
  });
});
