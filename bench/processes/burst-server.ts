/**
 * A market endpoint that sends bursts of pre-framed messages as fast as TCP takes them, so that the
 * receiving client — not this server — is what a receive-path benchmark measures. It greets each
 * connection with `connection_established`, then on `burst` writes `count` frames to every connection:
 * `price_update` data messages (seq increasing per connection) with a JSON application `ping` now and then.
 *
 * Usage: node --import tsx bench/processes/burst-server.ts
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { priceUpdate, SYMBOLS } from '../fixtures/server-messages.js';
import { failStartup, serveCommands } from '../lib/child.js';

/**
 * One application ping per this many messages (the rest are price updates): ten symbols ticking every
 * second against a heartbeat every 30 s is one ping per 300 messages.
 */
const PING_EVERY = 300;
/** Bytes handed to the socket before waiting for it to drain. */
const WRITE_CHUNK_BYTES = 256 * 1024;

/** An unmasked server→client text frame (RFC 6455 §5.2). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  let header: Buffer;
  if (length < 126) header = Buffer.from([0x81, length]);
  else if (length < 65_536) header = Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  else throw new Error('bench frames stay under 64 KiB');
  return Buffer.concat([header, payload]);
}

interface Peer {
  socket: Socket;
  seq: number;
}

function burstFrames(peer: Peer, count: number): Buffer {
  const frames: Buffer[] = [];
  const timestamp = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    if (i % PING_EVERY === PING_EVERY - 1) {
      frames.push(textFrame(JSON.stringify({ type: 'ping', timestamp })));
      continue;
    }
    peer.seq++;
    const symbol = SYMBOLS[peer.seq % SYMBOLS.length];
    frames.push(
      textFrame(JSON.stringify(priceUpdate(symbol, peer.seq, 40_000 + (peer.seq % 997), timestamp))),
    );
  }
  return Buffer.concat(frames);
}

async function write(socket: Socket, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length && !socket.destroyed; offset += WRITE_CHUNK_BYTES) {
    if (!socket.write(bytes.subarray(offset, offset + WRITE_CHUNK_BYTES))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
}

async function main(): Promise<void> {
  const peers = new Set<Peer>();
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer();
  server.on('upgrade', (request, socket: Socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      const peer = { socket, seq: 0 };
      peers.add(peer);
      ws.on('close', () => peers.delete(peer));
      ws.send(
        JSON.stringify({
          type: 'connection_established',
          message: 'connected',
          timestamp: new Date().toISOString(),
          sessionId: 'bench',
          protocolVersion: '1.0',
          endpoint: 'market_data',
          heartbeatIntervalMs: 600_000,
          heartbeatTimeoutMs: 600_000,
          resumeWindowMs: 120_000,
          maxMessageBytes: 65_536,
          rateLimit: { maxMessages: 100, windowMs: 60_000 },
          auth: { mode: 'optional', userId: null },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  serveCommands(
    {
      /** Prepares `count` frames per connection, then writes them; resolves once they are all written. */
      burst: async ({ count }: { count: number }) => {
        const prepared = [...peers].map((peer) => ({ peer, bytes: burstFrames(peer, count) }));
        await Promise.all(prepared.map(({ peer, bytes }) => write(peer.socket, bytes)));
        return { connections: prepared.length };
      },
    },
    { url: `ws://127.0.0.1:${port}` },
    async () => {
      wss.close();
      server.closeAllConnections();
      server.close();
    },
  );
}

main().catch(failStartup);
