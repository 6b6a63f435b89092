/**
 * A scripted Socket.IO server for client mode: one per scenario, on its own port, recording every Engine.IO
 * handshake, every namespace CONNECT (with its data) and every client event with its time, and answering
 * as the scenario says: handshakes refused after the first few, CONNECTs refused with an
 * `authentication_error`, sessions never recovered (socket.io's own connection state recovery with a window
 * of 0: a client offering its pid always gets a fresh session), connections dropped on demand.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { AUTH_REQUIRED, CloseCode } from '../../protocol/constants.js';
import { SOCKETIO_PATH } from '../../protocol/socketio.js';
import { WaitTimeoutError } from '../client-mode/scripted-server.js';

export interface SocketIoScenarioOptions {
  /** Engine.IO handshakes after this many are refused with HTTP 403 (default: none refused). */
  acceptHandshakes?: number;
  /** Every CONNECT gets CONNECT_ERROR with an `authentication_error` (a bad or expired token). */
  refuseConnects?: boolean;
  /** ms since the scenario's clock start, for the records. */
  clockStart: number;
  log(kind: 'received' | 'sent' | 'event', data: string): void;
}

export interface ConnectRecord {
  at: number;
  namespace: string;
  auth: Record<string, unknown>;
  accepted: boolean;
  /** Client events on this socket: `[at, event]`. */
  events: Array<{ at: number; event: string }>;
}

export class SocketIoScenario {
  /** Times of the Engine.IO handshakes, accepted or refused. */
  readonly handshakes: number[] = [];
  readonly connects: ConnectRecord[] = [];
  private readonly io: Server;
  private readonly waiters = new Set<() => void>();
  /** Open Engine.IO connections. */
  private readonly engineSockets = new Set<{ close(): void }>();

  private constructor(
    readonly url: string,
    io: Server,
  ) {
    this.io = io;
    io.engine.on('connection', (socket: { close(): void; once(event: 'close', fn: () => void): void }) => {
      this.engineSockets.add(socket);
      socket.once('close', () => this.engineSockets.delete(socket));
    });
  }

  static async start(options: SocketIoScenarioOptions): Promise<SocketIoScenario> {
    const now = () => Math.round(performance.now() - options.clockStart);
    const http = createServer();
    let scenario: SocketIoScenario | undefined;
    const io = new Server(http, {
      path: SOCKETIO_PATH,
      serveClient: false,
      connectionStateRecovery: { maxDisconnectionDuration: 0, skipMiddlewares: false },
      allowRequest: (_request, answer) => {
        scenario!.handshakes.push(now());
        const accepted = scenario!.handshakes.length <= (options.acceptHandshakes ?? Infinity);
        options.log(
          'received',
          `Engine.IO handshake ${scenario!.handshakes.length - 1}${accepted ? '' : ': refused (HTTP 403)'}`,
        );
        scenario!.changed();
        answer(accepted ? null : 'refused by the scenario', accepted);
      },
    });
    const admit: Parameters<Server['use']>[0] = (socket, next) => {
      const record: ConnectRecord = {
        at: now(),
        namespace: socket.nsp.name,
        auth: { ...(socket.handshake.auth as Record<string, unknown>) },
        accepted: !options.refuseConnects,
        events: [],
      };
      scenario!.connects.push(record);
      const shown = JSON.stringify({
        ...record.auth,
        ...(record.auth.token === undefined ? {} : { token: '<token>' }),
      });
      options.log('received', `CONNECT ${record.namespace} ${shown}`);
      socket.onAny((event: string) => {
        record.events.push({ at: now(), event });
        options.log('received', `EVENT ${record.namespace} ${event}`);
        scenario!.changed();
      });
      scenario!.changed();
      if (!options.refuseConnects) return next();
      const message = 'token refused by the scenario';
      options.log('sent', `CONNECT_ERROR ${record.namespace} authentication_error`);
      next(
        Object.assign(new Error(message), {
          data: {
            type: 'authentication_error',
            message,
            error_code: AUTH_REQUIRED,
            closeCode: CloseCode.UNAUTHORIZED,
          },
        }),
      );
    };
    io.use(admit);
    io.of(/^\/.+/).use(admit);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    scenario = new SocketIoScenario(`http://127.0.0.1:${port}`, io);
    return scenario;
  }

  /** Ends every Engine.IO connection (the client sees its transport close and reconnects). */
  dropAll(): void {
    for (const socket of [...this.engineSockets]) socket.close();
  }

  /** Resolves with the first defined value of `probe` (asked on every change) within `timeoutMs`. */
  waitFor<T>(
    probe: () => T | undefined,
    timeoutMs: number,
    expected: string,
    signal: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const fail = () => {
        finish();
        reject(new WaitTimeoutError(expected, timeoutMs));
      };
      const timer = setTimeout(fail, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal.removeEventListener('abort', fail);
      };
      signal.addEventListener('abort', fail);
      this.waiters.add(check);
      check();
    });
  }

  /** The first defined value of `probe` within `windowMs`, or undefined (observing that nothing happens). */
  async within<T>(probe: () => T | undefined, windowMs: number, signal: AbortSignal): Promise<T | undefined> {
    try {
      return await this.waitFor(probe, windowMs, 'nothing', signal);
    } catch (error) {
      if (error instanceof WaitTimeoutError && !signal.aborted) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.io.close();
  }

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }
}
