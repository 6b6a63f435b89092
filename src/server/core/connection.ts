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
  CONNECTED_MESSAGE,
  ErrorCode,
  MAX_CLOSE_REASON_BYTES,
  MAX_ERROR_FRAME_BYTES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
} from '../../protocol/constants.js';
import { endpoint, LEGACY_ACTIONS, type EndpointName, type EndpointSpec } from '../../protocol/endpoints.js';
import { RequestError, type EndpointHandler, type IncomingRequest } from '../endpoint-handler.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { VerifiedToken } from '../token.js';
import { truncateUtf8 } from './close-reason.js';
import { errorMessage, guard } from './guard.js';
import type { LimitCounters } from './limit-counters.js';
import { handlerParams, resumeRequest, type ResumeRequest, type SubprotocolSelection } from './handshake.js';
import type { ProtocolPolicies, ResumeFailureReason } from './policies.js';
import { exceededBound, type MessageBounds } from './message-bounds.js';
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
  /** An RFC 6455 pong; any payload answers the pings sent before it. */
  receivePong(payload?: Uint8Array): void;
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
  /** Messages of all connections of one user (anonymous: one client address) per window. */
  userRateLimit: { maxMessages: number; windowMs: number };
  auth: 'required' | 'optional';
  resumeBufferMessages: number;
  /** The profiles the server offers, as `connection_established` declares them. */
  profiles: readonly string[];
  resumeBufferBytes: number;
  /** Deepest nesting of arrays and objects accepted in a client message. */
  maxMessageDepth: number;
  /** Most array elements and object members, over the whole message, accepted in a client message. */
  maxMessageItems: number;
  /** Open connections allowed per user, per client address and in total (the core enforces `perUser`). */
  connectionLimits: { perUser: number; perAddress: number; total: number };
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
  /** Messages per user, connections per user and barred users, shared by every connection. */
  counters: LimitCounters;
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
  /** The client's address (IP), the identity of connections without a token. */
  remoteAddress: string;
}

type State = 'handshaking' | 'open' | 'closing' | 'closed';
/** Who opens or resumes a session: the user, and whether a token vouched for it. */
interface Caller {
  userId: string | null;
  authenticated: boolean;
}
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

