/**
 * The Socket.IO binding over the same domain core as the WebSocket endpoints (docs/protocol.md, section
 * 14a): the same endpoint handlers, session store, token verification, scope checks and rate window.
 * Nothing here imports `socket.io`: `socketio-adapter.ts` turns Socket.IO's middleware, events and
 * acknowledgements into the calls below, and a `SocketIoPeer` writes what the binding sends.
 *
 * A namespace socket is one session of the store. Its `pid` (Socket.IO's private session id) is the
 * session id, its data events carry the session's `seq` as their offset, and a CONNECT with `{pid, offset}`
 * recovers the session with every event after `offset` — Socket.IO's connection state recovery, served
 * by the session store that also serves WebSocket resumes. The store is asked during the CONNECT's
 * middleware (it may answer later, as a shared store does), so that the CONNECT packet carries the pid.
 */
import { AUTH_REQUIRED, CloseCode, ErrorCode, PROTOCOL_VERSION } from '../protocol/constants.js';
import { endpoint as endpointSpec, type EndpointName, type EndpointSpec } from '../protocol/endpoints.js';
import { SocketIoSchemas } from '../protocol/socketio-schemas.js';
import {
  clientEventsOf,
  ERROR_EVENT,
  ESTABLISHED_EVENT,
  NAMESPACES,
  SERVER_EVENTS,
  serverDataEventsOf,
  toMessage,
  type ClientEventSpec,
  type NamespaceSpec,
} from '../protocol/socketio.js';
import type { Clock } from './clock.js';
import type { CoreSettings } from './core/connection.js';
import { errorMessage } from './core/guard.js';
import { PROTOCOL_POLICIES } from './core/policies.js';
import { RateWindow } from './core/rate-window.js';
import {
  replayability,
  type BufferedMessage,
  type JournalEntry,
  type Session,
  type SessionSink,
} from './core/session.js';
import type { ResumeOutcome, SessionStore } from './core/session-store.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type SessionContext,
  type SessionStart,
} from './endpoint-handler.js';
import type { VerifiedToken } from './token.js';

export const SOCKETIO_CONNECTED_MESSAGE = '✅ Socket.IO connected successfully';

/**
 * The decisions of the binding that a server may make differently (the reference server's deliberate
 * faults replace them); `SOCKETIO_POLICIES` is the binding as docs/protocol.md states it.
 */
export interface SocketIoPolicies {
  /** A CONNECT without a token, on a connection with no user yet, is refused. */
  tokenRequired: boolean;
  /** A CONNECT without a token takes the user of its Engine.IO connection. */
  inheritsIdentity: boolean;
  /** The pid of a fresh session; `unknown` is the pid the CONNECT asked for when no such session exists. */
  freshSessionId(unknown: string | undefined, newId: string): string;
}

export const SOCKETIO_POLICIES: SocketIoPolicies = {
  tokenRequired: true,
  inheritsIdentity: true,
  freshSessionId: (_requested, newId) => newId,
};

/** What the binding shares with the WebSocket endpoints of one server. */
export interface SocketIoDependencies {
  settings: CoreSettings;
  clock: Clock;
  handlers: Readonly<Partial<Record<EndpointName, EndpointHandler>>>;
  sessions: SessionStore;
  verifyToken(token: string): Promise<VerifiedToken>;
  newSessionId(): string;
  logger(line: string): void;
  policies?: SocketIoPolicies;
  /** Wraps each namespace socket's peer (the seam of wire-level faults); default: none. */
  decoratePeer?(peer: SocketIoPeer): SocketIoPeer;
  schemas?: SocketIoSchemas;
}

type Reply = Record<string, unknown>;

/** A client's acknowledgement callback and the id of its packet. */
export interface AckCallback {
  id: number | undefined;
  send(reply: Reply): void;
}

/** Writes to one namespace socket of a client. */
export interface SocketIoPeer {
  /** True while the namespace socket is connected. */
  readonly connected: boolean;
  /** Writes a data event: `frame` (a data message's JSON) as its payload, then its offset. */
  writeEvent(event: string, frame: string, offset: string): void;
  /** Emits an event with one payload. */
  emit(event: string, payload: Reply): void;
  /** Calls a client's acknowledgement callback with the reply. */
  acknowledge(ack: AckCallback, reply: Reply): void;
  /** Ends the namespace socket from the server side (a newer connection recovered its session). */
  disconnect(): void;
}

