/**
 * The protocol core of one connection, free of any socket library: events come in (a text or binary
 * frame, an RFC 6455 ping or pong, a timer, the socket closing) and actions go out through `Transport`
 * (send text, ping, pong, close). Handshake checks, heartbeat, errors, acks, rate limit and resume live
 * here; what an endpoint does with its data lives behind `EndpointHandler`.
 */
import {
  AUTH_REQUIRED,
  CAMPAIGN_SUBPROTOCOL,
  CloseCode,
  ErrorCode,
  MAX_CLOSE_REASON_BYTES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
} from '../../protocol/constants.js';
import { LEGACY_ACTIONS, type EndpointName, type EndpointSpec } from '../../protocol/endpoints.js';
import { RequestError, type EndpointHandler, type IncomingRequest } from '../endpoint-handler.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { VerifiedToken } from '../token.js';
import { truncateUtf8 } from './close-reason.js';
import { handlerParams, resumeRequest, type ResumeRequest, type SubprotocolSelection } from './handshake.js';
import type { ProtocolPolicies, ResumeFailureReason } from './policies.js';
import { RateWindow } from './rate-window.js';
import {
  replayability,
  type JournalEntry,
  type Session,
  type SessionRecord,
  type SessionSink,
} from './session.js';
import { StoreUnavailableError, type ResumeVerdict, type SessionStore } from './session-store.js';

/** What the core asks of a socket. */
export interface Transport {
  sendText(text: string): void;
  /**
   * Sends the text `{...body, "seq": seq, "timestamp": stamp}` given `head`, the body's JSON up to its
   * closing brace (with a comma after the last member). Optional: a transport that frames text itself
   * turns the head into bytes once for all the sessions a message fans out to.
   */
  sendSpliced?(head: string, seq: number, stamp: string): void;
  sendPing(payload: Uint8Array): void;
  sendPong(payload: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Writes raw bytes and ends the socket (for frames a WebSocket library refuses to build). */
  writeRawAndEnd(bytes: Uint8Array): void;
  /** Drops the TCP connection without a close frame. */
  terminate(): void;
}

/** What a socket adapter feeds the core: the events of one connection. */
export interface ConnectionInput {
  receiveText(text: string): void;
  receiveBinary(): void;
  /** An RFC 6455 ping, for adapters that do not answer pings themselves. */
  receivePing(payload: Uint8Array): void;
  receivePong(): void;
  /** The socket is gone (close handshake done, or TCP dropped); `code` as the WebSocket API reports it. */
  closed(code: number): void;
}

export type ValidationOutcome = { ok: true } | { ok: false; issues: { path: string; message: string }[] };

/** The part of `SchemaRegistry` the core needs to check client messages. */
export interface ClientMessageValidator {
  has(endpoint: EndpointName, direction: 'client', type: string): boolean;
  validate(endpoint: EndpointName, direction: 'client', message: unknown): ValidationOutcome;
}

export interface CoreSettings {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  resumeWindowMs: number;
  maxMessageBytes: number;
  rateLimit: { maxMessages: number; windowMs: number };
  auth: 'required' | 'optional';
  resumeBufferMessages: number;
  /** Advertised in `connection_established`: which instance of a deployment accepted the connection. */
  instanceId?: string;
}

/** Everything connections of one server share. */
export interface CoreDependencies {
  settings: CoreSettings;
  policies: ProtocolPolicies;
  clock: Clock;
  handlers: Readonly<Record<EndpointName, EndpointHandler>>;
  validator: ClientMessageValidator;
  sessions: SessionStore;
  verifyToken(token: string): Promise<VerifiedToken>;
  newSessionId(): string;
  logger(line: string): void;
}

export interface HandshakeRequest {
  spec: EndpointSpec;
  query: Record<string, string>;
  /** The `Authorization` header. */
  authorization: string | undefined;
  offeredProtocols: string[];
  subprotocol: SubprotocolSelection;
}

type State = 'handshaking' | 'open' | 'closing' | 'closed';
type JsonObject = Record<string, unknown>;
type RequestId = string | number;

interface ErrorOptions {
  id?: RequestId;
  details?: unknown;
  retryAfterMs?: number;
  closeCode?: number;
}

interface ResumeFailure {
  reason: ResumeFailureReason;
  requestedSessionId: string;
}

export const CONNECTED_MESSAGE = '✅ WebSocket connected successfully';

export class Connection implements SessionSink, ConnectionInput {
  private state: State = 'handshaking';
  private session: Session | undefined;
  /** Text frames that arrived before `connection_established`; handled in order right after it. */
  private readonly pending: string[] = [];
  private readonly rate: RateWindow;
  private serverClosed = false;
  private rfcPingTimer: TimerHandle | undefined;
  private appPingTimer: TimerHandle | undefined;
  private pongDeadline: TimerHandle | undefined;
  private closeGraceTimer: TimerHandle | undefined;

