/**
 * The thin layer between `socket.io` and the Socket.IO binding (the only file that imports it): a
 * Socket.IO server on the reference server's HTTP server, under `/socket.io/`, with the polling and
 * WebSocket transports. Namespace middleware hands each CONNECT to the binding; connected sockets hand it
 * their events and acknowledgement callbacks; the binding writes back through a `SocketIoPeer`.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { NAMESPACES, SOCKETIO_PATH, type NamespaceSpec } from '../protocol/socketio.js';
import { isOriginAllowed } from './origin.js';
import type { Admission, SocketIoAttachment, SocketIoBinding, SocketIoPeer } from './socketio-binding.js';

export interface SocketIoServerOptions {
  /** Engine.IO `pingInterval` and `pingTimeout` (the server's heartbeat interval and timeout). */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Engine.IO `maxPayload`: larger packets end the connection. */
  maxPayloadBytes: number;
  allowedOrigins: readonly string[] | '*';
  /** What a deliberate fault may change; default `SOCKETIO_SERVER_SEAMS`. */
  seams?: SocketIoServerSeams;
}

/** Options of the Socket.IO server that the reference server's deliberate faults change. */
export interface SocketIoServerSeams {
  /** The polling transport's open packet offers the upgrade to WebSocket. */
  allowUpgrades: boolean;
  /** Pings are sent this many times the advertised `pingInterval` apart. */
  pingIntervalFactor: number;
  /** The advertised (and applied) `pingTimeout` is this many times the server's heartbeat timeout. */
  pingTimeoutFactor: number;
  /** A connection that does not answer a ping within `pingTimeout` is closed. */
  closesOnPingTimeout: boolean;
  /** Namespaces refused although they are served. */
  refusedNamespaces: readonly string[];
  /** Any other namespace is accepted (with nothing behind it). */
  acceptsUnknownNamespaces: boolean;
}

export const SOCKETIO_SERVER_SEAMS: SocketIoServerSeams = {
  allowUpgrades: true,
  pingIntervalFactor: 1,
  pingTimeoutFactor: 1,
  closesOnPingTimeout: true,
  refusedNamespaces: [],
  acceptsUnknownNamespaces: false,
};

export interface SocketIoServer {
  /** Closes every Engine.IO connection (the HTTP server is the caller's to close). */
  close(): void;
  /** Connected namespace sockets. */
  sockets(): number;
}

/** Disconnects after which a session stays recoverable (a client that disconnects on purpose ends it). */
const RECOVERABLE_REASONS: ReadonlySet<string> = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'server shutting down',
  'forced server close',
]);

export function attachSocketIo(
  http: HttpServer,
  binding: SocketIoBinding,
  options: SocketIoServerOptions,
): SocketIoServer {
  const seams = options.seams ?? SOCKETIO_SERVER_SEAMS;
  const io = new Server(http, {
    path: SOCKETIO_PATH,
    serveClient: false,
    transports: ['polling', 'websocket'],
    allowUpgrades: seams.allowUpgrades,
    pingInterval: options.pingIntervalMs,
    pingTimeout: options.pingTimeoutMs * seams.pingTimeoutFactor,
    maxHttpBufferSize: options.maxPayloadBytes,
    // As on the WebSocket endpoints: ws compresses every message once deflate is negotiated (its threshold
    // applies only without context takeover), which costs more CPU than a fan-out of small messages saves.
    perMessageDeflate: false,
    // Upgrades on other paths belong to the WebSocket endpoints: Engine.IO must leave them alone.
    destroyUpgrade: false,
    allowRequest: (request, answer) =>
      answer(null, isOriginAllowed(request.headers.origin, options.allowedOrigins)),
    cors: {
      origin: (origin, answer) => answer(null, isOriginAllowed(origin, options.allowedOrigins)),
      credentials: true,
    },
  });
  if (seams.pingIntervalFactor !== 1 || !seams.closesOnPingTimeout) {
    io.engine.on('connection', (engineSocket: unknown) =>
      bendHeartbeat(engineSocket as EngineSocket, options.pingIntervalMs, seams),
    );
  }
  if (seams.acceptsUnknownNamespaces) io.of(/^\/.+/);
  const admissions = new WeakMap<Socket, Extract<Admission, { ok: true }>>();
  for (const namespace of NAMESPACES) {
    const nsp = io.of(namespace.name);
    if (!binding.serves(namespace) || seams.refusedNamespaces.includes(namespace.name)) {
      // `/` always exists in Socket.IO; a namespace without handlers here is refused like an unknown one.
      nsp.use((_socket, next) => next(new Error('Invalid namespace')));
      continue;
    }
    nsp.use((socket, next) => {
      binding
        .admit({
          connection: socket.conn,
          namespace,
          auth: socket.handshake.auth as Record<string, unknown>,
          authorization: socket.handshake.headers.authorization,
        })
        .then(
          (admission) => {
            if (!admission.ok)
              return next(Object.assign(new Error(admission.message), { data: admission.data }));
            // Socket.IO sends the socket's `pid` in its CONNECT packet: the session the binding chose.
            (socket as unknown as { pid: string }).pid = admission.pid;
            admissions.set(socket, admission);
            next();
          },
          () => next(new Error('internal error')),
        );
    });
    nsp.on('connection', (socket: Socket) => {
      const admission = admissions.get(socket);
      if (!admission) return void socket.disconnect(true);
      const attachment = binding.open(peerOf(socket, namespace), namespace, admission);
      if (attachment) listen(socket, binding, attachment);
    });
  }
  return {
    close: () => {
      // Closing the Engine.IO connections drops every socket as a shutdown does (its session stays recoverable).
      io.engine.close();
    },
    sockets: () => NAMESPACES.reduce((total, namespace) => total + io.of(namespace.name).sockets.size, 0),
  };
}

