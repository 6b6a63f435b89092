/**
 * Bounded cost per message and limits across connections, on the protocol core with a manual clock:
 * deep and huge messages get small errors, pings in a burst one pong, and a user's connections share
 * one message budget and a number of slots.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ERROR_FRAME_BYTES } from '../../src/protocol/constants.js';
import { mintToken } from '../../src/server/token.js';
import { createHarness, type RecordingTransport } from './support/core-harness.js';

const MARKET = '/ws/market_data';

function lastMessage(transport: RecordingTransport): Record<string, unknown> {
  return transport.messages().at(-1)!;
}

function textsOf(transport: RecordingTransport): string[] {
  return transport.actions.flatMap((a) => (a.kind === 'text' ? [a.text] : []));
}

describe('messages that cost more than they are worth', () => {
  it('refuses a message nested deeper than maxMessageDepth unread, and keeps the connection', async () => {
    const { open } = createHarness({ maxMessageDepth: 8 });
    const { connection, transport } = await open(MARKET);
    connection.receiveText(`{"type":"ping","id":1,"deep":${'['.repeat(9)}${']'.repeat(9)}}`);
    expect(lastMessage(transport)).toMatchObject({
      type: 'error',
      error: {
        code: 'INVALID_MESSAGE',
        message: 'message nests deeper than 8 levels',
        details: { path: '/' },
      },
    });
    // Brackets inside strings are text, not nesting.
    connection.receiveText(JSON.stringify({ type: 'ping', id: 2, note: '[[[[[[[[[[[[' }));
    expect(lastMessage(transport)).toMatchObject({
      type: 'error',
      id: 2,
      error: { code: 'INVALID_MESSAGE' },
    });
    connection.receiveText(JSON.stringify({ type: 'ping', id: 3 }));
    expect(lastMessage(transport)).toMatchObject({ type: 'pong', id: 3 });
    expect(transport.closes()).toEqual([]);
  });

  it('refuses a message with more than maxMessageItems items unread, counting every array and object', async () => {
    const { open } = createHarness({ maxMessageItems: 10 });
    const { connection, transport } = await open(MARKET);
    const symbols = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOT', 'AVAX', 'LINK'];
    connection.receiveText(JSON.stringify({ type: 'subscribe', id: 1, symbols }));
    expect(lastMessage(transport)).toMatchObject({
      error: { code: 'INVALID_MESSAGE', message: expect.stringContaining('more than 10 items') },
    });
    connection.receiveText(JSON.stringify({ type: 'subscribe', id: 2, symbols: symbols.slice(0, 7) }));
    await new Promise((resolve) => setImmediate(resolve)); // the handler answers asynchronously
    expect(lastMessage(transport)).toMatchObject({ type: 'ack', id: 2 });
    expect(transport.closes()).toEqual([]);
  });

  it.each([
    [
      'a subscribe with 32,000 numbers for symbols',
      { type: 'subscribe', symbols: new Array(32_000).fill(1) },
    ],
    [
      '6,000 undeclared properties',
      { type: 'get_all', ...Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`p${i}`, 0])) },
    ],
    ['an unknown type of 50,000 characters', { type: 'x'.repeat(50_000) }],
    [
      'a subscribe with 50 bad symbols',
      { type: 'subscribe', symbols: Array.from({ length: 50 }, (_, i) => i) },
    ],
  ])('answers %s with one error of at most 4 096 bytes', async (_what, message) => {
    const { open } = createHarness();
    const { connection, transport } = await open(MARKET);
    connection.receiveText(JSON.stringify(message));
    const [reply] = textsOf(transport).slice(-1);
    expect(Buffer.byteLength(reply, 'utf8')).toBeLessThanOrEqual(MAX_ERROR_FRAME_BYTES);
    const error = JSON.parse(reply) as { error: { code: string; details?: { errors?: unknown[] } } };
    expect(['INVALID_MESSAGE', 'UNKNOWN_TYPE']).toContain(error.error.code);
    expect(error.error.details?.errors?.length ?? 0).toBeLessThanOrEqual(4);
  });

  it('does not echo an id longer than the schema allows', async () => {
    const { open } = createHarness();
    const { connection, transport } = await open(MARKET);
    connection.receiveText(JSON.stringify({ type: 'nope', id: 'i'.repeat(129) }));
    expect(lastMessage(transport)).not.toHaveProperty('id');
    connection.receiveText(JSON.stringify({ type: 'nope', id: 'i'.repeat(128) }));
    expect(lastMessage(transport)).toHaveProperty('id', 'i'.repeat(128));
  });

  it('answers pings that arrive together once, with the last payload', async () => {
    const { open } = createHarness();
    const { connection, transport } = await open(MARKET);
    for (let i = 0; i < 1_000; i++) connection.receivePing(Buffer.from(`p${i}`));
    await Promise.resolve();
    expect(transport.actions.filter((a) => a.kind === 'pong')).toEqual([{ kind: 'pong', payload: 'p999' }]);
    connection.receivePing(Buffer.from('alone'));
    await Promise.resolve();
    expect(transport.actions.filter((a) => a.kind === 'pong').at(-1)).toEqual({
      kind: 'pong',
      payload: 'alone',
    });
    expect(transport.closes()).toEqual([]);
  });
});

describe('one user, several connections', () => {
  const LIMITS = {
    rateLimit: { maxMessages: 10, windowMs: 60_000 },
    userRateLimit: { maxMessages: 25, windowMs: 60_000 },
  };

  it('counts the messages of all of a user’s connections together against userRateLimit', async () => {
    const { open, settings } = createHarness(LIMITS);
    const token = await mintToken(settings.tokenSecret, '4');
    const conns = await Promise.all([0, 1, 2].map(() => open(MARKET, { token })));
    for (let i = 0; i < 25; i++) conns[i % 3].connection.receiveText(JSON.stringify({ type: 'ping', id: i }));
    expect(conns.flatMap((c) => c.transport.messages()).filter((m) => m.type === 'pong')).toHaveLength(25);
    conns[2].connection.receiveText(JSON.stringify({ type: 'ping', id: 'over' }));
    expect(lastMessage(conns[2].transport)).toMatchObject({
      id: 'over',
      error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
    });
    expect(conns[2].transport.closes()).toEqual([]);
    // Another user has a budget of its own.
    const other = await open(MARKET, { token: await mintToken(settings.tokenSecret, '5') });
    other.connection.receiveText(JSON.stringify({ type: 'ping', id: 'mine' }));
    expect(lastMessage(other.transport)).toMatchObject({ type: 'pong', id: 'mine' });
  });

  it('closes a user flooding across connections with 4429 and refuses its connections for a window with 1013', async () => {
    const { open, settings, clock } = createHarness(LIMITS);
    const token = await mintToken(settings.tokenSecret, '4');
    const conns = await Promise.all([0, 1, 2, 3, 4, 5].map(() => open(MARKET, { token })));
    for (let i = 0; i < 51; i++) conns[i % 6].connection.receiveText(JSON.stringify({ type: 'ping', id: i }));
    const flooded = conns[50 % 6];
    expect(lastMessage(flooded.transport)).toMatchObject({
      error: { code: 'RATE_LIMITED', closeCode: 4429, retryAfterMs: 60_000 },
    });
    expect(flooded.transport.closes()).toEqual([expect.objectContaining({ code: 4429 })]);
    clock.advance(59_000);
    const barred = await open(MARKET, { token });
    expect(barred.transport.messages()).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ code: 'RATE_LIMITED', retryAfterMs: 1_000 }),
      }),
    ]);
    expect(barred.transport.closes()).toEqual([expect.objectContaining({ code: 1013 })]);
    clock.advance(1_000);
    const back = await open(MARKET, { token });
    expect(back.transport.messages()[0]).toMatchObject({ type: 'connection_established' });
  });

  it('counts connections without a token per client address', async () => {
    const { open } = createHarness(LIMITS);
    const anonymous = await Promise.all([0, 1, 2].map(() => open(MARKET)));
    for (let i = 0; i < 26; i++)
      anonymous[i % 3].connection.receiveText(JSON.stringify({ type: 'ping', id: i }));
    expect(lastMessage(anonymous[25 % 3].transport)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('refuses a connection over connectionLimits.perUser with TOO_MANY_CONNECTIONS and 1013, and frees the slot on close', async () => {
    const { open, settings } = createHarness({ connectionLimits: { perUser: 2 } });
    const token = await mintToken(settings.tokenSecret, '4');
    const [first] = await Promise.all([open(MARKET, { token }), open(MARKET, { token })]);
    const third = await open(MARKET, { token });
    expect(third.transport.messages()).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ code: 'TOO_MANY_CONNECTIONS' }),
      }),
    ]);
    expect(third.transport.messages()[0].error).not.toHaveProperty('closeCode');
    expect(third.transport.closes()).toEqual([expect.objectContaining({ code: 1013 })]);
    first.connection.closed(1000);
    const fourth = await open(MARKET, { token });
    expect(fourth.transport.messages()[0]).toMatchObject({ type: 'connection_established' });
  });
});