  constructor(
    private readonly deps: CoreDependencies,
    private readonly request: HandshakeRequest,
    private readonly transport: Transport,
    private readonly onClosed: (connection: Connection) => void = () => {},
  ) {
    this.rate = new RateWindow(deps.settings.rateLimit.windowMs, deps.clock);
  }

  private get spec(): EndpointSpec {
    return this.request.spec;
  }

  private get policies(): ProtocolPolicies {
    return this.deps.policies;
  }

  // ---- handshake (HS, AUTH, SEC-002, RES) ----

  /** Runs the post-upgrade checks in the contract's order, then establishes or refuses. */
  async start(): Promise<void> {
    try {
      await this.handshake();
    } catch (error) {
      if (error instanceof StoreUnavailableError) return this.unavailable(error);
      this.deps.logger(`handshake on ${this.spec.path} failed: ${(error as Error).message}`);
      // 1011 carries no error message: only 4xxx closes need one (CL-001).
      this.close(CloseCode.INTERNAL_ERROR, 'internal error');
    }
  }

  private async handshake(): Promise<void> {
    const { spec, query } = this.request;
    if (!this.request.subprotocol.acceptable) {
      const supported =
        spec.family === 'campaign' ? `${SUBPROTOCOL} or ${CAMPAIGN_SUBPROTOCOL}` : SUBPROTOCOL;
      return this.closeWithError(
        CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE,
        ErrorCode.SUBPROTOCOL_NOT_ACCEPTABLE,
        `no offered subprotocol is supported; offer ${supported}`,
      );
    }
    const token = this.policies.handshake.presentedToken(this.request);
    let tokenUser: string | undefined;
    if (token !== undefined) {
      const verified = await this.deps.verifyToken(token);
      if (this.state !== 'handshaking') return;
      if ('error' in verified) return this.refuseAuthentication(verified.error);
      tokenUser = verified.userId;
    } else if (this.policies.access.tokenRequired(spec, this.deps.settings.auth)) {
      return this.refuseAuthentication('authentication required: present a token');
    }
    const problem = this.policies.handshake.checkParams(spec, query);
    if (problem) return this.closeWithError(problem.closeCode, problem.code, problem.message);
    const userParam = spec.params.some((p) => p.name === 'userId') ? query.userId : undefined;
    const identity = this.policies.access.identify(tokenUser, userParam);
    if ('refused' in identity) {
      return this.closeWithError(CloseCode.FORBIDDEN, ErrorCode.FORBIDDEN, identity.refused);
    }
    const { userId } = identity;
    const params = handlerParams(query);
    const handler = this.deps.handlers[spec.name];
    const refusal = await handler.checkScope?.(params, userId);
    if (this.state !== 'handshaking') return;
    if (refusal) return this.closeWithError(refusal.closeCode, refusal.code, refusal.message);
    const resume = resumeRequest(query);
    if (resume) await this.resume(resume, userId, params);
    else await this.openFreshSession(userId, params, undefined);
    this.startHeartbeat();
    for (const text of this.pending.splice(0)) this.receiveText(text);
  }

