/**
 * The conformance engine: diagnoses the target (preflight), runs checks against it with deadlines and
 * bounded concurrency, turns what each check ended with into an outcome, folds envelope violations seen by
 * any check into ENV-001..003, reports each root cause once with the checks it blocked, and computes the
 * summary and exit code.
 */
import { setMaxListeners } from 'node:events';
import type { Family } from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import { CheckBlocked, CheckFailure, CheckSkipped } from './check-failure.js';
import { CheckRunContext, DEFAULT_RUN_MODE, type RunEnvironment } from './check-context.js';
import { discover, type DiscoveryResult, type GivenTimers } from './discovery.js';
import {
  describeViolation,
  isEnvelopeRequirement,
  ViolationLog,
  type MessageSchemas,
} from './envelope-validator.js';
import { interruptedExitCode, interruptSignalOf } from './interruption.js';
import { ConnectionSlots } from './connection-slots.js';
import { mapConcurrent } from './map-concurrent.js';
import { CONNECT_TIMEOUT_MS } from './probe.js';
import { httpUrlOf } from './reachability.js';
import { RunnerLimitReached } from './runner-limits.js';
import type { TokenSource } from './token-source.js';
import { Transcript } from './transcript.js';
import type {
  AdvertisedTimers,
  Binding,
  Check,
  CheckResult,
  Diagnosis,
  ExitCode,
  Outcome,
  RootCause,
  RunMode,
  RunReport,
  RunSummary,
  TargetInfo,
  TargetTransport,
} from './types.js';
import { toolVersion } from './version.js';

/** Added to every check's deadline for runner overhead (unscaled). */
export const DEADLINE_MARGIN_MS = 1_000;
/** How long a check may keep running after its deadline fired before it is reported as stuck. */
export const DEADLINE_GRACE_MS = 1_000;
/** Violations listed in an ENV result's `actual` (all kept ones go into its transcript). */
const VIOLATIONS_LISTED = 20;
/** Checks named in an ENV result's message as having seen violations. */
const SEEN_BY_LISTED = 6;

export interface SessionOptions {
  targetUrl: string;
  /** Cluster mode: every instance of the deployment, `targetUrl` first. */
  instanceUrls?: readonly string[];
  /** How the target is named in reports. */
  targetLabel: string;
  tokens: TokenSource;
  params: Readonly<Record<string, string>>;
  schemas: MessageSchemas;
  timeoutScale: number;
  strict: boolean;
  maxWaitMs: number;
  expectedFailures: ReadonlySet<string>;
  /** Timers used for what the server's `connection_established` does not advertise. */
  fallbackTimers: AdvertisedTimers;
  /** How the checks check (quick heartbeat or not); default DEFAULT_RUN_MODE. */
  mode?: RunMode;
  /** Timers given with `--timers`: they come before the fallback ones. */
  givenTimers?: GivenTimers;
  /** TLS trust and extra headers (`--ca`, `--insecure`, `--header`). */
  transport: TargetTransport;
  /** Where the run's token comes from, for advice when the server refuses it. */
  tokenOrigin?: 'token' | 'token-secret';
  /** `--binding`; undefined: detected. */
  binding?: Binding;
  /** Bindings of the checks selected for the run. */
  checkBindings: ReadonlySet<Binding>;
  signal?: AbortSignal;
  /** Called when a check starts running and when it ends (not for checks skipped before they start). */
  onCheckProgress?: (event: CheckProgress) => void;
}

/**
 * A check started running (with its overall deadline from now, in ms: its scaled budget plus connection
 * time and margin) or ended. An ENV-001..003 check ends before its result is known: that waits for every
 * other check.
 */
export type CheckProgress =
  | { state: 'started'; id: string; iteration: number; deadlineMs: number }
  | { state: 'ended'; id: string; iteration: number };

/** A run report with the preflight's diagnosis, the root causes and the notes made on the way. */
export interface ConformanceReport extends RunReport {
  rootCauses: RootCause[];
  diagnosis: Diagnosis;
  /** Discovery notes (where the token goes, timers given, a binding not checked…). */
  notes: string[];
}

/** A discovered target that checks can be run against, one at a time or as a pool. */
export class ConformanceSession {
  /** Aborted when the caller's signal is: one listener on it, however many checks run. */
  private readonly cancelled: AbortSignal;
  /** Connections of finished checks that are still closing. */
  private readonly closing = new Set<Promise<void>>();
  /** The connections checks hold at once, below the user's advertised limit. */
  private readonly slots: ConnectionSlots;

