/**
 * A WebSocket server that speaks just enough of the protocol to put a client through reconnect scenarios
 * (CR-001..CR-010): each connection follows one step of a script (send `connection_established` or not,
 * answer a resume, send data, then drop, close with a code, or stay), and every connection attempt and
 * every client message is recorded with its time so that checks can judge the client's behaviour.
 *
 * One server hosts many scenarios at once, each under its own path prefix (`/scenario/CR-004/4403`); the
 * client appends the endpoint path to the scenario URL (`…/scenario/CR-001/ws/market_data`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BEARER_SUBPROTOCOL_PREFIX, CAMPAIGN_SUBPROTOCOL, SUBPROTOCOL } from '../../protocol/constants.js';
import { endpointForPath, type EndpointName, type EndpointSpec } from '../../protocol/endpoints.js';
import { DEFAULT_TIMERS } from '../discovery.js';
import type { AdvertisedTimers } from '../types.js';
import {
  ERROR_BEFORE_CLOSE,
  SUBSCRIPTION_TYPES,
  ackMessage,
  connectionEstablished,
  dataMessage,
  errorBeforeClose,
  pongMessage,
  resumeFailedMessage,
  resumedMessage,
  type ScriptedError,
} from './scripted-messages.js';

/** How a scripted connection ends once its step has run. */
export type ConnectionEnd =
  | { kind: 'stay' }
  /** TCP end without a close frame, as a network failure looks to the client (1006). */
  | { kind: 'drop' }
  /** A close frame with `code`; a 4xxx code is preceded by its error message (CL-001). */
  | { kind: 'close'; code: number; reason?: string; error?: ScriptedError };

/** What the server does on one connection attempt. */
export interface ConnectionStep {
  /** Answer the upgrade request with this HTTP status instead of accepting it. */
  refuseStatus?: number;
  /** Send `connection_established` (default true); false ends the connection before it: a failed attempt. */
  establish?: boolean;
  /** Answer to a resume of a known session (default `resumed`); unknown sessions always get `resume_failed`. */
  resume?: 'resumed' | 'resume_failed';
  /** Data messages (with `seq`) to send once established, after any replay. */
  dataMessages?: number;
  /** Wait up to this long for the client's first subscription message before going on. */
  awaitSubscriptionMs?: number;
  /** Keep the connection this long before `end`. */
  holdMs?: number;
  end: ConnectionEnd;
}

/** A text frame the client sent. `at` is ms since the scenario's clock start. */
export interface ClientMessageRecord {
  at: number;
  text: string;
  json: Record<string, unknown> | undefined;
  /** `type`, or the legacy market `action`. */
  type: string | undefined;
}

/** One connection attempt as the server saw it. Times are ms since the scenario's clock start. */
export interface ConnectionRecord {
  index: number;
  at: number;
  path: string;
  endpoint: EndpointName | undefined;
  query: Readonly<Record<string, string>>;
  protocols: readonly string[];
  /** The token presented in the query, the Authorization header or a `bearer.` subprotocol entry. */
  token: string | undefined;
  refusedStatus?: number;
  sessionId?: string;
  resumed?: boolean;
  establishedAt?: number;
  /** Highest `seq` sent on this connection (replayed or new); 0 when none. */
  lastSentSeq: number;
  /** When the connection stopped being live: the server ended it, the client closed it, or TCP went away. */
  endedAt?: number;
  endedBy?: 'server' | 'client' | 'network';
  /** The close code of the closing handshake (1006 when there was none). */
  closeCode?: number;
  messages: ClientMessageRecord[];
}

/** Two live connections of one client to one endpoint at the same time (CR-010). */
export interface ConnectionOverlap {
  at: number;
  path: string;
  live: number;
  indexes: number[];
}

export type TranscriptSink = (
  index: number,
  direction: 'sent' | 'received' | 'event',
  kind: string,
  data: string,
) => void;