  private async openFreshSession(
    userId: string | null,
    params: Record<string, string>,
    failure: ResumeFailure | undefined,
  ): Promise<void> {
    const newId = this.deps.newSessionId();
    const { resume } = this.policies;
    const session = await this.deps.sessions.create({
      id: failure ? resume.freshSessionId(failure.reason, failure.requestedSessionId, newId) : newId,
      spec: this.spec,
      userId,
      params,
      handler: this.deps.handlers[this.spec.name],
      bufferLimit: this.deps.settings.resumeBufferMessages,
      clock: this.deps.clock,
      nextSeq: resume.nextSeq,
    });
    // The client left while the session was being made: nobody ever learnt its id.
    if (this.state !== 'handshaking') return this.deps.sessions.end(session, 'unknown_session');
    this.attach(session);
    this.sendEstablished(session, false);
    if (failure) this.sendControl({ type: 'resume_failed', reason: failure.reason, sessionId: session.id });
    await session.handler.open(session.context, failure ? 'resume_failed' : 'connected');
  }

  private async resume(
    resume: ResumeRequest,
    userId: string | null,
    params: Record<string, string>,
  ): Promise<void> {
    const outcome = await this.deps.sessions.resume({
      sessionId: resume.sessionId,
      lastSeq: resume.lastSeq,
      judge: (record) => this.judgeResume(record, resume.lastSeq, userId, params),
      takesOver: this.policies.resume.takesOver(),
      sink: this,
    });
    if (!outcome.ok) {
      return this.openFreshSession(userId, params, {
        reason: outcome.reason,
        requestedSessionId: resume.sessionId,
      });
    }
    const { session, replay } = outcome;
    // The client left while the session was being handed over: it stays resumable.
    if (this.state !== 'handshaking') return this.deps.sessions.detach(session);
    this.attach(session);
    this.sendEstablished(session, true);
    for (const message of replay) this.transport.sendText(message.frame);
    const lastSeq = replay.length > 0 ? replay[replay.length - 1].seq : session.seq;
    this.sendControl({ type: 'resumed', sessionId: session.id, replayed: replay.length, lastSeq });
    outcome.resumed?.();
    session.handler.resumed?.(session.context);
  }

  /** Whether a session may be resumed by this connection, and with its replay (§11). */
  private judgeResume(
    record: SessionRecord,
    lastSeq: number,
    userId: string | null,
    params: Record<string, string>,
  ): ResumeVerdict {
    const policy = this.policies.resume;
    if (record.endpoint !== this.spec.name || !this.sameScope(record.params, params)) {
      return { accept: false, reason: 'invalid_request' };
    }
    if (record.userId !== userId && policy.refusesOtherUser())
      return { accept: false, reason: 'user_mismatch' };
    const replayable = replayability(lastSeq, record);
    if (replayable === 'ok') return { accept: true, replay: true };
    return policy.onUnreplayable(replayable) === 'fail'
      ? { accept: false, reason: replayable }
      : { accept: true, replay: false };
  }

  /** A resume must name the same scope (the required params) as the session it resumes. */
  private sameScope(
    sessionParams: Readonly<Record<string, string>>,
    params: Record<string, string>,
  ): boolean {
    return this.spec.params.filter((p) => p.required).every((p) => sessionParams[p.name] === params[p.name]);
  }

  private attach(session: Session): void {
    this.session = session;
    this.deps.sessions.attach(session, this);
    this.state = 'open';
  }

  private sendEstablished(session: Session, resumed: boolean): void {
    const { settings } = this.deps;
    const established: JsonObject = {
      type: 'connection_established',
      message: CONNECTED_MESSAGE,
      sessionId: session.id,
      protocolVersion: PROTOCOL_VERSION,
      endpoint: this.spec.name,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      resumeWindowMs: settings.resumeWindowMs,
      maxMessageBytes: settings.maxMessageBytes,
      rateLimit: { ...settings.rateLimit },
      auth: { mode: settings.auth, userId: session.userId },
      ...(settings.instanceId !== undefined ? { instanceId: settings.instanceId } : {}),
      ...(resumed ? { resumed: true } : {}),
    };
    this.sendControl(established);
  }

