/**
 * Limits per connection only (issue 11, attack 4): 200 connections from one address that reconnected
 * after each 4429 got thousands of messages a second processed and slowed a well-behaved client from 7 ms
 * to 650 ms; 5,000 idle connections from one address were all accepted. Now an address (or a user) has
 * one message budget and a number of connections, however many times it reconnects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Defaults, SUBPROTOCOL } from '../../src/protocol/constants.js';
import { scaled } from '../support/timing.js';
import { startTarget, stopTargets, survives } from './support/target.js';

afterEach(stopTargets);

const FLOODERS = 200;
const WINDOW_MS = scaled(1_000);
/** Messages of one connection per window; the address (or user) may send the default multiple of it. */
const PER_CONNECTION = 20;
const PER_ADDRESS = Defaults.userRateLimitFactor * PER_CONNECTION;
const FLOOD_WINDOWS = 4;
const TRY_AGAIN_LATER = 1013;

interface FloodTally {
  processed: number;
  connections: number;
  refused: number;
}

/** One client that pings 50 times on every connection and reconnects as soon as it is closed, until `until`. */
async function flooder(url: string, until: number, tally: FloodTally): Promise<void> {
  while (Date.now() < until) {
    const socket = new WebSocket(url, [SUBPROTOCOL]);
    await new Promise<void>((resolve) => {
      socket.on('open', () => {
        tally.connections += 1;
        for (let i = 0; i < 50; i++) socket.send('{"type":"ping"}');
      });
      socket.on('message', (data: Buffer) => {
        if (data.toString('utf8').includes('"type":"pong"')) tally.processed += 1;
      });
      socket.on('unexpected-response', () => {
        tally.refused += 1;
        socket.terminate();
      });
      socket.on('close', (code) => {
        if (code === TRY_AGAIN_LATER) tally.refused += 1;
        resolve();
      });
      socket.on('error', () => {});
    });
    // A reconnect as eager as the reported one, a little spaced so the test's own clients do not hog
    // the event loop they share with the server.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The HTTP status of an upgrade; an upgraded socket is kept in `accepted`, a refused one let go. */
function upgradeStatus(url: string, accepted: WebSocket[]): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, [SUBPROTOCOL]);
    socket.on('error', () => resolve(0));
    socket.once('open', () => {
      accepted.push(socket);
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      resolve(response.statusCode ?? 0);
    });
  });
}

describe('limits across connections', () => {
  it(
    `keeps ${FLOODERS} connections of one address, reconnecting after every close, within the address's budget`,
    async () => {
      const target = await startTarget({ rateLimit: { maxMessages: PER_CONNECTION, windowMs: WINDOW_MS } });
      const tally: FloodTally = { processed: 0, connections: 0, refused: 0 };
      const startedAt = Date.now();
      await survives(target, `${FLOODERS} flooding connections`, () => {
        const until = Date.now() + FLOOD_WINDOWS * WINDOW_MS;
        return Promise.all(
          Array.from({ length: FLOODERS }, () => flooder(target.url('/ws/market_data'), until, tally)),
        );
      });
      const windows = Math.ceil((Date.now() - startedAt) / WINDOW_MS) + 1;
      expect(tally.connections).toBeGreaterThan(FLOODERS);
      expect(tally.refused).toBeGreaterThan(0);
      expect(tally.processed).toBeLessThanOrEqual(PER_ADDRESS * windows);
    },
    scaled(60_000),
  );

  it(
    'accepts connectionLimits.perAddress connections of one address and answers the rest of 5,000 with HTTP 429',
    async () => {
      const perAddress = 256;
      const target = await startTarget();
      // Only the sockets that upgraded are kept, and let go of before the heap is measured.
      let accepted: WebSocket[] = [];
      let held = 0;
      const statuses = await survives(target, '5,000 idle connections from one address', async () => {
        const results: number[] = [];
        for (let batch = 0; batch < 20; batch++) {
          const opened = await Promise.all(
            Array.from({ length: 250 }, () => upgradeStatus(target.url('/ws/market_data'), accepted)),
          );
          results.push(...opened);
        }
        held = target.server.stats().connections;
        for (const socket of accepted) socket.terminate();
        accepted = [];
        return results;
      });
      // The well-behaved client holds one of the address's connections.
      expect(held).toBe(perAddress);
      expect(statuses.filter((status) => status === 101)).toHaveLength(perAddress - 1);
      expect(statuses.filter((status) => status === 429)).toHaveLength(5_000 - (perAddress - 1));
    },
    scaled(60_000),
  );
});
