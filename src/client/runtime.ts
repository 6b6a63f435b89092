/**
 * The client runtime that every generated endpoint client wraps: one connection per client (CR-010),
 * typed messages, requests answered by `ack`/`error`, application pings, dead-server detection,
 * reconnect with backoff (CR-001…CR-009) and loss-free resume. It runs unchanged in browsers (native
 * WebSocket) and on Node (pass the `ws` package's WebSocket): it imports nothing from Node.
 */
import {
  BEARER_SUBPROTOCOL_PREFIX,
  CloseCode,
  Defaults,
  RECONNECT_DELAYS_MS,
  RECONNECT_MAX_ATTEMPTS,
  SUBPROTOCOL,
} from '../protocol/constants.js';
import { closeAllowsReconnect, reconnectDelayMs } from './backoff.js';
import { Emitter } from './emitter.js';
import {
  ConnectionClosedError,
  MessageTimeoutError,
  MessageValidationError,
  RequestError,
  RequestTimeoutError,
} from './errors.js';
import { clientMessageType, SubscriptionBook, type SubscriptionRule } from './subscriptions.js';

/** Any WebSocket class with the standard constructor: the browser's, Node's global one, or `ws`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => object;

/** Checks a message against the schema of its endpoint and type (e.g. `SchemaRegistry` or a generated validator). */
export interface MessageValidator {
  validate(
    endpoint: string,
    direction: 'client' | 'server',
    message: unknown,
  ): { ok: true } | { ok: false; issues: { path: string; message: string }[] };
}

/** What a generated client tells the runtime about its endpoint. */
export interface EndpointDescriptor {
  /** Endpoint name as in `connection_established.endpoint`, e.g. `campaigns`. */
  name: string;
  /** Request path, e.g. `/ws/campaigns`. */
  path: string;
  /** Which requests are subscriptions, re-sent after a fresh session (CR-007). */
  subscriptions?: readonly SubscriptionRule[];
}

/** Query parameter values; `undefined` entries are left out of the URL. */
export type QueryValues = Record<string, string | number | boolean | undefined>;

export interface ClientOptions {
  /** Server base URL, e.g. `ws://localhost:3000`; the endpoint path is appended (after any base path). */
  url: string;
  /** Scope parameters of the endpoint (e.g. `campaignId`, `userId`). */
  query?: QueryValues;
  /** JWT; see `tokenTransport`. */
  token?: string;
  /**
   * How the token travels: `subprotocol` (default) offers `bearer.<base64url token>`, which stays out of
   * URLs and logs; `query` adds `?token=`. Browsers cannot set an Authorization header.
   */
  tokenTransport?: 'subprotocol' | 'query';
  /** Subprotocols offered besides the token entry. Default `['tidewire.v1']`. */
  protocols?: readonly string[];
  /** WebSocket class; default `globalThis.WebSocket` (browsers, Node ≥ 22). On older Node pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after an abnormal close. Default true. */
  reconnect?: boolean;
  /** Consecutive reconnect attempts before `reconnect_failed` (CR-002). Default 5. */
  maxAttempts?: number;
  /** Nominal reconnect delays (CR-001). Default 2 s, 4 s, 8 s, 16 s, 30 s. */
  delaysMs?: readonly number[];
  /** Multiplies every nominal delay; tests use a small value. Default 1. */
  delayScale?: number;
  /** Randomness for the jitter factor; injectable for tests. Default `Math.random`. */
  random?: () => number;
  /** Deadline of `request()` and `nextMessage()`. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Validator used by `send`/`request` in validating mode. */
  validator?: MessageValidator;
  /** Refuse messages that violate their schema (development builds). Default: true when a validator is given. */
  validate?: boolean;
  /** Clock, injectable for tests of the resume window. Default `Date.now`. */
  now?: () => number;
}

