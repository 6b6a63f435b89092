/**
 * The shape of a conformance check and of what the runner gives it. Checks are data: the CLI, the
 * tests against the reference server and the tests against the faulty servers all run the same list.
 */
import type { EndpointName, Family } from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import type { DialectName } from '../protocol/dialects.js';
import type { SocketIoContext } from './socketio/probes.js';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
/**
 * - `pass`: the rule held, and the result's `evidence` says what was observed;
 * - `fail`: a MUST (or, with --strict, a SHOULD) was broken; `warn`: a SHOULD or MAY was broken;
 * - `skip`: nothing to judge on this server (a family or capability it lacks), with the reason;
 * - `blocked`: a precondition judged by another check did not hold; `blockedBy` names that check, and the
 *   blocked rule is not counted as broken;
 * - `error`: the runner could not run the check; `cancelled`: the run was interrupted before it ended.
 */
export type Outcome = 'pass' | 'fail' | 'warn' | 'skip' | 'blocked' | 'error' | 'cancelled';

/** How a server speaks the protocol: plain WebSocket endpoints, or the Socket.IO binding. */
export type Binding = 'websocket' | 'socket.io';
export type Area =
  | 'handshake'
  | 'auth'
  | 'heartbeat'
  | 'close'
  | 'envelope'
  | 'errors'
  | 'acks'
  | 'rate-limit'
  | 'resume'
  | 'security'
  /** Source dialects and profiles (SRC-*). */
  | 'sources'
  /** The Socket.IO binding (SIO-*). */
  | 'socket.io'
  /** Several instances of one server (CLU-*), checked in cluster mode. */
  | 'cluster'
  /** Client mode: the reconnect rules (CR-*) checked on a client. */
  | 'reconnect';

/** Timers and limits a server advertises in `connection_established` (protocol defaults when it does not). */
export interface AdvertisedTimers {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  resumeWindowMs: number;
  maxMessageBytes: number;
  rateLimit: { maxMessages: number; windowMs: number };
  authMode: 'required' | 'optional' | 'unknown';
}

/** One frame or event in a transcript. `at` is ms since the check started. */
export interface TranscriptEntry {
  at: number;
  connection: number;
  direction: 'sent' | 'received' | 'event';
  /** `text`, `binary`, `ping`, `pong`, `close`, `open`, `http`, `error`, `note`. */
  kind: string;
  data: string;
}

/** Received text frame, parsed when it was JSON. */
export interface ReceivedMessage {
  at: number;
  text: string;
  /** Parsed JSON, or undefined when the frame was not JSON. */
  json: Record<string, unknown> | undefined;
  type: string | undefined;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** True when the close frame came from the server (false: TCP dropped without a close frame → 1006). */
  clean: boolean;
  /**
   * Set when the runner itself ended the connection, and why: its WebSocket client refusing a frame (1009
   * over its size cap, 1002 an invalid frame, 1007 invalid UTF-8) or dropping a peer that floods it.
   * `code` is then what came back, not what the server chose.
   */
  byRunner?: string;
}

/** How the runner reaches the target: TLS trust and extra request headers (`--ca`, `--insecure`, `--header`). */
export interface TargetTransport {
  /** PEM certificates trusted besides the system's (the contents of `--ca FILE`). */
  ca?: string;
  /** Accept any certificate (`--insecure`). */
  insecure: boolean;
  /** Headers added to every request the runner sends (`--header 'Name: value'`). */
  headers: Readonly<Record<string, string>>;
}

