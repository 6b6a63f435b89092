/**
 * The runner's programmatic API: `runConformance(options)` runs the checks against a server (or against
 * the bundled reference server started in-process when no URL is given) and returns the report;
 * `listChecks(options)` lists what a run would run, without connecting anywhere.
 *
 * Outcomes: a check's `run` returning is `pass`; `ctx.fail` or a wait running out of time is `fail` (`warn`
 * for a SHOULD, or `fail` under `strict`); `ctx.skip` is `skip`; `ctx.blocked` (or a connection to a family
 * the preflight found lacking what it needs) is `blocked`; the runner's own limits and anything else
 * thrown are `error`. Exit code: 130 (143 when `signal` was aborted with the reason `'SIGTERM'`) when the
 * run was interrupted and checks ended `cancelled`; otherwise 1 when a gating check failed (MUST, or SHOULD
 * under `strict`, not listed in `expectedFailures`) or a check was blocked by one that did not run;
 * otherwise 2 when a check ended in `error`; otherwise 0. Usage and setup problems (a malformed URL, an
 * unreachable server, TLS, no endpoint, the run's token refused everywhere, an unknown selector, bad
 * numbers) reject with a `RunnerError` of one line instead.
 *
 * `require`: a required family the server does not offer adds a failing result `REQUIRE-<FAMILY>` (level
 * MUST, area handshake), so the run exits 1 and every reporter shows why.
 *
 * @module tidewire/conformance
 */
import { SchemaRegistry } from '../protocol/schema-registry.js';
import { FAMILIES, type Family } from '../protocol/endpoints.js';
import { profile, type ProfileName } from '../protocol/profiles.js';
import { ALL_CHECKS } from './checks/index.js';
import { DEFAULT_TIMERS, TIMER_NAMES, type GivenTimers } from './discovery.js';
import { ConformanceSession, runChecks, type CheckProgress, type ConformanceReport } from './engine.js';
import { startInProcessTarget, IN_PROCESS_PARAMS, type InProcessTarget } from './in-process-target.js';
import { missingForFamily, pathsOf } from './profile-offer.js';
import { parseTargetUrl } from './reachability.js';
import { inClusterMode, resolveTargets, type Targets } from './cluster/targets.js';
import { DISCOVERY_ENDPOINTS } from './preflight.js';
import { CONNECT_TIMEOUT_MS } from './probe.js';
import { DEFAULT_USER, resolveParams } from './run-params.js';
import { RunnerError } from './runner-error.js';
import { selectChecks } from './selection.js';
import { TokenSource } from './token-source.js';
import type { Binding, Check, CheckResult, RunReport, TargetTransport } from './types.js';

export { RunnerError } from './runner-error.js';
export type { CheckProgress, ConformanceReport } from './engine.js';
export { INTERRUPTED_EXIT_CODES } from './interruption.js';
// The reporters, pure functions of a report (e.g. one read back from a JSON report).
export { renderReport, REPORTER_NAMES, type RenderOptions, type ReporterName } from './reporters/index.js';
export { renderHtml, type HtmlReportOptions } from './reporters/html.js';
export { renderJson, type JsonReportOptions } from './reporters/json.js';
export {
  renderJunit,
  type JunitReport,
  type JunitReportOptions,
  type JunitResult,
} from './reporters/junit.js';
export { renderPretty, type PrettyOptions } from './reporters/pretty.js';
export { renderFlakeTable } from './reporters/flake-table.js';
export {
  buildMatrix,
  columnLabels,
  renderMatrixHtml,
  renderMatrixJson,
  renderMatrixJunit,
  renderMatrixText,
  type Matrix,
  type MatrixColumn,
  type MatrixCell,
  type MatrixOptions,
  type MatrixRow,
} from './reporters/matrix.js';
export { renderClientReport } from './client-mode/client-report.js';
export { DEFAULT_DOCS_BASE, PROTOCOL_PAGE } from './docs-link.js';
export type {
  AdvertisedTimers,
  Area,
  Binding,
  Check,
  CheckResult,
  ExitCode,
  Level,
  Outcome,
  Diagnosis,
  DialectFinding,
  EngineIoOpen,
  FamilyDiagnosis,
  RootCause,
  RunMode,
  RunSummary,
  TranscriptEntry,
} from './types.js';
export type { ClientCheckResult, ClientRunReport } from './client-mode/types.js';
export type { Family } from '../protocol/endpoints.js';
export type { ProfileName } from '../protocol/profiles.js';
export type { DialectName } from '../protocol/dialects.js';
export type { GivenTimers, TimerName } from './discovery.js';
export { TIMER_NAMES } from './discovery.js';
export type { PrettyReport } from './reporters/pretty.js';

export const BINDINGS: readonly Binding[] = ['websocket', 'socket.io'];

export const DEFAULT_CONCURRENCY = 16;
/**
 * Long enough for the heartbeat checks with production timers (HB-007 leaves three application pings
 * unanswered: about three 30 s intervals plus the 10 s timeout), short of RES-009's 120 s resume window.
 */
export const DEFAULT_MAX_WAIT_MS = 120_000;

