/**
 * The shapes of the runner's client mode: the runner serves scripted endpoints and judges the reconnect
 * behaviour (CR-001..CR-010) of whatever client connects to them. Client checks are data, like the
 * server checks: `{ id, level, title, requirement, run }`.
 */
import type { CheckResult, ExitCode, Level, RunSummary } from '../types.js';
import type { ConnectionRecord, ConnectionOverlap, ConnectionStep } from './scripted-server.js';

/** What the runner tells the client factory about the scenario it starts a client for. */
export interface ClientScenario {
  /** Requirement ID of the check running the scenario. */
  id: string;
  /** Sub-case of the check, e.g. the close code under test for CR-004 (`4403`); absent for single-case checks. */
  variant?: string;
  /** The scenario's base URL; the client appends its endpoint path: `${url}/ws/market_data`. */
  url: string;
  /**
   * The time scale the client must apply to its own reconnect timers (see ClientRunOptions.delayScale):
   * the run's delayScale, except where a check needs a larger one (CR-009). Configure the client with it.
   */
  delayScale: number;
}

/** A running client under test. `stop()` closes it with 1000 and must be safe to call more than once. */
export interface ClientHandle {
  stop(): Promise<void>;
}

/** Starts a fresh client instance pointed at `url` (the scenario's base URL). */
export type StartClient = (url: string, scenario: ClientScenario) => Promise<ClientHandle>;

export interface ClientRunOptions {
  startClient: StartClient;
  /**
   * Time scale of the client's own reconnect timers: the backoff schedule (CR-001, CR-008) and the 1 s
   * first retry after 1012 (CR-009) are multiplied by it. The client under test must be configured with the
   * same scale. A server's `retryAfterMs` (CR-005) is a wire value and is never scaled. Default 1.
   */
  delayScale?: number;
  /** Multiplies every deadline and observation window of the runner (slow machines). Default 1. */
  timeoutScale?: number;
  /** Lateness allowed on top of an upper timing bound (event loop, scheduling and network delays), in ms before timeoutScale. Default 50. */
  toleranceMs?: number;
  /** The client's configured `maxAttempts` (CR-002). Default 5. */
  maxAttempts?: number;
  /** Deadline for a client's first connection to a scenario, in ms before timeoutScale. Default 5000. */
  connectTimeoutMs?: number;
  /** IDs (`CR-003`) or ID prefixes (`CR`) to run; default all. */
  only?: string[];
  /** IDs or ID prefixes to leave out. */
  skip?: string[];
  /** Checks run at once (each has its own scenarios and clients). Default: all at once. */
  concurrency?: number;
  /** Where to serve the scenarios. Default 127.0.0.1 and an ephemeral port. */
  host?: string;
  port?: number;
  /** Default: CLIENT_CHECKS. */
  checks?: readonly ClientCheck[];
  onResult?: (result: ClientCheckResult) => void;
  /** Called once the scripted server listens, with its base URL. */
  onListening?: (url: string) => void;
  signal?: AbortSignal;
}

/** The scripted side of one scenario, as a check sees it. Deadlines are in ms before timeoutScale. */
export interface ScenarioRun {
  readonly scenario: ClientScenario;
  /** Every connection attempt so far (0 = the client's first connection). */
  readonly attempts: readonly ConnectionRecord[];
  /** Moments when two connections of the client were live on one endpoint (CR-010). */
  readonly overlaps: readonly ConnectionOverlap[];
  /** Waits for attempt `index`; times out as a failure "expected …". */
  attempt(index: number, timeoutMs: number): Promise<ConnectionRecord>;
  /** Waits until the server has ended (or the client has closed) attempt `index`. */
  ended(index: number, timeoutMs: number): Promise<ConnectionRecord>;
  /** Waits until attempt `index` got `connection_established`. */
  established(index: number, timeoutMs: number): Promise<ConnectionRecord>;
  /** Attempt `index` if it arrives within `windowMs`, else undefined (observing that nothing happens). */
  observe(index: number, windowMs: number): Promise<ConnectionRecord | undefined>;
  /** The first defined value of `probe` (re-evaluated on every recorded change) within `windowMs`, else undefined. */
  watch<T>(probe: () => T | undefined, windowMs: number): Promise<T | undefined>;
  /**
   * Lateness allowed on top of an upper bound for the delay before attempt `index`: `toleranceMs` plus the
   * worst stall of the runner's own event loop while that delay ran (a loaded machine delays every timer).
   */
  slackBefore(index: number): number;
  /** Time from the end of attempt `index - 1` to the arrival of attempt `index`, in ms. */
  delayBefore(index: number): number;
  /** Stops the client (it closes with 1000). */
  stopClient(): Promise<void>;
}

export interface ClientCheckContext {
  readonly delayScale: number;
  readonly timeoutScale: number;
  readonly toleranceMs: number;
  readonly maxAttempts: number;
  /** Serves a fresh scripted endpoint following `steps` and starts a fresh client on it. */
  scenario(
    steps: readonly ConnectionStep[],
    options?: {
      variant?: string;
      fallback?: ConnectionStep;
      /** A larger time scale for this scenario's client (CR-009); default the run's delayScale. */
      delayScale?: number;
    },
  ): Promise<ScenarioRun>;
  /**
   * Runs `fn` for every item, each normally with its own scenario: at once, or one after another when the
   * run has concurrency 1 (a client started by hand). Waits for all, then rethrows the first failure.
   */
  each<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]>;
  /** Skips the check with a reason (throws). */
  skip(reason: string): never;
  /**
   * Fails the check (throws). `late: true` says the only fault is something arriving after an upper time
   * bound; a loaded machine delays every timer, so the runner confirms such a failure with a second run
   * (fresh client, fresh scenario) before reporting it. Early arrivals cannot come from load.
   */
  fail(message: string, detail?: { expected?: string; actual?: string; late?: boolean }): never;
  /** Notes a line in the transcript. */
  note(text: string): void;
  readonly signal: AbortSignal;
}

export interface ClientCheck {
  id: string;
  level: Level;
  title: string;
  /** The requirement's sentence from docs/protocol.md. */
  requirement: string;
  run(ctx: ClientCheckContext): Promise<void>;
}

/** A check result; the same fields as a server check's, in the `reconnect` area. */
export interface ClientCheckResult extends Omit<CheckResult, 'area' | 'iteration' | 'expectedFailure'> {
  area: 'reconnect';
}

export interface ClientRunReport {
  tool: { name: 'tidewire-conformance'; version: string };
  mode: 'client';
  /** Base URL the scenarios were served at. */
  target: string;
  startedAt: string;
  delayScale: number;
  summary: Omit<RunSummary, 'expectedFailures' | 'unexpectedPasses'>;
  checks: ClientCheckResult[];
  /** 0 when every MUST passed, 1 when one failed, 2 when the runner could not run a check, 130/143 interrupted. */
  exitCode: ExitCode;
}
