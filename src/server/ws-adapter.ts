/**
 * The thin layer between `ws` and the protocol core: it turns socket events into core events and core
 * actions into socket calls. Nothing here decides anything about the protocol.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ConnectionInput, Transport } from './core/connection.js';
import { guard, type ErrorSink } from './core/guard.js';
import { stampTail } from './core/session.js';

/** `ws` closes with 1008 for too many fragments or buffered reads; the protocol's code for "too big" is 1009. */
const WS_TOO_MANY_PARTS = 1008;
const MESSAGE_TOO_BIG = 1009;

/**
 * A `Transport` over one `ws` socket; `rawSocket` is the upgraded TCP socket under it. With `echoClose`
 * off (a deliberate fault), a client's close frame is answered by dropping the connection. With
 * `limitsFragmentsByBytes`, the close `ws` starts for too many fragments uses 1009 rather than 1008.
 */
export function wsTransport(
  ws: WebSocket,
  rawSocket: Socket,
  options: { echoClose: boolean; limitsFragmentsByBytes: boolean },
): Transport {
  let closeStartedByServer = false;
  if (!options.echoClose) dropInsteadOfEchoingClose(ws, () => closeStartedByServer);
  if (options.limitsFragmentsByBytes) closeTooManyPartsAsTooBig(ws);
  // Text messages written to the corked socket and not sent yet (see `MESSAGES_PER_WRITE`).
  let held = 0;
  const flush = () => {
    if (held === 0) return;
    held = 0;
    rawSocket.uncork();
  };
  const hold = () => {
    if (held === 0) {
      rawSocket.cork();
      flushWhenJobEnds(flush);
    }
  };
  const sent = () => {
    held += 1;
    if (held >= MESSAGES_PER_WRITE) flush();
  };
  return {
    sendText: (text) => {
      if (ws.readyState !== ws.OPEN) return;
      hold();
      ws.send(text);
      sent();
    },
    sendSpliced: (head, seq, stamp) => {
      if (ws.readyState !== ws.OPEN) return;
      hold();
      // The same socket, in order with what `ws` writes to it (sends and control frames alike).
      rawSocket.write(splicedFrame(head, stampTail(seq, stamp)));
      sent();
    },
    sendPing: (payload) => {
      if (ws.readyState === ws.OPEN) ws.ping(payload);
    },
    sendPong: (payload) => {
      if (ws.readyState === ws.OPEN) ws.pong(payload);
    },
    close: (code, reason) => {
      closeStartedByServer = true;
      ws.close(code, reason);
    },
    writeRawAndEnd: (bytes) => {
      closeStartedByServer = true;
      rawSocket.end(bytes);
    },
    terminate: () => ws.terminate(),
  };
}

/**
 * Text messages a socket holds back (corked) before it sends them in one system call; fewer wait until
 * the current job (a timer tick, a received frame) is over. A burst of ticks then costs each socket one
 * `writev` per eight messages instead of one per message (the system call, not the bytes, is most of the
 * cost of a small message), and a long burst still goes out as it is made.
 */
const MESSAGES_PER_WRITE = 8;

let headText: string | undefined;
let headBytes = Buffer.alloc(0);

/**
 * An unmasked, unfragmented RFC 6455 text frame of `head` + `tail`. A fan-out sends the same head to every
 * session, so it is encoded once (the last one is kept) and copied into each frame; only the ASCII tail
 * (`seq`, `timestamp`) is written per session: no string is built and encoded per session.
 */
function splicedFrame(head: string, tail: string): Buffer {
  if (head !== headText) {
    headText = head;
    headBytes = Buffer.from(head, 'utf8');
  }
  const length = headBytes.length + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, text
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  headBytes.copy(frame, headerLength);
  frame.write(tail, headerLength + headBytes.length, 'latin1');
  return frame;
}

/** Flushes of the sockets corked during the current job. */
const pendingFlushes: Array<() => void> = [];

function flushWhenJobEnds(flush: () => void): void {
  if (pendingFlushes.push(flush) === 1) process.nextTick(flushAll);
}

function flushAll(): void {
  // A flush may lead to more writes (and flushes) in this job: they are appended and run here too.
  for (let i = 0; i < pendingFlushes.length; i++) pendingFlushes[i]();
  pendingFlushes.length = 0;
}

/**
 * Feeds the events of a `ws` socket to the core connection. What the core throws while handling one
 * goes to `onError` (it would otherwise unwind through the socket's stream and end the process).
 */
export function bindSocket(
  ws: WebSocket,
  connection: ConnectionInput,
  options: { autoPong: boolean; onError: ErrorSink },
): void {
  const on = <A extends unknown[]>(handler: (...args: A) => void) => guard(handler, options.onError);
  ws.on(
    'message',
    on((data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (isBinary) connection.receiveBinary();
      else connection.receiveText(bufferOf(data).toString('utf8'));
    }),
  );
  ws.on(
    'pong',
    on((payload: Buffer) => connection.receivePong(payload)),
  );
  // `ws` answers pings itself unless `autoPong` is off.
  if (!options.autoPong)
    ws.on(
      'ping',
      on((payload: Buffer) => connection.receivePing(payload)),
    );
  ws.on(
    'close',
    on((code: number) => connection.closed(code)),
  );
  // Protocol errors (bad UTF-8, too big, bad frames) are closed by `ws` itself with the right code.
  ws.on('error', () => {});
}

function bufferOf(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Replaces the code of the close `ws` starts itself when a message comes in too many parts. */
function closeTooManyPartsAsTooBig(ws: WebSocket): void {
  const close = ws.close.bind(ws);
  ws.close = ((code?: number, reason?: string | Buffer) =>
    close(code === WS_TOO_MANY_PARTS ? MESSAGE_TOO_BIG : code, reason)) as WebSocket['close'];
}

/**
 * `ws` echoes a client's close frame from inside its receiver by calling `close()` on the socket; this
 * replaces that echo with a dropped TCP connection. Closes `ws` starts itself on a
 * protocol error (1007, 1009) come through the same method and stay as they are.
 */
function dropInsteadOfEchoingClose(ws: WebSocket, closeStartedByServer: () => boolean): void {
  const close = ws.close.bind(ws);
  const closeFrameReceived = () => (ws as unknown as { _closeFrameReceived: boolean })._closeFrameReceived;
  ws.close = ((code?: number, reason?: string | Buffer) => {
    if (closeFrameReceived() && !closeStartedByServer()) ws.terminate();
    else close(code, reason);
  }) as WebSocket['close'];
}