  private constructor(
    readonly options: SessionOptions,
    private readonly found: DiscoveryResult,
    private readonly target: TargetInfo,
    /** Envelope violations seen by discovery and by every check. */
    readonly violations: ViolationLog,
    /** When the run started (before discovery). */
    readonly startedAt: Date,
    private readonly startedAtMs: number,
  ) {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    this.cancelled = controller.signal;
    this.slots = ConnectionSlots.forServer(found.established);
  }

  /**
   * Diagnoses the target and discovers its families and timers. A setup problem (nothing listening, TLS,
   * no endpoint, the run's token refused everywhere, the wrong binding) rejects with a RunnerError.
   */
  static async open(options: SessionOptions): Promise<ConformanceSession> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    const violations = new ViolationLog();
    const signal = options.signal ?? new AbortController().signal;
    const target: TargetInfo = {
      url: options.targetUrl,
      httpUrl: httpUrlOf(new URL(options.targetUrl)).toString(),
      transport: options.transport,
    };
    const found = await discover(
      {
        targetUrl: options.targetUrl,
        target,
        transport: options.transport,
        timeoutScale: options.timeoutScale,
        params: options.params,
        tokens: options.tokens,
        tokenOrigin: options.tokenOrigin,
        schemas: options.schemas,
        violations,
        fallbackTimers: options.fallbackTimers,
        binding: options.binding,
        checkBindings: options.checkBindings,
        signal,
      },
      { fallback: options.fallbackTimers, given: options.givenTimers ?? {} },
    );
    const engineIo = found.diagnosis.engineIo;
    return new ConformanceSession(
      options,
      found,
      engineIo !== undefined ? { ...target, engineIo } : target,
      violations,
      startedAt,
      startedAtMs,
    );
  }

  get mode(): RunMode {
    return this.options.mode ?? DEFAULT_RUN_MODE;
  }

  get families(): Family[] {
    return this.found.families;
  }

  /** The profiles the server offers (docs/protocol.md, section 15.7): checks use only their endpoints. */
  get profiles(): ProfileName[] {
    return this.found.profiles;
  }

  get timers(): AdvertisedTimers {
    return this.found.timers;
  }

  get notes(): string[] {
    return this.found.notes;
  }

  /** Bindings the run checks (detected, or forced). */
  get bindings(): Binding[] {
    return this.found.diagnosis.bindings;
  }

  private environment(): RunEnvironment {
    return {
      targetUrl: this.options.targetUrl,
      instanceUrls: this.options.instanceUrls,
      timers: this.timers,
      mode: this.mode,
      families: this.families,
      profiles: this.profiles,
      timeoutScale: this.options.timeoutScale,
      params: this.options.params,
      tokens: this.options.tokens,
      schemas: this.options.schemas,
      violations: this.violations,
      defaultTokenVia: this.found.tokenVia,
      target: this.target,
      blockers: this.found.blockers,
    };
  }

  /**
   * Runs one check once. ENV-001..003 results still lack the violations of other checks: see `finalise`.
   * A check the run's interruption ended (or kept from starting) is `cancelled`, whatever its waits said.
   */
  async runCheck(check: Check, iteration = 0): Promise<CheckResult> {
    const result = await this.runCheckOnce(check, iteration);
    if (!this.cancelled.aborted || result.outcome === 'pass' || result.outcome === 'cancelled') return result;
    const { expected: _expected, actual: _actual, expectedFailure: _flag, ...rest } = result;
    return {
      ...rest,
      outcome: 'cancelled',
      message: `the run was interrupted (${interruptSignalOf(this.options.signal?.reason)}) after ${result.durationMs} ms of this check`,
    };
  }

  private async runCheckOnce(check: Check, iteration: number): Promise<CheckResult> {
    const transcript = new Transcript();
    const startedAt = performance.now();
    const result = (outcome: Outcome, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
      id: check.id,
      level: check.level,
      area: check.area,
      title: check.title,
      requirement: check.requirement,
      outcome,
      durationMs: Math.round(performance.now() - startedAt),
      message,
      ...extra,
      transcript: transcript.entries(),
    });

    if (check.families.length > 0 && !check.families.some((f) => this.families.includes(f))) {
      return this.flag(
        result('skip', `the server offers none of the families it needs: ${check.families.join(', ')}`),
      );
    }
    if (this.cancelled.aborted) {
      return result(
        'cancelled',
        `the run was interrupted (${interruptSignalOf(this.options.signal?.reason)}) before this check started`,
      );
    }

    let budgetMs: number;
    try {
      budgetMs = check.budgetMs(this.timers, this.mode);
    } catch (error) {
      return result('error', `budgetMs threw: ${(error as Error).message}`);
    }
    const scaledBudgetMs = budgetMs * this.options.timeoutScale;
    if (scaledBudgetMs > this.options.maxWaitMs) {
      return this.flag(
        result(
          'skip',
          `needs up to ${Math.round(scaledBudgetMs)} ms with these timers, more than the maximum wait of ${this.options.maxWaitMs} ms; raise --max-wait-ms (maxWaitMs) to run it`,
        ),
      );
    }

    const deadlineMs = (budgetMs + CONNECT_TIMEOUT_MS) * this.options.timeoutScale + DEADLINE_MARGIN_MS;
    const deadline = new AbortController();
    // Every probe and wait of the check listens to this signal.
    setMaxListeners(0, deadline.signal);
    const onRunAbort = () => deadline.abort();
    this.cancelled.addEventListener('abort', onRunAbort);
    const deadlineTimer = setTimeout(() => {
      transcript.note(`deadline of ${Math.round(deadlineMs)} ms reached`);
      deadline.abort();
    }, deadlineMs);
    let stuckTimer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => {
      deadline.signal.addEventListener('abort', () => {
        stuckTimer = setTimeout(() => resolve('stuck'), DEADLINE_GRACE_MS);
      });
    });
    const context = new CheckRunContext(
      check.exclusive ? this.environment() : { ...this.environment(), slots: this.slots },
      { checkId: check.id, iteration },
      transcript,
      deadline.signal,
    );
    this.options.onCheckProgress?.({ state: 'started', id: check.id, iteration, deadlineMs });
    try {
      const ended = await Promise.race([check.run(context).then(() => 'done' as const), stuck]);
      if (ended === 'stuck') {
        return result(
          'error',
          `the check did not finish within its deadline of ${Math.round(deadlineMs)} ms`,
        );
      }
      const evidence = context.observations;
      return this.flag(
        result('pass', evidence.length > 0 ? evidence.join('; ') : 'ok', { evidence: [...evidence] }),
      );
    } catch (error) {
      if (error instanceof CheckSkipped) return this.flag(result('skip', error.message));
      if (error instanceof CheckBlocked) {
        return this.flag(
          result('blocked', `blocked by ${error.byCheckId}: ${error.message}`, {
            blockedBy: error.byCheckId,
          }),
        );
      }
      if (error instanceof CheckFailure) {
        return this.flag(
          result(this.failureOutcome(check), error.message, {
            ...(error.expected !== undefined ? { expected: error.expected } : {}),
            ...(error.actual !== undefined ? { actual: error.actual } : {}),
          }),
        );
      }
      if (error instanceof RunnerLimitReached) {
        transcript.note(`runner limit: ${error.message}`);
        return result('error', error.message);
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      transcript.note(`runner error: ${failure.stack ?? failure.message}`);
      return result('error', `${failure.name}: ${failure.message}`);
    } finally {
      clearTimeout(deadlineTimer);
      clearTimeout(stuckTimer);
      this.cancelled.removeEventListener('abort', onRunAbort);
      const closing = context.dispose();
      this.closing.add(closing);
      void closing.finally(() => this.closing.delete(closing));
      this.options.onCheckProgress?.({ state: 'ended', id: check.id, iteration });
    }
  }

  /**
   * Resolves once the connections of every finished check are closed: a check that fills a server-wide
   * limit (`exclusive`) starts only then, so that none of them still counts against the limit.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.closing]);
  }

  /**
   * Folds the envelope violations seen by any check (and discovery) in this iteration into an
   * ENV-001..003 result; other results are returned unchanged. Call once every other check has finished.
   */
  finalise(check: Check, result: CheckResult): CheckResult {
    if (!isEnvelopeRequirement(check.id) || result.outcome === 'cancelled') return result;
    const iteration = result.iteration ?? 0;
    const { violations, total, seenBy: checkIds } = this.violations.of(check.id, iteration);
    if (total === 0) return this.withFramesJudged(check, result);
    const seenBy =
      checkIds.length > SEEN_BY_LISTED
        ? `${checkIds.slice(0, SEEN_BY_LISTED).join(', ')} and others`
        : checkIds.join(', ');
    const listed = violations.slice(0, VIOLATIONS_LISTED).map(describeViolation);
    if (total > listed.length) listed.push(`… and ${total - listed.length} more`);
    const own = result.outcome === 'fail' || result.outcome === 'warn' ? `; ${result.message}` : '';
    const transcript = [
      ...result.transcript,
      ...violations.map((v) => ({
        at: result.durationMs,
        connection: 0,
        direction: 'event' as const,
        kind: 'note',
        data: `violation ${describeViolation(v)}`,
      })),
    ];
    return this.flag({
      ...result,
      outcome: this.failureOutcome(check),
      message: `${total} server message${total === 1 ? '' : 's'} violate${total === 1 ? 's' : ''} ${check.id} (seen by ${seenBy})${own}`,
      expected: check.requirement,
      actual: listed.join('\n'),
      transcript,
    });
  }

  /**
   * An envelope rule without violations passes on the frames every check received, whatever its own run
   * ended with (blocked, skipped), when there were any: they are its evidence.
   */
  private withFramesJudged(check: Check, result: CheckResult): CheckResult {
    const seen = this.violations.framesSeen(result.iteration ?? 0);
    if (seen.judged === 0 || !['pass', 'blocked', 'skip'].includes(result.outcome)) return result;
    const unjudged = seen.unjudged > 0 ? `; ${seen.unjudged} not judged (beyond the runner's limits)` : '';
    const evidence = `${seen.judged} server frames received by ${seen.checks} checks, none violating ${check.id}${unjudged}`;
    const { blockedBy: _blockedBy, ...rest } = result;
    return this.flag({
      ...rest,
      outcome: 'pass',
      message: evidence,
      evidence: [...(result.outcome === 'pass' ? (result.evidence ?? []) : []), evidence],
    });
  }

  /** A fail of a MUST is `fail`; of a SHOULD, `warn` (`fail` under --strict); of a MAY, `warn`. */
  failureOutcome(check: Pick<Check, 'level'>): Outcome {
    if (check.level === 'MUST') return 'fail';
    if (check.level === 'SHOULD' && this.options.strict) return 'fail';
    return 'warn';
  }

  /** Marks failures listed in --expected-failures. */
  private flag(result: CheckResult): CheckResult {
    const listed = this.options.expectedFailures.has(result.id);
    if (listed && (result.outcome === 'fail' || result.outcome === 'warn'))
      return { ...result, expectedFailure: true };
    const { expectedFailure: _dropped, ...rest } = result;
    return rest;
  }

  report(results: CheckResult[]): ConformanceReport {
    const summary = summarise(results, this.options.expectedFailures, performance.now() - this.startedAtMs);
    return {
      tool: { name: 'tidewire-conformance', version: toolVersion() },
      target: this.options.targetLabel,
      startedAt: this.startedAt.toISOString(),
      families: this.families,
      profiles: this.profiles,
      timers: this.timers,
      summary,
      checks: results,
      exitCode: exitCodeOf(results, this.options.signal?.reason),
      rootCauses: rootCausesOf(this.found.rootCauses, results),
      diagnosis: this.found.diagnosis,
      notes: this.notes,
    };
  }
}

