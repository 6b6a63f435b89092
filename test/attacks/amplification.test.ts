/**
 * Amplification (issue 11, attack 2, no token needed): validation reported every error, so a 64 kB
 * `subscribe` of 32,000 numbers got a 1.68 MB reply, and twenty connections doing this within the rate
 * limit took hundreds of MB and starved a well-behaved client. Now every reply stays small.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { MAX_ERROR_FRAME_BYTES } from '../../src/protocol/constants.js';
import { scaled } from '../support/timing.js';
import { openSocket, startTarget, stopTargets, survives } from './support/target.js';

afterEach(stopTargets);

const CONNECTIONS = 20;
const MESSAGES_PER_CONNECTION = 10;
/** Each connection sends at this pace: 20 connections, about 70 messages of 64 kB a second in all. */
const SEND_EVERY_MS = 300;

/** 64 kB, within maxMessageBytes: 32,000 numbers where symbols belong. */
const NUMBERS = JSON.stringify({ type: 'subscribe', symbols: new Array(32_000).fill(1) });
/** 6,000 properties the schema does not declare. */
const PROPERTIES = JSON.stringify({
  type: 'get_all',
  ...Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`p${i}`, 0])),
});

/**
 * Sends `count` messages, alternating the two, one every SEND_EVERY_MS (within the rate limit, as the
 * reported attack did), and resolves with the size of each reply.
 */
function replySizes(socket: WebSocket, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const sizes: number[] = [];
    socket.on('message', (data: Buffer) => {
      if (!data.toString('utf8').includes('"INVALID_MESSAGE"')) return;
      sizes.push(data.length);
      if (sizes.length === count) resolve(sizes);
    });
    socket.once('close', (code) =>
      reject(new Error(`expected ${count} replies, got: close ${code} after ${sizes.length}`)),
    );
    let sent = 0;
    const send = () => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(sent % 2 === 0 ? NUMBERS : PROPERTIES);
      if (++sent < count) setTimeout(send, SEND_EVERY_MS);
    };
    send();
  });
}

describe('amplification by invalid messages', () => {
  it(
    'answers twenty connections of 64 kB invalid messages with small errors, serving others throughout',
    async () => {
      const target = await startTarget();
      const sizes = await survives(
        target,
        `${CONNECTIONS} connections sending 64 kB invalid messages`,
        async () => {
          const sockets = await Promise.all(
            Array.from({ length: CONNECTIONS }, () => openSocket(target.url('/ws/market_data'))),
          );
          const replies = await Promise.all(
            sockets.map((socket) => replySizes(socket, MESSAGES_PER_CONNECTION)),
          );
          for (const socket of sockets) socket.close(1000);
          return replies.flat();
        },
      );
      expect(sizes).toHaveLength(CONNECTIONS * MESSAGES_PER_CONNECTION);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_ERROR_FRAME_BYTES);
      // Each reply is a small fraction of what it answers: no amplification.
      expect(Math.max(...sizes)).toBeLessThan(PROPERTIES.length / 50);
    },
    scaled(60_000),
  );
});
