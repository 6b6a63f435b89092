/**
 * The smaller findings (issue 11, attack 6): hybi-08 upgrades escaped the Origin check, a burst of more
 * than 60 pings dropped the connection without a close frame, a legal 20 kB message in more than 16,384
 * fragments got 1008 (not in the close-code table), and unfinished handshakes were held 90 s.
 */
import { connect as connectTcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../src/protocol/constants.js';
import { scaled } from '../support/timing.js';
import { openSocket, startTarget, stopTargets, survives, track } from './support/target.js';

afterEach(stopTargets);

const WAIT_MS = scaled(4_000);

/** Resolves with what `socket` received that `match` accepts, or rejects at the deadline. */
function received(socket: WebSocket, match: (text: string) => boolean, expected: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected ${expected} within ${WAIT_MS} ms`)), WAIT_MS);
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (!match(text)) return;
      clearTimeout(timer);
      resolve(text);
    });
    socket.once('close', (code) => reject(new Error(`expected ${expected}, got: close ${code}`)));
  });
}

describe('wire-level abuse', () => {
  it('refuses a hybi-08 upgrade carrying a foreign Sec-WebSocket-Origin with HTTP 426', async () => {
    const target = await startTarget();
    const status = await survives(target, 'a hybi-08 upgrade', () => {
      const socket = track(
        new WebSocket(target.url('/ws/market_data'), [SUBPROTOCOL], {
          protocolVersion: 8,
          origin: 'https://attacker.invalid',
        }),
      );
      return new Promise<number>((resolve) => {
        socket.once('open', () => resolve(101));
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      });
    });
    expect(status).toBe(426);
  });

  it('answers a burst of 1,000 pings and keeps the connection', async () => {
    const target = await startTarget();
    const pongs = await survives(target, 'a burst of 1,000 pings', async () => {
      const socket = await openSocket(target.url('/ws/market_data'));
      const payloads: string[] = [];
      socket.on('pong', (payload) => payloads.push(payload.toString()));
      for (let i = 0; i < 1_000; i++) socket.ping(`burst-${i}`);
      socket.send(JSON.stringify({ type: 'ping', id: 'after' }));
      await received(
        socket,
        (text) => text.includes('"id":"after"'),
        'the pong of a JSON ping after the burst',
      );
      expect(socket.readyState).toBe(WebSocket.OPEN);
      socket.close(1000);
      return payloads;
    });
    expect(pongs.at(-1)).toBe('burst-999');
  });

  it('accepts a 20 kB message in 20,000 fragments', async () => {
    const target = await startTarget();
    const answer = await survives(target, 'a 20 kB message in 20,000 fragments', async () => {
      const socket = await openSocket(target.url('/ws/market_data'));
      const bytes = Buffer.from(
        JSON.stringify({ type: 'subscribe', id: 'frag', symbols: ['BTC'], pad: 'x'.repeat(19_940) }),
      );
      for (let i = 0; i < bytes.length; i++)
        socket.send(bytes.subarray(i, i + 1), { binary: false, fin: i === bytes.length - 1 });
      const answer = await received(socket, (text) => text.includes('"id":"frag"'), 'the answer');
      socket.close(1000);
      return JSON.parse(answer) as Record<string, unknown>;
    });
    expect(answer).toMatchObject({ type: 'error', error: { code: 'INVALID_MESSAGE' } });
  });

  it('closes 100 upgrades left unfinished with HTTP 408 after handshakeTimeoutMs', async () => {
    const handshakeTimeoutMs = scaled(500);
    const target = await startTarget({ handshakeTimeoutMs });
    const answers = await survives(target, '100 unfinished handshakes', () =>
      Promise.all(
        Array.from(
          { length: 100 },
          () =>
            new Promise<string>((resolve, reject) => {
              const socket = connectTcp(target.server.port, '127.0.0.1', () =>
                socket.write('GET /ws/market_data HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n'),
              );
              let text = '';
              socket.on('data', (chunk) => (text += chunk.toString('latin1')));
              socket.on('close', () => resolve(text));
              socket.on('error', reject);
              setTimeout(
                () => reject(new Error(`expected a close within ${4 * handshakeTimeoutMs} ms`)),
                4 * handshakeTimeoutMs,
              ).unref();
            }),
        ),
      ),
    );
    expect(answers.every((text) => text.startsWith('HTTP/1.1 408'))).toBe(true);
  });
});