/** The reason a blocked result gives, without its `blocked by ID: ` prefix. */
function blockedReason(result: CheckResult): string {
  const prefix = `blocked by ${result.blockedBy}: `;
  return result.message.startsWith(prefix) ? result.message.slice(prefix.length) : result.message;
}

/**
 * Each root cause once: those the preflight found, in order, then any other reason checks were blocked
 * for, most blocking first; each with the number of distinct checks it blocked.
 */
function rootCausesOf(
  found: readonly { checkId: string; message: string }[],
  results: readonly CheckResult[],
): RootCause[] {
  const causes = new Map<string, { checkId: string; message: string; blocked: Set<string> }>();
  const keyOf = (checkId: string, message: string) => `${checkId}\u0000${message}`;
  for (const cause of found)
    causes.set(keyOf(cause.checkId, cause.message), { ...cause, blocked: new Set() });
  const listed = causes.size;
  for (const result of results) {
    if (result.outcome !== 'blocked' || result.blockedBy === undefined) continue;
    const message = blockedReason(result);
    const key = keyOf(result.blockedBy, message);
    const cause = causes.get(key) ?? { checkId: result.blockedBy, message, blocked: new Set<string>() };
    cause.blocked.add(result.id);
    causes.set(key, cause);
  }
  const all = [...causes.values()].map((c) => ({
    checkId: c.checkId,
    message: c.message,
    blocked: c.blocked.size,
  }));
  return [...all.slice(0, listed), ...all.slice(listed).sort((a, b) => b.blocked - a.blocked)];
}

