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

/** `connection_established` as a Tidewire server sends it, with `fields` merged in. */
function established(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'connection_established',
    timestamp: new Date().toISOString(),
    sessionId: 'hostile',
    protocolVersion: '1.0',
    heartbeatIntervalMs: 300,
    heartbeatTimeoutMs: 300,
    resumeWindowMs: 1_000,
    maxMessageBytes: 4_096,
    rateLimit: { maxMessages: 50, windowMs: 1_000 },
    ...fields,
  });
}

/** Answers a JSON ping with a pong, as every endpoint must (HB-003). */
function answerPings(ws: WebSocket): void {
  ws.on('message', (data) => {
    if (/^\{"type":"ping"/.test(data.toString())) {
      ws.send(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
    }
  });
}

/** Advertises a `maxMessageBytes` no runner should build a message of (4e8, 1e15). */
export const hugeLimitServer = (maxMessageBytes: number) =>
  wsServer((ws) => {
    ws.send(established({ maxMessageBytes }));
    answerPings(ws);
  });

/**
 * Sends `connection_established`, then at once a JSON frame of about `bytes` nested arrays deep, then
 * answers pings: parsing that frame on the runner's main loop would stall every timing check.
 */
export const nestedFrameServer = (bytes: number) =>
  wsServer((ws) => {
    ws.send(established());
    const depth = Math.floor((bytes - 32) / 2);
    ws.send(`{"type":"news","data":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    answerPings(ws);
  });

/** Sends `connection_established`, then one text frame of `bytes`: over the runner's cap. */
export const oversizeFrameServer = (bytes: number) =>
  wsServer((ws) => {
    ws.send(established());
    ws.send(JSON.stringify({ type: 'news', pad: 'x'.repeat(bytes) }));
  });

/**
 * Sends `connection_established`, then floods RFC 6455 pings with the largest payload allowed and stops
 * reading, so the pongs the runner owes pile up on its side.
 */
export function pingFloodServer(): Promise<HostileServer> {
  let total = 0;
  const payload = randomBytes(125);
  return wsServer(
    (ws) => {
      ws.send(established());
      const socket = (ws as unknown as { _socket: net.Socket })._socket;
      socket.pause();
      // At socket speed, not faster: the server's own memory stays bounded.
      const flood = () => {
        while (ws.readyState === ws.OPEN && socket.writableLength < 1024 * 1024) {
          ws.ping(payload);
          total += payload.length;
        }
        if (ws.readyState === ws.OPEN) socket.once('drain', flood);
      };
      flood();
    },
    () => total,
  );
}

/** Completes the upgrade, sends `connection_established`, then a text frame that is not UTF-8. */
export const invalidUtf8Server = () =>
  rawServer((socket, key, protocol) => {
    socket.write(switchingProtocols(key, protocol));
    socket.write(
      textFrame(JSON.stringify({ type: 'connection_established', timestamp: new Date().toISOString() })),
    );
    const payload = Buffer.from([0x7b, 0x80, 0xfe, 0xff, 0x7d]);
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
  });