  /** Hands the session to a newer connection (RES-005). */
  takeOver(): void {
    this.session = undefined;
    this.closeWithError(
      CloseCode.SESSION_TAKEN_OVER,
      ErrorCode.SESSION_TAKEN_OVER,
      'session resumed by another connection',
    );
  }

  // ---- incoming frames ----

  receiveText(text: string): void {
    if (this.state === 'handshaking') {
      this.pending.push(text);
      return;
    }
    if (this.state !== 'open') return;
    if (!this.withinRateLimit(text)) return;
    if (this.spec.appPing === 'text' && (text === 'ping' || text === 'pong')) {
      if (text === 'ping') this.transport.sendText('pong');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.sendError(ErrorCode.INVALID_JSON, 'message is not valid JSON');
    }
    this.receiveJson(parsed);
  }

  private receiveJson(parsed: unknown): void {
    if (!isRecord(parsed)) {
      return this.sendError(ErrorCode.INVALID_MESSAGE, 'message must be a JSON object with a string "type"', {
        details: { path: '/type', errors: [] },
      });
    }
    const id = requestId(parsed.id);
    const request = this.canonicalForm(parsed);
    if (!request) {
      return this.sendError(ErrorCode.INVALID_MESSAGE, 'message needs a string "type"', {
        id,
        details: { path: '/type', errors: [{ path: '/type', message: 'must be a string' }] },
      });
    }
    const endpointName = this.spec.name;
    if (!this.deps.validator.has(endpointName, 'client', request.type)) {
      return this.sendError(
        ErrorCode.UNKNOWN_TYPE,
        `unknown type "${request.type}" for endpoint ${endpointName}`,
        {
          id,
          details: { type: request.type },
        },
      );
    }
    const result = this.deps.validator.validate(endpointName, 'client', request);
    if (!result.ok) {
      const first = result.issues[0];
      const path = first?.path || '/';
      return this.sendError(ErrorCode.INVALID_MESSAGE, `${path}: ${first?.message ?? 'invalid message'}`, {
        id,
        details: { path, errors: result.issues },
      });
    }
    if (request.type === 'ping') {
      return this.sendControl({ type: 'pong', ...(id !== undefined ? { id } : {}) });
    }
    if (request.type === 'pong') return;
    this.handleRequest(request as IncomingRequest, id);
  }

  /** `{type}` as is; on market endpoints also the legacy `{action}` form (ENV-006). */
  private canonicalForm(message: JsonObject): (JsonObject & { type: string }) | undefined {
    if (typeof message.type === 'string') return message as JsonObject & { type: string };
    if (this.spec.family !== 'market' || typeof message.action !== 'string') return undefined;
    const { action, ...rest } = message;
    return { ...rest, type: LEGACY_ACTIONS[action as string] ?? (action as string) };
  }

  /** RL-001..003: counts every client message; false when it must not be processed. */
  private withinRateLimit(text: string): boolean {
    const { maxMessages, windowMs } = this.deps.settings.rateLimit;
    const { count, retryAfterMs } = this.rate.hit();
    const verdict = this.policies.rateLimit.verdict(count, maxMessages);
    if (verdict === 'process') return true;
    const id = requestIdOf(text);
    if (verdict === 'close') {
      this.closeWithError(CloseCode.RATE_LIMITED, ErrorCode.RATE_LIMITED, 'rate limit exceeded repeatedly', {
        id,
        retryAfterMs,
      });
      return false;
    }
    this.sendError(ErrorCode.RATE_LIMITED, `more than ${maxMessages} messages in ${windowMs} ms`, {
      id,
      retryAfterMs,
    });
    return false;
  }

