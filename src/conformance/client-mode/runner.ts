/**
 * Runs the client checks: serves their scenarios on one scripted server, starts a fresh client per
 * scenario through the caller's factory, and turns each check's outcome into a result with a transcript.
 */
import { CheckSkipped } from '../check-failure.js';
import { exitCodeOf } from '../engine.js';
import { mapConcurrent } from '../map-concurrent.js';
import type { TranscriptEntry } from '../types.js';
import { toolVersion } from '../version.js';
import { EventLoopLagMonitor } from './event-loop-lag.js';
import { CLIENT_CHECKS, SINGLE_CONNECTION_CHECK_ID } from './checks.js';
import {
  ScriptedServer,
  WaitTimeoutError,
  type ConnectionStep,
  type ScriptedScenario,
} from './scripted-server.js';
import type {
  ClientCheck,
  ClientCheckContext,
  ClientCheckResult,
  ClientHandle,
  ClientRunOptions,
  ClientRunReport,
  ClientScenario,
  ScenarioRun,
} from './types.js';

const DEFAULT_TOLERANCE_MS = 50;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long a client gets to stop once its scenario is over. */
const STOP_TIMEOUT_MS = 2_000;

/** A mistake in the options of a client-mode run (exit code 2, message without a stack trace). */
export class ClientModeUsageError extends Error {
  override name = 'ClientModeUsageError';
}

class CheckFailed extends Error {
  constructor(
    message: string,
    readonly detail: { expected?: string; actual?: string; late?: boolean } = {},
  ) {
    super(message);
  }
}
class ClientFailed extends Error {}

interface Settings {
  lag: EventLoopLagMonitor;
  /** Scenarios of one check one after another (a client started by hand). */
  sequential: boolean;
  delayScale: number;
  timeoutScale: number;
  toleranceMs: number;
  maxAttempts: number;
  connectTimeoutMs: number;
}

/** Selectors: an ID (`CR-003`), an ID prefix (`CR`) or the area (`reconnect`); comma lists allowed. */
function matches(check: ClientCheck, selectors: readonly string[]): boolean {
  return selectors
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toUpperCase())
    .some((s) => check.id === s || check.id.startsWith(`${s}-`) || s === 'RECONNECT');
}

/** The checks a run would execute after `only`/`skip` (for `--list`). */
export function selectClientChecks(
  options: Pick<ClientRunOptions, 'only' | 'skip' | 'checks'>,
): ClientCheck[] {
  const all = options.checks ?? CLIENT_CHECKS;
  const selectors = [...(options.only ?? []), ...(options.skip ?? [])].flatMap((s) => s.split(','));
  for (const selector of selectors.map((s) => s.trim()).filter((s) => s.length > 0)) {
    if (!all.some((c) => matches(c, [selector]))) {
      throw new ClientModeUsageError(
        `no client check matches "${selector}" (client checks: ${all.map((c) => c.id).join(', ')})`,
      );
    }
  }
  return all.filter(
    (c) =>
      (options.only === undefined || options.only.length === 0 || matches(c, options.only)) &&
      !matches(c, options.skip ?? []),
  );
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new ClientModeUsageError(`${name} must be a positive number, got ${value}`);
  return value;
}