export interface ScenarioOptions {
  /** Path segment(s) after `/scenario/`, e.g. `CR-004/4403`. */
  name: string;
  /** Step per connection attempt, by index (0 = the client's first connection). */
  steps: readonly ConnectionStep[];
  /** Step for attempts beyond the list (default: establish and stay). */
  fallback?: ConnectionStep;
  /** `performance.now()` value that record times are relative to. */
  clockStart: number;
  log?: TranscriptSink;
}

export interface WaitDeadline {
  timeoutMs: number;
  /** What is awaited, for the timeout message ("expected attempt 2"). */
  expected: string;
  signal?: AbortSignal;
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly expected: string,
    readonly timeoutMs: number,
  ) {
    super(`expected ${expected}, got: nothing within ${Math.round(timeoutMs)} ms`);
    this.name = 'WaitTimeoutError';
  }
}

/** A dropped socket is destroyed after this long if the client never ends its side. */
const DROP_LINGER_MS = 2_000;
const ESTABLISH_AND_STAY: ConnectionStep = { end: { kind: 'stay' } };

interface SessionState {
  id: string;
  seq: number;
  log: Record<string, unknown>[];
}

interface LiveConnection {
  ws: WebSocket;
  socket: Duplex;
  record: ConnectionRecord;
}