  /** ACK-001/002: a request with an id gets one reply, and a repeat of the id gets the same reply. */
  private handleRequest(request: IncomingRequest, id: RequestId | undefined): void {
    const session = this.session;
    if (!session) return;
    if (id === undefined) {
      void this.reply(session, request, undefined).then((frames) => this.sendFrames(frames));
      return;
    }
    const key = `${typeof id}:${id}`;
    const frames =
      session.requests.recall(key) ?? session.requests.remember(key, this.reply(session, request, id));
    void frames.then(
      (f) => this.sendFrames(f),
      (error: unknown) => this.sendFrames([this.failureFrame(error, request, id)]),
    );
  }

  private async reply(
    session: Session,
    request: IncomingRequest,
    id: RequestId | undefined,
  ): Promise<string[]> {
    try {
      const data = await session.handler.handle(session.context, request);
      // What the request made the session emit is kept (and sent) before the reply.
      const settled = session.journal.settled();
      if (settled) await settled;
      if (id === undefined) return [];
      return [this.frame({ type: 'ack', id, ok: true, ...(data !== undefined ? { data } : {}) })];
    } catch (error) {
      return [this.failureFrame(error, request, id)];
    }
  }

  /** The `error` answering a request that failed. */
  private failureFrame(error: unknown, request: IncomingRequest, id: RequestId | undefined): string {
    if (error instanceof RequestError) {
      return this.errorFrame(error.code, error.message, { id, details: error.details });
    }
    if (error instanceof StoreUnavailableError) {
      const { message, retryAfterMs } = error;
      return this.errorFrame(ErrorCode.SERVICE_UNAVAILABLE, message, { id, retryAfterMs });
    }
    this.deps.logger(`${this.spec.name}: handler failed on ${request.type}: ${(error as Error).message}`);
    return this.errorFrame(ErrorCode.INTERNAL_ERROR, 'internal error', { id });
  }

  receiveBinary(): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.close(CloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
  }

  /** RFC 6455 ping, seen only when the socket library does not answer pings itself. */
  receivePing(payload: Uint8Array): void {
    this.transport.sendPong(payload);
  }

  receivePong(): void {
    this.deps.clock.clearTimeout(this.pongDeadline);
    this.pongDeadline = undefined;
  }

  /** The socket is gone (close handshake done, or TCP dropped). */
  closed(code: number): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopTimers();
    this.deps.clock.clearTimeout(this.closeGraceTimer);
    const session = this.session;
    if (session && session.sink === this) {
      const endedByClient = !this.serverClosed && this.policies.resume.clientCloseEndsSession(code);
      if (endedByClient) this.deps.sessions.end(session, 'unknown_session');
      else this.deps.sessions.detach(session);
    }
    this.session = undefined;
    this.onClosed(this);
  }

  /** Server shutdown: 1001 for everyone. */
  shutdown(): void {
    this.close(CloseCode.GOING_AWAY, 'server shutting down');
  }

  /** The server cannot serve for now (its shared store is gone): come back after `retryAfterMs`. */
  unavailable({ message, retryAfterMs }: StoreUnavailableError): void {
    this.sendError(ErrorCode.SERVICE_UNAVAILABLE, message, { retryAfterMs });
    this.close(CloseCode.TRY_AGAIN_LATER, message);
  }

  // ---- heartbeat (HB-001, HB-002, HB-006, HB-007) ----

  private startHeartbeat(): void {
    if (this.state !== 'open') return;
    const { heartbeatIntervalMs } = this.deps.settings;
    const rfcTick = () => {
      this.sendRfcPing();
      this.rfcPingTimer = this.deps.clock.setTimeout(rfcTick, heartbeatIntervalMs);
    };
    this.rfcPingTimer = this.deps.clock.setTimeout(rfcTick, heartbeatIntervalMs);
    const appTick = () => {
      this.sendAppPing();
      this.appPingTimer = this.deps.clock.setTimeout(appTick, heartbeatIntervalMs);
    };
    this.appPingTimer = this.deps.clock.setTimeout(appTick, heartbeatIntervalMs);
  }