export function summarise(
  results: readonly CheckResult[],
  expectedFailures: ReadonlySet<string>,
  durationMs: number,
): RunSummary {
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  const passedIds = new Set(results.filter((r) => r.outcome === 'pass').map((r) => r.id));
  const notPassedIds = new Set(results.filter((r) => r.outcome !== 'pass').map((r) => r.id));
  return {
    total: results.length,
    pass: count('pass'),
    fail: count('fail'),
    warn: count('warn'),
    skip: count('skip'),
    blocked: count('blocked'),
    error: count('error'),
    cancelled: count('cancelled'),
    expectedFailures: results.filter((r) => r.expectedFailure).length,
    // A baseline entry whose check passed in every iteration should be removed from the baseline.
    unexpectedPasses: [...expectedFailures].filter((id) => passedIds.has(id) && !notPassedIds.has(id)),
    durationMs: Math.round(durationMs),
  };
}

/**
 * 130 or 143 when the run was interrupted (a check was cancelled; `interruptedBy` is the abort reason);
 * else 1 when a gating check failed, or a check was blocked by one that did not run (its root cause is a
 * failure nothing else reports); else 2 when a check could not be run; else 0.
 */
export function exitCodeOf(results: readonly CheckResult[], interruptedBy?: unknown): ExitCode {
  if (results.some((r) => r.outcome === 'cancelled')) return interruptedExitCode(interruptedBy);
  if (results.some((r) => r.outcome === 'fail' && !r.expectedFailure)) return 1;
  const ran = new Set(results.map((r) => r.id));
  if (results.some((r) => r.outcome === 'blocked' && r.blockedBy !== undefined && !ran.has(r.blockedBy)))
    return 1;
  if (results.some((r) => r.outcome === 'error')) return 2;
  return 0;
}

