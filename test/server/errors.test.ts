import { afterEach, describe, expect, it } from 'vitest';
import { CHAT, MARKET, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

describe('errors and acks', () => {
  it('answers a frame that is not JSON with error INVALID_JSON and stays open (ERR-001)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send('{"type":');
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'INVALID_JSON' } });
    expect(await client.staysOpen(100)).toBe(true);
  });

  it('answers an unknown type with error UNKNOWN_TYPE and stays open (ERR-002)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ type: 'launch_rockets' });
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'UNKNOWN_TYPE' } });
    expect(await client.staysOpen(100)).toBe(true);
  });

  it('answers a schema violation with INVALID_MESSAGE and the failing path (ERR-003)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', symbols: ['BTC', 42] });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'INVALID_MESSAGE', details: { path: '/symbols/1' } },
    });
    expect(client.isOpen).toBe(true);
  });

  it.each([
    ['an array', [1, 2]],
    ['an object without type', { symbols: ['BTC'] }],
  ])('answers %s with INVALID_MESSAGE at /type', async (_what, message) => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send(message);
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'INVALID_MESSAGE', details: { path: '/type' } },
    });
  });

  it('carries the id of the client message in its error (ERR-004)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', id: 'bad-1', symbols: 'BTC' });
    expect(await client.waitForMessage('error')).toMatchObject({
      id: 'bad-1',
      error: { code: 'INVALID_MESSAGE' },
    });
  });

  it('acks a request with an id exactly once, with the handler result as data (ACK-001)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', id: 7, symbols: ['BTC'] });
    expect(await client.waitForMessage('ack')).toMatchObject({ id: 7, ok: true, data: { symbols: ['BTC'] } });
    client.send({ type: 'ping', id: 'after' });
    await client.waitForMessage('pong');
    expect(client.messages().filter((m) => m.type === 'ack')).toHaveLength(1);
  });

  it('answers a repeated id with the same reply and no second effect (ACK-002)', async () => {
    const { establish, token, endpoints } = await startTestServer();
    const { client } = await establish(CHAT, { token: await token('1') });
    const request = { type: 'chat_message', id: 'm-1', conversationId: 1, content: 'hello' };
    client.send(request);
    const first = await client.waitForMessage('ack');
    client.send(request);
    const second = await client.waitForMessage('ack');
    expect(second).toEqual(first);
    expect(endpoints.handled).toHaveLength(1);
  });

  it('answers a handler refusal with an error carrying the id and stays open', async () => {
    const { establish, token } = await startTestServer();
    const { client } = await establish(CHAT, { token: await token('1') });
    client.send({ type: 'chat_message', id: 'm-2', conversationId: 2, content: 'hi' });
    expect(await client.waitForMessage('error')).toMatchObject({ id: 'm-2', error: { code: 'FORBIDDEN' } });
    expect(client.isOpen).toBe(true);
  });

  it('accepts the legacy action form on market endpoints (ENV-006)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(MARKET);
    client.send({ action: 'subscribe', id: 'legacy', symbols: ['ETH'] });
    expect(await client.waitForMessage('ack')).toMatchObject({ id: 'legacy', data: { symbols: ['ETH'] } });
  });

  it('stamps data messages with seq from 1 and a UTC timestamp (ENV-003, ENV-004)', async () => {
    const { establish, endpoints } = await startTestServer();
    const { client } = await establish(MARKET);
    for (let i = 0; i < 3; i++)
      endpoints.emit('market_data', { type: 'prices_snapshot', data: { prices: [] } });
    const seqs = [];
    for (let i = 0; i < 3; i++) {
      const message = await client.waitForMessage('prices_snapshot');
      expect(message.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      seqs.push(message.seq);
    }
    expect(seqs).toEqual([1, 2, 3]);
  });
});
