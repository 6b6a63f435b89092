/**
 * The decisions the protocol core delegates, each behind a small interface with the protocol's own answer
 * as its default. The core asks these objects and acts on what they say; it holds no alternative behaviour
 * of its own. A server is built with one `ProtocolPolicies`: the reference server uses `PROTOCOL_POLICIES`,
 * and its deliberately faulty variants (src/server/faults) replace single decisions, so each rule can be
 * broken on its own without a branch in the core.
 */
import type { ResumeFailed } from '../../../generated/types/index.js';
import type { EndpointSpec } from '../../protocol/endpoints.js';
import { exceededBound, type MessageBounds } from './message-bounds.js';
import {
  checkParams,
  presentedToken,
  selectSubprotocol,
  type ParamProblem,
  type SubprotocolSelection,
  type TokenSources,
} from './handshake.js';

/** Handshake decisions taken from the upgrade request alone (§3). */
export interface HandshakePolicy {
  selectSubprotocol(offered: readonly string[], spec: EndpointSpec): SubprotocolSelection;
  /** The token the request presents, by the precedence of §3. */
  presentedToken(sources: TokenSources): string | undefined;
  checkParams(spec: EndpointSpec, query: Readonly<Record<string, string>>): ParamProblem | undefined;
}

/** Who the client is, and whether it may be (§4). */
export interface AccessPolicy {
  /** Whether a connection without a token is refused on this endpoint. */
  tokenRequired(spec: EndpointSpec, mode: 'required' | 'optional'): boolean;
  /**
   * The session's user from the token's user and the endpoint's `userId` parameter, or why the pair is
   * refused (a token acting as another user).
   */
  identify(
    tokenUser: string | undefined,
    userParam: string | undefined,
  ): { userId: string | null } | { refused: string };
}

/** What happens to one client message, given how many the connection sent in the current window (§10). */
export type RateVerdict = 'process' | 'refuse' | 'close';

export interface RateLimitPolicy {
  verdict(count: number, maxMessages: number): RateVerdict;
  /** The same for the messages of all of a user's connections, counted against `userRateLimit`. */
  userVerdict(count: number, maxMessages: number): RateVerdict;
  /** Whether a user closed for flooding is barred from new connections until its window ends. */
  barsAfterUserFlood(): boolean;
}

/** What a connection is counted against: its user, its client address, or the whole server (§12). */
export type ConnectionScope = 'user' | 'address' | 'total';

/** Bounds on what one client may hold or send (§8, §12). */
export interface LimitsPolicy {
  /** Which bound a client text exceeds (nesting depth, number of items), judged before it is parsed. */
  exceededBound(text: string, bounds: MessageBounds): 'depth' | 'items' | undefined;
  /** Whether one more connection may open when `open` are already held against `limit` in `scope`. */
  admits(scope: ConnectionScope, open: number, limit: number): boolean;
}

/** Why a well-formed resume is not honoured (§11): the reasons of the `resume_failed` schema. */
export type ResumeFailureReason = ResumeFailed['reason'];

/** Resume and session lifetime (§11). */
export interface ResumePolicy {
  /** The `seq` of the data message that follows `seq` in a session. */
  nextSeq(seq: number): number;
  /** Whether a resuming user other than the session's is refused (`user_mismatch`). */
  refusesOtherUser(): boolean;
  /** Whether a session opened with a token refuses a resume without one (`user_mismatch`). */
  refusesTokenlessResumeOfTokenSession(): boolean;
  /**
   * What to replay when `lastSeq` is ahead of the session or older than its buffer: `fail` gives
   * `resume_failed`; `resume` resumes with nothing replayed.
   */
  onUnreplayable(reason: 'seq_ahead' | 'seq_unavailable'): 'fail' | 'resume';
  /** The id of the fresh session opened when a resume of `requestedId` failed for `reason`. */
  freshSessionId(reason: ResumeFailureReason, requestedId: string, newId: string): string;
  /** Whether resuming a session whose connection is still open closes that connection (4409). */
  takesOver(): boolean;
  /** Whether a close from the client with this code ends the session (rather than keeping it resumable). */
  clientCloseEndsSession(code: number): boolean;
  /**
   * Whether a resume on `spec` with `params` names the scope of a session opened on `sessionSpec` with
   * `sessionParams` (otherwise `invalid_request`).
   */
  sameScope(
    sessionSpec: EndpointSpec,
    sessionParams: Readonly<Record<string, string>>,
    spec: EndpointSpec,
    params: Readonly<Record<string, string>>,
  ): boolean;
}

export interface ProtocolPolicies {
  handshake: HandshakePolicy;
  access: AccessPolicy;
  rateLimit: RateLimitPolicy;
  resume: ResumePolicy;
  limits: LimitsPolicy;
}

const NORMAL_CLOSURE = 1000;

/** The protocol as docs/protocol.md states it. */
export const PROTOCOL_POLICIES: ProtocolPolicies = {
  handshake: { selectSubprotocol, presentedToken, checkParams },
  access: {
    // Chat endpoints never serve anonymous users, whatever the mode.
    tokenRequired: (spec, mode) => spec.family === 'chat' || mode === 'required',
    identify: (tokenUser, userParam) => {
      if (tokenUser !== undefined && userParam !== undefined && tokenUser !== userParam) {
        return { refused: `the token's user ${tokenUser} may not act as user ${userParam}` };
      }
      return { userId: tokenUser ?? userParam ?? null };
    },
  },
  rateLimit: {
    verdict: overLimit,
    userVerdict: overLimit,
    barsAfterUserFlood: () => true,
  },
  resume: {
    nextSeq: (seq) => seq + 1,
    refusesOtherUser: () => true,
    refusesTokenlessResumeOfTokenSession: () => true,
    onUnreplayable: () => 'fail',
    freshSessionId: (_reason, _requestedId, newId) => newId,
    takesOver: () => true,
    clientCloseEndsSession: (code) => code === NORMAL_CLOSURE,
    // The same endpoint, and the same required parameters: optional ones (a chat room to join) are not scope.
    sameScope: (sessionSpec, sessionParams, spec, params) =>
      sessionSpec.name === spec.name &&
      spec.params.filter((p) => p.required).every((p) => sessionParams[p.name] === params[p.name]),
  },
  limits: {
    exceededBound,
    admits: (_scope, open, limit) => open < limit,
  },
};

/** Up to the limit: processed; up to twice the limit: refused; beyond: closed. */
function overLimit(count: number, maxMessages: number): RateVerdict {
  return count <= maxMessages ? 'process' : count <= 2 * maxMessages ? 'refuse' : 'close';
}