/**
 * Runs every check `repeat` times with at most `concurrency` at once. Results come back in check order
 * per iteration; ENV-001..003 are finalised (and reported through `onResult`) after every other check.
 */
export async function runChecks(
  session: ConformanceSession,
  checks: readonly Check[],
  options: { concurrency: number; repeat: number; onResult?: (result: CheckResult) => void },
): Promise<CheckResult[]> {
  const budgetOf = (check: Check): number => {
    try {
      return check.budgetMs(session.timers, session.mode);
    } catch {
      return 0; // runCheck reports the throwing budget as an error
    }
  };
  // Longest waits start first, so the run lasts about as long as its slowest check, not that check
  // plus whatever queued behind it.
  const tasks = Array.from({ length: options.repeat }, (_, iteration) =>
    checks.map((check, index) => ({
      check,
      iteration,
      slot: iteration * checks.length + index,
      budgetMs: budgetOf(check),
    })),
  )
    .flat()
    .sort((a, b) => b.budgetMs - a.budgetMs || a.slot - b.slot);
  const results: CheckResult[] = new Array(tasks.length);
  const run = async (task: (typeof tasks)[number]) => {
    const raw = await session.runCheck(task.check, task.iteration);
    const result = options.repeat > 1 ? { ...raw, iteration: task.iteration } : raw;
    results[task.slot] = result;
    if (!isEnvelopeRequirement(task.check.id)) options.onResult?.(result);
  };
  await mapConcurrent(
    tasks.filter((task) => !task.check.exclusive),
    options.concurrency,
    run,
  );
  // Checks that fill a server-wide limit run one at a time once the others are done and closed.
  for (const task of tasks.filter((t) => t.check.exclusive)) {
    await session.settled();
    await run(task);
  }
  for (const task of tasks) {
    if (!isEnvelopeRequirement(task.check.id)) continue;
    results[task.slot] = session.finalise(task.check, results[task.slot]);
    options.onResult?.(results[task.slot]);
  }
  return results;
}
