/**
 * A WebSocket proxy in front of one instance that changes what the protocol leaves free: how the server's
 * messages are framed (fragments), their key order, whitespace, optional fields it adds, and latency. Each
 * upgrade opens a connection to the instance with the same path, query, subprotocols and credentials; the
 * instance's answer (refusal, subprotocol, messages, close code and reason) reaches the client, changed
 * only as asked. Plain HTTP requests are forwarded as they are.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

export interface Reframing {
  /** Each message in this many fragments (split at byte offsets, inside UTF-8 characters too). */
  fragments?: number;
  /** JSON written with this indent and a space before and after. */
  indent?: number;
  /** Every object's keys in reverse order. */
  reverseKeys?: boolean;
  /** Top-level fields added to every JSON message (the server schemas allow additional properties). */
  addFields?: Record<string, unknown>;
  /** Each message, in both directions, this much later (order kept). */
  latencyMs?: number;
}

export interface ReframingProxy {
  url: string;
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['authorization', 'origin', 'cookie'];

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reverseKeys(inner)]),
  );
}

/** The server's text message as the proxy passes it on (bare text such as `ping` unchanged). */
function rewrite(text: string, how: Reframing): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return text;
  let out: unknown = { ...json, ...how.addFields };
  if (how.reverseKeys) out = reverseKeys(out);
  return how.indent === undefined ? JSON.stringify(out) : ` ${JSON.stringify(out, null, how.indent)} `;
}

/** Sends `bytes` as one text message in `count` fragments. */
function sendFragmented(socket: WebSocket, bytes: Buffer, count: number): void {
  const size = Math.max(1, Math.ceil(bytes.length / count));
  for (let offset = 0; offset < bytes.length || offset === 0; offset += size) {
    const last = offset + size >= bytes.length;
    socket.send(bytes.subarray(offset, offset + size), { binary: false, fin: last });
    if (last) break;
  }
}

/** Runs `step` `latencyMs` later, after every step queued before it. */
function delayed(latencyMs: number): (step: () => void) => void {
  if (latencyMs <= 0) return (step) => step();
  return (step) => void setTimeout(step, latencyMs);
}

/** A close code that may be sent in a close frame (1005 and 1006 only describe what happened). */
const sendable = (code: number) => code !== 1005 && code !== 1006;

export async function startReframingProxy(upstream: string, how: Reframing): Promise<ReframingProxy> {
  const target = new URL(upstream);
  const later = delayed(how.latencyMs ?? 0);
  const pairs = new Set<{ client?: WebSocket; server: WebSocket }>();
  /** The subprotocol the instance chose for each upgrade, which the proxy echoes in turn. */
  const chosen = new WeakMap<http.IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (_offered, request) => chosen.get(request) || false,
  });

  const httpServer = http.createServer((request, response) => {
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });

  httpServer.on('upgrade', (request, socket, head) => {
    socket.on('error', () => {});
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const headers = Object.fromEntries(
      FORWARDED_HEADERS.flatMap((name) =>
        request.headers[name] === undefined ? [] : [[name, String(request.headers[name])]],
      ),
    );
    const server = new WebSocket(new URL(request.url ?? '/', target).toString(), offered, {
      headers,
      perMessageDeflate: false,
    });
    const pair: { client?: WebSocket; server: WebSocket } = { server };
    pairs.add(pair);
    server.on('error', () => socket.destroy());
    server.on('unexpected-response', (_request, answer) => {
      socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nConnection: close\r\n\r\n`);
      server.terminate();
    });
    server.on('open', () => {
      chosen.set(request, server.protocol);
      wss.handleUpgrade(request, socket, head, (client) => {
        pair.client = client;
        server.on('message', (data: RawData, isBinary) =>
          later(() => {
            if (client.readyState !== WebSocket.OPEN) return;
            if (isBinary) return client.send(data, { binary: true });
            const bytes = Buffer.from(rewrite(data.toString(), how));
            if ((how.fragments ?? 1) > 1) sendFragmented(client, bytes, how.fragments!);
            else client.send(bytes, { binary: false });
          }),
        );
        server.on('close', (code, reason) =>
          later(() => {
            if (sendable(code)) client.close(code, reason);
            else client.terminate();
          }),
        );
        client.on('message', (data: RawData, isBinary) =>
          later(() => {
            if (server.readyState === WebSocket.OPEN) server.send(data, { binary: isBinary });
          }),
        );
        client.on('close', (code, reason) =>
          later(() => {
            pairs.delete(pair);
            if (sendable(code)) server.close(code, reason);
            else server.terminate();
          }),
        );
        client.on('error', () => server.terminate());
      });
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    async close() {
      for (const { client, server } of pairs) {
        client?.terminate();
        server.terminate();
      }
      pairs.clear();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