/** What a namespace CONNECT carries that the binding judges. */
export interface ConnectRequest {
  /** The Engine.IO connection it arrived on (namespaces of one connection share an identity, SIO-007). */
  connection: object;
  namespace: NamespaceSpec;
  /** The CONNECT packet's data: `token`, and `pid`/`offset` when the client recovers a session. */
  auth: Record<string, unknown>;
  /** The `Authorization` header of the Engine.IO handshake request. */
  authorization: string | undefined;
}

export type Admission =
  | {
      ok: true;
      userId: string | null;
      /** The session id: the recovered session's, or a new one's. */
      pid: string;
      /** The session the namespace socket will carry: recovered, or fresh (kept as a dropped one until then). */
      session: Session;
      /** What a recovered session replays: every event after the client's offset (none for a fresh one). */
      replay: BufferedMessage[];
      recovered: boolean;
      /** Called once the replay is out (the store's `ResumeOutcome.resumed`). */
      resumed?(): void;
      /** The CONNECT asked to recover a session (whether or not it can be). */
      recoveryRequested: boolean;
    }
  | { ok: false; message: string; data: Record<string, unknown> };

/** One connected namespace socket and its session. */
export interface SocketIoAttachment {
  readonly peer: SocketIoPeer;
  readonly namespace: NamespaceSpec;
  readonly session: Session;
}

interface RateEntry {
  window: RateWindow;
  sockets: number;
}

export class SocketIoBinding {
  private readonly schemas: SocketIoSchemas;
  /** The user each Engine.IO connection was authenticated as, once a namespace presented a token. */
  private readonly identities = new WeakMap<object, Promise<string | undefined>>();
  /** Rate windows per user (the limit counts a user's events on every connection, SIO-016). */
  private readonly rates = new Map<string, RateEntry>();
  private readonly handlers = new Map<NamespaceSpec, NamespaceHandler>();
  private readonly policies: SocketIoPolicies;

  constructor(private readonly deps: SocketIoDependencies) {
    this.schemas = deps.schemas ?? SocketIoSchemas.shared();
    this.policies = deps.policies ?? SOCKETIO_POLICIES;
    // Before any CONNECT: a session of a namespace may come here from another instance at any time, and is
    // served by that namespace's handler here too (CLU-008).
    for (const namespace of NAMESPACES) {
      const handler = this.namespaceHandler(namespace);
      if (handler) deps.sessions.registerHandler?.(handlerKey(namespace), handler);
    }
  }

  /** True when every endpoint the namespace carries has a handler on this server. */
  serves(namespace: NamespaceSpec): boolean {
    return this.namespaceHandler(namespace) !== undefined;
  }

  // ---- CONNECT (SIO-002, SIO-004..SIO-007, SIO-017, SIO-018) ----

