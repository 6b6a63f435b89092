/**
 * A real `socket.io-client` socket on one namespace, for the checks about behaviour (delivery, errors,
 * rate limit, an identity shared by the namespaces of one connection): what a Depth front end would use.
 * Events and acknowledgements go into the check's transcript, and every event received is validated
 * against its schema (SIO-011).
 */
import { Manager, type Socket } from 'socket.io-client';
import { waitAnsweredBy } from '../check-failure.js';
import { CONNECT_TIMEOUT_MS } from '../probe.js';
import type { SocketIoProbeEnvironment } from './probe-environment.js';
import { WaitQueue } from './wait-queue.js';

export interface ReceivedEvent {
  at: number;
  event: string;
  /** The arguments; a data event's last one is its offset. */
  args: unknown[];
}

export interface ClientSocketOptions {
  /** `auth.token`; `null` sends no token. */
  token: string | null;
  /**
   * Recovers a session of another socket (connection state recovery): the CONNECT carries its `pid` and
   * last `offset`, as socket.io-client sends them when it reconnects, here through another Manager (which
   * may lead to another instance of a deployment).
   */
  recover?: { pid: string; offset: string | undefined };
}

/** socket.io-client's record of connection state recovery (kept on the socket, not in its typings). */
interface RecoveryState {
  _pid?: string;
  _lastOffset?: string;
}

/** One socket.io-client Manager (one Engine.IO connection) of a check, on which namespaces are opened. */
export class ClientManager {
  readonly id: number;
  private readonly manager: Manager;
  private readonly sockets: ClientSocket[] = [];

  /** `at`: another server than the target (an instance of a deployment), by its origin and Engine.IO path. */
  constructor(
    private readonly env: SocketIoProbeEnvironment,
    at: { origin: string; path: string } = env,
  ) {
    this.id = env.nextConnectionNumber();
    const { transport } = env;
    this.manager = new Manager(at.origin, {
      path: at.path,
      extraHeaders: { ...transport.headers },
      ...(transport.ca !== undefined ? { ca: transport.ca } : {}),
      rejectUnauthorized: !transport.insecure,
      // Straight to WebSocket: polling round trips would make the checks' timing depend on the transport.
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
      timeout: CONNECT_TIMEOUT_MS * env.timeoutScale,
    });
  }

  /** Opens a socket on `namespace` (over this manager's one Engine.IO connection) and waits for CONNECT. */
  async socket(namespace: string, options: ClientSocketOptions): Promise<ClientSocket> {
    const socket = new ClientSocket(this.env, this.id, this.manager, namespace, options);
    this.sockets.push(socket);
    await socket.connected;
    return socket;
  }

  /**
   * Ends the Engine.IO connection without disconnecting its sockets first, as a network failure would: to
   * the server their sessions stay recoverable.
   */
  drop(): void {
    (this.manager as unknown as { engine?: { close(): void } }).engine?.close();
  }

  dispose(): void {
    for (const socket of this.sockets) socket.dispose();
    this.drop();
  }
}

/**
 * The runner's clients must not give up on a server because the runner itself is slow to read its pings:
 * the heartbeat is judged on raw connections (SIO-009, SIO-010). socket.io-client drops a connection that
 * has seen no ping for pingInterval + pingTimeout; the handshake's pingTimeout is raised by `slackMs` as
 * it is read (the `handshake` event comes before the engine takes its values from the same object).
 */
function relaxClientHeartbeat(manager: Manager, slackMs: number): void {
  const engine = (
    manager as unknown as { engine?: { once(event: 'handshake', fn: (data: unknown) => void): void } }
  ).engine;
  engine?.once('handshake', (data) => {
    const handshake = data as { pingTimeout?: unknown };
    if (typeof handshake.pingTimeout === 'number') handshake.pingTimeout += slackMs;
  });
}

export class ClientSocket {
  readonly events: WaitQueue<ReceivedEvent>;
  /** Resolves on CONNECT; fails with the CONNECT_ERROR (or transport failure) that came instead. */
  readonly connected: Promise<void>;
  private readonly socket: Socket;
  /** The reason of the disconnect, once it comes. */
  private readonly disconnects: WaitQueue<string>;

