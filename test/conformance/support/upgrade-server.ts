/** An HTTP server on a free port whose upgrades go to a handler, for servers written in tests. */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebSocketServer } from 'ws';

export interface UpgradeServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on port 0 and hands each upgrade to `onUpgrade`; `close` stops the `timers` the connections
 * started, drops the clients of `wss` and stops listening.
 */
export async function startUpgradeServer(
  wss: WebSocketServer,
  timers: Set<ReturnType<typeof setInterval>>,
  onUpgrade: (request: http.IncomingMessage, socket: Socket, head: Buffer, url: URL) => void,
): Promise<UpgradeServer> {
  const server = http.createServer();
  server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) =>
    onUpgrade(request, socket, head, new URL(request.url ?? '/', 'http://localhost')),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Refuses an upgrade with 404. */
export function notFound(socket: Socket): void {
  socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
}
