/**
 * The seam between the protocol core (handshake, heartbeat, errors, acks, rate limit, resume) and what an
 * endpoint does with its data. The core never knows about campaigns or prices; a handler never knows about
 * frames, seq numbers or sessions beyond the context it is given.
 */
import type { EndpointName } from '../protocol/endpoints.js';
import type { TopicPosition } from './bus.js';

export type { TopicPosition } from './bus.js';

/** A server→client data message before the core stamps it with `seq` and `timestamp`. */
export interface OutgoingData {
  type: string;
  [field: string]: unknown;
}

/** A validated client request (never ping/pong, which the core answers itself). */
export interface IncomingRequest {
  type: string;
  id?: string | number;
  [field: string]: unknown;
}

/** Thrown by a handler to answer a request with an `error` instead of an `ack`. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Why a handshake is refused after the upgrade (the core sends `error` with closeCode, then closes). */
export interface ScopeRefusal {
  closeCode: 4400 | 4403 | 4404;
  code: string;
  message: string;
}

export interface SessionContext {
  readonly sessionId: string;
  readonly endpoint: EndpointName;
  /** Authenticated user (token `sub`), or the campaign's `userId` param when anonymous use is allowed. */
  readonly userId: string | null;
  /** Handshake query parameters (scope ids, already checked by `checkScope`). */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Queue a data message for this session; the core adds seq and timestamp and buffers it for resume. `at`
   * says where a message from a bus topic came from, so that a session moved to another instance goes on
   * from there.
   */
  emit(message: OutgoingData, at?: TopicPosition): void;
  /** Per-session state owned by the handler (subscriptions, joined rooms); survives a resume. */
  state: Record<string, unknown>;
  /**
   * Set by a store shared by several instances: the handler changed `state` (what the session follows),
   * so that the state can be saved for another instance to take the session over.
   */
  stateChanged?(): void;
  /**
   * Set on a session moved here from another instance: the position in `topic` after which it has not
   * received anything yet (undefined: from now on).
   */
  resumeAfter?(topic: string): string | undefined;
  /** Set by a store shared by several instances: the session no longer follows `topic`. */
  stoppedFollowing?(topic: string): void;
}

/** How a fresh session came about: a new connection, or a resume that could not be honoured (§11). */
export type SessionStart = 'connected' | 'resume_failed';

export interface EndpointHandler {
  /** Checks handshake parameters and scope ownership before `connection_established` is sent. */
  checkScope?(
    params: Readonly<Record<string, string>>,
    userId: string | null,
  ): ScopeRefusal | undefined | Promise<ScopeRefusal | undefined>;
  /** A fresh session has started (also after `resume_failed`): subscribe, send the initial snapshot. */
  open(session: SessionContext, start?: SessionStart): void | Promise<void>;
  /** A new connection resumed the session; its state, subscriptions and rooms are kept. */
  resumed?(session: SessionContext): void;
  /** A validated request; the return value becomes `ack.data`, a thrown RequestError becomes `error`. */
  handle(session: SessionContext, request: IncomingRequest): unknown | Promise<unknown>;
  /** The session has ended for good (client 1000, resume window passed, server shutdown): release everything. */
  close(session: SessionContext): void;
  /** The session's `state` as JSON, for a store shared by several instances. */
  saveState?(session: SessionContext): unknown;
  /**
   * The session moved here from another instance with the state `saved`: follow again what it followed
   * (from `session.resumeAfter`), without announcing anything to anyone.
   */
  restoreState?(session: SessionContext, saved: unknown): void;
  /** The session moved to another instance: stop following anything here, without announcing anything. */
  release?(session: SessionContext): void;
}