/** The Engine.IO v4 open packet a Socket.IO server answers `/socket.io/?EIO=4&transport=polling` with. */
export interface EngineIoOpen {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** What a check knows of the server under test beyond its endpoints (Socket.IO checks connect with it). */
export interface TargetInfo {
  /** ws:// or wss:// URL of the server, with its path prefix and query as given. */
  readonly url: string;
  /** The same URL as http:// or https://. */
  readonly httpUrl: string;
  readonly transport: TargetTransport;
  /** The open packet found by the preflight, when the server speaks Engine.IO. */
  readonly engineIo?: EngineIoOpen;
}

export interface ConnectOptions {
  /** Extra query parameters; scope params default from the run's params (`campaignId`, `userId`). */
  query?: Record<string, string | undefined>;
  /** Subprotocols to offer; default: `tidewire.v1`. `[]` offers none. */
  protocols?: string[];
  headers?: Record<string, string>;
  /** Token to present; default: the run's token for `userId`. `null` presents none. */
  token?: string | null;
  /**
   * Where to put the token. Default: where discovery found the server accepts it — the query, or the
   * `Authorization` header when the server refused the token in the query but accepted it in the header.
   */
  tokenVia?: 'query' | 'header' | 'subprotocol';
  /** Answer RFC 6455 pings automatically (default true). */
  autoPong?: boolean;
  /** Resolve only after `connection_established` arrives (default true); false resolves on open. */
  waitEstablished?: boolean;
  /** Query parameters appended after the others, in order; a name may repeat (HS-014). */
  extraQuery?: readonly (readonly [string, string])[];
  /**
   * Answer the server's close frame (default true). False leaves it unanswered, as a peer that vanished
   * mid-close would (CL-007); `closeFrameAt` then tells when it came.
   */
  answerClose?: boolean;
  /** `Sec-WebSocket-Version` to ask for (default 13; 8 is the pre-RFC 6455 draft hybi-08). */
  protocolVersion?: 8 | 13;
  /** Local address to connect from (a loopback alias such as 127.0.0.2 is a client address of its own). */
  localAddress?: string;
  /** Cluster mode: which instance to connect to, by the order of the run's URLs (default 0, the first). */
  instance?: number;
}

/** What a minted token is to carry beyond its user. */
export interface TokenOptions {
  expiresInSeconds?: number;
  /** Time claims (`iat`, `nbf`, `exp`) set as given, even to values no server should accept. */
  claims?: { iat?: unknown; nbf?: unknown; exp?: unknown };
}

export interface WaitOptions {
  /** Deadline in ms before --timeout-scale is applied. */
  timeoutMs: number;
  /** What is awaited, for the timeout message ("expected close 4001"). */
  expected: string;
}

export interface ProbeConnection {
  readonly id: number;
  readonly endpoint: EndpointName;
  /** Subprotocol the server selected ('' for none). */
  readonly protocol: string;
  /** The `connection_established` message, once received. */
  readonly established: Record<string, unknown> | undefined;
  /** Every text frame received so far, in order. */
  readonly received: readonly ReceivedMessage[];
  /** RFC 6455 pings received (ms since check start). */
  readonly pingsAt: readonly number[];
  /** When the upgrade completed (ms since check start); undefined before it has. */
  readonly openedAt: number | undefined;
  /** Sends a JSON value (objects are stringified) or a raw string as a text frame. */
  send(message: unknown): void;
  /** Sends raw bytes: as a binary frame, or as a text frame without UTF-8 validation. */
  sendBytes(bytes: Uint8Array, opts: { binary: boolean }): void;
  /** Sends an RFC 6455 ping with a payload. */
  ping(payload: Uint8Array): void;
  /** Sends an RFC 6455 pong with a payload (solicited or not). */
  pong(payload: Uint8Array): void;
  /** When the server's close frame arrived (ms since check start), once it has. */
  readonly closeFrameAt: number | undefined;
  /** Sends one text message in `fragments` frames (a continuation after the first, FIN on the last). */
  sendFragmented(text: string, fragments: number): void;
  /**
   * Waits for the next received message (after the ones already consumed) that matches. `match` is asked
   * about each message once per wait, so it must judge the message alone.
   */
  next(match: (m: ReceivedMessage) => boolean, wait: WaitOptions): Promise<ReceivedMessage>;
  /** Waits for an RFC 6455 pong; resolves with its payload. */
  nextPong(wait: WaitOptions): Promise<Uint8Array>;
  /** Waits for the next RFC 6455 ping from the server; resolves with its time (ms since check start). */
  nextPing(wait: WaitOptions): Promise<number>;
  /** Waits for the connection to close. */
  closed(wait: WaitOptions): Promise<CloseInfo>;
  /** Resolves true if the connection is still open after `ms` (scaled), false if it closed. */
  staysOpen(ms: number): Promise<boolean>;
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close frame (as a network failure would). */
  terminate(): void;
  readonly isOpen: boolean;
}

export interface UpgradeResult {
  /** HTTP status of the upgrade answer (101 on success). */
  status: number;
  /** Subprotocol selected when status is 101. */
  protocol: string;
}

/** How the run was asked to check: the same for every check of the run. */
export interface RunMode {
  /**
   * Heartbeat checks watch one ping of each kind instead of several: production timers then take about
   * one interval plus the timeout instead of about three intervals, but the spacing of pings is not
   * measured and HB-007 leaves one application ping unanswered, not three (each verdict says so).
   */
  quickHeartbeat: boolean;
}

export interface CheckContext {
  readonly timers: AdvertisedTimers;
  readonly mode: RunMode;
  /** The server under test: URLs, TLS trust, headers, Engine.IO open packet. */
  readonly target: TargetInfo;
  readonly families: readonly Family[];
  /** The profiles the server offers (docs/protocol.md, section 15.7): their endpoints are the usable ones. */
  readonly profiles: readonly ProfileName[];
  readonly timeoutScale: number;
  /** How many instances of one deployment the run checks (its URLs); 1 unless in cluster mode. */
  readonly instances: number;
  /** Opens a probe connection; every message it receives is validated against the endpoint's schemas. */
  connect(endpoint: EndpointName, options?: ConnectOptions): Promise<ProbeConnection>;
  /** Sends an upgrade request and reports the HTTP answer without keeping the connection. */
  upgrade(endpoint: EndpointName, options?: ConnectOptions): Promise<UpgradeResult>;
  /** Probes of the Socket.IO binding: raw Engine.IO connections and socket.io-client Managers. */
  readonly socketIo: SocketIoContext;
  /**
   * A token for a user: `--token`, or minted with `--token-secret` (then with any lifetime, and with
   * time `claims` such as `{ nbf }` set as given). Undefined when none can be had.
   */
  token(userId?: string, opts?: TokenOptions): Promise<string | undefined>;
  /**
   * A token with exactly these claims (HS256 with `--token-secret`), for the checks of malformed claims;
   * undefined without a secret.
   */
  signedToken(claims: Record<string, unknown>): Promise<string | undefined>;
  /** Sends an upgrade request and keeps the connection when it upgrades (HTTP 101); never waits for more. */
  tryConnect(
    endpoint: EndpointName,
    options?: ConnectOptions,
  ): Promise<{ status: number; conn: ProbeConnection | undefined }>;
  /** A run parameter (`--param key=value`, with defaults for userId=1, campaignId=1 …). */
  param(name: string): string | undefined;
  /** Skips the check with a reason (throws). */
  skip(reason: string): never;
  /**
   * Ends the check as `blocked` (throws): a precondition did not hold that check `byCheckId` judges
   * (e.g. `blocked('HS-002', 'no connection_established on /ws/news')`).
   */
  blocked(byCheckId: string, reason: string): never;
  /** Records what the check observed; a `pass` carries these lines as its evidence. */
  observe(text: string): void;
  /** Fails the check (throws). */
  fail(message: string, detail?: { expected?: string; actual?: string }): never;
  /** Notes a line in the transcript. */
  note(text: string): void;
  /** Milliseconds since the check started: the clock of `openedAt`, `pingsAt` and received messages. */
  now(): number;
  /** Aborted when the check's overall deadline passes or the run is cancelled. */
  readonly signal: AbortSignal;
}

export interface Check {
  id: string;
  level: Level;
  area: Area;
  title: string;
  /** The requirement's sentence from docs/protocol.md. */
  requirement: string;
  /** Families this check needs; skipped when the server offers none of them. Empty: any family. */
  families: readonly Family[];
  /** The binding the check speaks (default `websocket`); checks of the other binding are not run. */
  binding?: Binding;
  /** Upper bound of the check's own waits, in ms before scaling, from the advertised timers. */
  budgetMs(timers: AdvertisedTimers, mode: RunMode): number;
  /**
   * The check opens enough connections at once to fill a limit (per user, per address, in total) that
   * the other checks' connections count against too: it runs alone, after them, so that none of theirs
   * is refused.
   */
  exclusive?: boolean;
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckResult {
  id: string;
  level: Level;
  area: Area;
  title: string;
  requirement: string;
  outcome: Outcome;
  durationMs: number;
  message: string;
  expected?: string;
  actual?: string;
  /** What the check observed (always present on a pass). */
  evidence?: string[];
  /** On `blocked`: the ID of the check that reports the failed precondition. */
  blockedBy?: string;
  transcript: TranscriptEntry[];
  /** Iteration index when --repeat is used. */
  iteration?: number;
  /** Listed in --expected-failures. */
  expectedFailure?: boolean;
}

export interface RunSummary {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  blocked: number;
  error: number;
  cancelled: number;
  expectedFailures: number;
  /** Checks listed as expected failures that passed. */
  unexpectedPasses: string[];
  durationMs: number;
}

/** A protocol-level problem found once and reported once, with the number of checks it blocked. */
export interface RootCause {
  /** The check that judges it (HS-002 for a missing `connection_established`). */
  checkId: string;
  message: string;
  /** Distinct checks whose result is `blocked` by it. */
  blocked: number;
}

/** What the preflight found on one endpoint family, on the endpoint it probes. */
export interface FamilyDiagnosis {
  family: Family;
  path: string;
  /** `offered`: HTTP 101; `absent`: 404; `refused`: another HTTP status; `failed`: no HTTP answer. */
  upgrade: 'offered' | 'absent' | 'refused' | 'failed';
  /** The HTTP status, or what ended the upgrade. */
  detail: string;
  /** Whether `connection_established` came first, complete or lacking fields (after a 101 only). */
  established?: 'present' | 'incomplete' | 'absent';
  /** Whether the run's token was accepted (absent when the run presents none). */
  tokenAccepted?: boolean;
}

/** A source system's dialect, recognised on a family that does not speak tidewire.v1. */
export interface DialectFinding {
  family: Family;
  /** The dialect's name (docs/protocol.md, section 15.6): `campaign-sender`, `pilito` or `market-data`. */
  dialect: DialectName;
  /** The source document's number: `001`, `003` or `004`. */
  source: string;
  /** The source system. */
  system: string;
  /** What identified it. */
  evidence: string;
  /** What the family lacks for tidewire.v1. */
  missing: string[];
}

/** The preflight's findings: which bindings are checked, and how each family answered. */
export interface Diagnosis {
  /** Bindings the run checks: those detected, or the one forced with --binding. */
  bindings: Binding[];
  /** The open packet at `/socket.io/?EIO=4&transport=polling`, when the server speaks Engine.IO. */
  engineIo?: EngineIoOpen;
  families: FamilyDiagnosis[];
  dialects: DialectFinding[];
}

/**
 * 0 every gating check passed; 1 a gating check failed; 2 a check could not be run (or a usage error);
 * 130 / 143 the run was interrupted by SIGINT / SIGTERM (see interruption.ts).
 */
export type ExitCode = 0 | 1 | 2 | 130 | 143;

export interface RunReport {
  tool: { name: 'tidewire-conformance'; version: string };
  target: string;
  startedAt: string;
  families: Family[];
  /** The profiles the server offers (docs/protocol.md, section 15.7); absent in reports of older runners. */
  profiles?: ProfileName[];
  timers: AdvertisedTimers;
  summary: RunSummary;
  checks: CheckResult[];
  exitCode: ExitCode;
  /** Root causes, each once, in the order the preflight found them; blocked checks name one of them. */
  rootCauses?: RootCause[];
  diagnosis?: Diagnosis;
}
