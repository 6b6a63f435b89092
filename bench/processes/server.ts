/**
 * A server under load, alone in its process: `ws` (a bare WebSocket server broadcasting the same bytes to
 * every client — the ceiling), `socketio` (a Socket.IO server broadcasting to a room, the stack of the
 * collaboration platform's seed) or `tidewire` (the reference server: ticks go through the bus its market
 * simulation publishes on, to every session subscribed to the symbol). Every stack is offered its load the
 * same way: a source in this process publishes ticks at the offered rate (`publishStart`).
 *
 * Usage: node --import tsx bench/processes/server.ts <kind> '<json options>'
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { priceUpdate, SYMBOLS } from '../fixtures/server-messages.js';
import { cpuWindowCommands, failStartup, serveCommands } from '../lib/child.js';

type Kind = 'ws' | 'socketio' | 'tidewire';

interface Publisher {
  /** Sends one tick to every connected client. */
  broadcast(message: object): void;
  connections(): number;
  close(): Promise<void>;
}

/** Ticks to catch up in one timer turn at most: past it the server is saturated and ticks are dropped. */
const MAX_CATCH_UP_MS = 20;
const TICK_TIMER_MS = 2;

async function startWs(): Promise<{ url: string; publisher: Publisher }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    publisher: {
      broadcast(message) {
        const bytes = Buffer.from(JSON.stringify(message));
        for (const client of wss.clients) client.send(bytes, { binary: false });
      },
      connections: () => wss.clients.size,
      close: () => new Promise((resolve) => wss.close(() => resolve())),
    },
  };
}

async function startSocketIo(): Promise<{ url: string; publisher: Publisher }> {
  const { Server } = await import('socket.io');
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
  io.on('connection', (socket) => void socket.join('market'));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    publisher: {
      broadcast: (message) => void io.to('market').emit('price_update', message),
      connections: () => io.of('/').sockets.size,
      close: () => new Promise((resolve) => io.close(() => resolve())),
    },
  };
}

type ReferenceServer = import('../../src/server/index.js').ReferenceServer;

/** The reference server's publisher: a tick goes to the topic of its symbol, as the price source's do. */
function tidewirePublisher(server: ReferenceServer): Publisher {
  const { bus } = server;
  if (!bus) throw new Error('the reference server runs without its simulation');
  return {
    broadcast(message) {
      // The server stamps each session's copy with its own seq and timestamp.
      const { seq: _seq, timestamp: _timestamp, ...body } = message as Record<string, unknown>;
      const { symbol } = body.data as { symbol: string };
      bus.publish(`market:price:${symbol}`, { message: body });
    },
    connections: () => server.stats().connections,
    close: () => server.close(),
  };
}

/** The reference server, loaded when asked for, so that the other stacks run even without it. */
async function startTidewire(options: Record<string, unknown>): Promise<ReferenceServer> {
  let createServer: typeof import('../../src/server/index.js').createServer;
  try {
    ({ createServer } = await import('../../src/server/index.js'));
  } catch (error) {
    throw new Error(`src/server/index.ts cannot be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  return createServer({ ...options, port: 0, host: '127.0.0.1' });
}

function memory(gc: boolean) {
  if (gc && typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as Kind;
  const options = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
  let url: string;
  let publisher: Publisher;
  if (kind === 'ws') ({ url, publisher } = await startWs());
  else if (kind === 'socketio') ({ url, publisher } = await startSocketIo());
  else if (kind === 'tidewire') {
    const server = await startTidewire(options);
    url = server.url;
    publisher = tidewirePublisher(server);
  } else throw new Error(`unknown server kind ${kind}`);

  let ticking: NodeJS.Timeout | undefined;
  let seq = 0;
  let published = 0;

  serveCommands(
    {
      /**
       * Publishes `ratePerSec` ticks per second, each to every client, until `publishStop`. Ticks late by
       * more than a few timer turns are dropped, not sent in a burst: past that the stack is saturated.
       */
      publishStart: ({ ratePerSec }: { ratePerSec: number }) => {
        clearInterval(ticking);
        const start = performance.now();
        published = 0;
        ticking = setInterval(() => {
          const due = Math.floor(((performance.now() - start) * ratePerSec) / 1000);
          const limit = published + Math.max(1, Math.ceil((ratePerSec * MAX_CATCH_UP_MS) / 1000));
          for (const upTo = Math.min(due, limit); published < upTo; published++) {
            seq++;
            const timestamp = new Date().toISOString();
            publisher.broadcast(
              priceUpdate(SYMBOLS[seq % SYMBOLS.length], seq, 40_000 + (seq % 1000), timestamp),
            );
          }
        }, TICK_TIMER_MS);
      },
      /** Stops publishing; how many ticks went out. */
      publishStop: () => {
        clearInterval(ticking);
        ticking = undefined;
        return { published };
      },
      ...cpuWindowCommands(),
      memory: ({ gc }: { gc: boolean }) => memory(gc),
      connections: () => publisher.connections(),
    },
    { url, kind },
    async () => {
      clearInterval(ticking);
      await publisher.close();
    },
  );
}

main().catch(failStartup);
