/**
 * Wire numbers of the Tidewire protocol, defined once, with the wording of docs/protocol.md.
 * Everything that sends or checks a close code, an error code or a default timer imports it from here.
 */

/** Version string carried in `connection_established.protocolVersion`. */
export const PROTOCOL_VERSION = '1.0';

/** `connection_established.message`, kept from the original clients (HS-009). */
export const CONNECTED_MESSAGE = '✅ WebSocket connected successfully';

/** Subprotocols a server selects (never the `bearer.` token entry, see AUTH-005). */
export const SUBPROTOCOL = 'tidewire.v1';
/** The campaign endpoint's legacy subprotocol from its original clients. */
export const CAMPAIGN_SUBPROTOCOL = 'campaign-updates';
/** Prefix of the subprotocol entry that carries a base64url-encoded token. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';

/** Close codes (docs/protocol.md, "Close codes"). */
export const CloseCode = {
  /** Normal closure, either side. No reconnect. */
  NORMAL: 1000,
  /** Server going away (shutdown). Reconnect with backoff. */
  GOING_AWAY: 1001,
  /** Binary frame on a text protocol. No reconnect. */
  UNSUPPORTED_DATA: 1003,
  /** Invalid UTF-8 in a text frame. No reconnect. */
  INVALID_PAYLOAD: 1007,
  /** Message larger than `maxMessageBytes`. No reconnect. */
  MESSAGE_TOO_BIG: 1009,
  /** Internal server error. Reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /** Service restart. First retry within 1 s, with resume. */
  SERVICE_RESTART: 1012,
  /** Try again later. Not before the advised delay. */
  TRY_AGAIN_LATER: 1013,
  /** Authentication failed or token expired. Not until the client has a new token. */
  UNAUTHORIZED: 4001,
  /** Bad request: missing or malformed handshake parameters. No reconnect. */
  BAD_REQUEST: 4400,
  /** Forbidden: a scope that belongs to another user. No reconnect. */
  FORBIDDEN: 4403,
  /** Unknown campaign or conversation. No reconnect. */
  NOT_FOUND: 4404,
  /** No offered subprotocol is acceptable. No reconnect. */
  SUBPROTOCOL_NOT_ACCEPTABLE: 4406,
  /** Heartbeat timeout: no pong in time. Reconnect with resume. */
  HEARTBEAT_TIMEOUT: 4408,
  /** Session taken over by a newer connection. No reconnect. */
  SESSION_TAKEN_OVER: 4409,
  /** Rate limit exceeded repeatedly. Reconnect not before `retryAfterMs`. */
  RATE_LIMITED: 4429,
  /** Application error. Reconnect with backoff. */
  APPLICATION_ERROR: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a conforming client never reconnects on its own (CR-004). */
export const NO_RECONNECT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.NORMAL,
  CloseCode.UNSUPPORTED_DATA,
  CloseCode.INVALID_PAYLOAD,
  CloseCode.MESSAGE_TOO_BIG,
  CloseCode.UNAUTHORIZED,
  CloseCode.BAD_REQUEST,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE,
  CloseCode.SESSION_TAKEN_OVER,
]);

/** Close reasons are limited by RFC 6455 to 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** `error.code` values (docs/protocol.md, "Errors"). */
export const ErrorCode = {
  INVALID_JSON: 'INVALID_JSON',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  RATE_LIMITED: 'RATE_LIMITED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'BAD_REQUEST',
  SUBPROTOCOL_NOT_ACCEPTABLE: 'SUBPROTOCOL_NOT_ACCEPTABLE',
  HEARTBEAT_TIMEOUT: 'HEARTBEAT_TIMEOUT',
  SESSION_TAKEN_OVER: 'SESSION_TAKEN_OVER',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** The server cannot serve for now (its shared store is unreachable): close 1013, with `retryAfterMs`. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONNECTION_ERROR: 'CONNECTION_ERROR',
  AUTH_ERROR: 'AUTH_ERROR',
  /** A connection over the server's connections-per-user limit (SEC-004), before close 1013. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** `authentication_error.error_code`, kept from the chat endpoints' original clients. */
export const AUTH_REQUIRED = 'AUTH_REQUIRED';

/** Protocol defaults; a server advertises its actual values in `connection_established`. */
export const Defaults = {
  heartbeatIntervalMs: 30_000,
  heartbeatTimeoutMs: 10_000,
  resumeWindowMs: 120_000,
  maxMessageBytes: 65_536,
  rateLimitMaxMessages: 100,
  rateLimitWindowMs: 60_000,
  /** A server answers a client ping within this delay (HB-003, HB-004). */
  pongDeadlineMs: 1_000,
  /** Messages kept per session for replay. */
  resumeBufferMessages: 1_000,
  /** Characters of JSON kept per session for replay (the newest message is always kept). */
  resumeBufferBytes: 1_048_576,
  /** Deepest nesting of arrays and objects accepted in a client message (ERR-011). */
  maxMessageDepth: 32,
  /** Most items (array elements and object members, over the whole message) in a client message (ERR-011). */
  maxMessageItems: 1_024,
  /**
   * The per-user rate limit is this many times the per-connection one, over the same window (RL-009):
   * enough for a client that keeps many connections busy (the conformance runner, about 2 600 messages a
   * minute at the default rate limit), and still a bound on what reconnecting can buy.
   */
  userRateLimitFactor: 50,
  /** Open connections per user (SEC-004), per client address (SEC-005) and in total (SEC-006). */
  connectionsPerUser: 64,
  connectionsPerAddress: 256,
  maxConnections: 10_000,
  /** An upgrade request not complete within this gets HTTP 408. */
  handshakeTimeoutMs: 10_000,
} as const;

/**
 * How late the instances of a deployment may learn of each other's messages of one user (CLU-007): a
 * message that reaches any instance this long after the user's messages on all instances together filled
 * `userRateLimit` is refused. Messages within it may be processed: the overshoot a deployment may allow.
 */
export const CLUSTER_COUNT_DELAY_MS = 100;

/** Largest `error` frame a server sends in answer to a client message, in bytes of UTF-8 (ERR-012). */
export const MAX_ERROR_FRAME_BYTES = 4_096;

/**
 * Most clock skew a server may allow on a token's time claims (AUTH-002, AUTH-014, AUTH-015, AUTH-017). The
 * reference server allows this much for `nbf` and `iat`, and none for `exp`.
 */
export const TOKEN_LEEWAY_SECONDS = 30;
/** The latest NumericDate a token may carry (9999-12-31T23:59:59Z), and the earliest (AUTH-016). */
export const MAX_NUMERIC_DATE = 253_402_300_799;

/** Client reconnect schedule (CR-001): nominal delays, each multiplied by a factor in [0.8, 1.0]. */
export const RECONNECT_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000, 16_000, 30_000];
export const RECONNECT_JITTER_MIN = 0.8;
export const RECONNECT_JITTER_MAX = 1.0;
export const RECONNECT_MAX_ATTEMPTS = 5;
/** After 1012 (service restart) the first attempt comes within this delay (CR-009). */
export const RESTART_FIRST_RETRY_MS = 1_000;
