/**
 * Many WebSocket clients in one process, apart from the server's: opens them, subscribes them, counts the
 * ticks they receive and the delay between each tick's `timestamp` and its arrival.
 *
 * Every stack is read with the same `ws` client so that the client side costs the same for each: the
 * Socket.IO server is spoken to in its Engine.IO v4 framing (`40` connect, `42[event, payload]`, `2`/`3`).
 */
import WebSocket from 'ws';
import { LatencyHistogram } from '../lib/measure.js';
import { serveCommands } from '../lib/child.js';

type Kind = 'ws' | 'socketio' | 'tidewire';

interface ConnectArgs {
  url: string;
  kind: Kind;
  count: number;
  /** Path and query on the server (reference server: the endpoint). */
  path?: string;
  /** Connections being opened at the same time. */
  concurrency: number;
  /** Deadline for one connection to become ready. */
  connectTimeoutMs: number;
}

const sockets: WebSocket[] = [];
let measuring = false;
let received = 0;
/** Ticks received since the process started, measuring or not (to see a server's queues drain). */
let receivedInAll = 0;
let histogram = new LatencyHistogram();
let measureStart = 0;
let cpuMark = process.cpuUsage();

interface Tick {
  type?: string;
  timestamp?: string;
  data?: { timestamp?: string };
}

/**
 * Latency runs from when the tick was produced (`data.timestamp`, shared by every copy of it) to its
 * arrival, so the time a server spends going through its subscribers counts. The top-level `timestamp`
 * would not do for the reference server, which stamps each session's copy as it sends it.
 */
function onTick(message: Tick): void {
  const producedAt = message.data?.timestamp ?? message.timestamp;
  if (message.type !== 'price_update' || producedAt === undefined) return;
  receivedInAll++;
  if (!measuring) return;
  received++;
  histogram.record(Date.now() - Date.parse(producedAt));
}

/** Parsed JSON, or undefined for a frame that is not JSON (the campaign endpoint's bare `ping`). */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Opens one connection; resolves when it is ready to receive ticks (Socket.IO: joined; reference: established). */
function open(args: ConnectArgs): Promise<WebSocket> {
  const url =
    args.kind === 'socketio'
      ? `${args.url}/socket.io/?EIO=4&transport=websocket`
      : `${args.url}${args.path ?? ''}`;
  const socket = new WebSocket(url, args.kind === 'tidewire' ? ['tidewire.v1'] : []);
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`not ready within ${args.connectTimeoutMs} ms`));
    }, args.connectTimeoutMs);
    const markReady = () => {
      ready = true;
      clearTimeout(timer);
      resolve(socket);
    };
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!ready) reject(new Error('closed before it was ready'));
    });
    if (args.kind === 'ws') socket.once('open', markReady);
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (args.kind === 'socketio') {
        if (text.startsWith('42')) onTick((parse(text.slice(2)) as [string, Tick] | undefined)?.[1] ?? {});
        else if (text === '2') socket.send('3');
        else if (text.startsWith('0')) socket.send('40');
        else if (text.startsWith('40')) markReady();
        return;
      }
      const message = (parse(text) ?? {}) as Tick;
      if (!ready && message.type === 'connection_established') markReady();
      else onTick(message);
    });
  });
}

async function connect(
  args: ConnectArgs,
): Promise<{ opened: number; failed: number; openMs: number; firstError?: string }> {
  const start = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < args.count) {
      next++;
      try {
        sockets.push(await open(args));
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, worker));
  return { opened: args.count - failed, failed, openMs: performance.now() - start, firstError };
}

serveCommands(
  {
    connect,
    /** Sends the same text frame on every open connection (the reference server's `subscribe`). */
    sendAll: ({ message }: { message: object }) => {
      const text = JSON.stringify(message);
      for (const socket of sockets) if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    measureStart: () => {
      received = 0;
      histogram = new LatencyHistogram();
      measureStart = performance.now();
      cpuMark = process.cpuUsage();
      measuring = true;
    },
    measureStop: () => {
      measuring = false;
      const elapsedMs = performance.now() - measureStart;
      const cpu = process.cpuUsage(cpuMark);
      return {
        received,
        elapsedMs,
        latency: histogram.sparse(),
        coreShare: (cpu.user + cpu.system) / 1000 / elapsedMs,
      };
    },
    openCount: () => sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length,
    /** Ticks received so far, measuring or not. */
    receivedInAll: () => receivedInAll,
    /** Closes every connection: `terminate` drops TCP, `close` sends a 1000 close frame. */
    closeAll: async ({ how, timeoutMs }: { how: 'terminate' | 'close'; timeoutMs: number }) => {
      const all = sockets.splice(0);
      const closed = all.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once('close', () => resolve());
          }),
      );
      for (const socket of all) {
        if (how === 'terminate') socket.terminate();
        else socket.close(1000);
      }
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
      await Promise.race([Promise.all(closed), deadline]);
      return { closed: all.length };
    },
  },
  {},
  async () => {
    for (const socket of sockets) socket.terminate();
  },
);