/** Longest id a reply carries, and longest echo of a client's text in an error (keeps errors small). */
const MAX_REQUEST_ID_CHARS = 128;
const MAX_ECHO_CHARS = 128;
/** Schema findings listed in `details.errors`; the validator stops at the first one anyway. */
const MAX_LISTED_ISSUES = 4;
/** Node timers overflow above this delay; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  private tokenExpiryTimer: TimerHandle | undefined;
  /** Who the connection counts as for the limits across connections: `user:<id>` or `address:<ip>`. */
  private principal: string;
  /** The per-user connection slot this connection holds, if any. */
  private heldSlot: string | undefined;
  /** The payload of the last RFC 6455 ping not answered yet (a burst is answered once, for its last ping). */
  private pongOwed: Uint8Array | undefined;
  /** Requests whose answers are not sent yet, and the moment the last of them is. */
  private answersPending = 0;
  private answersSent: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: CoreDependencies,
    private readonly request: HandshakeRequest,
    private readonly transport: Transport,
    private readonly onClosed: (connection: Connection) => void = () => {},
  ) {
    this.rate = new RateWindow(deps.settings.rateLimit.windowMs, deps.clock);
    this.principal = `address:${request.remoteAddress}`;
  }

  private get spec(): EndpointSpec {
    return this.request.spec;
  }

  private get policies(): ProtocolPolicies {
    return this.deps.policies;
  }

  /** How deep and how large a client text may be before it is parsed. */
  private get bounds(): MessageBounds {
    const { maxMessageDepth, maxMessageItems } = this.deps.settings;
    return { maxDepth: maxMessageDepth, maxItems: maxMessageItems };
  }

  // ---- handshake (HS, AUTH, SEC-002, RES) ----

  /** Runs the post-upgrade checks in the contract's order, then establishes or refuses. */
  async start(): Promise<void> {
    try {
      await this.handshake();
    } catch (error) {
      if (error instanceof StoreUnavailableError) return this.unavailable(error);
      this.fail(error);
    }
  }

  /**
   * Something failed while serving this connection (an exception in a timer, a frame handler or the
   * endpoint's handler): it is logged, the session ends, and the connection closes with 1011. Nothing
   * else is touched.
   */
  fail(error: unknown): void {
    this.deps.logger(`${this.spec.path}: internal error, closing the connection: ${errorMessage(error)}`);
    const session = this.session;
    this.session = undefined;
    if (session && session.sink === this) this.deps.sessions.end(session, 'unknown_session');
    // 1011 carries no error message: only 4xxx closes need one (CL-001).
    this.close(CloseCode.INTERNAL_ERROR, 'internal error');
  }

  /** A timer of this connection; what its callback throws fails the connection, not the process. */
  private timer(callback: () => void, delayMs: number): TimerHandle {
    return this.deps.clock.setTimeout(
      guard(callback, (error) => this.fail(error)),
      delayMs,
    );
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
    let tokenExpiresAtMs = Number.POSITIVE_INFINITY;
    if (token !== undefined) {
      const verified = await this.deps.verifyToken(token);
      if (this.state !== 'handshaking') return;
      if ('error' in verified) return this.refuseAuthentication(verified.error);
      tokenUser = verified.userId;
      tokenExpiresAtMs = verified.expiresAtMs;
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
    if (tokenUser !== undefined) this.principal = `user:${tokenUser}`;
    if (!(await this.admitted(tokenUser))) return;
    const resume = resumeRequest(query);
    const caller = { userId, authenticated: tokenUser !== undefined };
    if (resume) await this.resume(resume, caller, params);
    else await this.openFreshSession(caller, params, undefined);
    this.startHeartbeat();
    this.expireWithToken(tokenExpiresAtMs);
    for (const text of this.pending.splice(0)) this.receiveText(text);
  }

  /**
   * The limits across connections (RL-010, SEC-004): a user barred after a flood, or with all its
   * connection slots taken, gets `error` and close 1013. Takes a slot when admitted.
   */
  private async admitted(tokenUser: string | undefined): Promise<boolean> {
    const { counters } = this.deps;
    const barredForMs = await counters.barredForMs(this.principal);
    if (this.state !== 'handshaking') return false;
    if (barredForMs > 0) {
      this.sendError(ErrorCode.RATE_LIMITED, 'too many messages from this user: try again later', {
        retryAfterMs: Math.ceil(barredForMs),
      });
      this.close(CloseCode.TRY_AGAIN_LATER, 'rate limited: try again later');
      return false;
    }
    if (tokenUser === undefined) return true;
    const slot = `connections:${this.principal}`;
    const limit = this.deps.settings.connectionLimits.perUser;
    const open = await counters.add(slot, 1);
    if (this.state !== 'handshaking' || !this.policies.limits.admits('user', open - 1, limit)) {
      await counters.add(slot, -1);
      if (this.state !== 'handshaking') return false;
      this.sendError(
        ErrorCode.TOO_MANY_CONNECTIONS,
        `user ${tokenUser} already has ${limit} connections open: close one first`,
      );
      this.close(CloseCode.TRY_AGAIN_LATER, 'too many connections');
      return false;
    }
    this.heldSlot = slot;
    return true;
  }

  /** AUTH-015: the connection ends with `authentication_error` and 4001 when its token expires. */
  private expireWithToken(expiresAtMs: number): void {
    if (!Number.isFinite(expiresAtMs) || this.state !== 'open') return;
    const leftMs = expiresAtMs - this.deps.clock.now();
    if (leftMs <= 0) return this.refuseAuthentication('token expired');
    this.tokenExpiryTimer = this.timer(
      () => this.expireWithToken(expiresAtMs),
      Math.min(leftMs, MAX_TIMER_MS),
    );
  }

  private async openFreshSession(
    caller: Caller,
    params: Record<string, string>,
    failure: ResumeFailure | undefined,
  ): Promise<void> {
    const newId = this.deps.newSessionId();
    const { resume } = this.policies;
    const session = await this.deps.sessions.create({
      id: failure ? resume.freshSessionId(failure.reason, failure.requestedSessionId, newId) : newId,
      spec: this.spec,
      userId: caller.userId,
      authenticated: caller.authenticated,
      params,
      handler: this.deps.handlers[this.spec.name],
      bufferLimit: this.deps.settings.resumeBufferMessages,
      bufferBytes: this.deps.settings.resumeBufferBytes,
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

  private async resume(resume: ResumeRequest, caller: Caller, params: Record<string, string>): Promise<void> {
    const outcome = await this.deps.sessions.resume({
      sessionId: resume.sessionId,
      lastSeq: resume.lastSeq,
      judge: (record) => this.judgeResume(record, resume.lastSeq, caller, params),
      takesOver: this.policies.resume.takesOver(),
      sink: this,
    });
    if (!outcome.ok) {
      return this.openFreshSession(caller, params, {
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
    caller: Caller,
    params: Record<string, string>,
  ): ResumeVerdict {
    const policy = this.policies.resume;
    // A session a WebSocket endpoint does not serve (a Socket.IO namespace socket's) is not one to resume here.
    if (
      record.handler !== this.deps.handlers[record.endpoint] ||
      !policy.sameScope(endpoint(record.endpoint), record.params, this.spec, params)
    ) {
      return { accept: false, reason: 'invalid_request' };
    }
    if (record.userId !== caller.userId && policy.refusesOtherUser()) {
      return { accept: false, reason: 'user_mismatch' };
    }
    if (record.authenticated && !caller.authenticated && policy.refusesTokenlessResumeOfTokenSession()) {
      return { accept: false, reason: 'user_mismatch' };
    }
    const replayable = replayability(lastSeq, record);
    if (replayable === 'ok') return { accept: true, replay: true };
    return policy.onUnreplayable(replayable) === 'fail'
      ? { accept: false, reason: replayable }
      : { accept: true, replay: false };
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
      maxMessageDepth: settings.maxMessageDepth,
      maxMessageItems: settings.maxMessageItems,
      rateLimit: { ...settings.rateLimit },
      userRateLimit: { ...settings.userRateLimit },
      connectionLimits: { ...settings.connectionLimits },
      auth: { mode: settings.auth, userId: session.userId },
      profiles: [...settings.profiles],
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
    const exceeded = this.policies.limits.exceededBound(text, this.bounds);
    if (exceeded !== undefined) {
      const { maxDepth, maxItems } = this.bounds;
      const message =
        exceeded === 'depth'
          ? `message nests deeper than ${maxDepth} levels`
          : `message holds more than ${maxItems} items (array elements and object members)`;
      return this.sendError(ErrorCode.INVALID_MESSAGE, message, { details: { path: '/', errors: [] } });
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
      const type = clip(request.type);
      return this.sendError(ErrorCode.UNKNOWN_TYPE, `unknown type "${type}" for endpoint ${endpointName}`, {
        id,
        details: { type },
      });
    }
    const result = this.deps.validator.validate(endpointName, 'client', request);
    if (!result.ok) {
      // Bounded whatever the message (ERR-012): a few findings, each cut short.
      const issues = result.issues
        .slice(0, MAX_LISTED_ISSUES)
        .map((issue) => ({ path: clip(issue.path || '/'), message: clip(issue.message) }));
      const path = issues[0]?.path ?? '/';
      return this.sendError(
        ErrorCode.INVALID_MESSAGE,
        `${path}: ${issues[0]?.message ?? 'invalid message'}`,
        {
          id,
          details: { path, errors: issues },
        },
      );
    }
    if (request.type === 'ping') {
      return this.sendControl({ type: 'pong', ...(id !== undefined ? { id } : {}) });
    }
    if (request.type === 'pong') return;
    this.handleRequest(request as IncomingRequest, id);
  }

  /**
   * `{type}` as is; on market endpoints also the legacy `{action}` form (ENV-006), which stands in only for
   * a missing `type`, never for a malformed one (ENV-008).
   */
  private canonicalForm(message: JsonObject): (JsonObject & { type: string }) | undefined {
    if (typeof message.type === 'string') return message as JsonObject & { type: string };
    if (message.type !== undefined) return undefined;
    if (this.spec.family !== 'market' || typeof message.action !== 'string') return undefined;
    const { action, ...rest } = message;
    return { ...rest, type: LEGACY_ACTIONS[action as string] ?? (action as string) };
  }

  /**
   * RL-001..005: counts every client message against the connection's window, and those it lets
   * through against the user's (for anonymous connections, the client address's); false when the
   * message must not be processed.
   */
  private withinRateLimit(text: string): boolean {
    const { rateLimit, userRateLimit } = this.deps.settings;
    const own = this.rate.hit();
    const verdict = this.policies.rateLimit.verdict(own.count, rateLimit.maxMessages);
    if (verdict !== 'process') {
      return this.refuseOverLimit(text, verdict, own.retryAfterMs, {
        refused: `more than ${rateLimit.maxMessages} messages in ${rateLimit.windowMs} ms`,
        closed: 'rate limit exceeded repeatedly',
      });
    }
    const shared = this.deps.counters.countMessage(this.principal, userRateLimit.windowMs);
    const userVerdict = this.policies.rateLimit.userVerdict(shared.count, userRateLimit.maxMessages);
    if (userVerdict === 'process') return true;
    // A user that flooded sits out a whole window, from now: reconnecting gains it nothing.
    const retryAfterMs = userVerdict === 'close' ? userRateLimit.windowMs : shared.retryAfterMs;
    if (userVerdict === 'close' && this.policies.rateLimit.barsAfterUserFlood()) {
      this.deps.counters.bar(this.principal, retryAfterMs);
    }
    return this.refuseOverLimit(text, userVerdict, retryAfterMs, {
      refused: `more than ${userRateLimit.maxMessages} messages of this user in ${userRateLimit.windowMs} ms`,
      closed: 'rate limit of this user exceeded repeatedly',
    });
  }

  private refuseOverLimit(
    text: string,
    verdict: 'refuse' | 'close',
    retryAfterMs: number,
    messages: { refused: string; closed: string },
  ): false {
    const id = requestIdOf(text, this.bounds);
    if (verdict === 'close') {
      this.closeWithError(CloseCode.RATE_LIMITED, ErrorCode.RATE_LIMITED, messages.closed, {
        id,
        retryAfterMs,
      });
    } else {
      // The refusal answers a message sent after those still being answered: it follows their answers.
      const refuse = () => this.sendError(ErrorCode.RATE_LIMITED, messages.refused, { id, retryAfterMs });
      if (this.answersPending === 0) refuse();
      else void this.answersSent.then(refuse);
    }
    return false;
  }

  /** ACK-001/002: a request with an id gets one reply, and a repeat of the id gets the same reply. */
  private handleRequest(request: IncomingRequest, id: RequestId | undefined): void {
    const session = this.session;
    if (!session) return;
    if (id === undefined) {
      this.answering(
        this.reply(session, request, undefined).then(
          (frames) => this.sendFrames(frames),
          (error: unknown) => this.fail(error),
        ),
      );
      return;
    }
    const key = `${typeof id}:${id}`;
    const frames =
      session.requests.recall(key) ?? session.requests.remember(key, this.reply(session, request, id));
    this.answering(
      frames.then(
        (f) => this.sendFrames(f),
        // A shared memory that cannot keep the reply answers SERVICE_UNAVAILABLE; anything else is ours.
        (error: unknown) =>
          error instanceof StoreUnavailableError
            ? this.sendFrames([this.failureFrame(error, request, id)])
            : this.fail(error),
      ),
    );
  }

  /** Counts a request's answer as pending until `sent` settles (RL-001 answers in order). */
  private answering(sent: Promise<void>): void {
    this.answersPending += 1;
    const done = sent.then(
      () => void (this.answersPending -= 1),
      (error: unknown) => {
        this.answersPending -= 1;
        this.fail(error);
      },
    );
    this.answersSent = Promise.all([this.answersSent, done]).then(() => {});
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

  /**
   * RFC 6455 ping (HB-005, HB-012). Pings that arrive together (in one read from the socket) are
   * answered once, with the payload of the last of them, as RFC 6455 §5.5.3 allows: a burst costs one
   * pong and never piles pongs up behind a client that sends faster than it reads.
   */
  receivePing(payload: Uint8Array): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const first = this.pongOwed === undefined;
    this.pongOwed = payload;
    if (!first) return;
    queueMicrotask(() => {
      const owed = this.pongOwed;
      this.pongOwed = undefined;
      if (owed && this.state !== 'closing' && this.state !== 'closed') this.transport.sendPong(owed);
    });
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
    if (this.heldSlot !== undefined) void this.deps.counters.add(this.heldSlot, -1);
    this.heldSlot = undefined;
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
    this.everyInterval(
      () => this.sendRfcPing(),
      (timer) => (this.rfcPingTimer = timer),
    );
    this.everyInterval(
      () => this.sendAppPing(),
      (timer) => (this.appPingTimer = timer),
    );
  }

  /**
   * Runs `tick` every `heartbeatIntervalMs` from now, on a fixed schedule: a tick that fires late does not
   * push the next ones back, so pings stay at most an interval apart (HB-001, HB-006) on a busy machine
   * too; a slot missed altogether is skipped, not made up with a burst.
   */
  private everyInterval(tick: () => void, keep: (timer: TimerHandle) => void): void {
    const { clock, settings } = this.deps;
    const intervalMs = settings.heartbeatIntervalMs;
    const startedAt = clock.now();
    let slot = 0;
    const schedule = () => {
      slot = Math.max(slot + 1, Math.floor((clock.now() - startedAt) / intervalMs) + 1);
      keep(this.timer(run, startedAt + slot * intervalMs - clock.now()));
    };
    const run = () => {
      tick();
      schedule();
    };
    schedule();
  }

  private sendRfcPing(): void {
    this.transport.sendPing(new Uint8Array(0));
    if (this.pongDeadline !== undefined) return;
    this.pongDeadline = this.timer(
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
    for (const timer of [this.rfcPingTimer, this.appPingTimer, this.pongDeadline, this.tokenExpiryTimer]) {
      this.deps.clock.clearTimeout(timer);
    }
    this.rfcPingTimer = this.appPingTimer = this.pongDeadline = this.tokenExpiryTimer = undefined;
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
    const frame = this.frame({ type: 'error', ...(id !== undefined ? { id } : {}), error });
    if (details === undefined || Buffer.byteLength(frame, 'utf8') <= MAX_ERROR_FRAME_BYTES) return frame;
    // Whatever a handler put in `details`, the error stays within its bound (ERR-012).
    return this.errorFrame(code, message, { ...options, details: undefined });
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
    this.closeGraceTimer = this.timer(
      () => this.transport.terminate(),
      this.deps.settings.heartbeatTimeoutMs,
    );
  }
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request id as a reply may carry it: a string of at most 128 characters, or a finite number. */
function requestId(value: unknown): RequestId | undefined {
  if (typeof value === 'string') return value.length <= MAX_REQUEST_ID_CHARS ? value : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The `id` of a message that is refused before it is validated (rate limit), if it has one. */
function requestIdOf(text: string, bounds: MessageBounds): RequestId | undefined {
  if (!text.startsWith('{') || exceededBound(text, bounds) !== undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? requestId(parsed.id) : undefined;
  } catch {
    return undefined;
  }
}

/** A client's text as an error may echo it: cut to a bounded length. */
function clip(text: string): string {
  return text.length <= MAX_ECHO_CHARS ? text : `${text.slice(0, MAX_ECHO_CHARS)}…`;
}