  /** Decides a namespace CONNECT: the user, and the session it recovers (if any). */
  async admit(request: ConnectRequest): Promise<Admission> {
    const token = presentedToken(request);
    let userId: string | null;
    if (token !== undefined) {
      const verified = this.deps.verifyToken(token);
      const identity = verified.then((v) => ('userId' in v ? v.userId : undefined));
      // The first namespace that presents a token names the connection's user.
      if (!this.identities.has(request.connection)) this.identities.set(request.connection, identity);
      const result = await verified;
      if ('error' in result) return this.refusal(result.error);
      userId = result.userId;
    } else {
      const inherited = this.policies.inheritsIdentity
        ? await this.identities.get(request.connection)
        : undefined;
      if (inherited === undefined && this.policies.tokenRequired) {
        return this.refusal('authentication required: present a token in auth.token');
      }
      userId = inherited ?? null;
    }
    const handler = this.namespaceHandler(request.namespace);
    if (!handler) throw new Error(`namespace ${request.namespace.name} is not served`);
    const requested = typeof request.auth.pid === 'string' ? request.auth.pid : undefined;
    const outcome = requested === undefined ? undefined : await this.recover(request, requested, userId);
    if (outcome?.ok && outcome.session.handler === handler) {
      const { session, replay, resumed } = outcome;
      return {
        ok: true,
        userId,
        pid: session.id,
        session,
        replay,
        recovered: true,
        resumed,
        recoveryRequested: true,
      };
    }
    // A session of another namespace or binding under that pid stays as it was.
    if (outcome?.ok) {
      outcome.resumed?.();
      if (!outcome.session.sink) this.deps.sessions.detach(outcome.session);
    }
    const absent =
      outcome?.ok === false && (outcome.reason === 'unknown_session' || outcome.reason === 'window_expired');
    const unknown = absent ? requested : undefined;
    const session = await this.deps.sessions.create({
      id: this.policies.freshSessionId(unknown, this.deps.newSessionId()),
      spec: handler.spec,
      userId,
      // Every namespace of the binding needs a token (SIO-003): a user is one a token vouched for.
      authenticated: userId !== null,
      params: {},
      handler,
      bufferLimit: this.deps.settings.resumeBufferMessages,
      bufferBytes: this.deps.settings.resumeBufferBytes,
      clock: this.deps.clock,
      nextSeq: PROTOCOL_POLICIES.resume.nextSeq,
    });
    // Until its socket is connected the session counts as dropped: a CONNECT that never completes leaves
    // it to end with the resume window.
    this.deps.sessions.detach(session);
    return {
      ok: true,
      userId,
      pid: session.id,
      session,
      replay: [],
      recovered: false,
      recoveryRequested: requested !== undefined,
    };
  }

  private refusal(message: string): Admission {
    return {
      ok: false,
      message,
      data: {
        type: 'authentication_error',
        message,
        error_code: AUTH_REQUIRED,
        closeCode: CloseCode.UNAUTHORIZED,
        timestamp: this.isoNow(),
      },
    };
  }

  /**
   * Asks the store for the session a CONNECT's `{pid, offset}` names: only one this namespace serves (not
   * a WebSocket connection's, nor another namespace's), by the same user, with every event after `offset` still kept, is handed over. The socket
   * that holds it now is disconnected once the new one has it (`open`).
   */
  private recover(request: ConnectRequest, pid: string, userId: string | null): Promise<ResumeOutcome> {
    const { offset } = request.auth;
    // socket.io-client sends no offset before its first data event: nothing was received yet.
    const lastSeq = offset === undefined ? 0 : typeof offset === 'string' ? parseSeq(offset) : undefined;
    const handler = this.namespaceHandler(request.namespace);
    return this.deps.sessions.resume({
      sessionId: pid,
      lastSeq: lastSeq ?? 0,
      judge: (record) =>
        lastSeq !== undefined &&
        record.handler === handler &&
        record.userId === userId &&
        replayability(lastSeq, record) === 'ok'
          ? { accept: true, replay: true }
          : { accept: false, reason: 'invalid_request' },
      // The socket that holds it here is disconnected in `open`, once the new one has it; one on another
      // instance is disconnected by that instance when it lets the session go.
      takesOver: false,
      closesHolderElsewhere: true,
      sink: UNATTACHED,
    });
  }

  /**
   * The namespace socket is connected (CONNECT sent): attaches the fresh or recovered session, emits
   * `connection:established`, then any missed events in order. Undefined (and the socket disconnected)
   * when the session ended meanwhile.
   */
  open(
    socketPeer: SocketIoPeer,
    namespace: NamespaceSpec,
    admission: Extract<Admission, { ok: true }>,
  ): SocketIoAttachment | undefined {
    const peer = this.deps.decoratePeer?.(socketPeer) ?? socketPeer;
    const { session, recovered } = admission;
    if (session.ended) {
      admission.resumed?.();
      peer.disconnect();
      return undefined;
    }
    this.countSocket(admission.userId ?? '', +1);
    const previous = session.sink;
    const sink = new SocketIoSink(peer, namespace, (error) => {
      this.deps.logger(
        `socket.io ${namespace.name}: internal error, disconnecting the socket: ${errorMessage(error)}`,
      );
      if (session.sink === sink) this.deps.sessions.end(session, 'unknown_session');
      peer.disconnect();
    });
    peer.emit(ESTABLISHED_EVENT, this.established(namespace, session, recovered));
    for (const message of admission.replay) sink.write(message.frame, message.seq);
    this.deps.sessions.attach(session, sink);
    admission.resumed?.();
    // Attached first: the older socket's disconnect then finds the session no longer its own.
    if (previous && previous !== sink) previous.takeOver();
    if (recovered) session.handler.resumed?.(session.context);
    else session.handler.open(session.context, admission.recoveryRequested ? 'resume_failed' : 'connected');
    return { peer, namespace, session };
  }

