/**
 * A small scriptable WebSocket server for the runner's own tests: answers the upgrade on any path (or
 * 404 on the paths it is told), sends `connection_established` with short timers, answers JSON pings, and
 * lets a test add behaviour per connection. Not a Tidewire server: just enough for the probe and engine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';

export interface MiniServerOptions {
  /** Paths answered with HTTP 404 instead of an upgrade. */
  notFound?: string[];
  /** Fields merged into `connection_established`; `false` sends none. */
  established?: Record<string, unknown> | false;
  /** Called for every accepted connection after `connection_established`. */
  onConnection?: (ws: WebSocket, request: http.IncomingMessage) => void;
  /** Refuse (4001) a token in the query, as a server that keeps tokens out of URLs does. */
  refuseQueryToken?: boolean;
  /** Answer `{"type":"ping"}` with `{"type":"pong"}` (default true). */
  answerPings?: boolean;
  /** Options of the `ws` server (its limits: pending pongs, fragments). */
  ws?: ServerOptions;
}

export interface MiniServer {
  url: string;
  /** Requests that reached the upgrade, in order. */
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

export const MINI_TIMERS = {
  heartbeatIntervalMs: 300,
  heartbeatTimeoutMs: 300,
  resumeWindowMs: 1_000,
  maxMessageBytes: 4_096,
  rateLimit: { maxMessages: 50, windowMs: 1_000 },
};

export async function startMiniServer(options: MiniServerOptions = {}): Promise<MiniServer> {
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has('tidewire.v1') ? 'tidewire.v1' : false),
    ...options.ws,
  });
  const requests: http.IncomingMessage[] = [];
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(request);
    if (options.notFound?.includes(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // Protocol errors of the peer (invalid UTF-8…) are what some tests provoke.
      ws.on('error', () => {});
      if (
        options.refuseQueryToken &&
        new URL(request.url ?? '/', 'http://localhost').searchParams.has('token')
      ) {
        ws.send(
          JSON.stringify({ type: 'authentication_error', error_code: 'AUTH_REQUIRED', closeCode: 4001 }),
        );
        ws.close(4001, 'token in the URL');
        return;
      }
      if (options.established !== false) {
        ws.send(
          JSON.stringify({
            type: 'connection_established',
            timestamp: new Date().toISOString(),
            sessionId: 's1',
            protocolVersion: '1.0',
            ...MINI_TIMERS,
            auth: { mode: 'optional', userId: null },
            ...options.established,
          }),
        );
      }
      if (options.answerPings !== false) {
        ws.on('message', (data, isBinary) => {
          if (!isBinary && /^\{"type":"ping"[,}]/.test(data.toString())) {
            ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
          }
        });
      }
      options.onConnection?.(ws, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
