/**
 * What one check (one iteration) is given to run: probe connections to the target, tokens, run params,
 * the advertised timers, and a signal that fires at its deadline. Every probe it opens shares the check's
 * transcript, feeds the envelope validator, and is closed when the check ends.
 *
 * `connect()` knows what the preflight found: when a family lacks what a connection needs (an upgrade
 * that works, `connection_established`, acceptance of the run's token), the check ends as `blocked` by the
 * check that judges it, never as a failure of its own rule. The judging check itself is never blocked.
 */
import { CloseCode } from '../protocol/constants.js';
import type { EndpointName, Family } from '../protocol/endpoints.js';
import { endpoint as endpointSpec } from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import { CheckBlocked, CheckFailure, CheckSkipped, waitAnsweredBy } from './check-failure.js';
import type { ConnectionSlots } from './connection-slots.js';
import { REPLY_DEADLINE_MS } from './checks/deadlines.js';
import type { MessageSchemas, ViolationLog } from './envelope-validator.js';
import type { FamilyBlockers } from './preflight.js';
import { CONNECT_TIMEOUT_MS, Probe, type InspectedFrame, type ProbeEnvironment } from './probe.js';
import { buildProbeRequest } from './probe-request.js';
import { SocketIoProbes } from './socketio/probes.js';
import type { TokenSource } from './token-source.js';
import type { Transcript } from './transcript.js';
import type {
  AdvertisedTimers,
  CheckContext,
  ConnectOptions,
  ProbeConnection,
  RunMode,
  TokenOptions,
  TargetInfo,
  UpgradeResult,
} from './types.js';

export const DEFAULT_RUN_MODE: RunMode = { quickHeartbeat: false };

/** What every check of a run shares. */
export interface RunEnvironment {
  /** ws:// URL of the server under test. */
  readonly targetUrl: string;
  /** Cluster mode: the URL of every instance of the deployment, `targetUrl` first. */
  readonly instanceUrls?: readonly string[];
  readonly timers: AdvertisedTimers;
  /** How the run checks (default: every heartbeat check watches several pings). */
  readonly mode?: RunMode;
  readonly families: readonly Family[];
  /** The profiles the server offers; checks use only their endpoints. */
  readonly profiles: readonly ProfileName[];
  readonly timeoutScale: number;
  readonly params: Readonly<Record<string, string>>;
  readonly tokens: TokenSource;
  readonly schemas: MessageSchemas;
  readonly violations: ViolationLog;
  /** Where the token goes when a check does not say (discovery found what the server accepts). */
  readonly defaultTokenVia: 'query' | 'header';
  /** URLs, TLS trust, headers, Engine.IO open packet. */
  readonly target: TargetInfo;
  /** Per family, the preconditions the preflight found missing and the check that judges each. */
  readonly blockers: ReadonlyMap<Family, FamilyBlockers>;
  /** Bounds the connections checks hold at once; absent for a check that runs alone (`exclusive`). */
  readonly slots?: ConnectionSlots;
}

export class CheckRunContext implements CheckContext, ProbeEnvironment {
  private connectionCount = 0;
  private readonly probes: Probe[] = [];
  private socketIoProbes: SocketIoProbes | undefined;
  /** What the check observed, in order: the evidence of a pass. */
  readonly observations: string[] = [];

  constructor(
    private readonly run: RunEnvironment,
    private readonly where: { checkId: string; iteration: number },
    readonly transcript: Transcript,
    readonly signal: AbortSignal,
  ) {}

  get timers(): AdvertisedTimers {
    return this.run.timers;
  }

  get mode(): RunMode {
    return this.run.mode ?? DEFAULT_RUN_MODE;
  }

  get families(): readonly Family[] {
    return this.run.families;
  }

  get profiles(): readonly ProfileName[] {
    return this.run.profiles;
  }

  get timeoutScale(): number {
    return this.run.timeoutScale;
  }

  get instances(): number {
    return this.run.instanceUrls?.length ?? 1;
  }

  get target(): TargetInfo {
    return this.run.target;
  }

  nextConnectionNumber(): number {
    return ++this.connectionCount;
  }

  inspect(endpoint: EndpointName, frame: InspectedFrame): void {
    this.run.violations.inspect(this.run.schemas, { ...this.where, endpoint }, frame);
  }

