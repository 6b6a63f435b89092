/**
 * What a check is given to speak to the Socket.IO binding (`ctx.socketIo`): raw Engine.IO connections for
 * the rules about the wire, socket.io-client Managers for the rules about behaviour. Every connection
 * shares the check's transcript and deadline, every event received is validated (SIO-011), and everything
 * is closed when the check ends. A server without the binding (HTTP 404 at `/socket.io/`) skips the check.
 */
import { SOCKETIO_PATH, namespaceSpec } from '../../protocol/socketio.js';
import { SocketIoSchemas } from '../../protocol/socketio-schemas.js';
import { CheckFailure, CheckSkipped } from '../check-failure.js';
import type { EnvelopeViolation } from '../envelope-validator.js';
import { CONNECT_TIMEOUT_MS } from '../probe.js';
import { truncate, type Transcript } from '../transcript.js';
import { ClientManager } from './client-connection.js';
import { decodeEnginePacket, EngineType, POLLING_SEPARATOR, type EnginePacket } from './packets.js';
import type { SocketIoProbeEnvironment } from './probe-environment.js';
import { RawEngineConnection, type RawConnectOptions } from './raw-connection.js';

const HTTP_NOT_FOUND = 404;
const SNIPPET_CHARS = 200;

export interface PollingAnswer {
  status: number;
  packets: EnginePacket[];
}

export interface SocketIoContext {
  /** The answer to an Engine.IO handshake with the polling transport (the session is closed again). */
  pollingHandshake(): Promise<PollingAnswer>;
  /** A raw Engine.IO connection (websocket transport), once its open packet has arrived. */
  raw(options?: RawConnectOptions): Promise<{ conn: RawEngineConnection; open: Record<string, unknown> }>;
  /** A socket.io-client Manager: one Engine.IO connection on which the check opens namespaces. */
  manager(): Promise<ClientManager>;
}

/** What the probes need from the check context. */
export interface SocketIoCheckHooks {
  readonly transcript: Transcript;
  readonly timeoutScale: number;
  readonly signal: AbortSignal;
  nextConnectionNumber(): number;
  now(): number;
  /** Records an SIO-011 violation (the check and iteration are filled in). */
  record(violation: Omit<EnvelopeViolation, 'checkId' | 'iteration'>): void;
}

export class SocketIoProbes implements SocketIoContext, SocketIoProbeEnvironment {
  readonly baseUrl: string;
  readonly path = SOCKETIO_PATH;
  private served: Promise<PollingAnswer> | undefined;
  private readonly disposers: Array<() => void> = [];

  constructor(
    private readonly hooks: SocketIoCheckHooks,
    targetUrl: string,
  ) {
    const url = new URL(targetUrl);
    const secure = url.protocol === 'wss:' || url.protocol === 'https:';
    this.baseUrl = `${secure ? 'https' : 'http'}://${url.host}`;
  }

  get transcript(): Transcript {
    return this.hooks.transcript;
  }

  get timeoutScale(): number {
    return this.hooks.timeoutScale;
  }

  get signal(): AbortSignal {
    return this.hooks.signal;
  }

  nextConnectionNumber(): number {
    return this.hooks.nextConnectionNumber();
  }

  now(): number {
    return this.hooks.now();
  }

  engineUrl(transport: 'polling' | 'websocket'): string {
    const base = transport === 'websocket' ? this.baseUrl.replace(/^http/, 'ws') : this.baseUrl;
    return `${base}${this.path}?EIO=4&transport=${transport}`;
  }

  inspectEvent(namespace: string, event: string, args: readonly unknown[]): void {
    const spec = namespaceSpec(namespace);
    const snippet = truncate(JSON.stringify([event, ...args]), SNIPPET_CHARS);
    if (!spec) {
      this.hooks.record({
        requirement: 'SIO-011',
        endpoint: namespace,
        type: event,
        path: '/',
        message: `event on namespace ${namespace}, which the binding does not define`,
        snippet,
      });
      return;
    }
    const result = SocketIoSchemas.shared().validateServerEvent(spec, event, args[0]);
    if (result.ok) return;
    for (const issue of result.issues) {
      this.hooks.record({
        requirement: 'SIO-011',
        endpoint: namespace,
        type: event,
        path: issue.path,
        message: issue.message,
        snippet,
      });
    }
  }

  pollingHandshake(): Promise<PollingAnswer> {
    this.served ??= this.poll();
    return this.served;
  }

  async raw(
    options: RawConnectOptions = {},
  ): Promise<{ conn: RawEngineConnection; open: Record<string, unknown> }> {
    await this.requireBinding();
    const conn = new RawEngineConnection(this, options);
    this.disposers.push(() => conn.dispose());
    return { conn, open: await conn.opened };
  }

  async manager(): Promise<ClientManager> {
    await this.requireBinding();
    const manager = new ClientManager(this);
    this.disposers.push(() => manager.dispose());
    return manager;
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  /** Skips the check when the server has no Socket.IO binding. */
  private async requireBinding(): Promise<void> {
    const { status } = await this.pollingHandshake();
    if (status === HTTP_NOT_FOUND) {
      throw new CheckSkipped(`the server does not serve the Socket.IO binding (HTTP 404 at ${this.path})`);
    }
  }

  private async poll(): Promise<PollingAnswer> {
    const url = this.engineUrl('polling');
    const connection = this.nextConnectionNumber();
    this.transcript.add(connection, 'sent', 'http', `GET ${url}`);
    const timeout = AbortSignal.timeout(CONNECT_TIMEOUT_MS * this.timeoutScale);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.any([timeout, this.signal]) });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? 'no answer in time' : (error as Error).message;
      this.transcript.add(connection, 'event', 'error', reason);
      throw new CheckFailure(`expected an answer to GET ${url}, got: ${reason}`);
    }
    const body = await response.text();
    this.transcript.add(connection, 'received', 'http', `${response.status} ${body}`);
    const packets = response.ok ? body.split(POLLING_SEPARATOR).map(decodeEnginePacket) : [];
    const open = packets.find((p) => p.kind === 'open');
    const sid = open?.kind === 'open' ? (open.data as { sid?: unknown }).sid : undefined;
    // Ends the Engine.IO session at once rather than leaving it to time out on the server.
    if (typeof sid === 'string') {
      const closeUrl = `${url}&sid=${encodeURIComponent(sid)}`;
      await fetch(closeUrl, { method: 'POST', body: EngineType.CLOSE, signal: timeout }).then(
        (answer) => answer.body?.cancel(),
        () => undefined,
      );
    }
    return { status: response.status, packets };
  }
}
