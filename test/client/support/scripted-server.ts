/**
 * A scripted WebSocket endpoint for behaviours the reference server never shows on purpose (1012,
 * silence, duplicate seq). Each connection runs `script`; frames the client sends are recorded.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ScriptedConnection {
  socket: WebSocket;
  /** Request target of the upgrade, e.g. `/ws/news?resume=s1&lastSeq=2`. */
  target: string;
  /** 0 for the first connection. */
  index: number;
  /** Text frames received from the client. */
  received: string[];
}

export interface ScriptedServer {
  url: string;
  readonly connections: ScriptedConnection[];
  /** Resolves with the first text frame of a connection that satisfies `predicate`. */
  nextFrame(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export function established(sessionId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'connection_established',
    timestamp: new Date().toISOString(),
    sessionId,
    heartbeatIntervalMs: 30_000,
    heartbeatTimeoutMs: 10_000,
    resumeWindowMs: 60_000,
    ...extra,
  });
}

export async function startScripted(
  script: (connection: ScriptedConnection) => void,
): Promise<ScriptedServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const connections: ScriptedConnection[] = [];
  const frameWaiters = new Set<(frame: string) => void>();
  wss.on('connection', (socket, request) => {
    const connection: ScriptedConnection = {
      socket,
      target: request.url ?? '',
      index: connections.length,
      received: [],
    };
    connections.push(connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = data.toString();
      connection.received.push(frame);
      for (const waiter of [...frameWaiters]) waiter(frame);
    });
    script(connection);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    nextFrame: (predicate, timeoutMs = 3_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          frameWaiters.delete(waiter);
          reject(new Error(`expected a matching client frame, got: nothing within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (frame: string) => {
          if (!predicate(frame)) return;
          clearTimeout(timer);
          frameWaiters.delete(waiter);
          resolve(frame);
        };
        frameWaiters.add(waiter);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