export interface RunOptions {
  /**
   * ws://host:port (or wss://, http://, https://) of the server under test, with any path prefix and query
   * its endpoints need; absent → the reference server in-process.
   */
  url?: string;
  /**
   * Cluster mode, instead of `url`: every instance of one deployment. Every check runs against the first;
   * the cluster checks (CLU) against all of them.
   */
  urls?: string[];
  /** IDs ("HB-003"), areas ("heartbeat"), families ("market") or ID prefixes ("HB"); comma lists allowed. */
  only?: string[];
  skip?: string[];
  token?: string;
  tokenSecret?: string;
  /** The run's user (default "1"). */
  user?: string;
  /**
   * Scope ids and users: userId, campaignId, conversationId, unknownCampaignId, unknownConversationId,
   * foreignCampaignId, foreignConversationId, otherUser (see `DEFAULT_PARAMS` and the README).
   */
  params?: Record<string, string>;
  /** Multiplies every wait (default 1). */
  timeoutScale?: number;
  /** Checks running at once (default 16). */
  concurrency?: number;
  /** SHOULD failures gate (fail instead of warn). */
  strict?: boolean;
  /** Runs every check this many times (default 1). */
  repeat?: number;
  /** IDs whose failure is expected: reported, flagged, not gating. */
  expectedFailures?: string[];
  /** Families the server must offer whole (every profile of each, docs/protocol.md section 15.7). */
  require?: Family[];
  /** Checks whose scaled budget exceeds this are skipped with the reason (default 120000). */
  maxWaitMs?: number;
  /** Timers for a server that advertises none (`heartbeatIntervalMs`, `rateLimit.maxMessages` …). */
  timers?: GivenTimers;
  /** PEM certificates to trust for wss:// besides the system's (the contents of `--ca FILE`). */
  ca?: string;
  /** Accept any TLS certificate. */
  insecure?: boolean;
  /** Headers sent with every request, e.g. a gateway's key. */
  headers?: Record<string, string>;
  /** The binding to check; default: what the server speaks (checks of another binding are not run). */
  binding?: Binding;
  /**
   * Heartbeat checks watch one ping of each kind: about one heartbeat interval plus the timeout instead
   * of about three intervals, but the spacing of pings goes unmeasured and HB-007 leaves one application
   * ping unanswered instead of three; the verdicts say so.
   */
  quickHeartbeat?: boolean;
  /** Default ALL_CHECKS. */
  checks?: readonly Check[];
  onResult?: (result: CheckResult) => void;
  /** Called when a check starts running (with its deadline) and when it ends: progress output. */
  onCheckProgress?: (event: CheckProgress) => void;
  /** Interrupts the run: running checks end as `cancelled`; abort reason `'SIGTERM'` → exit code 143, else 130. */
  signal?: AbortSignal;
  /**
   * Requirement IDs the in-process reference server breaks deliberately; only without `url`, for the
   * tests that check the runner catches each fault.
   * @internal
   */
  faults?: string[];
}

/**
 * The checks a run with these options would run, in order. With no options at all: every check there is,
 * the cluster checks included (which a run against one server leaves out).
 */
export function listChecks(options?: Pick<RunOptions, 'only' | 'skip' | 'checks' | 'urls'>): Check[] {
  if (options === undefined) return [...ALL_CHECKS];
  return inClusterMode(selectChecks(options.checks ?? ALL_CHECKS, options.only, options.skip), options);
}

/**
 * A target ready for checks: the server is reachable (or started in-process) and discovered. Used by
 * `runConformance` and by the vitest helper, which runs the checks one test at a time. `close()` stops
 * the in-process server.
 */
export interface OpenRun {
  session: ConformanceSession;
  checks: Check[];
  concurrency: number;
  repeat: number;
  /** Failing results for the `require`d families the server does not offer. */
  missingFamilies(): CheckResult[];
  close(): Promise<void>;
}

