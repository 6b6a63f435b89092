/**
 * Misbehaving load for the robustness tests, bounded in count and time: clients that connect and drop
 * without a close frame, and a client that sends as fast as its socket takes frames.
 */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../../src/protocol/constants.js';

const OPEN_TIMEOUT_MS = 5_000;

/** Opens a connection and resolves once `connection_established` arrives (or fails at the deadline). */
function established(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, [SUBPROTOCOL]);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`expected connection_established within ${OPEN_TIMEOUT_MS} ms`));
    }, OPEN_TIMEOUT_MS);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** `total` clients, `batch` at a time: each connects, is established, then drops TCP without a close frame. */
export async function churn(url: string, total: number, batch: number): Promise<number> {
  let dropped = 0;
  while (dropped < total) {
    const size = Math.min(batch, total - dropped);
    const sockets = await Promise.all(Array.from({ length: size }, () => established(url)));
    for (const socket of sockets) socket.terminate();
    dropped += size;
  }
  return dropped;
}

export interface Flood {
  /** Frames sent so far. */
  readonly sent: number;
  /** Connections the server closed (rate limit 4429), after which the flooder came back. */
  readonly closedByServer: number;
  /** Stops flooding and closes the current connection. */
  stop(): Promise<void>;
}

/** Frames handed to the socket per turn of the event loop, while its buffer stays below the high-water mark. */
const FRAMES_PER_TURN = 200;
const HIGH_WATER_BYTES = 1 << 20;

/**
 * A client that sends pings as fast as its socket accepts them; when the server closes it (rate limit),
 * it reconnects and floods again, until stopped.
 */
export function flood(url: string): Flood {
  let stopped = false;
  let sent = 0;
  let closedByServer = 0;
  let current: WebSocket | undefined;
  const frame = JSON.stringify({ type: 'ping' });

  const run = async () => {
    while (!stopped) {
      const socket = await established(url).catch(() => undefined);
      if (!socket) continue;
      current = socket;
      await new Promise<void>((resolve) => {
        socket.on('close', () => {
          if (!stopped) closedByServer++;
          resolve();
        });
        if (stopped) socket.terminate();
        const pump = () => {
          if (stopped || socket.readyState !== WebSocket.OPEN) return;
          if (socket.bufferedAmount < HIGH_WATER_BYTES) {
            for (let i = 0; i < FRAMES_PER_TURN; i++) socket.send(frame);
            sent += FRAMES_PER_TURN;
          }
          setImmediate(pump);
        };
        pump();
      });
    }
  };
  const running = run();

  return {
    get sent() {
      return sent;
    },
    get closedByServer() {
      return closedByServer;
    },
    async stop() {
      stopped = true;
      current?.terminate();
      await running;
    },
  };
}
