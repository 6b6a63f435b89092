import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN, MARKET, OWN_CAMPAIGN, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

describe('close', () => {
  it('precedes every 4xxx close with an error naming the same code (CL-001)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: { campaignId: 'x', userId: '1' } });
    const close = await client.waitForClose();
    const error = client.messages().find((m) => m.type === 'error') as { error: { closeCode: number } };
    expect(error.error.closeCode).toBe(close.code);
  });

  it('cuts close reasons to 123 bytes of UTF-8 (CL-002)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: { campaignId: 'é'.repeat(200), userId: '1' } });
    const close = await client.waitForClose();
    expect(close.code).toBe(4400);
    expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123);
    expect(close.reason).not.toContain('\uFFFD');
  });

  it('closes with 1003 on a binary frame (CL-003)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.waitForClose()).code).toBe(1003);
  });

  it('closes with 1007 on a text frame with invalid UTF-8 (CL-004)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await client.waitForClose()).code).toBe(1007);
  });

  it('closes with 1009 on a message larger than maxMessageBytes (CL-005)', async () => {
    const { establish } = await startTestServer({ maxMessageBytes: 1_024 });
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', symbols: ['X'.repeat(2_000)] });
    expect((await client.waitForClose()).code).toBe(1009);
  });

  it('answers a client close 1000 with a close 1000 (CL-006)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.close(1000);
    expect((await client.waitForClose()).code).toBe(1000);
  });

  it('closes every connection with 1001 on shutdown and ends every session', async () => {
    const { establish, server, endpoints } = await startTestServer();
    const { client: first } = await establish(MARKET);
    const { client: second } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    await server.close();
    expect((await first.waitForClose()).code).toBe(1001);
    expect((await second.waitForClose()).code).toBe(1001);
    expect(server.stats()).toEqual({ connections: 0, sessions: 0 });
    expect(endpoints.sessions.size).toBe(0);
  });
});