export async function openRun(options: RunOptions = {}): Promise<OpenRun> {
  const settings = validate(options);
  const selected = listChecks(options);
  const user = options.user ?? DEFAULT_USER;
  let inProcess: InProcessTarget | undefined;
  let targets: Targets;
  if (options.url !== undefined || options.urls !== undefined) {
    if (options.faults !== undefined)
      throw new RunnerError('faults apply only to the in-process server (no url)');
    targets = await resolveTargets(options, CONNECT_TIMEOUT_MS * settings.timeoutScale, settings.transport);
  } else {
    inProcess = await startInProcessTarget(options.faults);
    targets = { targetUrl: inProcess.url, label: inProcess.label };
  }
  const tokenSecret = options.tokenSecret ?? inProcess?.tokenSecret;
  try {
    const session = await ConformanceSession.open({
      targetUrl: targets.targetUrl,
      instanceUrls: targets.instanceUrls,
      targetLabel: targets.label,
      tokens: new TokenSource({ user, token: options.token, tokenSecret }),
      tokenOrigin:
        tokenSecret !== undefined ? 'token-secret' : options.token !== undefined ? 'token' : undefined,
      params: resolveParams(user, options.params, inProcess ? IN_PROCESS_PARAMS : {}),
      schemas: SchemaRegistry.shared(),
      timeoutScale: settings.timeoutScale,
      strict: options.strict ?? false,
      maxWaitMs: settings.maxWaitMs,
      expectedFailures: new Set((options.expectedFailures ?? []).map((id) => id.trim().toUpperCase())),
      fallbackTimers: inProcess?.timers ?? DEFAULT_TIMERS,
      givenTimers: settings.timers,
      transport: settings.transport,
      binding: options.binding,
      checkBindings: new Set(selected.map(bindingOf)),
      mode: { quickHeartbeat: options.quickHeartbeat ?? false },
      signal: options.signal,
      onCheckProgress: options.onCheckProgress,
    });
    const checks = selected.filter((check) => session.bindings.includes(bindingOf(check)));
    const left = selected.length - checks.length;
    if (left > 0) {
      session.notes.push(
        `${left} ${left === 1 ? 'check' : 'checks'} of another binding not run: the run checks ${session.bindings.join(' and ')} (--binding)`,
      );
    }
    return {
      session,
      checks,
      concurrency: settings.concurrency,
      repeat: settings.repeat,
      missingFamilies: () =>
        (options.require ?? []).flatMap((family) => {
          const missing = missingForFamily(family, session.profiles);
          return missing.length > 0 ? [missingFamilyResult(family, missing)] : [];
        }),
      close: async () => inProcess?.close(),
    };
  } catch (error) {
    await inProcess?.close();
    throw error;
  }
}

export async function runConformance(options: RunOptions = {}): Promise<ConformanceReport> {
  const run = await openRun(options);
  try {
    const results = await runChecks(run.session, run.checks, {
      concurrency: run.concurrency,
      repeat: run.repeat,
      onResult: options.onResult,
    });
    for (const result of run.missingFamilies()) {
      results.push(result);
      options.onResult?.(result);
    }
    return run.session.report(results);
  } finally {
    await run.close();
  }
}

function bindingOf(check: Check): Binding {
  return check.binding ?? 'websocket';
}

function missingFamilyResult(family: Family, missing: readonly ProfileName[]): CheckResult {
  const paths = pathsOf(missing.flatMap((name) => profile(name).endpoints));
  const actual = `no ${missing.join(', ')} profile (${paths})`;
  return {
    id: `REQUIRE-${family.toUpperCase()}`,
    level: 'MUST',
    area: 'handshake',
    title: `The server offers the ${family} family (required by this run)`,
    requirement: `This run requires the ${family} family.`,
    outcome: 'fail',
    durationMs: 0,
    message: `expected the whole ${family} family, got: ${actual}`,
    expected: `every profile of the ${family} family`,
    actual,
    transcript: [],
  };
}

function validate(options: RunOptions): {
  timeoutScale: number;
  concurrency: number;
  repeat: number;
  maxWaitMs: number;
  timers: GivenTimers;
  transport: TargetTransport;
} {
  const positive = (value: number | undefined, name: string, fallback: number, integer: boolean): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new RunnerError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
    }
    return value;
  };
  for (const family of options.require ?? []) {
    if (!(FAMILIES as readonly string[]).includes(family)) {
      throw new RunnerError(`unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
    }
  }
  if (options.binding !== undefined && !BINDINGS.includes(options.binding)) {
    throw new RunnerError(`unknown binding "${options.binding}" (expected ${BINDINGS.join(' or ')})`);
  }
  const timers: GivenTimers = {};
  for (const [name, value] of Object.entries(options.timers ?? {})) {
    if (!(TIMER_NAMES as readonly string[]).includes(name)) {
      throw new RunnerError(`unknown timer "${name}" (expected ${TIMER_NAMES.join(', ')})`);
    }
    timers[name as keyof GivenTimers] = positive(value, `timer ${name}`, 0, false);
  }
  return {
    timeoutScale: positive(options.timeoutScale, 'timeoutScale', 1, false),
    concurrency: positive(options.concurrency, 'concurrency', DEFAULT_CONCURRENCY, true),
    repeat: positive(options.repeat, 'repeat', 1, true),
    maxWaitMs: positive(options.maxWaitMs, 'maxWaitMs', DEFAULT_MAX_WAIT_MS, false),
    timers,
    transport: {
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      insecure: options.insecure ?? false,
      headers: validHeaders(options.headers ?? {}),
    },
  };
}

/** Headers the runner sets itself for the upgrade. */
const OWN_HEADERS = /^(host|upgrade|connection|sec-websocket-.*)$/i;
/** RFC 9110 field names, and values without control characters. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

function validHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!FIELD_NAME.test(name)) throw new RunnerError(`header name "${name}" is not a valid HTTP field name`);
    if (OWN_HEADERS.test(name)) throw new RunnerError(`header "${name}" is set by the runner itself`);
    if (typeof value !== 'string' || !FIELD_VALUE.test(value)) {
      throw new RunnerError(`header "${name}" has a value with control characters`);
    }
  }
  return { ...headers };
}

export type { RunReport };