  async connect(endpoint: EndpointName, options: ConnectOptions = {}): Promise<ProbeConnection> {
    const startedAt = performance.now();
    const probe = await this.open(endpoint, options);
    const spec = endpointSpec(endpoint);
    const outcome = await probe.handshake.catch((error: unknown) => {
      this.blockOn(spec.family, 'upgrade');
      throw error;
    });
    if (outcome.status !== 101) {
      this.blockOn(spec.family, 'upgrade');
      throw waitAnsweredBy(`HTTP 101 on ${spec.path}`, `HTTP ${outcome.status}`);
    }
    if (options.waitEstablished === false) return probe;
    this.blockOn(spec.family, 'established');
    const remainingMs = CONNECT_TIMEOUT_MS * this.timeoutScale - (performance.now() - startedAt);
    try {
      await probe.awaitEstablished(remainingMs, `connection_established on ${spec.path}`);
    } catch (error) {
      // Refused for the run's own token: the check that judges token acceptance owns that.
      const ownToken = options.token === undefined && options.tokenVia === undefined;
      if (ownToken && probe.closeDetails?.code === CloseCode.UNAUTHORIZED) this.blockOn(spec.family, 'token');
      throw error;
    }
    return probe;
  }

  async tryConnect(
    endpoint: EndpointName,
    options: ConnectOptions = {},
  ): Promise<{ status: number; conn: ProbeConnection | undefined }> {
    const probe = await this.open(endpoint, options);
    const { status } = await probe.handshake;
    if (status !== 101) return { status, conn: undefined };
    // What the connection is for needs connection_established: blocked where the preflight found none.
    this.blockOn(endpointSpec(endpoint).family, 'established');
    return { status, conn: probe };
  }

  /** Ends the check as `blocked` when the preflight found the family lacking `what` (not for its judge). */
  private blockOn(family: Family, what: keyof FamilyBlockers): void {
    const cause = this.run.blockers.get(family)?.[what];
    if (cause !== undefined && cause.checkId !== this.where.checkId) {
      throw new CheckBlocked(cause.checkId, cause.message);
    }
  }

  async upgrade(endpoint: EndpointName, options: ConnectOptions = {}): Promise<UpgradeResult> {
    const probe = await this.open(endpoint, options);
    try {
      const outcome = await probe.handshake;
      return { status: outcome.status, protocol: outcome.protocol };
    } finally {
      probe.dispose();
    }
  }

  get socketIo(): SocketIoProbes {
    this.socketIoProbes ??= new SocketIoProbes(
      {
        transcript: this.transcript,
        timeoutScale: this.timeoutScale,
        signal: this.signal,
        nextConnectionNumber: () => this.nextConnectionNumber(),
        now: () => this.now(),
        record: (violation) => this.run.violations.record({ ...violation, ...this.where }),
      },
      this.run.target,
      this.run.instanceUrls,
    );
    return this.socketIoProbes;
  }

  token(userId?: string, opts?: TokenOptions): Promise<string | undefined> {
    return this.run.tokens.tokenFor(userId, opts);
  }

  signedToken(claims: Record<string, unknown>): Promise<string | undefined> {
    return this.run.tokens.signed(claims);
  }

  param(name: string): string | undefined {
    return this.run.params[name];
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  blocked(byCheckId: string, reason: string): never {
    throw new CheckBlocked(byCheckId, reason);
  }

  observe(text: string): void {
    this.observations.push(text);
    this.transcript.note(`observed: ${text}`);
  }

  fail(message: string, detail: { expected?: string; actual?: string } = {}): never {
    throw new CheckFailure(message, detail.expected, detail.actual);
  }

  note(text: string): void {
    this.transcript.note(text);
  }

  now(): number {
    return this.transcript.now();
  }

  /** Closes every connection the check left open. */
  async dispose(): Promise<void> {
    this.socketIoProbes?.dispose();
    await Promise.all(this.probes.map((probe) => probe.dispose()));
  }

  private async open(endpoint: EndpointName, options: ConnectOptions): Promise<Probe> {
    if (this.signal.aborted) throw new CheckFailure('the check ran out of time before connecting');
    const token = options.token === null ? undefined : (options.token ?? (await this.token()));
    const instance = options.instance ?? 0;
    const base = instance === 0 ? this.run.targetUrl : this.run.instanceUrls?.[instance];
    if (base === undefined) throw new Error(`there is no instance ${instance + 1} among ${this.instances}`);
    const request = buildProbeRequest(
      base,
      endpoint,
      this.run.params,
      { ...options, tokenVia: options.tokenVia ?? this.run.defaultTokenVia },
      token,
      this.run.target.transport,
    );
    if (instance > 0) request.displayUrl = `instance ${instance + 1} ${request.displayUrl}`;
    const release = await this.run.slots?.acquire(REPLY_DEADLINE_MS * this.timeoutScale);
    let probe: Probe;
    try {
      probe = new Probe(this, request);
    } catch (error) {
      release?.();
      throw error;
    }
    if (release) void probe.ended.then(release);
    this.probes.push(probe);
    return probe;
  }
}
