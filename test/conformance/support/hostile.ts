/**
 * Servers that break the runner's assumptions on purpose: one that accepts and never speaks, one that
 * floods megabytes of frames, one that sends garbage bytes after the upgrade, one that never answers the
 * upgrade, and one that completes the upgrade and then holds the connection half-open. The runner must
 * finish against each within its deadlines, report, and keep its memory bounded.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface HostileServer {
  url: string;
  /** Bytes of WebSocket payload sent so far (flood). */
  sentBytes(): number;
  close(): Promise<void>;
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A ws server that upgrades every request and then runs `onConnection`. */
async function wsServer(onConnection: (ws: WebSocket) => void, sent = () => 0): Promise<HostileServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => [...offered][0] ?? false });
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    onConnection(ws);
  });
  return listening(server, sent, () => {
    for (const client of wss.clients) client.terminate();
  });
}

/** A raw TCP server: `onRequest` gets the socket once the HTTP request head has arrived. */
async function rawServer(
  onRequest: (socket: net.Socket, key: string, protocol: string | undefined) => void,
): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
      const protocol = /sec-websocket-protocol:\s*([^,\r\n]+)/i.exec(head)?.[1]?.trim();
      onRequest(socket, key, protocol);
    };
    socket.on('data', onData);
  });
  return listening(
    server,
    () => 0,
    () => {
      for (const socket of sockets) socket.destroy();
    },
  );
}

async function listening(
  server: net.Server | http.Server,
  sentBytes: () => number,
  dropAll: () => void,
): Promise<HostileServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    sentBytes,
    close: async () => {
      dropAll();
      if (server instanceof http.Server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function switchingProtocols(key: string, protocol: string | undefined): string {
  const accept = createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${accept}\r\n${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`
  );
}

/** An unmasked server text frame. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

/** Upgrades and then never sends a single frame. */
export const silentServer = () => wsServer(() => {});

/** Upgrades and sends `bytesPerConnection` of large frames (JSON that breaks the schemas, and non-JSON). */
export function floodServer(bytesPerConnection: number): Promise<HostileServer> {
  let total = 0;
  const frame = JSON.stringify({ type: 'flood', pad: 'x'.repeat(64 * 1024) });
  const garbage = 'not json '.repeat(7 * 1024);
  return wsServer(
    (ws) => {
      let sent = 0;
      // Each frame is queued when the previous one has been written: a flood at socket speed, not a
      // flood of the server's own memory.
      const pump = () => {
        if (sent >= bytesPerConnection || ws.readyState !== ws.OPEN) return;
        const text = sent % (4 * frame.length) === 0 ? garbage : frame;
        sent += text.length;
        total += text.length;
        ws.send(text, (error) => (error ? undefined : pump()));
      };
      pump();
    },
    () => total,
  );
}

/** Completes the upgrade, then writes random bytes that are no valid frames. */
export const garbageServer = () =>
  rawServer((socket, key, protocol) => {
    socket.write(switchingProtocols(key, protocol));
    socket.write(randomBytes(64 * 1024));
  });

/** Accepts TCP connections and reads the request, but never answers it. */
export const neverUpgradeServer = () => rawServer(() => {});

/**
 * Completes the upgrade, sends `connection_established`, then stops reading: it never answers a frame,
 * never answers a close, and never closes.
 */
export const halfOpenServer = () =>
  rawServer((socket, key, protocol) => {
    socket.write(switchingProtocols(key, protocol));
    socket.write(
      textFrame(JSON.stringify({ type: 'connection_established', timestamp: new Date().toISOString() })),
    );
    socket.pause();
  });