function listen(socket: Socket, binding: SocketIoBinding, attachment: SocketIoAttachment): void {
  const ackIds = withAckIds(socket);
  socket.onAny((event: unknown, ...args: unknown[]) => {
    const last = args[args.length - 1];
    const callback = typeof last === 'function' ? (args.pop() as (reply: unknown) => void) : undefined;
    const ack = callback && { id: ackIds.get(callback), send: (reply: object) => callback(reply) };
    binding.receive(attachment, String(event), args, ack);
  });
  socket.on('disconnect', (reason: string) => {
    // A client may emit an event called "disconnect": only Socket.IO's own, once disconnected, counts.
    if (socket.connected) return;
    binding.closed(attachment, RECOVERABLE_REASONS.has(reason));
  });
}

/**
 * The packet id behind each acknowledgement callback (the `id` of the `ack` message): Socket.IO makes the
 * callbacks in its `ack(id)` method, which is wrapped here for this socket only.
 */
function withAckIds(socket: Socket): WeakMap<object, number> {
  const ids = new WeakMap<object, number>();
  const target = socket as unknown as { ack(id: number): (...args: unknown[]) => void };
  const makeAck = target.ack.bind(socket);
  target.ack = (id: number) => {
    const callback = makeAck(id);
    ids.set(callback, id);
    return callback;
  };
  return ids;
}

function peerOf(socket: Socket, namespace: NamespaceSpec): SocketIoPeer {
  // Data events are written pre-encoded (`2/chat,["event",{…},"7"]`): the data message's JSON is spliced
  // in as it is, not parsed and serialised again for every socket it reaches.
  const prefix = namespace.name === '/' ? '42[' : `42${namespace.name},[`;
  const conn = socket.conn as unknown as EngineConnection;
  return {
    get connected() {
      return socket.connected;
    },
    writeEvent: (event, frame, offset) => {
      if (!socket.connected) return;
      const head = `${prefix}${eventJson(event)},`;
      const tail = `,"${offset}"]`;
      // Over WebSocket the frame is all that is written; the text is for the polling transport only.
      const websocket = conn.transport.name === 'websocket';
      const text = websocket ? '' : `${head.slice(1)}${frame}${tail}`;
      conn.write(text, websocket ? { wsPreEncodedFrame: [textFrame(head, frame, tail)] } : {});
    },
    emit: (event, payload) => {
      if (socket.connected) socket.emit(event, payload);
    },
    acknowledge: (ack, reply) => ack.send(reply),
    disconnect: () => void socket.disconnect(),
  };
}

/**
 * Engine.IO's connection with the write socket.io's own broadcasts use: the websocket transport writes a
 * frame built beforehand as it is.
 */
interface EngineConnection {
  transport: { name: string };
  write(text: string, options: { wsPreEncodedFrame?: Buffer[] }): void;
}

const eventJsons = new Map<string, string>();

function eventJson(event: string): string {
  let json = eventJsons.get(event);
  if (json === undefined) eventJsons.set(event, (json = JSON.stringify(event)));
  return json;
}

/**
 * One unmasked, unfragmented RFC 6455 text frame whose payload is the three texts one after the other, in
 * a single buffer (no intermediate string).
 */
function textFrame(first: string, second: string, third: string): Buffer {
  const a = Buffer.byteLength(first);
  const b = Buffer.byteLength(second);
  const length = a + b + Buffer.byteLength(third);
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x81;
  if (headerBytes === 2) frame[1] = length;
  else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(first, headerBytes);
  frame.write(second, headerBytes + a);
  frame.write(third, headerBytes + a + b);
  return frame;
}

/** The parts of an Engine.IO socket that its heartbeat is made of. */
interface EngineSocket {
  pingIntervalTimer: ReturnType<typeof setTimeout> | undefined;
  hasRefreshedPingTimeout: boolean;
  sendPacket(type: 'ping'): void;
  schedulePing(): void;
  resetPingTimeout(): void;
}

/**
 * Heartbeat faults, on one Engine.IO socket just opened: its pings are scheduled again further apart,
 * or its unanswered pings no longer close it. Engine.IO has no option for either.
 */
function bendHeartbeat(socket: EngineSocket, pingIntervalMs: number, seams: SocketIoServerSeams): void {
  if (!seams.closesOnPingTimeout) socket.resetPingTimeout = () => {};
  if (seams.pingIntervalFactor === 1) return;
  clearTimeout(socket.pingIntervalTimer);
  socket.schedulePing = () => {
    // A pong refreshes this timer, which keeps its (longer) delay.
    socket.pingIntervalTimer = setTimeout(() => {
      socket.hasRefreshedPingTimeout = false;
      socket.sendPacket('ping');
      socket.resetPingTimeout();
    }, pingIntervalMs * seams.pingIntervalFactor);
  };
  socket.schedulePing();
}
