/**
 * Over ten thousand malformed frames against the reference server — random text and bytes, truncated and
 * 10,000-level-deep JSON, strings at and over `maxMessageBytes`, every client type with wrong fields, binary
 * frames, invalid UTF-8 and connections dropped as soon as they open — after which a well-behaved client is
 * served as usual and nothing is left behind.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ENDPOINTS, type EndpointSpec } from '../../src/protocol/endpoints.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { createRandom, type Random } from '../../src/server/sources/random.js';
import { openClient, type TestClient } from './support/test-client.js';
import { until } from './support/wait.js';

const MAX_MESSAGE_BYTES = 65_536;
const FRAMES_PER_ENDPOINT = 950;
const NESTING_LEVELS = 10_000;
const CLOSING_FRAMES_PER_KIND = 40;
const DROPPED_CONNECTIONS = 200;
const WAIT_MS = 5_000;

const random = createRandom(20_260_101);
let server: ReferenceServer;
let chatToken: string;

beforeAll(async () => {
  server = await createServer({
    auth: 'optional',
    heartbeatIntervalMs: 500,
    heartbeatTimeoutMs: 2_000,
    resumeWindowMs: 300,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    rateLimit: { maxMessages: 1_000_000, windowMs: 60_000 },
    simulation: { seed: 5, speed: 20 },
  });
  chatToken = await server.mintToken('1');
});
afterAll(async () => {
  await server.close();
});

function endpointUrl(spec: EndpointSpec): string {
  if (spec.family === 'campaign') return `${server.url}${spec.path}?campaignId=1&userId=1`;
  if (spec.family === 'chat') return `${server.url}${spec.path}?token=${chatToken}`;
  return `${server.url}${spec.path}`;
}

const WRONG_VALUES: readonly unknown[] = [
  -1,
  0,
  1.5,
  1e308,
  '',
  'x',
  '💥',
  true,
  null,
  [],
  [1, [2]],
  {},
  { a: {} },
];

interface ClientSchema {
  examples?: Array<Record<string, unknown>>;
  required?: string[];
}

function exampleOf(type: string): { message: Record<string, unknown>; required: string[] } {
  const schema = SchemaRegistry.shared().schemaFor('client', type) as ClientSchema | undefined;
  return { message: { ...(schema?.examples?.[0] ?? { type }) }, required: schema?.required ?? ['type'] };
}

/** Every client type of the endpoint with each field in turn given each wrong value, or left out. */
function everyFieldWrong(spec: EndpointSpec): string[] {
  const frames: string[] = [];
  for (const type of ['ping', 'pong', ...spec.clientTypes]) {
    const { message, required } = exampleOf(type);
    // `id` is left alone: most values are valid ids, and the request would then simply succeed.
    for (const field of Object.keys(message).filter((name) => name !== 'id')) {
      for (const value of WRONG_VALUES) frames.push(JSON.stringify({ ...message, [field]: value }));
    }
    for (const field of required) frames.push(JSON.stringify({ ...message, [field]: undefined }));
  }
  return frames;
}

/** A client message of this endpoint with one thing wrong: a field's type, a missing field, an extra one. */
function wrongMessage(spec: EndpointSpec): Record<string, unknown> {
  const { message, required } = exampleOf(random.pick(['ping', 'pong', ...spec.clientTypes]));
  const fields = Object.keys(message).filter((name) => name !== 'id');
  if (random.chance(0.5)) message[random.pick(fields)] = random.pick(WRONG_VALUES);
  else delete message[random.pick(required)];
  if (random.chance(0.3)) message[`unexpected${random.int(0, 9)}`] = random.pick(WRONG_VALUES);
  return message;
}

function randomText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text += String.fromCodePoint(random.chance(0.8) ? random.int(0x20, 0x7e) : random.int(0xa0, 0x2fff));
  }
  return text;
}

/** One malformed text frame that must get an error and leave the connection open. */
function malformedFrame(spec: EndpointSpec): string {
  const kind = random.next();
  if (kind < 0.3) return JSON.stringify(wrongMessage(spec));
  if (kind < 0.5) {
    const valid = JSON.stringify({
      type: random.pick(spec.clientTypes.length ? spec.clientTypes : ['ping']),
      id: 1,
    });
    return valid.slice(0, random.int(1, valid.length - 1));
  }
  if (kind < 0.7) return randomText(random.int(1, 300));
  if (kind < 0.97) {
    return JSON.stringify(random.pick([7, 'ping', null, true, [], [{ type: 'ping' }], { type: 1 }, {}]));
  }
  if (kind < 0.99) {
    // 20 kB and 60 kB: both under the limit, so they reach the parser.
    return random.chance(0.5)
      ? `${'['.repeat(NESTING_LEVELS)}${']'.repeat(NESTING_LEVELS)}`
      : `${'{"a":'.repeat(NESTING_LEVELS)}1${'}'.repeat(NESTING_LEVELS)}`;
  }
  // A JSON string just under the limit: large, but allowed.
  return JSON.stringify({ type: 'x'.repeat(MAX_MESSAGE_BYTES - 64) });
}