  constructor(
    private readonly env: SocketIoProbeEnvironment,
    private readonly connection: number,
    manager: Manager,
    readonly namespace: string,
    options: ClientSocketOptions,
  ) {
    this.events = new WaitQueue(env.signal, env.timeoutScale);
    this.disconnects = new WaitQueue(env.signal, env.timeoutScale);
    const auth = options.token === null ? {} : { token: options.token };
    this.log('sent', 'text', `CONNECT ${namespace}${options.token === null ? ' (no token)' : ' {token}'}`);
    this.socket = manager.socket(namespace, { auth });
    if (options.recover) {
      const state = this.socket as unknown as RecoveryState;
      state._pid = options.recover.pid;
      state._lastOffset = options.recover.offset;
    }
    this.socket.onAny((event: string, ...args: unknown[]) => {
      const at = this.log('received', 'text', `EVENT ${namespace} ${JSON.stringify([event, ...args])}`);
      env.inspectEvent(namespace, event, args);
      this.events.push({ at, event, args });
    });
    this.socket.on('disconnect', (reason) => {
      this.log('event', 'close', `disconnected: ${reason}`);
      this.events.end(`disconnected (${reason})`);
      this.disconnects.push(reason);
    });
    this.connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(waitAnsweredBy(`CONNECT for ${namespace}`, 'no answer in time')),
        CONNECT_TIMEOUT_MS * env.timeoutScale,
      );
      this.socket.once('connect', () => {
        clearTimeout(timer);
        this.log('received', 'text', `CONNECT ${namespace} sid ${this.socket.id}`);
        resolve();
      });
      this.socket.once('connect_error', (error: Error & { data?: unknown }) => {
        clearTimeout(timer);
        const data = error.data === undefined ? '' : ` ${JSON.stringify(error.data)}`;
        this.log('received', 'text', `CONNECT_ERROR ${namespace} ${error.message}${data}`);
        this.events.end(`CONNECT_ERROR ${error.message}`);
        reject(waitAnsweredBy(`CONNECT for ${namespace}`, `CONNECT_ERROR "${error.message}"${data}`));
      });
    });
    this.connected.catch(() => {});
    this.socket.connect();
    relaxClientHeartbeat(manager, CONNECT_TIMEOUT_MS * env.timeoutScale);
  }

  /** The session id (`pid`) of the CONNECT, when the server offers connection state recovery. */
  get pid(): string | undefined {
    return (this.socket as unknown as RecoveryState)._pid;
  }

  /** The offset of the last data event received (socket.io-client keeps it only with a `pid`). */
  get lastOffset(): string | undefined {
    return (this.socket as unknown as RecoveryState)._lastOffset;
  }

  /** Whether the CONNECT recovered the session asked for (the same `pid` came back). */
  get recovered(): boolean {
    return this.socket.recovered === true;
  }

  /** The reason socket.io-client gives once the socket is disconnected, within `timeoutMs` (before scaling). */
  disconnectReason(timeoutMs: number, expected: string): Promise<string> {
    return this.disconnects.next(() => true, timeoutMs, expected);
  }

  /** Emits an event without a callback. */
  emit(event: string, payload: unknown): void {
    this.log('sent', 'text', `EVENT ${this.namespace} ${JSON.stringify([event, payload])}`);
    this.socket.emit(event, payload);
  }

  /** Emits an event with a callback; resolves with the callback's arguments, or fails after `timeoutMs`. */
  emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<unknown[]> {
    this.log('sent', 'text', `EVENT ${this.namespace} ${JSON.stringify([event, payload])} with a callback`);
    const waitMs = timeoutMs * this.env.timeoutScale;
    return new Promise<unknown[]>((resolve, reject) => {
      this.socket.timeout(waitMs).emit(event, payload, (error: Error | null, ...args: unknown[]) => {
        if (error) {
          reject(waitAnsweredBy(`an acknowledgement of ${event}`, `nothing within ${Math.round(waitMs)} ms`));
          return;
        }
        this.log('received', 'text', `ACK ${this.namespace} ${JSON.stringify(args)}`);
        resolve(args);
      });
    });
  }

  /** The next event called `event`. */
  next(
    event: string,
    timeoutMs: number,
    match: (args: unknown[]) => boolean = () => true,
  ): Promise<ReceivedEvent> {
    return this.events.next(
      (e) => e.event === event && match(e.args),
      timeoutMs,
      `event ${event} on ${this.namespace}`,
    );
  }

  dispose(): void {
    this.events.dispose();
    this.disconnects.dispose();
    if (this.socket.connected) this.socket.disconnect();
  }

  private log(direction: 'sent' | 'received' | 'event', kind: string, data: string): number {
    return this.env.transcript.add(this.connection, direction, kind, data);
  }
}