/** Lifecycle events of a client (messages are observed with `on`). */
export interface ClientEvents {
  /** The WebSocket opened; `protocol` is the subprotocol the server selected. */
  open: { url: string; protocol: string };
  /** `connection_established` arrived; `resumed` tells whether the previous session continues. */
  established: { sessionId: string | undefined; resumed: boolean; message: Record<string, unknown> };
  /** A reconnect attempt is scheduled. */
  reconnecting: { attempt: number; delayMs: number; closeCode: number };
  /** The server replayed what was missed and the session continues. */
  resumed: { sessionId: string | undefined; replayed: number };
  /** The session could not be resumed; a fresh one started and subscriptions were re-sent. */
  resume_failed: { reason: string; sessionId: string | undefined };
  /** `maxAttempts` reconnect attempts failed; the client stopped. */
  reconnect_failed: { attempts: number };
  /** The connection closed; `willReconnect` tells whether an attempt follows. */
  close: { code: number; reason: string; willReconnect: boolean };
  /** Something went wrong that did not end the client (bad frame, socket error, throwing handler). */
  error: Error;
}

/** The state of a client's single connection. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

/** The `ack` message a request resolves with, when the endpoint's union does not define one. */
export interface GenericAck {
  type: 'ack';
  id: string | number;
  ok: true;
  timestamp?: string;
  data?: unknown;
}

/** The `ack` member of a server message union (or GenericAck when the union has none). */
export type AckOf<S> = [Extract<S, { type: 'ack' }>] extends [never]
  ? GenericAck
  : Extract<S, { type: 'ack' }>;
type RequestId = string | number;

interface PendingRequest {
  id: RequestId;
  text: string;
  resolve: (ack: never) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Connection generation the request was last written to; -1 while it waits in the outbox. */
  sentGeneration: number;
}

interface OutboxEntry {
  text: string;
  requestKey?: string;
}

/** The part of a WebSocket the runtime uses (browsers and `ws` both provide it). */
interface SocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const SOCKET_OPEN = 1;
/** Close code reported when the socket ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const PREVIEW_CHARS = 80;
const ignore = (): void => undefined;

/** Milliseconds from a monotonic clock where there is one (browsers, Node), else from `Date.now`. */
const monotonicNow: () => number =
  typeof globalThis.performance?.now === 'function'
    ? globalThis.performance.now.bind(globalThis.performance)
    : Date.now;

/**
 * A client of one endpoint. `S` is the union of server→client messages, `C` of client→server messages;
 * generated clients fix both.
 */
export class TidewireClient<S extends { type: string }, C extends object> {
  private readonly settings: Required<
    Omit<ClientOptions, 'query' | 'token' | 'validator' | 'WebSocket' | 'validate'>
  > & { validate: boolean };
  private readonly query: QueryValues;
  private readonly validator: MessageValidator | undefined;
  private readonly WebSocketClass: WebSocketConstructor | undefined;
  private token: string | undefined;

  private socket: SocketLike | undefined;
  private generation = 0;
  private currentState: ClientState = 'idle';
  private attempts = 0;
  private currentSessionId: string | undefined;
  private currentLastSeq = 0;
  private resumingSessionId: string | undefined;
  private awaitingResumeOutcome = false;
  private awaitingToken = false;
  /** Generation of the connection that last received `connection_established`; -1 before the first. */
  private establishedGeneration = -1;
  private droppedAt: number | undefined;
  private retryAfterMs: number | undefined;
  private lastServerError: string | undefined;
  private resumeWindowMs: number = Defaults.resumeWindowMs;
  private livenessMs: number = Defaults.heartbeatIntervalMs + Defaults.heartbeatTimeoutMs;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private livenessTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last frame (or the open) arrived, on `monotonicNow`'s clock: the liveness timer reads it. */
  private lastReceivedAt = 0;
  private requestCounter = 0;
  private readonly pending = new Map<string, PendingRequest>();
  private outbox: OutboxEntry[] = [];
  private connectWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private readonly subscriptions: SubscriptionBook;
  private readonly messages = new Emitter<Record<string, unknown>>();
  private readonly events = new Emitter<ClientEvents>();