/** Resolves when the socket closes (or never opened); rejects after the deadline. */
function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve(1006);
    const timer = setTimeout(() => reject(new Error(`expected a close within ${WAIT_MS} ms`)), WAIT_MS);
    socket.on('error', () => {});
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Sends one frame that makes the server close, on a connection of its own; resolves with the close code. */
async function closingFrame(kind: 'binary' | 'invalid-utf8' | 'too-big', index: number): Promise<number> {
  const client = await openClient(`${server.url}/ws/market_data`);
  const frames: Record<typeof kind, () => void> = {
    binary: () => client.socket.send(Buffer.from(randomText(random.int(1, 64)))),
    'invalid-utf8': () =>
      client.socket.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff, index & 0x7f]), { binary: false }),
    'too-big': () => client.socket.send('y'.repeat(MAX_MESSAGE_BYTES + 1 + index)),
  };
  frames[kind]();
  return (await client.waitForClose(WAIT_MS)).code;
}

/** `global.gc`, or the same function obtained at run time when node was started without --expose-gc. */
function collectGarbage(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * Sends `count` malformed frames (every field of every client type wrong first, then random ones) on one
 * connection, checks with a last ping that all were handled, and closes it.
 */
async function flood(spec: EndpointSpec, count: number) {
  const client = await openClient(endpointUrl(spec));
  await client.waitForMessage('connection_established', WAIT_MS);
  const frames = everyFieldWrong(spec).slice(0, count);
  while (frames.length < count) frames.push(malformedFrame(spec));
  for (const frame of frames) client.send(frame);
  // Frames are handled in order: the answer to this ping comes after every error above.
  client.send(spec.appPing === 'text' ? 'ping' : { type: 'ping', id: 'last' });
  if (spec.appPing === 'text') await client.waitForText('pong', WAIT_MS);
  else await client.next((f) => f.json?.type === 'pong' && f.json.id === 'last', 'the last pong', WAIT_MS);
  const stayedOpen = client.isOpen;
  const errors = client.messages().filter((m) => m.type === 'error').length;
  client.close(1000);
  await client.waitForClose(WAIT_MS);
  return { name: spec.name, stayedOpen, sent: frames.length, errors };
}

describe('the reference server under malformed input', () => {
  it('answers 10,000+ malformed frames with errors, closes where the protocol says, and serves on', async () => {
    const gc = collectGarbage();
    // A warm-up round first, so that compiled schemas and lazily built data are not counted as growth.
    await Promise.all(ENDPOINTS.map((spec) => flood(spec, 50)));
    gc();
    const heapBeforeBytes = process.memoryUsage().heapUsed;
    const started = Date.now();

    const flooded = await Promise.all(ENDPOINTS.map((spec) => flood(spec, FRAMES_PER_ENDPOINT)));
    for (const { name, stayedOpen, sent, errors } of flooded) {
      expect(stayedOpen, `${name} stays open`).toBe(true);
      // Nearly every frame is refused; the few left are wrong values that happen to be valid (`"x"` as a comment).
      expect(errors, `${name} answers the malformed frames`).toBeGreaterThan(sent * 0.9);
    }
    const malformedSent = flooded.reduce((total, { sent }) => total + sent, 0);
    expect(malformedSent + 3 * CLOSING_FRAMES_PER_KIND + DROPPED_CONNECTIONS).toBeGreaterThan(10_000);

    const closes: Record<string, number[]> = { binary: [], 'invalid-utf8': [], 'too-big': [] };
    for (const kind of ['binary', 'invalid-utf8', 'too-big'] as const) {
      const codes = await Promise.all(
        Array.from({ length: CLOSING_FRAMES_PER_KIND }, (_, index) => closingFrame(kind, index)),
      );
      closes[kind] = [...new Set(codes)];
    }
    expect(closes).toEqual({ binary: [1003], 'invalid-utf8': [1007], 'too-big': [1009] });

    const dropped = Array.from({ length: DROPPED_CONNECTIONS }, (_, index) => {
      const spec = ENDPOINTS[index % ENDPOINTS.length];
      const socket = new WebSocket(endpointUrl(spec));
      socket.on('error', () => {});
      if (index % 2 === 0) socket.terminate();
      else socket.once('open', () => socket.close(1000));
      return closed(socket);
    });
    await Promise.all(dropped);

    const wellBehaved: TestClient = await openClient(`${server.url}/ws/market_data`, {
      protocols: ['tidewire.v1'],
    });
    await wellBehaved.waitForMessage('connection_established', WAIT_MS);
    wellBehaved.send({ type: 'ping', id: 'hello' });
    await wellBehaved.next((f) => f.json?.type === 'pong' && f.json.id === 'hello', 'a pong', WAIT_MS);
    wellBehaved.send({ type: 'subscribe', symbols: ['BTC'] });
    expect(await wellBehaved.waitForMessage('price_update', WAIT_MS)).toMatchObject({
      data: { symbol: 'BTC' },
    });

    wellBehaved.close(1000);
    await until(() => server.stats().connections === 0, 'no connection left', WAIT_MS);
    // Dropped connections keep their session for the (short) resume window, then it goes.
    await until(() => server.stats().sessions === 0, 'no session left', WAIT_MS);
    gc();
    const heapGrowthBytes = process.memoryUsage().heapUsed - heapBeforeBytes;
    expect(heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
