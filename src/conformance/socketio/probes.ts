/**
 * What a check is given to speak to the Socket.IO binding (`ctx.socketIo`): raw Engine.IO connections for
 * the rules about the wire, socket.io-client Managers for the rules about behaviour. Every connection
 * goes to the target the preflight found speaking Engine.IO (`ctx.target`: its path prefix, TLS trust and
 * headers), shares the check's transcript and deadline, has every event it receives validated (SIO-011),
 * and is closed when the check ends. Whether the server speaks Socket.IO at all is the preflight's
 * finding: checks of the binding run only when it does.
 */
import http from 'node:http';
import https from 'node:https';
import { SOCKETIO_PATH, namespaceSpec } from '../../protocol/socketio.js';
import { SocketIoSchemas } from '../../protocol/socketio-schemas.js';
import { CheckFailure } from '../check-failure.js';
import type { EnvelopeViolation } from '../envelope-validator.js';
import { CONNECT_TIMEOUT_MS } from '../probe.js';
import { urlUnderTarget } from '../probe-request.js';
import { httpUrlOf } from '../reachability.js';
import { truncate, type Transcript } from '../transcript.js';
import type { TargetInfo, TargetTransport } from '../types.js';
import { ClientManager } from './client-connection.js';
import { decodeEnginePacket, EngineType, POLLING_SEPARATOR, type EnginePacket } from './packets.js';
import type { SocketIoProbeEnvironment } from './probe-environment.js';
import { RawEngineConnection, type RawConnectOptions } from './raw-connection.js';

const SNIPPET_CHARS = 200;
/** An open packet is a few hundred bytes; a polling answer is cut beyond this. */
const MAX_POLLING_BODY_CHARS = 64 * 1024;

export interface PollingAnswer {
  status: number;
  packets: EnginePacket[];
}

export interface SocketIoContext {
  /** The answer to an Engine.IO handshake with the polling transport (the session is closed again). */
  pollingHandshake(): Promise<PollingAnswer>;
  /** A raw Engine.IO connection (websocket transport), once its open packet has arrived. */
  raw(options?: RawConnectOptions): Promise<{ conn: RawEngineConnection; open: Record<string, unknown> }>;
  /**
   * A socket.io-client Manager: one Engine.IO connection on which the check opens namespaces. In cluster
   * mode, `instance` picks the instance it connects to, by the order of the run's URLs (default the first).
   */
  manager(options?: { instance?: number }): Promise<ClientManager>;
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
  readonly origin: string;
  readonly path: string;
  readonly transport: TargetTransport;
  private readonly engineBase: URL;
  private served: Promise<PollingAnswer> | undefined;
  private readonly disposers: Array<() => void> = [];

  constructor(
    private readonly hooks: SocketIoCheckHooks,
    target: TargetInfo,
    /** Cluster mode: the ws:// URL of every instance, the target's first. */
    private readonly instanceUrls: readonly string[] = [],
  ) {
    this.engineBase = urlUnderTarget(target.httpUrl, SOCKETIO_PATH);
    this.origin = this.engineBase.origin;
    this.path = this.engineBase.pathname;
    this.transport = target.transport;
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
    const url = new URL(this.engineBase);
    if (transport === 'websocket') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('EIO', '4');
    url.searchParams.set('transport', transport);
    return url.toString();
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
    const conn = new RawEngineConnection(this, options);
    this.disposers.push(() => conn.dispose());
    return { conn, open: await conn.opened };
  }

  async manager(options: { instance?: number } = {}): Promise<ClientManager> {
    const instance = options.instance ?? 0;
    let at: { origin: string; path: string } | undefined;
    if (instance > 0) {
      const url = this.instanceUrls[instance];
      if (url === undefined) {
        throw new Error(
          `there is no instance ${instance + 1} among ${Math.max(1, this.instanceUrls.length)}`,
        );
      }
      const base = urlUnderTarget(httpUrlOf(new URL(url)).toString(), SOCKETIO_PATH);
      at = { origin: base.origin, path: base.pathname };
    }
    const manager = new ClientManager(this, at);
    this.disposers.push(() => manager.dispose());
    return manager;
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private async poll(): Promise<PollingAnswer> {
    const url = this.engineUrl('polling');
    const connection = this.nextConnectionNumber();
    this.transcript.add(connection, 'sent', 'http', `GET ${url}`);
    const timeoutMs = CONNECT_TIMEOUT_MS * this.timeoutScale;
    let answer: { status: number; body: string };
    try {
      answer = await this.request(url, 'GET', undefined, timeoutMs);
    } catch (error) {
      const reason = (error as Error).message;
      this.transcript.add(connection, 'event', 'error', reason);
      throw new CheckFailure(`expected an answer to GET ${url}, got: ${reason}`);
    }
    const { status, body } = answer;
    this.transcript.add(connection, 'received', 'http', `${status} ${body}`);
    const packets = status === 200 ? body.split(POLLING_SEPARATOR).map(decodeEnginePacket) : [];
    const open = packets.find((p) => p.kind === 'open');
    const sid = open?.kind === 'open' ? (open.data as { sid?: unknown }).sid : undefined;
    // Ends the Engine.IO session at once rather than leaving it to time out on the server.
    if (typeof sid === 'string') {
      await this.request(`${url}&sid=${encodeURIComponent(sid)}`, 'POST', EngineType.CLOSE, timeoutMs).catch(
        () => undefined,
      );
    }
    return { status, packets };
  }

  /** One HTTP(S) request with the run's headers and TLS trust; rejects on an error or after `timeoutMs`. */
  private request(
    url: string,
    method: 'GET' | 'POST',
    body: string | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; body: string }> {
    const client = url.startsWith('https:') ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(url, {
        method,
        headers: {
          ...this.transport.headers,
          ...(body !== undefined ? { 'content-type': 'text/plain' } : {}),
        },
        ...(this.transport.ca !== undefined ? { ca: this.transport.ca } : {}),
        rejectUnauthorized: !this.transport.insecure,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.signal]),
      });
      request.once('error', (error) =>
        reject(
          error.name === 'AbortError' ? new Error(`no answer within ${Math.round(timeoutMs)} ms`) : error,
        ),
      );
      request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_POLLING_BODY_CHARS) text += chunk;
        });
        response.once('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.once('error', reject);
      });
      request.end(body);
    });
  }
}