  private established(namespace: NamespaceSpec, session: Session, resumed: boolean): Reply {
    const { settings } = this.deps;
    return {
      type: 'connection_established',
      message: SOCKETIO_CONNECTED_MESSAGE,
      timestamp: this.isoNow(),
      sessionId: session.id,
      protocolVersion: PROTOCOL_VERSION,
      namespace: namespace.name,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      resumeWindowMs: settings.resumeWindowMs,
      maxMessageBytes: settings.maxMessageBytes,
      rateLimit: { ...settings.rateLimit, per: 'user' },
      auth: { mode: 'required', userId: session.userId },
      ...(settings.instanceId !== undefined ? { instanceId: settings.instanceId } : {}),
      ...(resumed ? { resumed: true } : {}),
    };
  }

  // ---- client events (SIO-013..SIO-016) ----

  /** One client event: rate limit, catalogue, schema, then the endpoint handler; answered by ack or `error`. */
  receive(
    attachment: SocketIoAttachment,
    event: string,
    args: unknown[],
    ack: AckCallback | undefined,
  ): void {
    const { session, namespace } = attachment;
    const answer = (reply: Promise<Reply> | Reply) => {
      void Promise.resolve(reply).then((settled) => this.send(attachment, event, settled, ack));
    };
    const { count, retryAfterMs } = this.rateOf(session.userId ?? '').hit();
    const { maxMessages, windowMs } = this.deps.settings.rateLimit;
    if (count > maxMessages) {
      return answer(
        this.errorReply(ErrorCode.RATE_LIMITED, `more than ${maxMessages} events in ${windowMs} ms`, ack, {
          retryAfterMs,
        }),
      );
    }
    const spec = clientEventsOf(namespace).get(event);
    if (!spec) {
      return answer(
        this.errorReply(
          ErrorCode.UNKNOWN_TYPE,
          `unknown event "${event}" on namespace ${namespace.name}`,
          ack,
          {
            details: { event },
          },
        ),
      );
    }
    const payload = args[0];
    const result = this.schemas.validateClientPayload(spec.type, payload);
    if (!result.ok) {
      const first = result.issues[0];
      const path = first?.path || '/';
      return answer(
        this.errorReply(ErrorCode.INVALID_MESSAGE, `${path}: ${first?.message ?? 'invalid payload'}`, ack, {
          details: { path, errors: result.issues },
        }),
      );
    }
    answer(this.handle(attachment, spec, payload as Record<string, unknown>, ack));
  }

  private async handle(
    attachment: SocketIoAttachment,
    spec: ClientEventSpec,
    payload: Record<string, unknown>,
    ack: AckCallback | undefined,
  ): Promise<Reply> {
    const { session } = attachment;
    const handler = this.deps.handlers[spec.endpoint];
    const request = toMessage(spec, payload) as IncomingRequest;
    try {
      if (!handler) throw new Error(`no handler for ${spec.endpoint}`);
      const context = (session.handler as NamespaceHandler).contextFor(session.context, spec.endpoint);
      const data = await handler.handle(context, request);
      return {
        type: 'ack',
        ...(ack?.id !== undefined ? { id: ack.id } : {}),
        ok: true,
        ...(data !== undefined ? { data } : {}),
        timestamp: this.isoNow(),
      };
    } catch (error) {
      if (error instanceof RequestError) {
        return this.errorReply(error.code, error.message, ack, { details: error.details });
      }
      this.deps.logger(`socket.io ${spec.event}: handler failed: ${errorMessage(error)}`);
      return this.errorReply(ErrorCode.INTERNAL_ERROR, 'internal error', ack);
    }
  }

  /** An `error` message for the ack, or the flat error object of the `error` event (source 002's shape). */
  private errorReply(
    code: string,
    message: string,
    ack: AckCallback | undefined,
    extra: { details?: unknown; retryAfterMs?: number } = {},
  ): Reply {
    const error = {
      code,
      message,
      ...(extra.details !== undefined ? { details: extra.details } : {}),
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    };
    return {
      type: 'error',
      ...(ack?.id !== undefined ? { id: ack.id } : {}),
      error,
      timestamp: this.isoNow(),
    };
  }