function statusLine(status: number): string {
  const text: Record<number, string> = {
    404: 'Not Found',
    503: 'Service Unavailable',
    500: 'Internal Server Error',
  };
  return `HTTP/1.1 ${status} ${text[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

function tokenOf(
  req: IncomingMessage,
  query: Record<string, string>,
  protocols: readonly string[],
): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  const entry = protocols.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (entry) return Buffer.from(entry.slice(BEARER_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
  return query.token;
}

function parseClientMessage(at: number, text: string): ClientMessageRecord {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const json = parsed as Record<string, unknown>;
      const type =
        typeof json.type === 'string' ? json.type : typeof json.action === 'string' ? json.action : undefined;
      return { at, text, json, type };
    }
  } catch {
    // Not JSON: the campaign endpoint's bare `ping`/`pong` text frames.
  }
  return { at, text, json: undefined, type: undefined };
}

/** Is this client message a subscription or room membership (CR-007)? */
export function isSubscription(message: ClientMessageRecord): boolean {
  return message.type !== undefined && SUBSCRIPTION_TYPES.has(message.type);
}

/** The scripted endpoints of one scenario: its recorded attempts, live connections and sessions. */
export class ScriptedScenario {
  readonly attempts: ConnectionRecord[] = [];
  readonly overlaps: ConnectionOverlap[] = [];
  private readonly sessions = new Map<string, SessionState>();
  private readonly live = new Map<number, LiveConnection>();
  private readonly listeners = new Set<() => void>();
  private closed = false;
  private maxLiveCount = 0;

  constructor(
    readonly url: string,
    private readonly options: ScenarioOptions,
    private readonly timers: AdvertisedTimers,
  ) {}

  /** Most connections of this scenario live on one endpoint path at once (CR-010). */
  get maxLive(): number {
    return this.maxLiveCount;
  }

  private now(): number {
    return performance.now() - this.options.clockStart;
  }

  private log(index: number, direction: 'sent' | 'received' | 'event', kind: string, data: string): void {
    this.options.log?.(index, direction, kind, data);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first defined value of `probe`, re-evaluated on every recorded change. */
  waitFor<T>(probe: () => T | undefined, deadline: WaitDeadline): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        deadline.signal?.removeEventListener('abort', onAbort);
      };
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const onAbort = (): void => {
        cleanup();
        reject(new WaitTimeoutError(deadline.expected, deadline.timeoutMs));
      };
      const timer = setTimeout(onAbort, deadline.timeoutMs);
      if (deadline.signal?.aborted) return onAbort();
      deadline.signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(check);
      check();
    });
  }

  /** Like `waitFor`, but a deadline passing is an answer (undefined), not an error. */
  async within<T>(probe: () => T | undefined, deadline: WaitDeadline): Promise<T | undefined> {
    try {
      return await this.waitFor(probe, deadline);
    } catch (error) {
      if (error instanceof WaitTimeoutError) return undefined;
      throw error;
    }
  }

  /** Handles an upgrade request routed to this scenario; `endpointPath` is the path after the prefix. */
  accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    endpointPath: string,
    wss: WebSocketServer,
  ): void {
    const url = new URL(req.url ?? '/', 'http://scripted.invalid');
    const query = Object.fromEntries(url.searchParams);
    const protocols = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const spec = endpointForPath(endpointPath);
    const record: ConnectionRecord = {
      index: this.attempts.length,
      at: this.now(),
      path: endpointPath,
      endpoint: spec?.name,
      query,
      protocols,
      token: tokenOf(req, query, protocols),
      lastSentSeq: 0,
      messages: [],
    };
    this.attempts.push(record);
    this.log(
      record.index,
      'event',
      'http',
      `GET ${url.pathname}${url.search} protocols=[${protocols.join(', ')}]`,
    );
    socket.on('error', () => undefined);
    const step = this.options.steps[record.index] ?? this.options.fallback ?? ESTABLISH_AND_STAY;
    const refuseStatus = this.closed ? 503 : spec ? step.refuseStatus : 404;
    if (refuseStatus !== undefined) {
      record.refusedStatus = refuseStatus;
      record.endedAt = this.now();
      record.endedBy = 'server';
      if (!spec) this.log(record.index, 'event', 'note', `no endpoint at ${endpointPath}`);
      this.log(record.index, 'event', 'http', `answered ${refuseStatus}, no upgrade`);
      socket.end(statusLine(refuseStatus));
      this.notify();
      return;
    }
    this.notify();
    wss.handleUpgrade(req, socket, head, (ws) => {
      this.track(ws, socket, record);
      void this.run(ws, socket, record, step, spec as EndpointSpec).catch(() => undefined);
    });
  }

  private track(ws: WebSocket, socket: Duplex, record: ConnectionRecord): void {
    this.live.set(record.index, { ws, socket, record });
    const sameEndpoint = [...this.live.values()].filter((c) => c.record.path === record.path);
    this.maxLiveCount = Math.max(this.maxLiveCount, sameEndpoint.length);
    if (sameEndpoint.length > 1) {
      this.overlaps.push({
        at: record.at,
        path: record.path,
        live: sameEndpoint.length,
        indexes: sameEndpoint.map((c) => c.record.index),
      });
      this.log(record.index, 'event', 'note', `${sameEndpoint.length} connections live on ${record.path}`);
    }
    this.log(record.index, 'event', 'open', `subprotocol '${ws.protocol}'`);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(ws, record, data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => {
      record.closeCode = code;
      this.log(record.index, 'event', 'close', `${code} ${reason.toString('utf8')}`.trim());
      this.markEnded(record, code === 1006 ? 'network' : 'client');
      this.live.delete(record.index);
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  private markEnded(record: ConnectionRecord, by: 'server' | 'client' | 'network'): void {
    if (record.endedAt !== undefined) return;
    record.endedAt = this.now();
    record.endedBy = by;
    this.live.delete(record.index);
    this.notify();
  }

  private onMessage(ws: WebSocket, record: ConnectionRecord, data: RawData, isBinary: boolean): void {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    this.log(record.index, 'received', isBinary ? 'binary' : 'text', text);
    const message = parseClientMessage(this.now(), text);
    record.messages.push(message);
    this.notify();
    if (record.endedAt !== undefined) return;
    if (text === 'ping') void this.send(ws, record, 'pong');
    else if (message.type === 'ping') void this.send(ws, record, pongMessage(message.json?.id));
    else if (message.json?.id !== undefined) void this.send(ws, record, ackMessage(message.json.id));
  }

  /** Sends a frame; resolves once it is handed to the socket (so a following drop cannot lose it). */
  private send(
    ws: WebSocket,
    record: ConnectionRecord,
    message: Record<string, unknown> | string,
  ): Promise<void> {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (record.endedAt !== undefined) return Promise.resolve();
    this.log(record.index, 'sent', 'text', text);
    return new Promise((resolve) => ws.send(text, () => resolve()));
  }

  private async run(
    ws: WebSocket,
    socket: Duplex,
    record: ConnectionRecord,
    step: ConnectionStep,
    spec: EndpointSpec,
  ): Promise<void> {
    if (step.establish !== false) {
      const session = await this.establish(ws, record, step, spec);
      const scopeId =
        Number(record.query.campaignId ?? record.query.conversationId ?? record.query.projectId) || 1;
      for (let i = 0; i < (step.dataMessages ?? 0); i += 1) {
        session.seq += 1;
        const message = dataMessage(spec, session.seq, scopeId);
        session.log.push(message);
        record.lastSentSeq = session.seq;
        await this.send(ws, record, message);
      }
      if (step.awaitSubscriptionMs !== undefined) {
        await this.within(
          () => (record.endedAt !== undefined || record.messages.some(isSubscription) ? true : undefined),
          { timeoutMs: step.awaitSubscriptionMs, expected: 'a subscription' },
        );
      }
    }
    if (step.holdMs !== undefined) {
      await this.within(() => (record.endedAt !== undefined ? true : undefined), {
        timeoutMs: step.holdMs,
        expected: 'the hold to pass',
      });
    }
    if (record.endedAt !== undefined || this.closed) return;
    await this.end(ws, socket, record, step.end);
  }

  private async establish(
    ws: WebSocket,
    record: ConnectionRecord,
    step: ConnectionStep,
    spec: EndpointSpec,
  ): Promise<SessionState> {
    const resumeId = record.query.resume;
    const known = resumeId === undefined ? undefined : this.sessions.get(resumeId);
    const lastSeqText = record.query.lastSeq;
    const lastSeq =
      lastSeqText !== undefined && /^[0-9]+$/.test(lastSeqText) ? Number(lastSeqText) : undefined;
    let failure: string | undefined;
    if (resumeId !== undefined) {
      if (!known) failure = 'unknown_session';
      else if (lastSeq === undefined) failure = 'invalid_request';
      else if (lastSeq > known.seq) failure = 'seq_ahead';
      else if (step.resume === 'resume_failed') failure = 'window_expired';
    }
    if (known && resumeId !== undefined && failure === undefined && lastSeq !== undefined) {
      record.sessionId = known.id;
      record.resumed = true;
      await this.send(ws, record, connectionEstablished(spec, known.id, this.timers, true));
      record.establishedAt = this.now();
      this.notify();
      const missed = known.log.filter((m) => (m.seq as number) > lastSeq);
      for (const message of missed) await this.send(ws, record, message);
      record.lastSentSeq = known.seq;
      await this.send(ws, record, resumedMessage(known.id, missed.length, known.seq));
      return known;
    }
    const session: SessionState = { id: randomUUID(), seq: 0, log: [] };
    this.sessions.set(session.id, session);
    record.sessionId = session.id;
    record.resumed = false;
    await this.send(ws, record, connectionEstablished(spec, session.id, this.timers, false));
    record.establishedAt = this.now();
    this.notify();
    if (failure !== undefined) await this.send(ws, record, resumeFailedMessage(failure, session.id));
    return session;
  }

  private async end(
    ws: WebSocket,
    socket: Duplex,
    record: ConnectionRecord,
    end: ConnectionEnd,
  ): Promise<void> {
    if (end.kind === 'stay') return;
    if (end.kind === 'drop') {
      this.log(record.index, 'event', 'note', 'server drops the TCP connection without a close frame');
      this.markEnded(record, 'server');
      socket.end();
      setTimeout(() => socket.destroy(), DROP_LINGER_MS).unref();
      return;
    }
    const error = end.error ?? ERROR_BEFORE_CLOSE[end.code];
    if (error) await this.send(ws, record, errorBeforeClose(end.code, error));
    this.log(record.index, 'sent', 'close', `${end.code} ${end.reason ?? ''}`.trim());
    this.markEnded(record, 'server');
    ws.close(end.code, end.reason);
  }

  /** Ends every live connection of the scenario; later attempts get HTTP 503. */
  shutdown(): void {
    this.closed = true;
    for (const { ws, record } of this.live.values()) {
      this.markEnded(record, 'server');
      ws.terminate();
    }
    this.live.clear();
    this.listeners.clear();
  }
}

export interface ScriptedServerOptions {
  /** Default 127.0.0.1 (loopback). */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Timers advertised in `connection_established`; protocol defaults otherwise. */
  timers?: Partial<AdvertisedTimers>;
}

/** The protocol defaults, advertised with optional auth (a client under test need not present a token). */
export const DEFAULT_SCRIPTED_TIMERS: AdvertisedTimers = { ...DEFAULT_TIMERS, authMode: 'optional' };

const SCENARIO_PREFIX = '/scenario/';

/** The HTTP server hosting every scenario of a run. */
export class ScriptedServer {
  private readonly scenarios = new Map<string, ScriptedScenario>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly host: string,
    readonly port: number,
    private readonly timers: AdvertisedTimers,
  ) {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.route(req, socket, head));
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const host = options.host ?? '127.0.0.1';
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
    });
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered: Set<string>, req: IncomingMessage) => {
        if (offered.has(SUBPROTOCOL)) return SUBPROTOCOL;
        const path = new URL(req.url ?? '/', 'http://scripted.invalid').pathname;
        if (offered.has(CAMPAIGN_SUBPROTOCOL) && path.includes('/ws/campaigns')) return CAMPAIGN_SUBPROTOCOL;
        return false;
      },
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => resolve());
    });
    const port = (http.address() as AddressInfo).port;
    return new ScriptedServer(http, wss, host, port, { ...DEFAULT_SCRIPTED_TIMERS, ...options.timers });
  }

  /** Base URL of the server, e.g. `ws://127.0.0.1:4000`. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `ws://${host}:${this.port}`;
  }

  /** Serves a new scenario at `<url>/scenario/<name>`. */
  open(options: ScenarioOptions): ScriptedScenario {
    if (this.scenarios.has(options.name)) throw new Error(`scenario ${options.name} is already served`);
    const scenario = new ScriptedScenario(
      `${this.url}${SCENARIO_PREFIX}${options.name}`,
      options,
      this.timers,
    );
    this.scenarios.set(options.name, scenario);
    return scenario;
  }

  /** Stops serving a scenario and ends its connections. */
  retire(scenario: ScriptedScenario): void {
    scenario.shutdown();
    for (const [name, s] of this.scenarios) if (s === scenario) this.scenarios.delete(name);
  }

  private route(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://scripted.invalid').pathname;
    let best: [string, ScriptedScenario] | undefined;
    for (const [name, scenario] of this.scenarios) {
      const prefix = `${SCENARIO_PREFIX}${name}`;
      if (
        (pathname === prefix || pathname.startsWith(`${prefix}/`)) &&
        (!best || name.length > best[0].length)
      ) {
        best = [name, scenario];
      }
    }
    if (!best) {
      socket.on('error', () => undefined);
      socket.end(statusLine(404));
      return;
    }
    const endpointPath = pathname.slice(`${SCENARIO_PREFIX}${best[0]}`.length) || '/';
    best[1].accept(req, socket, head, endpointPath, this.wss);
  }

  async close(): Promise<void> {
    for (const scenario of this.scenarios.values()) scenario.shutdown();
    this.scenarios.clear();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}
