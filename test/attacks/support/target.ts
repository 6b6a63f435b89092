/**
 * The server under attack, and the well-behaved client that must keep being served while it is attacked:
 * a market client of its own user (so that it shares no rate budget with anonymous attackers on the same
 * address) subscribed to BTC, which ticks every PRICE_EVERY_MS.
 */
import { expect } from 'vitest';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../../src/protocol/constants.js';
import { createServer, type ReferenceServer, type ServerOptions } from '../../../src/server/index.js';
import type { MintOptions } from '../../../src/server/token.js';
import { scaled } from '../../support/timing.js';
import { heapAfterGc, MIB } from '../../robustness/support/heap.js';
import { eventually, Peer, type Json } from '../../robustness/support/peer.js';

/** Simulation speed of every target: BTC ticks every 1 000 / SPEED ms. */
const SPEED = 20;
export const PRICE_EVERY_MS = 1_000 / SPEED;
/** A well-behaved client hears a price within this many ticks, however busy the machine. */
const PRICE_DEADLINE_TICKS = 40;
export const PRICE_DEADLINE_MS = scaled(PRICE_EVERY_MS * PRICE_DEADLINE_TICKS);
/** The user of the well-behaved client; attackers use others. */
export const WATCHER_USER = '9';

export interface Target {
  server: ReferenceServer;
  url(path: string, query?: Record<string, string>): string;
  token(userId: string, opts?: MintOptions): Promise<string>;
}

const running: ReferenceServer[] = [];
const sockets: WebSocket[] = [];

export async function startTarget(options: ServerOptions = {}): Promise<Target> {
  const server = await createServer({
    heartbeatIntervalMs: scaled(60_000),
    heartbeatTimeoutMs: scaled(5_000),
    resumeWindowMs: scaled(1_000),
    simulation: { seed: 11, speed: SPEED },
    ...options,
  });
  running.push(server);
  return {
    server,
    url: (path, query = {}) => {
      const search = new URLSearchParams(query).toString();
      return `${server.url}${path}${search ? `?${search}` : ''}`;
    },
    token: (userId, opts) => server.mintToken(userId, opts),
  };
}

/** A raw `ws` socket the test owns; closed by `stopTargets`. */
export function track(socket: WebSocket): WebSocket {
  sockets.push(socket);
  socket.on('error', () => {});
  return socket;
}

export async function stopTargets(): Promise<void> {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(running.splice(0).map((server) => server.close()));
}

/** The well-behaved client: connected, subscribed to BTC, receiving a price every PRICE_EVERY_MS. */
export class Watcher {
  private constructor(private readonly peer: Peer) {}

  static async start(target: Target): Promise<Watcher> {
    const token = await target.token(WATCHER_USER);
    const { peer } = await Peer.connect(target.url('/ws/market_data', { token }), PRICE_DEADLINE_MS);
    track(peer.socket);
    peer.send({ type: 'subscribe', id: 'watch', symbols: ['BTC'] });
    await peer.next(
      (m) => m.type === 'ack' && m.id === 'watch',
      'the ack of the subscription',
      PRICE_DEADLINE_MS,
    );
    const watcher = new Watcher(peer);
    await watcher.served('after subscribing');
    return watcher;
  }

  /** Resolves with the next price_update; fails, naming `when`, if none comes within PRICE_DEADLINE_MS. */
  async served(when: string): Promise<Json> {
    if (!this.peer.isOpen) throw new Error(`expected the well-behaved client open ${when}, got: closed`);
    return this.peer.next(
      (m) => m.type === 'price_update',
      `a price_update for the well-behaved client ${when}`,
      PRICE_DEADLINE_MS,
    );
  }

  /** Resolves once `work` settles, checking all along that prices keep coming; rejects with the first gap. */
  async servedThroughout<T>(work: Promise<T>, what: string): Promise<T> {
    const settled = work.then(
      () => 'settled' as const,
      () => 'settled' as const,
    );
    for (;;) {
      const price = this.served(`during ${what}`);
      if ((await Promise.race([price, settled])) === 'settled') {
        price.catch(() => {}); // the wait outlives the work; its outcome no longer matters
        return work;
      }
    }
  }

  get isOpen(): boolean {
    return this.peer.isOpen;
  }
}

/** Opens a raw socket offering `tidewire.v1`; resolves on open (not on connection_established). */
export function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = track(new WebSocket(url, [SUBPROTOCOL], options));
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`expected HTTP 101, got: HTTP ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

/**
 * Runs `attack` against the target while the well-behaved client keeps being served, then checks it is
 * still served afterwards and, once `settled` holds (what the attack left has been released), that the
 * heap is back within `heapSlackBytes` of where it was before.
 */
export async function survives<T>(
  target: Target,
  what: string,
  attack: () => Promise<T>,
  options: { heapSlackBytes?: number; settled?: () => boolean } = {},
): Promise<T> {
  const watcher = await Watcher.start(target);
  const heapBefore = heapAfterGc();
  const result = await watcher.servedThroughout(attack(), what);
  await watcher.served(`after ${what}`);
  const settled = options.settled ?? (() => target.server.stats().sessions <= 1);
  await eventually(settled, `the server to release what ${what} left`, SETTLE_TIMEOUT_MS);
  const growth = heapAfterGc() - heapBefore;
  expect(growth, `heap growth after ${what}`).toBeLessThan(
    options.heapSlackBytes ?? DEFAULT_HEAP_SLACK_BYTES,
  );
  return result;
}

/** The heap may end a little above where it was (caches, pooled buffers), never by what the attack sent. */
const DEFAULT_HEAP_SLACK_BYTES = 16 * MIB;
/** Sessions an attack left are kept for the resume window (1 s here) and then released. */
const SETTLE_TIMEOUT_MS = scaled(10_000);
