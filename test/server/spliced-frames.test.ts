/**
 * Data messages are framed by the reference server itself (the body's bytes shared by every session of a
 * fan-out, each session's seq and timestamp spliced in): what a client receives is exactly the message
 * with its seq and timestamp, for bodies of every length class of RFC 6455 and of any script.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MARKET, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

const body = (text: string) => ({ type: 'prices_snapshot', data: { prices: [], note: text } });

describe('data messages framed by the server', () => {
  it.each([
    ['a short body (7-bit length)', 'x'],
    ['a body over 125 bytes (16-bit length)', 'y'.repeat(300)],
    ['a body over 65,535 bytes (64-bit length)', 'z'.repeat(70_000)],
    ['a body in several scripts (multi-byte UTF-8)', 'سلام دنیا — مرحبا بالعالم — 你好 🌊'],
  ])('arrive whole and exact: %s', async (_what, text) => {
    const test = await startTestServer();
    const clients = await Promise.all([1, 2].map(() => test.establish(MARKET)));
    test.endpoints.emit('market_data', body(text));
    for (const { client } of clients) {
      const message = await client.waitForMessage('prices_snapshot');
      expect(message).toEqual({ ...body(text), seq: 1, timestamp: expect.any(String) });
      expect(new Date(message.timestamp as string).toISOString()).toBe(message.timestamp);
    }
  });

  it('keeps data messages and replies in the order they were sent', async () => {
    const test = await startTestServer();
    const { client } = await test.establish(MARKET);
    test.endpoints.emit('market_data', body('first'));
    client.send({ type: 'ping', id: 'between' });
    await client.next((f) => f.json?.type === 'pong', 'the pong');
    test.endpoints.emit('market_data', body('second'));
    await client.next(
      (f) => (f.json?.data as { note?: string } | undefined)?.note === 'second',
      'the second',
    );
    const order = client
      .messages()
      .filter((m) => m.type !== 'connection_established' && m.type !== 'ping')
      .map((m) => (m.type === 'pong' ? 'pong' : (m.data as { note: string }).note));
    expect(order).toEqual(['first', 'pong', 'second']);
  });
});