function settingsOf(options: ClientRunOptions): Settings {
  const timeoutScale = positive('timeoutScale', options.timeoutScale, 1);
  const maxAttempts = positive('maxAttempts', options.maxAttempts, 5);
  if (!Number.isInteger(maxAttempts))
    throw new ClientModeUsageError(`maxAttempts must be an integer, got ${maxAttempts}`);
  return {
    lag: new EventLoopLagMonitor(),
    sequential: options.concurrency === 1,
    delayScale: positive('delayScale', options.delayScale, 1),
    timeoutScale,
    toleranceMs: positive('toleranceMs', options.toleranceMs, DEFAULT_TOLERANCE_MS) * timeoutScale,
    maxAttempts,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
  };
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ClientFailed(`${what} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface CheckRun {
  result: ClientCheckResult;
  scenarios: ScriptedScenario[];
}

/** Runs a check; a failure that is only lateness is confirmed by a second run (see ClientCheckContext.fail). */
async function runCheck(
  check: ClientCheck,
  server: ScriptedServer,
  options: ClientRunOptions,
  settings: Settings,
): Promise<CheckRun> {
  const first = await runCheckOnce(check, server, options, settings, 1);
  if (!first.late) return first;
  const second = await runCheckOnce(check, server, options, settings, 2);
  const firstNote = `a first run was late and is not counted: ${first.result.message} (${first.result.actual ?? ''})`;
  second.result.transcript.unshift({
    at: 0,
    connection: 0,
    direction: 'event',
    kind: 'note',
    data: firstNote,
  });
  return { result: second.result, scenarios: [...first.scenarios, ...second.scenarios] };
}

async function runCheckOnce(
  check: ClientCheck,
  server: ScriptedServer,
  options: ClientRunOptions,
  settings: Settings,
  round: number,
): Promise<CheckRun & { late: boolean }> {
  const clockStart = performance.now();
  const transcript: TranscriptEntry[] = [];
  const scenarios: ScriptedScenario[] = [];
  const clients: { stop: () => Promise<void> }[] = [];
  const connectionNumbers = new Map<string, number>();
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const scaled = (timeoutMs: number): number => timeoutMs * settings.timeoutScale;
  const at = (): number => performance.now() - clockStart;

  const ctx: ClientCheckContext = {
    delayScale: settings.delayScale,
    timeoutScale: settings.timeoutScale,
    toleranceMs: settings.toleranceMs,
    maxAttempts: settings.maxAttempts,
    signal: controller.signal,
    skip(reason) {
      throw new CheckSkipped(reason);
    },
    fail(message, detail) {
      throw new CheckFailed(message, detail);
    },
    async each(items, fn) {
      const settled: PromiseSettledResult<Awaited<ReturnType<typeof fn>>>[] = [];
      if (settings.sequential) {
        for (const item of items) {
          const started = clients.length;
          settled.push(...(await Promise.allSettled([fn(item)])));
          // One client at a time: the one of this item stops before the next item's starts.
          await Promise.all(clients.slice(started).map((c) => c.stop()));
        }
      } else {
        settled.push(...(await Promise.allSettled(items.map(fn))));
      }
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof fn>>>).value);
    },
    note(text) {
      transcript.push({ at: at(), connection: 0, direction: 'event', kind: 'note', data: text });
    },
    async scenario(steps: readonly ConnectionStep[], scenarioOptions = {}): Promise<ScenarioRun> {
      const ordinal = scenarios.length;
      const name = [check.id, scenarioOptions.variant, round > 1 ? `run-${round}` : undefined]
        .filter((part) => part !== undefined)
        .join('/');
      const scripted = server.open({
        name,
        steps,
        fallback: scenarioOptions.fallback,
        clockStart,
        log: (index, direction, kind, data) => {
          const key = `${ordinal}:${index}`;
          if (!connectionNumbers.has(key)) connectionNumbers.set(key, connectionNumbers.size + 1);
          transcript.push({
            at: at(),
            connection: connectionNumbers.get(key) as number,
            direction,
            kind,
            data,
          });
        },
      });
      scenarios.push(scripted);
      const info: ClientScenario = {
        id: check.id,
        ...(scenarioOptions.variant === undefined ? {} : { variant: scenarioOptions.variant }),
        url: scripted.url,
        delayScale: scenarioOptions.delayScale ?? settings.delayScale,
      };
      ctx.note(`scenario ${name}: starting a client at ${scripted.url}`);
      let handle: ClientHandle;
      try {
        handle = await withDeadline(
          options.startClient(scripted.url, info),
          scaled(settings.connectTimeoutMs),
          'starting the client',
        );
      } catch (error) {
        throw new ClientFailed(`the client factory failed for scenario ${name}: ${describe(error)}`);
      }
      let stopping: Promise<void> | undefined;
      const stop = (): Promise<void> => {
        stopping ??= withDeadline(
          Promise.resolve().then(() => handle.stop()),
          scaled(STOP_TIMEOUT_MS),
          'stopping the client',
        ).catch((error: unknown) => {
          ctx.note(`scenario ${name}: ${describe(error)}`);
        });
        return stopping;
      };
      clients.push({ stop });
      const wait = <T>(probe: () => T | undefined, timeoutMs: number, expected: string): Promise<T> =>
        scripted.waitFor(probe, { timeoutMs: scaled(timeoutMs), expected, signal: controller.signal });
      const run: ScenarioRun = {
        scenario: info,
        attempts: scripted.attempts,
        overlaps: scripted.overlaps,
        attempt: (index, timeoutMs) =>
          wait(() => scripted.attempts[index], timeoutMs, `connection attempt ${index} (scenario ${name})`),
        ended: (index, timeoutMs) =>
          wait(
            () => (scripted.attempts[index]?.endedAt === undefined ? undefined : scripted.attempts[index]),
            timeoutMs,
            `connection ${index} to end (scenario ${name})`,
          ),
        established: (index, timeoutMs) =>
          wait(
            () =>
              scripted.attempts[index]?.establishedAt === undefined ? undefined : scripted.attempts[index],
            timeoutMs,
            `connection ${index} to be established (scenario ${name})`,
          ),
        observe: (index, windowMs) =>
          scripted.within(() => scripted.attempts[index], {
            timeoutMs: scaled(windowMs),
            expected: `attempt ${index}`,
            signal: controller.signal,
          }),
        watch: (probe, windowMs) =>
          scripted.within(probe, {
            timeoutMs: scaled(windowMs),
            expected: 'a condition',
            signal: controller.signal,
          }),
        slackBefore: (index) => {
          const previous = scripted.attempts[index - 1];
          const from = clockStart + (previous.endedAt ?? previous.at);
          return (
            settings.toleranceMs + settings.lag.worstLagMs(from, clockStart + scripted.attempts[index].at)
          );
        },
        delayBefore: (index) => {
          const previous = scripted.attempts[index - 1];
          return scripted.attempts[index].at - (previous.endedAt ?? previous.at);
        },
        stopClient: stop,
      };
      try {
        await wait(() => scripted.attempts[0], scaled(settings.connectTimeoutMs), 'the first connection');
      } catch (error) {
        if (!(error instanceof WaitTimeoutError)) throw error;
        throw new ClientFailed(
          `the client did not connect to ${scripted.url}/<endpoint path> within ${Math.round(error.timeoutMs)} ms (scenario ${name})`,
        );
      }
      return run;
    },
  };

  const base = {
    id: check.id,
    level: check.level,
    area: 'reconnect' as const,
    title: check.title,
    requirement: check.requirement,
  };
  let result: ClientCheckResult;
  let late = false;
  try {
    await check.run(ctx);
    result = { ...base, outcome: 'pass', durationMs: 0, message: '', transcript };
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    const failed = !cancelled && (error instanceof CheckFailed || error instanceof WaitTimeoutError);
    const broken = check.level === 'MUST' ? 'fail' : 'warn';
    const outcome =
      error instanceof CheckSkipped ? 'skip' : cancelled ? 'cancelled' : failed ? broken : 'error';
    const message = cancelled ? 'the run was interrupted' : describe(error);
    result = { ...base, outcome, durationMs: 0, message, transcript };
    if (error instanceof CheckFailed) {
      late = error.detail.late === true;
      if (error.detail.expected !== undefined) result.expected = error.detail.expected;
      if (error.detail.actual !== undefined) result.actual = error.detail.actual;
    }
    if (error instanceof WaitTimeoutError) {
      result.expected = error.expected;
      result.actual = `nothing within ${Math.round(error.timeoutMs)} ms`;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(clients.map((c) => c.stop()));
    for (const scenario of scenarios) server.retire(scenario);
  }
  result.durationMs = Math.round(at());
  return { result, scenarios, late };
}

/** CR-010 also covers every other scenario: two live connections anywhere fail it. */
function attributeOverlaps(runs: CheckRun[]): void {
  const target = runs.find((r) => r.result.id === SINGLE_CONNECTION_CHECK_ID);
  if (!target || target.result.outcome !== 'pass') return;
  const seen = runs
    .filter((r) => r !== target)
    .flatMap((r) =>
      r.scenarios.flatMap((s) =>
        s.overlaps.map(
          (o) =>
            `${o.live} live on ${s.url}${o.path} (attempts ${o.indexes.join(', ')}) during ${r.result.id}`,
        ),
      ),
    );
  if (seen.length === 0) return;
  Object.assign(target.result, {
    outcome: target.result.level === 'MUST' ? 'fail' : 'warn',
    message: `the client had more than one connection to one endpoint during other checks' scenarios`,
    expected: 'at most one live connection per endpoint',
    actual: seen.join('; '),
  });
}

