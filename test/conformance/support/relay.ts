/**
 * A WebSocket relay between the runner and a server that changes only what the protocol leaves free:
 * how a text message is cut into frames, the order of JSON keys, whitespace, properties the server may
 * add, and latency. The runner must judge the server behind it exactly as it judges the server itself.
 * Everything else passes through: upgrade answers (HTTP status, selected subprotocol), binary and invalid
 * UTF-8 frames, RFC 6455 pings and pongs with their payloads, close codes and reasons.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export type RelayMode =
  | { kind: 'fragment' }
  | { kind: 'reorder-keys' }
  | { kind: 'whitespace' }
  | { kind: 'extra-fields' }
  | { kind: 'latency'; ms: number };

export interface Relay {
  url: string;
  close(): Promise<void>;
}

export interface RelayOptions {
  /** ws://host:port of the server behind the relay. */
  upstream: string;
  mode: RelayMode;
  /**
   * How long the relay waits for the client to answer a close the server started before it drops the
   * client, as the server would (the server's advertised heartbeat timeout).
   */
  closeTimeoutMs: number;
}

type Json = Record<string, unknown>;

/** An added property the server schemas allow (they allow any): same value every time. */
const EXTRA_FIELD = { relayedBy: 'tidewire-test-relay' };

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The same JSON value with the keys of every object in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Json)
      .reverse()
      .map(([key, item]) => [key, reversedKeys(item)]),
  );
}

/** What the server's text message becomes on its way to the client (JSON objects only). */
function rewriteServerText(text: string, mode: RelayMode): string {
  const message = parseObject(text);
  if (message === undefined) return text;
  if (mode.kind === 'reorder-keys') return JSON.stringify(reversedKeys(message));
  if (mode.kind === 'whitespace') return ` ${JSON.stringify(message, null, 2)}\n`;
  if (mode.kind === 'extra-fields') {
    const error = message.error;
    const withError =
      typeof error === 'object' && error !== null
        ? { ...message, error: { ...error, ...EXTRA_FIELD } }
        : message;
    return JSON.stringify({ ...withError, ...EXTRA_FIELD });
  }
  return text;
}

/** Sends a text message as up to three frames (a first frame and continuation frames). */
function sendFragmented(ws: WebSocket, data: Buffer): void {
  const cuts = [Math.floor(data.length / 3), Math.floor((2 * data.length) / 3)];
  const parts = [data.subarray(0, cuts[0]), data.subarray(cuts[0], cuts[1]), data.subarray(cuts[1])];
  parts.forEach((part, i) => ws.send(part, { binary: false, fin: i === parts.length - 1 }));
}

/** Runs the steps of one direction in order, each `delayMs` after it was queued (0: at once). */
function lane(delayMs: number): (step: () => void) => void {
  if (delayMs === 0) return (step) => step();
  // Timers of one duration fire in the order they were set: the lane keeps the frames' order.
  return (step) => setTimeout(step, delayMs);
}

/**
 * `ws` answers a close frame from inside its receiver by calling `close()`; the relay instead passes the
 * close on and answers it once the other side has.
 */
function deferCloseEcho(
  ws: WebSocket,
  onCloseFrame: (code: number, reason: Buffer) => void,
): (code: number, reason: Buffer) => void {
  const close = ws.close.bind(ws);
  const internals = ws as unknown as { _closeFrameReceived: boolean; _closeFrameSent: boolean };
  let deferred = false;
  ws.close = ((code?: number, reason?: string | Buffer) => {
    if (internals._closeFrameReceived && !internals._closeFrameSent && !deferred) {
      deferred = true;
      onCloseFrame(code ?? 1005, Buffer.from(reason ?? ''));
      return;
    }
    close(code, reason);
  }) as WebSocket['close'];
  return (code, reason) => (code === 1005 || code === 1006 ? close() : close(code, reason));
}