  /** Acks every reply to an event with a callback; without one, only errors are sent, as `error` events. */
  private send(
    attachment: SocketIoAttachment,
    event: string,
    reply: Reply,
    ack: AckCallback | undefined,
  ): void {
    if (!attachment.peer.connected) return;
    if (ack) return attachment.peer.acknowledge(ack, reply);
    if (reply.type !== 'error') return;
    attachment.peer.emit(ERROR_EVENT, { ...(reply.error as Reply), event, timestamp: reply.timestamp });
  }

  // ---- disconnect ----

  /** The namespace socket is gone; `recoverable` when it was dropped rather than closed on purpose. */
  closed(attachment: SocketIoAttachment, recoverable: boolean): void {
    const { session } = attachment;
    this.countSocket(session.userId ?? '', -1);
    const sink = session.sink;
    if (!(sink instanceof SocketIoSink) || sink.peer !== attachment.peer) return;
    if (recoverable) this.deps.sessions.detach(session);
    else this.deps.sessions.end(session, 'unknown_session');
  }

  // ---- helpers ----

  private namespaceHandler(namespace: NamespaceSpec): NamespaceHandler | undefined {
    let handler = this.handlers.get(namespace);
    if (handler === undefined) {
      const parts = namespace.endpoints.map((name) => [name, this.deps.handlers[name]] as const);
      if (parts.some(([, part]) => part === undefined)) return undefined;
      handler = new NamespaceHandler(parts as ReadonlyArray<readonly [EndpointName, EndpointHandler]>);
      this.handlers.set(namespace, handler);
    }
    return handler;
  }

  private rateOf(userId: string): RateWindow {
    let entry = this.rates.get(userId);
    if (!entry) {
      entry = { window: new RateWindow(this.deps.settings.rateLimit.windowMs, this.deps.clock), sockets: 0 };
      this.rates.set(userId, entry);
    }
    return entry.window;
  }

  /** Keeps a user's rate window while the user has sockets, so the map does not grow with old users. */
  private countSocket(userId: string, change: 1 | -1): void {
    this.rateOf(userId);
    const entry = this.rates.get(userId)!;
    entry.sockets += change;
    if (entry.sockets <= 0) this.rates.delete(userId);
  }

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}

/** The key under which a namespace's handler is known to the session store. */
function handlerKey(namespace: NamespaceSpec): string {
  return `sio:${namespace.name}`;
}

/**
 * The endpoint handlers of one namespace as one session handler: `/` carries chat, projects and
 * notifications. Each endpoint keeps its own view of the session (its own `state`) so that each handler
 * opens and releases what it follows as it does for its WebSocket endpoint. A store shared by several
 * instances saves each endpoint's state and rebuilds it where the session moves (CLU-008).
 */
class NamespaceHandler implements EndpointHandler {
  readonly spec: EndpointSpec;

  constructor(private readonly parts: ReadonlyArray<readonly [EndpointName, EndpointHandler]>) {
    this.spec = endpointSpec(parts[0][0]);
  }

  /** The context an endpoint's handler sees for this session. */
  contextFor(context: SessionContext, endpoint: EndpointName): SessionContext {
    if (this.parts.length === 1) return context;
    const key = `endpoint:${endpoint}`;
    let view = context.state[key] as SessionContext | undefined;
    if (!view) {
      view = {
        get sessionId() {
          return context.sessionId;
        },
        endpoint,
        get userId() {
          return context.userId;
        },
        get params() {
          return context.params;
        },
        emit: (message, at) => context.emit(message, at),
        state: {},
        // What a shared store sets on the session, read when called: it may come and go (`resumeAfter`).
        get stateChanged() {
          return context.stateChanged;
        },
        get resumeAfter() {
          return context.resumeAfter;
        },
        get stoppedFollowing() {
          return context.stoppedFollowing;
        },
      };
      context.state[key] = view;
    }
    return view;
  }

  open(context: SessionContext, start?: SessionStart): void {
    for (const [name, handler] of this.parts) handler.open(this.contextFor(context, name), start);
  }