/**
 * Checks a client's reconnect behaviour (CR-001..CR-010). `startClient` is called once per scenario with a
 * fresh scenario URL; the client appends its endpoint path, connects, and must apply `delayScale` to its
 * reconnect timers.
 */
export async function runClientConformance(options: ClientRunOptions): Promise<ClientRunReport> {
  if (typeof options.startClient !== 'function')
    throw new ClientModeUsageError('startClient must be a function');
  const settings = settingsOf(options);
  const checks = selectClientChecks(options);
  const concurrency = positive('concurrency', options.concurrency, Math.max(1, checks.length));
  const startedAt = new Date();
  const server = await ScriptedServer.start({ host: options.host, port: options.port }).catch(
    (error: unknown) => {
      throw new ClientModeUsageError(
        `cannot serve scenarios on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${describe(error)}`,
      );
    },
  );
  let runs: CheckRun[];
  settings.lag.start();
  try {
    options.onListening?.(server.url);
    runs = await mapConcurrent(checks, concurrency, async (check) => {
      const run = await runCheck(check, server, options, settings);
      if (check.id !== SINGLE_CONNECTION_CHECK_ID) options.onResult?.(run.result);
      return run;
    });
    attributeOverlaps(runs);
    const single = runs.find((r) => r.result.id === SINGLE_CONNECTION_CHECK_ID);
    if (single) options.onResult?.(single.result);
  } finally {
    settings.lag.stop();
    await server.close();
  }
  const checksOut = runs.map((r) => r.result);
  const count = (outcome: ClientCheckResult['outcome']): number =>
    checksOut.filter((c) => c.outcome === outcome).length;
  const summary = {
    total: checksOut.length,
    pass: count('pass'),
    fail: count('fail'),
    warn: count('warn'),
    skip: count('skip'),
    blocked: count('blocked'),
    error: count('error'),
    cancelled: count('cancelled'),
    durationMs: Date.now() - startedAt.getTime(),
  };
  return {
    tool: { name: 'tidewire-conformance', version: toolVersion() },
    mode: 'client',
    target: server.url,
    startedAt: startedAt.toISOString(),
    delayScale: settings.delayScale,
    summary,
    checks: checksOut,
    exitCode: exitCodeOf(checksOut, options.signal?.reason),
  };
}