function closeCodeToSend(code: number): number | undefined {
  return code === 1005 || code === 1006 ? undefined : code;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { mode } = options;
  const delayMs = mode.kind === 'latency' ? mode.ms : 0;
  const server = http.createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 0,
    // Any number of fragments and reads: the relay leaves every limit to the server behind it.
    maxFragments: 0,
    maxBufferedChunks: 0,
    skipUTF8Validation: true,
    autoPong: false,
    handleProtocols: (_offered, request) => selected.get(request) ?? false,
  });
  const selected = new WeakMap<http.IncomingMessage, string | false>();
  const open = new Set<WebSocket>();

  server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const offered = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'origin']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // The client's Sec-WebSocket-Version goes on, so that the server judges it (HS-016).
    const version = Number(request.headers['sec-websocket-version']);
    const upstream = new WebSocket(`${options.upstream}${request.url ?? '/'}`, offered, {
      headers,
      ...(version === 8 ? { protocolVersion: 8 } : {}),
      perMessageDeflate: false,
      maxPayload: 0,
      skipUTF8Validation: true,
      autoPong: false,
      followRedirects: false,
    });
    upstream.on('error', () => socket.destroy());
    upstream.on('upgrade', (response) => {
      const protocol = response.headers['sec-websocket-protocol'];
      selected.set(request, typeof protocol === 'string' ? protocol : false);
      // A server may select none of the offered subprotocols; `ws` would abort such a handshake.
      if (protocol === undefined && offered.length > 0)
        response.headers['sec-websocket-protocol'] = offered[0];
    });
    upstream.on('unexpected-response', (_request, response) => {
      socket.end(
        `HTTP/1.1 ${response.statusCode} ${response.statusMessage ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      response.resume();
      upstream.terminate();
    });

    const toClient = lane(delayMs);
    const toServer = lane(delayMs);
    let client: WebSocket | undefined;
    const waiting: (() => void)[] = [];
    const whenClient = (step: (ws: WebSocket) => void) => {
      const run = () => client && step(client);
      if (client) toClient(run);
      else waiting.push(() => toClient(run));
    };

    upstream.on('message', (data: Buffer, isBinary) => {
      whenClient((ws) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (isBinary) return ws.send(data, { binary: true });
        const text = rewriteServerText(data.toString('utf8'), mode);
        const bytes = text === data.toString('utf8') ? data : Buffer.from(text, 'utf8');
        if (mode.kind === 'fragment') sendFragmented(ws, bytes);
        else ws.send(bytes, { binary: false });
      });
    });
    upstream.on('ping', (payload) =>
      whenClient((ws) => ws.readyState === WebSocket.OPEN && ws.ping(payload)),
    );
    upstream.on('pong', (payload) =>
      whenClient((ws) => ws.readyState === WebSocket.OPEN && ws.pong(payload)),
    );
    const echoToServer = deferCloseEcho(upstream, (code, reason) =>
      whenClient((ws) => {
        // The server's close goes on to the client; a client that never answers is dropped as the server would.
        if (ws.readyState === WebSocket.OPEN) ws.close(closeCodeToSend(code), reason);
        setTimeout(() => ws.terminate(), options.closeTimeoutMs).unref();
      }),
    );
    upstream.on('close', (code, reason) =>
      whenClient((ws) => {
        if (code === 1006) ws.terminate();
        else if (ws.readyState === WebSocket.OPEN) ws.close(closeCodeToSend(code), reason);
      }),
    );

    upstream.on('open', () => {
      wss.handleUpgrade(request, socket, head, (ws) => {
        client = ws;
        open.add(ws);
        ws.on('error', () => {});
        ws.on('message', (data: Buffer, isBinary) =>
          toServer(() => {
            if (upstream.readyState !== WebSocket.OPEN) return;
            if (!isBinary && mode.kind === 'fragment') sendFragmented(upstream, data);
            else upstream.send(data, { binary: isBinary });
          }),
        );
        ws.on('ping', (payload) =>
          toServer(() => upstream.readyState === WebSocket.OPEN && upstream.ping(payload)),
        );
        ws.on('pong', (payload) =>
          toServer(() => upstream.readyState === WebSocket.OPEN && upstream.pong(payload)),
        );
        ws.on('close', (code, reason) => {
          open.delete(ws);
          toServer(() => {
            if (code === 1006) upstream.terminate();
            else if (upstream.readyState === WebSocket.OPEN) upstream.close(closeCodeToSend(code), reason);
            else echoToServer(code, reason);
          });
        });
        for (const step of waiting.splice(0)) step();
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of open) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