  constructor(
    readonly endpoint: EndpointDescriptor,
    options: ClientOptions,
  ) {
    if (typeof options?.url !== 'string' || options.url === '') {
      throw new TypeError(`${endpoint.name}: the "url" option is required, e.g. ws://localhost:3000`);
    }
    try {
      const parsed = new URL(options.url);
      if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) throw new Error(parsed.protocol);
    } catch {
      throw new TypeError(
        `${endpoint.name}: "url" must be an absolute ws:// or wss:// URL, got ${JSON.stringify(options.url)}`,
      );
    }
    this.settings = {
      url: options.url,
      tokenTransport: options.tokenTransport ?? 'subprotocol',
      protocols: options.protocols ?? [SUBPROTOCOL],
      reconnect: options.reconnect ?? true,
      maxAttempts: options.maxAttempts ?? RECONNECT_MAX_ATTEMPTS,
      delaysMs: options.delaysMs ?? RECONNECT_DELAYS_MS,
      delayScale: options.delayScale ?? 1,
      random: options.random ?? Math.random,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      now: options.now ?? Date.now,
      validate: options.validate ?? options.validator !== undefined,
    };
    const { delaysMs, delayScale, maxAttempts } = this.settings;
    if (delaysMs.length === 0 || delaysMs.some((delayMs) => !(delayMs >= 0))) {
      throw new TypeError(`${endpoint.name}: "delaysMs" must list at least one non-negative delay`);
    }
    if (!(delayScale > 0))
      throw new TypeError(`${endpoint.name}: "delayScale" must be positive, got ${delayScale}`);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 0) {
      throw new TypeError(
        `${endpoint.name}: "maxAttempts" must be a non-negative integer, got ${maxAttempts}`,
      );
    }
    if (this.settings.validate && !options.validator) {
      throw new TypeError(`${endpoint.name}: "validate: true" needs a "validator" (e.g. createValidator())`);
    }
    this.query = { ...options.query };
    this.token = options.token;
    this.validator = options.validator;
    this.WebSocketClass =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined;
    this.subscriptions = new SubscriptionBook(endpoint.subscriptions ?? []);
  }

  /** The connection state. */
  get state(): ClientState {
    return this.currentState;
  }

  /** The current session, from `connection_established`. */
  get sessionId(): string | undefined {
    return this.currentSessionId;
  }

  /** The `seq` of the last data message delivered. */
  get lastSeq(): number {
    return this.currentLastSeq;
  }

  /**
   * Opens the connection. Resolves on `connection_established` (after reconnects if needed); rejects
   * when the client gives up (a close that forbids reconnecting, `reconnect_failed`, or `close()`).
   */
  connect(): Promise<void> {
    if (this.currentState === 'open') return Promise.resolve();
    const established = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.currentState === 'idle' || this.currentState === 'closed') {
      this.attempts = 0;
      this.awaitingToken = false;
      try {
        this.openSocket();
      } catch {
        // openSocket has rejected `established` with the reason.
      }
    }
    return established;
  }

  /**
   * Replaces the token. After a 4001 close the client does not reconnect until it gets a new token
   * (CR-003); a different token given here starts a new connection at once.
   */
  setToken(token: string): void {
    const changed = token !== this.token;
    this.token = token;
    if (changed && this.awaitingToken && this.currentState === 'closed') {
      this.awaitingToken = false;
      this.attempts = 0;
      this.openSocket();
    }
  }

  /** Calls `handler` for every server message of this type; returns a function that removes it. */
  on<T extends S['type']>(type: T, handler: (message: Extract<S, { type: T }>) => void): () => void {
    return this.messages.on(type, handler as (message: unknown) => void);
  }

  /** Calls `handler` for every server message; returns a function that removes it. */
  onMessage(handler: (message: S) => void): () => void {
    return this.messages.on('*', handler as (message: unknown) => void);
  }

  /** Calls `handler` on a lifecycle event; returns a function that removes it. */
  onEvent<K extends keyof ClientEvents>(name: K, handler: (payload: ClientEvents[K]) => void): () => void {
    return this.events.on(name, handler);
  }

  /** The next server message of this type, or a MessageTimeoutError after `timeoutMs`. */
  nextMessage<T extends S['type']>(
    type: T,
    timeoutMs: number = this.settings.requestTimeoutMs,
  ): Promise<Extract<S, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new MessageTimeoutError(type, timeoutMs));
      }, timeoutMs);
      const off = this.on(type, (message) => {
        clearTimeout(timer);
        off();
        resolve(message);
      });
    });
  }

  /**
   * Sends a message. While the client is (re)connecting it is queued and sent once the session is up.
   * In validating mode a message that violates its schema throws a MessageValidationError.
   */
  send(message: C): void {
    this.assertUsable();
    this.assertValid(message);
    this.subscriptions.record(message);
    this.enqueue({ text: JSON.stringify(message) });
  }

  /**
   * Sends a message with an `id` (one is assigned when absent) and resolves with the server's `ack`;
   * an `error` with that id rejects with a RequestError, silence with a RequestTimeoutError (ACK-001).
   * Unanswered requests are re-sent with the same id after a reconnect (ACK-002 makes that safe).
   */
  request(message: C, options: { timeoutMs?: number } = {}): Promise<AckOf<S>> {
    const given = (message as { id?: unknown }).id;
    const id: RequestId =
      typeof given === 'string' || typeof given === 'number' ? given : `${++this.requestCounter}`;
    const body = { ...message, id };
    try {
      this.assertUsable();
      this.assertValid(body);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = requestKey(id);
    if (this.pending.has(key)) {
      return Promise.reject(
        new Error(`${this.endpoint.name}: request id ${JSON.stringify(id)} is in flight`),
      );
    }
    this.subscriptions.record(body);
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs;
    const text = JSON.stringify(body);
    return new Promise<AckOf<S>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new RequestTimeoutError(id, timeoutMs));
      }, timeoutMs);
      this.pending.set(key, {
        id,
        text,
        resolve: resolve as (ack: never) => void,
        reject,
        timer,
        sentGeneration: -1,
      });
      this.enqueue({ text, requestKey: key });
    });
  }

  /**
   * Closes the connection for good (1000 by default ends the session on the server, RES-006).
   * Resolves when the socket has closed.
   */
  close(code: number = CloseCode.NORMAL, reason = ''): Promise<void> {
    this.clearReconnectTimer();
    this.clearLivenessTimer();
    this.currentState = 'closed';
    this.awaitingToken = false;
    this.currentSessionId = undefined;
    this.failAll(new ConnectionClosedError(`${this.endpoint.name}: the client was closed`, code, reason));
    const socket = this.socket;
    this.socket = undefined;
    this.generation += 1;
    if (!socket) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.onmessage = ignore;
      socket.onerror = ignore;
      socket.onclose = () => {
        this.events.emit('close', { code, reason, willReconnect: false }, this.listenerFailed);
        resolve();
      };
      try {
        socket.close(code, reason);
      } catch (error) {
        this.reportError(error);
        resolve();
      }
    });
  }

  private openSocket(): void {
    this.clearReconnectTimer();
    const Ctor = this.WebSocketClass;
    if (!Ctor) {
      this.currentState = 'closed';
      const error = new ConnectionClosedError(
        `${this.endpoint.name}: no WebSocket implementation; pass the "WebSocket" option (e.g. from the ws package)`,
      );
      this.failAll(error);
      throw error;
    }
    const resume =
      this.currentSessionId !== undefined &&
      this.droppedAt !== undefined &&
      this.settings.now() - this.droppedAt <= this.resumeWindowMs;
    this.resumingSessionId = resume ? this.currentSessionId : undefined;
    const url = this.buildUrl(resume);
    const protocols = [...this.settings.protocols];
    if (this.token !== undefined && this.settings.tokenTransport === 'subprotocol') {
      protocols.push(BEARER_SUBPROTOCOL_PREFIX + base64Url(this.token));
    }
    this.generation += 1;
    const generation = this.generation;
    this.currentState = 'connecting';
    this.awaitingResumeOutcome = false;
    let socket: SocketLike;
    try {
      socket = new Ctor(url, protocols) as SocketLike;
    } catch (error) {
      this.currentState = 'closed';
      const failure = new ConnectionClosedError(
        `${this.endpoint.name}: cannot connect to ${url}: ${describe(error)}`,
      );
      this.failAll(failure);
      throw failure;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      if (generation !== this.generation) return;
      this.armLiveness();
      this.events.emit('open', { url, protocol: socket.protocol }, this.listenerFailed);
    };
    socket.onmessage = (event) => {
      if (generation === this.generation) this.handleFrame(event.data);
    };
    socket.onerror = (event) => {
      if (generation === this.generation) {
        this.reportError(new Error(`${this.endpoint.name}: ${event?.message || 'WebSocket error'}`));
      }
    };
    socket.onclose = (event) => this.handleClose(generation, event.code, event.reason);
  }

  private buildUrl(resume: boolean): string {
    const url = new URL(this.settings.url);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    url.pathname = url.pathname.replace(/\/+$/, '') + this.endpoint.path;
    for (const [name, value] of Object.entries(this.query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    if (this.token !== undefined && this.settings.tokenTransport === 'query') {
      url.searchParams.set('token', this.token);
    }
    if (resume && this.currentSessionId !== undefined) {
      // CR-006: resume with the last seq received.
      url.searchParams.set('resume', this.currentSessionId);
      url.searchParams.set('lastSeq', String(this.currentLastSeq));
    }
    return url.toString();
  }

  private handleFrame(data: unknown): void {
    // Only a clock read per frame; the liveness timer checks it when it fires (armLiveness).
    this.lastReceivedAt = monotonicNow();
    if (typeof data !== 'string') {
      this.reportError(new Error(`${this.endpoint.name}: unexpected binary frame from the server`));
      return;
    }
    // The campaign endpoint's bare text heartbeat (HB-004, HB-006).
    if (data === 'ping') {
      this.writeNow('pong');
      return;
    }
    if (data === 'pong') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      this.reportError(new Error(`${this.endpoint.name}: unparseable server message: ${preview(data)}`));
      return;
    }
    if (!isRecord(message) || typeof message.type !== 'string') {
      this.reportError(
        new Error(`${this.endpoint.name}: server message without a string "type": ${preview(data)}`),
      );
      return;
    }
    if (typeof message.seq === 'number') {
      // A replayed message already delivered before the drop.
      if (message.seq <= this.currentLastSeq) return;
      this.currentLastSeq = message.seq;
    }
    // CR-005: only an `error` right before the close advises the reconnect delay; a RATE_LIMITED answered
    // earlier in a connection that went on must not slow down an unrelated reconnect.
    if (message.type !== 'error') this.retryAfterMs = undefined;
    this.handleControl(message);
    this.messages.emit(message.type, message, this.listenerFailed);
    this.messages.emit('*', message, this.listenerFailed);
  }

  private handleControl(message: Record<string, unknown>): void {
    switch (message.type) {
      case 'connection_established':
        this.handleEstablished(message);
        break;
      case 'resumed':
        this.events.emit(
          'resumed',
          {
            sessionId: this.currentSessionId,
            replayed: typeof message.replayed === 'number' ? message.replayed : 0,
          },
          this.listenerFailed,
        );
        break;
      case 'resume_failed':
        this.events.emit(
          'resume_failed',
          { reason: String(message.reason ?? 'unknown'), sessionId: this.currentSessionId },
          this.listenerFailed,
        );
        if (this.awaitingResumeOutcome) {
          this.awaitingResumeOutcome = false;
          this.flush(true);
        }
        break;
      case 'ping':
        this.writeNow(JSON.stringify({ type: 'pong', timestamp: new Date().toISOString() }));
        break;
      case 'ack':
        this.settle(message.id, (request) => request.resolve(message as never));
        break;
      case 'error':
        this.handleServerError(message);
        break;
      case 'authentication_error':
        this.lastServerError = `${String(message.error_code ?? 'AUTH_REQUIRED')}: ${String(message.message ?? '')}`;
        break;
    }
  }

  private handleEstablished(message: Record<string, unknown>): void {
    const sessionId = typeof message.sessionId === 'string' ? message.sessionId : undefined;
    const resumed = this.resumingSessionId !== undefined && sessionId === this.resumingSessionId;
    if (!resumed) this.currentLastSeq = 0;
    this.currentSessionId = sessionId;
    const interval = numberOr(message.heartbeatIntervalMs, Defaults.heartbeatIntervalMs);
    const timeout = numberOr(message.heartbeatTimeoutMs, Defaults.heartbeatTimeoutMs);
    this.livenessMs = interval + timeout;
    this.resumeWindowMs = numberOr(message.resumeWindowMs, Defaults.resumeWindowMs);
    this.armLiveness();
    // CR-008: a session is up, the attempt counter starts again.
    this.attempts = 0;
    this.lastServerError = undefined;
    this.droppedAt = undefined;
    const reconnected = this.establishedGeneration >= 0;
    this.establishedGeneration = this.generation;
    this.currentState = 'open';
    const waitForOutcome = !resumed && this.resumingSessionId !== undefined && sessionId !== undefined;
    this.resumingSessionId = undefined;
    this.events.emit('established', { sessionId, resumed, message }, this.listenerFailed);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    if (waitForOutcome) {
      // `resume_failed` follows; subscriptions are re-sent then (CR-007).
      this.awaitingResumeOutcome = true;
    } else {
      this.flush(reconnected && !resumed);
    }
  }

  private handleServerError(message: Record<string, unknown>): void {
    const body = isRecord(message.error) ? message.error : message;
    const code = String(body.code ?? 'ERROR');
    const text = String(body.message ?? '');
    const retryAfterMs = typeof body.retryAfterMs === 'number' ? body.retryAfterMs : undefined;
    this.retryAfterMs = retryAfterMs;
    this.lastServerError = `${code}: ${text}`;
    this.settle(message.id, (request) =>
      request.reject(
        new RequestError(code, `${this.endpoint.name}: ${code}: ${text}`, body.details, retryAfterMs),
      ),
    );
  }

  private settle(id: unknown, outcome: (request: PendingRequest) => void): void {
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const key = requestKey(id);
    const request = this.pending.get(key);
    if (!request) return;
    this.pending.delete(key);
    clearTimeout(request.timer);
    outcome(request);
  }

  private handleClose(generation: number, code: number, reason: string): void {
    if (generation !== this.generation) return;
    const socket = this.socket;
    if (socket) silence(socket);
    this.socket = undefined;
    this.clearLivenessTimer();
    if (this.establishedGeneration === generation) this.droppedAt = this.settings.now();
    const closeCode = typeof code === 'number' ? code : ABNORMAL_CLOSURE;
    const closeReason = reason ?? '';
    if (closeCode === CloseCode.UNAUTHORIZED) this.awaitingToken = true;
    const allowed = this.settings.reconnect && closeAllowsReconnect(closeCode);
    const exhausted = allowed && this.attempts >= this.settings.maxAttempts;
    const willReconnect = allowed && !exhausted;
    this.events.emit('close', { code: closeCode, reason: closeReason, willReconnect }, this.listenerFailed);
    if (willReconnect) {
      this.scheduleReconnect(closeCode);
      return;
    }
    this.currentState = 'closed';
    if (!this.awaitingToken) this.currentSessionId = undefined;
    const detail = this.lastServerError
      ? ` (${this.lastServerError})`
      : closeReason
        ? ` (${closeReason})`
        : '';
    if (exhausted) this.events.emit('reconnect_failed', { attempts: this.attempts }, this.listenerFailed);
    const ending = exhausted
      ? `gave up after ${this.attempts} reconnect attempts; last close ${closeCode}`
      : `connection closed with ${closeCode}`;
    this.failAll(
      new ConnectionClosedError(`${this.endpoint.name}: ${ending}${detail}`, closeCode, closeReason),
    );
  }

  private scheduleReconnect(closeCode: number): void {
    this.attempts += 1;
    const delayMs = reconnectDelayMs(
      { attempt: this.attempts, closeCode, retryAfterMs: this.retryAfterMs },
      {
        delaysMs: this.settings.delaysMs,
        delayScale: this.settings.delayScale,
        random: this.settings.random,
      },
    );
    this.currentState = 'waiting';
    this.events.emit('reconnecting', { attempt: this.attempts, delayMs, closeCode }, this.listenerFailed);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.currentState !== 'waiting') return;
      try {
        this.openSocket();
      } catch (error) {
        this.reportError(error);
      }
    }, delayMs);
  }

  /** Writes queued messages once the session is up; after a fresh session, subscriptions first (CR-007). */
  private flush(resendSubscriptions: boolean): void {
    if (resendSubscriptions) {
      for (const message of this.subscriptions.replay()) this.writeNow(JSON.stringify(message));
    }
    for (const request of this.pending.values()) {
      if (request.sentGeneration >= 0 && request.sentGeneration !== this.generation) {
        this.writeNow(request.text);
        request.sentGeneration = this.generation;
      }
    }
    const outbox = this.outbox;
    this.outbox = [];
    for (const entry of outbox) this.write(entry);
  }

  private enqueue(entry: OutboxEntry): void {
    if (
      this.currentState === 'open' &&
      !this.awaitingResumeOutcome &&
      this.socket?.readyState === SOCKET_OPEN
    ) {
      this.write(entry);
    } else {
      this.outbox.push(entry);
    }
  }

  private write(entry: OutboxEntry): void {
    if (entry.requestKey !== undefined) {
      const request = this.pending.get(entry.requestKey);
      if (!request) return;
      request.sentGeneration = this.generation;
    }
    this.writeNow(entry.text);
  }

  private writeNow(text: string): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return;
    try {
      socket.send(text);
    } catch (error) {
      this.reportError(error);
    }
  }

  /**
   * Dead-server detection: nothing received for heartbeatIntervalMs + heartbeatTimeoutMs. Started on
   * open and on `connection_established` (which may change the window); frames only record their
   * arrival (`lastReceivedAt`), and the one timer, when it fires, waits out the rest of the window
   * since the last frame or declares the server dead.
   */
  private armLiveness(): void {
    this.clearLivenessTimer();
    this.lastReceivedAt = monotonicNow();
    this.scheduleLivenessCheck(this.generation, this.livenessMs);
  }

  private scheduleLivenessCheck(generation: number, delayMs: number): void {
    this.livenessTimer = setTimeout(() => {
      this.livenessTimer = undefined;
      if (generation !== this.generation || !this.socket) return;
      const silentMs = monotonicNow() - this.lastReceivedAt;
      if (silentMs < this.livenessMs) {
        this.scheduleLivenessCheck(generation, Math.ceil(this.livenessMs - silentMs));
        return;
      }
      const socket = this.socket;
      silence(socket);
      try {
        socket.close(CloseCode.HEARTBEAT_TIMEOUT, 'server silent');
      } catch {
        // The socket may still be connecting; it is abandoned either way.
      }
      this.handleClose(
        generation,
        CloseCode.HEARTBEAT_TIMEOUT,
        `no message from the server within ${this.livenessMs} ms`,
      );
    }, delayMs);
  }

  private assertUsable(): void {
    if (this.currentState === 'idle') {
      throw new ConnectionClosedError(`${this.endpoint.name}: not connected; call connect() first`);
    }
    if (this.currentState === 'closed') {
      throw new ConnectionClosedError(`${this.endpoint.name}: the connection is closed`);
    }
  }

  private assertValid(message: unknown): void {
    if (!this.settings.validate || !this.validator) return;
    const result = this.validator.validate(this.endpoint.name, 'client', message);
    if (!result.ok)
      throw new MessageValidationError(this.endpoint.name, clientMessageType(message), result.issues);
  }

  private failAll(error: Error): void {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.pending.clear();
    this.outbox = [];
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private reportError(error: unknown): void {
    this.events.emit('error', error instanceof Error ? error : new Error(describe(error)));
  }

  private readonly listenerFailed = (error: unknown): void => {
    this.reportError(new Error(`${this.endpoint.name}: a message handler threw: ${describe(error)}`));
  };

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private clearLivenessTimer(): void {
    if (this.livenessTimer !== undefined) clearTimeout(this.livenessTimer);
    this.livenessTimer = undefined;
  }
}

/** Detaches the runtime from an abandoned socket; no-op handlers keep `ws` from throwing on late errors. */
function silence(socket: SocketLike): void {
  socket.onopen = ignore;
  socket.onmessage = ignore;
  socket.onclose = ignore;
  socket.onerror = ignore;
}

function requestKey(id: RequestId): string {
  return `${typeof id}:${id}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** base64url of the UTF-8 bytes of `text`, with browser and Node globals only. */
function base64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
