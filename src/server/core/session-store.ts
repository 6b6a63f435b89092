/**
 * Every live or resumable session of one server. A session whose connection dropped is kept for
 * `resumeWindowMs` (RES-009), then ended; a client's 1000 ends it at once (RES-006). Ended sessions leave
 * a bounded trace so a late resume can say why it failed.
 *
 * `SessionStore` is what the core asks of it; `InMemorySessionStore` keeps everything in this process. A
 * store shared by several instances (src/server/cluster) implements the same interface, so that any
 * instance can resume any session.
 */
import type { Clock } from '../clock.js';
import { errorMessage } from './guard.js';
import type { EndpointHandler } from '../endpoint-handler.js';
import type { ResumeFailureReason } from './policies.js';
import type { RequestMemory } from './request-memory.js';
import {
  InMemoryJournal,
  Session,
  type BufferedMessage,
  type SessionInit,
  type SessionRecord,
  type SessionSink,
} from './session.js';

export type AbsentReason = 'unknown_session' | 'window_expired';

/** A session to start: the store adds where it remembers its replies and what to do when it fails. */
export type NewSession = Omit<SessionInit, 'requests' | 'onFailure'>;

/** The core's judgement of a session a client asks to resume: go ahead (with or without its replay), or why not. */
export type ResumeVerdict =
  { accept: true; replay: boolean } | { accept: false; reason: ResumeFailureReason };

export interface ResumeRequest {
  sessionId: string;
  lastSeq: number;
  /** Decides, from what the store knows of the session, whether it may be resumed. */
  judge(record: SessionRecord): ResumeVerdict;
  /** Whether the connection that holds the session now is closed with 4409. */
  takesOver: boolean;
  /**
   * Whether a connection that holds the session on another instance is closed even when `takesOver` is
   * false: a binding that closes the holder on its own instance itself, once the new connection has the
   * session (the Socket.IO binding), needs the store to close one elsewhere.
   */
  closesHolderElsewhere?: boolean;
  /** The connection that resumes. */
  sink: SessionSink;
}

export type ResumeOutcome =
  | {
      ok: true;
      session: Session;
      /** The data messages after `lastSeq`, in order (none when the verdict said so). */
      replay: BufferedMessage[];
      /** Called once the replay and `resumed` are sent: the session may produce again. */
      resumed?(): void;
    }
  | { ok: false; reason: ResumeFailureReason };

/** The store cannot serve now (a shared store lost its backend); clients come back after `retryAfterMs`. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export interface SessionStore {
  /** Sessions this server holds now, live or resumable (leak checks). */
  readonly size: number;
  /** Starts a fresh session. */
  create(init: NewSession): Promise<Session>;
  /** Finds a session to resume and, when the request's judge accepts it, hands it to the request's sink. */
  resume(request: ResumeRequest): Promise<ResumeOutcome>;
  attach(session: Session, sink: SessionSink): void;
  /** The connection dropped: keep the session for the resume window. */
  detach(session: Session): void;
  /** Ends a session for good and lets its handler release everything. */
  end(session: Session, reason: AbsentReason): void;
  /**
   * Something failed on behalf of the session (a data message that does not serialise): it ends, and
   * its connection, if any, closes with 1011. Other sessions are not touched.
   */
  fail(session: Session, error: unknown): void;
  /**
   * Makes `handler` known under `key` (such as `sio:/projects`): a session it serves is served by it again
   * wherever the session moves, rather than by its endpoint's handler. A store of one process needs
   * nothing (its sessions keep their handler); a shared store treats a session whose key it does not
   * know as unknown.
   */
  registerHandler?(key: string, handler: EndpointHandler): void;
  /**
   * The server stops. In memory every session ends; a shared store leaves its sessions resumable on the
   * other instances.
   */
  stop(): void;
}

/** How many ended session ids are remembered to tell `window_expired` from `unknown_session`. */
const ENDED_TRACE_LIMIT = 1024;

export interface InMemorySessionStoreOptions {
  clock: Clock;
  /** How long a detached session is kept; `Infinity` keeps it until it is ended or the server stops. */
  resumeWindowMs: number;
  /** Where a new session remembers its replies by request id. */
  newRequestMemory(): RequestMemory;
  logger: (line: string) => void;
}

interface Held {
  session: Session;
  journal: InMemoryJournal;
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Held>();
  private readonly ended = new Map<string, AbsentReason>();

  constructor(private readonly options: InMemorySessionStoreOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  async create(init: NewSession): Promise<Session> {
    const journal = new InMemoryJournal(init.bufferLimit, init.bufferBytes);
    const session = new Session(
      {
        ...init,
        requests: this.options.newRequestMemory(),
        onFailure: (failed, error) => this.fail(failed, error),
      },
      journal,
    );
    this.sessions.set(session.id, { session, journal });
    this.ended.delete(session.id);
    return session;
  }

  async resume(request: ResumeRequest): Promise<ResumeOutcome> {
    const held = this.sessions.get(request.sessionId);
    if (!held) return { ok: false, reason: this.ended.get(request.sessionId) ?? 'unknown_session' };
    const { session, journal } = held;
    const verdict = request.judge({
      endpoint: session.context.endpoint,
      handler: session.handler,
      params: session.params,
      userId: session.userId,
      authenticated: session.authenticated,
      seq: session.seq,
      oldestSeq: journal.oldestSeq() ?? session.seq + 1,
    });
    if (!verdict.accept) return { ok: false, reason: verdict.reason };
    const replay = verdict.replay ? journal.after(request.lastSeq) : [];
    const previous = session.sink;
    if (previous && previous !== request.sink && request.takesOver) previous.takeOver();
    return { ok: true, session, replay };
  }

  attach(session: Session, sink: SessionSink): void {
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = sink;
  }

  detach(session: Session): void {
    session.sink = undefined;
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    if (!Number.isFinite(this.options.resumeWindowMs)) return;
    session.expiryTimer = this.options.clock.setTimeout(
      () => this.end(session, 'window_expired'),
      this.options.resumeWindowMs,
    );
  }

  end(session: Session, reason: AbsentReason): void {
    if (this.sessions.get(session.id)?.session !== session) return;
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = undefined;
    session.ended = true;
    this.sessions.delete(session.id);
    this.ended.set(session.id, reason);
    if (this.ended.size > ENDED_TRACE_LIMIT) this.ended.delete(this.ended.keys().next().value as string);
    try {
      session.handler.close(session.context);
    } catch (error) {
      this.options.logger(`session ${session.id}: handler close failed: ${(error as Error).message}`);
    }
  }

  fail(session: Session, error: unknown): void {
    if (session.sink) return session.sink.fail(error);
    this.options.logger(`session ${session.id} on ${session.spec.path} failed: ${errorMessage(error)}`);
    this.end(session, 'unknown_session');
  }

  stop(): void {
    for (const { session } of [...this.sessions.values()]) this.end(session, 'unknown_session');
  }
}
