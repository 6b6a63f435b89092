/**
 * The limits of the wire, stated rather than inherited from Node and `ws`: pre-RFC 6455 upgrades, ping
 * bursts, fragment counts, slow handshakes, and connections per address and in total.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../src/protocol/constants.js';
import { scaled } from '../support/timing.js';
import { MARKET, startTestServer, stopTestServers, type TestServer } from './support/test-server.js';

const sockets: (WebSocket | Socket)[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket instanceof WebSocket ? socket.terminate() : socket.destroy();
  await stopTestServers();
});

const WAIT_MS = scaled(3_000);

/** Messages each client received, from its first frame on (some arrive with the upgrade answer). */
const inbox = new WeakMap<WebSocket, Record<string, unknown>[]>();

/** Opens a `ws` client and resolves with the HTTP status of the upgrade (101 once open). */
function upgrade(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ status: number; socket: WebSocket; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, [SUBPROTOCOL], options);
    sockets.push(socket);
    const messages: Record<string, unknown>[] = [];
    inbox.set(socket, messages);
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    socket.on('error', () => {});
    socket.once('open', () => resolve({ status: 101, socket, headers: {} }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, socket, headers: response.headers });
      response.resume();
    });
    setTimeout(
      () => reject(new Error(`expected an answer to the upgrade within ${WAIT_MS} ms`)),
      WAIT_MS,
    ).unref();
  });
}

/** The first message (JSON) received that matches, or the close code if the client closes first. */
function nextEvent(
  socket: WebSocket,
  match: (message: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown> | number> {
  const messages = inbox.get(socket)!;
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = messages.find(match);
      if (found !== undefined) finish(found);
      else if (socket.readyState === WebSocket.CLOSED) finish(closeCode);
    };
    let closeCode = 1006;
    const onClose = (code: number) => {
      closeCode = code;
      check();
    };
    const timer = setTimeout(() => {
      socket.off('message', check);
      reject(
        new Error(
          `expected a matching message or a close within ${WAIT_MS} ms, got: ${JSON.stringify(messages).slice(0, 300)}`,
        ),
      );
    }, WAIT_MS);
    const finish = (value: Record<string, unknown> | number) => {
      clearTimeout(timer);
      socket.off('message', check);
      socket.off('close', onClose);
      resolve(value);
    };
    socket.on('message', check);
    socket.on('close', onClose);
    check();
  });
}

async function established(test: TestServer): Promise<WebSocket> {
  const { socket } = await upgrade(test.url(MARKET));
  await nextEvent(socket, (m) => m.type === 'connection_established');
  return socket;
}

describe('protocol limits', () => {
  it('refuses a hybi-08 upgrade with HTTP 426 naming version 13 (HS-016)', async () => {
    const test = await startTestServer({ allowedOrigins: ['http://localhost:1'] });
    // hybi-08 sends its Origin as Sec-WebSocket-Origin, which the Origin check alone would not see.
    const answer = await upgrade(test.url(MARKET), {
      protocolVersion: 8,
      origin: 'https://elsewhere.invalid',
    });
    expect(answer.status).toBe(426);
    expect(answer.headers['sec-websocket-version']).toBe('13');
  });

  it('answers 1,000 RFC pings sent at once with a pong carrying the last payload, and stays open (HB-012)', async () => {
    const test = await startTestServer();
    const socket = await established(test);
    const pongs: string[] = [];
    socket.on('pong', (payload) => pongs.push(payload.toString()));
    for (let i = 0; i < 1_000; i++) socket.ping(`p${i}`);
    socket.send(JSON.stringify({ type: 'ping', id: 'after' }));
    expect(await nextEvent(socket, (m) => m.id === 'after')).toMatchObject({ type: 'pong' });
    expect(pongs.at(-1)).toBe('p999');
    expect(pongs.length).toBeLessThan(1_000);
  });

  it('accepts a 20 kB message in 20,000 one-byte fragments (CL-008)', async () => {
    const test = await startTestServer();
    const socket = await established(test);
    const text = JSON.stringify({ type: 'ping', id: 'fragmented', padding: 'x'.repeat(19_950) });
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i++)
      socket.send(bytes.subarray(i, i + 1), { binary: false, fin: i === bytes.length - 1 });
    expect(await nextEvent(socket, (m) => m.id === 'fragmented')).toMatchObject({
      error: { code: 'INVALID_MESSAGE' },
    });
  });

  it('closes with 1009, a code of the table, a message in more fragments than maxMessageBytes', async () => {
    const test = await startTestServer({ maxMessageBytes: 64 });
    const socket = await established(test);
    for (let i = 0; i < 100; i++) socket.send(Buffer.alloc(0), { binary: false, fin: false });
    socket.send('{}', { binary: false, fin: true });
    expect(await nextEvent(socket, () => false)).toBe(1009);
  });

  it('answers an upgrade request not complete within handshakeTimeoutMs with 408 and closes it', async () => {
    const handshakeTimeoutMs = scaled(300);
    const test = await startTestServer({ handshakeTimeoutMs });
    const port = test.server.port;
    const answers = await Promise.all(
      [`GET ${MARKET} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n`, ''].map(
        (partial) =>
          new Promise<string>((resolve, reject) => {
            const socket = connectTcp(port, '127.0.0.1', () => socket.write(partial));
            sockets.push(socket);
            let received = '';
            socket.on('data', (chunk) => (received += chunk.toString('latin1')));
            socket.on('close', () => resolve(received));
            socket.on('error', reject);
            setTimeout(
              () => reject(new Error(`expected the server to close within ${4 * handshakeTimeoutMs} ms`)),
              4 * handshakeTimeoutMs,
            ).unref();
          }),
      ),
    );
    expect(answers[0]).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps an upgraded connection open past handshakeTimeoutMs', async () => {
    const handshakeTimeoutMs = scaled(200);
    const test = await startTestServer({ handshakeTimeoutMs });
    const socket = await established(test);
    await new Promise((resolve) => setTimeout(resolve, 3 * handshakeTimeoutMs));
    socket.send(JSON.stringify({ type: 'ping', id: 'still' }));
    expect(await nextEvent(socket, (m) => m.id === 'still')).toMatchObject({ type: 'pong' });
  });

  it('refuses upgrades over connectionLimits.perAddress with 429 and over total with 503, and counts closed ones out (SEC-005, SEC-006)', async () => {
    const test = await startTestServer({ connectionLimits: { perAddress: 2, total: 3 } });
    const url = test.url(MARKET);
    const [a, b] = [await upgrade(url), await upgrade(url)];
    expect([a.status, b.status]).toEqual([101, 101]);
    expect((await upgrade(url)).status).toBe(429);
    expect((await upgrade(url, { localAddress: '127.0.0.2' })).status).toBe(101);
    expect((await upgrade(url, { localAddress: '127.0.0.3' })).status).toBe(503);
    a.socket.close(1000);
    await new Promise((resolve) => a.socket.once('close', resolve));
    await expect.poll(async () => (await upgrade(url)).status, { timeout: WAIT_MS }).toBe(101);
  });
});