  private sendRfcPing(): void {
    this.transport.sendPing(new Uint8Array(0));
    if (this.pongDeadline !== undefined) return;
    this.pongDeadline = this.deps.clock.setTimeout(
      () => this.heartbeatTimedOut('pong'),
      this.deps.settings.heartbeatTimeoutMs,
    );
  }

  private sendAppPing(): void {
    // Application pings are a signal to the client only: no answer is awaited (HB-007).
    if (this.spec.appPing === 'text') this.transport.sendText('ping');
    else this.sendControl({ type: 'ping' });
  }

  private heartbeatTimedOut(what: string): void {
    const timeoutMs = this.deps.settings.heartbeatTimeoutMs;
    this.closeWithError(
      CloseCode.HEARTBEAT_TIMEOUT,
      ErrorCode.HEARTBEAT_TIMEOUT,
      `no ${what} within ${timeoutMs} ms`,
    );
  }

  private stopTimers(): void {
    for (const timer of [this.rfcPingTimer, this.appPingTimer, this.pongDeadline]) {
      this.deps.clock.clearTimeout(timer);
    }
    this.rfcPingTimer = this.appPingTimer = this.pongDeadline = undefined;
  }

  // ---- outgoing ----

  /** Delivers a data message of the attached session. */
  deliver(entry: JournalEntry): void {
    if (this.state !== 'open') return;
    const { transport } = this;
    if (entry.stamp !== undefined && transport.sendSpliced)
      transport.sendSpliced(entry.text, entry.seq, entry.stamp);
    else transport.sendText(entry.frame);
  }

  private sendFrames(frames: readonly string[]): void {
    if (this.state !== 'open') return;
    for (const frame of frames) this.transport.sendText(frame);
  }

  private frame(message: JsonObject): string {
    const stamped = {
      ...message,
      timestamp: new Date(this.deps.clock.now()).toISOString(),
    };
    return JSON.stringify(stamped);
  }

  private sendControl(message: JsonObject): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.transport.sendText(this.frame(message));
  }

  private errorFrame(code: string, message: string, options: ErrorOptions = {}): string {
    const { id, details, retryAfterMs, closeCode } = options;
    const error = {
      code,
      message,
      ...(details !== undefined ? { details } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(closeCode !== undefined ? { closeCode } : {}),
    };
    return this.frame({ type: 'error', ...(id !== undefined ? { id } : {}), error });
  }

  private sendError(code: string, message: string, options: ErrorOptions = {}): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.transport.sendText(this.errorFrame(code, message, options));
  }

  /** CL-001: every 4xxx close is preceded by an `error` naming the same code. */
  private closeWithError(closeCode: number, code: string, message: string, options: ErrorOptions = {}): void {
    this.sendError(code, message, { ...options, closeCode });
    this.close(closeCode, message);
  }

  private refuseAuthentication(message: string): void {
    this.sendControl({
      type: 'authentication_error',
      message,
      error_code: AUTH_REQUIRED,
      closeCode: CloseCode.UNAUTHORIZED,
    });
    this.close(CloseCode.UNAUTHORIZED, message);
  }

  /** Starts the close handshake; a peer that does not finish it within a heartbeat timeout is dropped. */
  private close(code: number, reason: string): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.serverClosed = true;
    this.stopTimers();
    this.transport.close(code, truncateUtf8(reason, MAX_CLOSE_REASON_BYTES));
    this.closeGraceTimer = this.deps.clock.setTimeout(
      () => this.transport.terminate(),
      this.deps.settings.heartbeatTimeoutMs,
    );
  }
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requestId(value: unknown): RequestId | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
    ? value
    : undefined;
}

/** The `id` of a message that is refused before it is validated (rate limit), if it has one. */
function requestIdOf(text: string): RequestId | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? requestId(parsed.id) : undefined;
  } catch {
    return undefined;
  }
}
