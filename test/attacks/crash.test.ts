/**
 * The reported crash: an authenticated chat user sends a `chat_message` whose `metadata` nests 6,000
 * levels (12 kB, well within maxMessageBytes), then `chat_leave`; the simulated AI reply that followed
 * threw a RangeError from JSON.stringify in a timer and the process exited. The server runs here as a
 * process of its own, as `npm start` runs it, so that an exit would be seen as one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from '../support/timing.js';
import { Peer } from '../robustness/support/peer.js';
import { startChildServer, type ChildServer } from './support/child-server.js';

/** `--speed 10`: the AI reply comes 150 ms after a message, BTC ticks every 100 ms. */
const SPEED = '10';
const AI_REPLY_DELAY_MS = 150;
const PRICE_EVERY_MS = 100;
const STARTUP_TIMEOUT_MS = scaled(30_000);
const WAIT_MS = scaled(40 * PRICE_EVERY_MS);
const DEPTH = 6_000;

const deepMetadata = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const deepMessage = `{"type":"chat_message","id":"deep","conversationId":1,"content":"hi","metadata":${deepMetadata}}`;

/** The server as started by default, and one whose depth and item limits are raised past the attack. */
let limited: ChildServer;
let unlimited: ChildServer;
let server: ChildServer;
const peers: Peer[] = [];

// Starting a server process is slow one-off work: it happens here, outside the tests' time limits.
beforeAll(async () => {
  [limited, unlimited] = await Promise.all([
    startChildServer(['--speed', SPEED], STARTUP_TIMEOUT_MS),
    startChildServer(
      ['--speed', SPEED, '--max-message-depth', String(2 * DEPTH), '--max-message-items', String(2 * DEPTH)],
      STARTUP_TIMEOUT_MS,
    ),
  ]);
}, 2 * STARTUP_TIMEOUT_MS);
afterEach(() => {
  for (const peer of peers.splice(0)) peer.socket.terminate();
});
afterAll(async () => {
  await Promise.all([limited?.stop(), unlimited?.stop()]);
});

async function connect(path: string): Promise<Peer> {
  const { peer } = await Peer.connect(`${server!.url}${path}`, WAIT_MS);
  peers.push(peer);
  return peer;
}

/** A market client subscribed to BTC: it must keep getting prices. */
async function watcher(): Promise<Peer> {
  const peer = await connect('/ws/market_data');
  peer.send({ type: 'subscribe', id: 'watch', symbols: ['BTC'] });
  await peer.next((m) => m.type === 'price_update', 'a first price_update', WAIT_MS);
  return peer;
}

/** Waits ten AI reply delays (when the reply's timer has long fired), then checks the process still serves. */
async function stillServing(market: Peer): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, scaled(10 * AI_REPLY_DELAY_MS)));
  await market.next((m) => m.type === 'price_update', 'a price_update after the attack', WAIT_MS);
  expect(server!.exitCode).toBeUndefined();
}

describe('a chat message nested 6,000 levels deep, then chat_leave', () => {
  it('is refused with INVALID_MESSAGE before it is parsed, and the process keeps serving', async () => {
    server = limited;
    const market = await watcher();
    const chat = await connect(`/ws/chat/?conversationId=1&token=${server.token}`);
    chat.socket.send(deepMessage);
    const refused = await chat.next((m) => m.type === 'error' && m.id === undefined, 'the refusal', WAIT_MS);
    expect(refused.error).toMatchObject({
      code: 'INVALID_MESSAGE',
      message: 'message nests deeper than 32 levels',
    });
    chat.send({ type: 'chat_leave', id: 'leave', conversationId: 1 });
    await chat.next((m) => m.type === 'ack' && m.id === 'leave', 'the ack of chat_leave', WAIT_MS);
    await stillServing(market);
    expect(chat.isOpen).toBe(true);
  });

  it('answers INTERNAL_ERROR when the limits are raised past it, and keeps serving the sender and others', async () => {
    server = unlimited;
    const market = await watcher();
    const chat = await connect(`/ws/chat/?conversationId=1&token=${server.token}`);
    chat.socket.send(deepMessage);
    const failed = await chat.next((m) => m.id === 'deep', 'the answer to the deep message', WAIT_MS);
    expect(failed.error).toMatchObject({ code: 'INTERNAL_ERROR' });
    chat.send({ type: 'chat_leave', id: 'leave', conversationId: 1 });
    await chat.next((m) => m.type === 'ack' && m.id === 'leave', 'the ack of chat_leave', WAIT_MS);
    await stillServing(market);
    expect(server.stderr()).toContain('Maximum call stack size exceeded');
    chat.send({ type: 'chat_message', id: 'plain', conversationId: 1, content: 'hello again' });
    await chat.next((m) => m.type === 'ai_message', 'the AI reply to a plain message', WAIT_MS);
  });
});