  resumed(context: SessionContext): void {
    for (const [name, handler] of this.parts) handler.resumed?.(this.contextFor(context, name));
  }

  handle(): never {
    // The binding routes each event to the handler of its endpoint with `contextFor`.
    throw new Error('events are handled by the endpoint handlers');
  }

  close(context: SessionContext): void {
    for (const [name, handler] of this.parts) handler.close(this.contextFor(context, name));
  }

  /** Each endpoint's state, by endpoint. */
  saveState(context: SessionContext): Record<string, unknown> {
    const saved: Record<string, unknown> = {};
    for (const [name, handler] of this.parts)
      saved[name] = handler.saveState?.(this.contextFor(context, name));
    return saved;
  }

  restoreState(context: SessionContext, saved: unknown): void {
    const states = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
    for (const [name, handler] of this.parts) {
      handler.restoreState?.(this.contextFor(context, name), states[name]);
    }
  }

  release(context: SessionContext): void {
    for (const [name, handler] of this.parts) handler.release?.(this.contextFor(context, name));
  }
}

/** Delivers a session's data messages to a namespace socket as the events they map to, with offsets. */
class SocketIoSink implements SessionSink {
  private readonly events: ReadonlyMap<string, readonly string[]>;
  /** The start of the last frame written (`{"type":"…"`) and its events: a fan-out repeats one type. */
  private lastStart = '';
  private lastEvents: readonly string[] = [];

  constructor(
    readonly peer: SocketIoPeer,
    readonly namespace: NamespaceSpec,
    private readonly failed: (error: unknown) => void,
  ) {
    this.events = eventsByType(namespace);
  }

  /** Something failed on behalf of the session: it ends, and the socket is disconnected. */
  fail(error: unknown): void {
    this.failed(error);
  }

  deliver(entry: JournalEntry): void {
    this.write(entry.frame, entry.seq);
  }

  /** Writes one data message (the WebSocket frame's JSON) as its events, each with the offset `seq`. */
  write(frame: string, seq: number): void {
    const offset = String(seq);
    for (const event of this.eventsOf(frame)) this.peer.writeEvent(event, frame, offset);
  }

  private eventsOf(frame: string): readonly string[] {
    if (this.lastStart === '' || !frame.startsWith(this.lastStart)) {
      const type = typeOfFrame(frame);
      this.lastStart = `{"type":${JSON.stringify(type)}`;
      this.lastEvents = this.events.get(type) ?? [];
    }
    return this.lastEvents;
  }

  takeOver(): void {
    this.peer.disconnect();
  }
}

/** The sink named by a recovery asked for in a CONNECT's middleware, before its socket exists. */
const UNATTACHED: SessionSink = {
  deliver: () => {},
  takeOver: () => {},
  fail: () => {},
};

const eventMaps = new Map<NamespaceSpec, ReadonlyMap<string, readonly string[]>>();

/** Data message type → the events it is emitted as on a namespace. */
function eventsByType(namespace: NamespaceSpec): ReadonlyMap<string, readonly string[]> {
  let map = eventMaps.get(namespace);
  if (!map) {
    const defined = serverDataEventsOf(namespace);
    map = new Map(
      Object.entries(SERVER_EVENTS).map(([type, events]) => [type, events.filter((e) => defined.has(e))]),
    );
    eventMaps.set(namespace, map);
  }
  return map;
}

const LEADING_TYPE = /^\{"type":"([a-z_]+)"/;

/** The `type` of a data frame: handlers build messages with `type` first, so it leads the JSON. */
function typeOfFrame(frame: string): string {
  const leading = LEADING_TYPE.exec(frame);
  if (leading) return leading[1];
  const parsed = JSON.parse(frame) as { type?: unknown };
  return typeof parsed.type === 'string' ? parsed.type : '';
}

function parseSeq(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const seq = Number(text);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** `auth.token`, else a Bearer token in the handshake's `Authorization` header. */
function presentedToken(request: ConnectRequest): string | undefined {
  const token = request.auth.token;
  if (typeof token === 'string' && token.length > 0) return token;
  const bearer = /^Bearer (.+)$/.exec(request.authorization ?? '');
  return bearer ? bearer[1] : undefined;
}
