/**
 * Every live or resumable session of one server. A session whose connection dropped is kept for
 * `resumeWindowMs` (RES-009), then ended; a client's 1000 ends it at once (RES-006). Ended sessions leave
 * a bounded trace so a late resume can say why it failed.
 */
import type { Clock } from '../clock.js';
import { errorMessage } from './guard.js';
import { Session, type SessionInit, type SessionSink } from './session.js';

export type AbsentReason = 'unknown_session' | 'window_expired';

/** How many ended session ids are remembered to tell `window_expired` from `unknown_session`. */
const ENDED_TRACE_LIMIT = 1024;

export interface SessionStoreOptions {
  clock: Clock;
  /** How long a detached session is kept; `Infinity` keeps it until it is ended or the server stops. */
  resumeWindowMs: number;
  logger: (line: string) => void;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ended = new Map<string, AbsentReason>();

  constructor(private readonly options: SessionStoreOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  create(init: Omit<SessionInit, 'onFailure'>): Session {
    const session = new Session({ ...init, onFailure: (failed, error) => this.fail(failed, error) });
    this.sessions.set(session.id, session);
    this.ended.delete(session.id);
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Why a session that is not here cannot be resumed. */
  absentReason(id: string): AbsentReason {
    return this.ended.get(id) ?? 'unknown_session';
  }

  attach(session: Session, sink: SessionSink): void {
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = sink;
  }

  /** The connection dropped: keep the session for the resume window. */
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

  /** Ends a session for good and lets its handler release everything. */
  end(session: Session, reason: AbsentReason): void {
    if (this.sessions.get(session.id) !== session) return;
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

  /**
   * Something failed on behalf of the session (a data message that does not serialise): it ends, and
   * its connection, if any, closes with 1011. Other sessions are not touched.
   */
  fail(session: Session, error: unknown): void {
    if (session.sink) return session.sink.fail(error);
    this.options.logger(`session ${session.id} on ${session.spec.path} failed: ${errorMessage(error)}`);
    this.end(session, 'unknown_session');
  }

  endAll(): void {
    for (const session of [...this.sessions.values()]) this.end(session, 'unknown_session');
  }
}
