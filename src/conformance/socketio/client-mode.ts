/**
 * Client mode for Socket.IO clients: the reconnect rules of section 13 that apply to a client built on
 * socket.io-client (docs/protocol.md, section 14a) — CR-002, CR-003 and CR-007 — each checked on scripted
 * Socket.IO servers (one per scenario, at `http://host:port`; the client connects to its namespaces
 * there). Delays follow socket.io-client's own schedule, scaled by the run's delayScale.
 */
import { CheckSkipped } from '../check-failure.js';
import { mapConcurrent } from '../map-concurrent.js';
import {
  CheckFailed,
  clientRunReport,
  ClientModeUsageError,
  endedResult,
  selectClientChecks,
} from '../client-mode/runner.js';
import type {
  ClientCheckResult,
  ClientHandle,
  ClientRunOptions,
  ClientRunReport,
} from '../client-mode/types.js';
import type { Level, TranscriptEntry } from '../types.js';
import { SocketIoScenario, type ConnectRecord, type SocketIoScenarioOptions } from './scripted-server.js';

/** socket.io-client's default `reconnectionDelayMax`, and source 002's. */
const RECONNECT_DELAY_MAX_MS = 5_000;
const MIN_QUIET_MS = 250;
/** How long a client gets to (re-)join its rooms once connected. */
const JOIN_WAIT_MS = 1_000;
/** After the first join, how long the runner waits for the others. */
const JOIN_SETTLE_MS = 50;
const ATTEMPT_MARGIN_MS = 1_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 2_000;

export interface SocketIoClientContext {
  readonly delayScale: number;
  readonly maxAttempts: number;
  readonly toleranceMs: number;
  readonly signal: AbortSignal;
  /** Serves a fresh scenario and starts a fresh client on it (it has connected once this resolves). */
  scenario(options: Omit<SocketIoScenarioOptions, 'clockStart' | 'log'>): Promise<SocketIoScenario>;
  /** Waits (deadline before timeoutScale) for the first defined value of `probe`; times out as a failure. */
  waitFor<T>(
    scenario: SocketIoScenario,
    probe: () => T | undefined,
    timeoutMs: number,
    expected: string,
  ): Promise<T>;
  /** The first defined value of `probe` within `windowMs` (before timeoutScale), else undefined. */
  within<T>(scenario: SocketIoScenario, probe: () => T | undefined, windowMs: number): Promise<T | undefined>;
  note(text: string): void;
  fail(message: string, detail?: { expected?: string; actual?: string }): never;
  skip(reason: string): never;
}

export interface SocketIoClientCheck {
  id: string;
  level: Level;
  title: string;
  /** The requirement's sentence from docs/protocol.md. */
  requirement: string;
  run(ctx: SocketIoClientContext): Promise<void>;
}

/** A window in which a client that must not connect again is watched: past socket.io-client's longest delay. */
const quietWindowMs = (ctx: SocketIoClientContext) =>
  Math.max(2 * RECONNECT_DELAY_MAX_MS * ctx.delayScale, MIN_QUIET_MS) + ctx.toleranceMs;
const attemptTimeoutMs = (ctx: SocketIoClientContext) =>
  2 * RECONNECT_DELAY_MAX_MS * ctx.delayScale + ATTEMPT_MARGIN_MS;

/** Room joins and subscriptions: the events a client sends again on a fresh session. */
const isJoin = (event: string) => event.endsWith(':join') || event === 'notifications:subscribe';
const joinsOf = (connect: ConnectRecord) => [...new Set(connect.events.map((e) => e.event).filter(isJoin))];

export const SOCKETIO_CLIENT_CHECKS: readonly SocketIoClientCheck[] = [
  {
    id: 'CR-002',
    level: 'MUST',
    title: 'gives up after maxAttempts consecutive failed attempts (reconnectionAttempts)',
    requirement:
      'A client makes at most `maxAttempts` (default 5) consecutive reconnect attempts, then stops.',
    async run(ctx) {
      const scenario = await ctx.scenario({ acceptHandshakes: 1 });
      await ctx.waitFor(scenario, () => scenario.connects[0], ctx.toleranceMs + JOIN_WAIT_MS, 'a CONNECT');
      scenario.dropAll();
      for (let attempt = 1; attempt <= ctx.maxAttempts; attempt += 1) {
        const arrived = await ctx.within(scenario, () => scenario.handshakes[attempt], attemptTimeoutMs(ctx));
        if (arrived === undefined) {
          ctx.note(
            `the client stopped after ${attempt - 1} failed attempts (at most ${ctx.maxAttempts} allowed)`,
          );
          return;
        }
      }
      const extra = await ctx.within(
        scenario,
        () => scenario.handshakes[ctx.maxAttempts + 1],
        quietWindowMs(ctx),
      );
      if (extra !== undefined) {
        ctx.fail(`the client made more than ${ctx.maxAttempts} consecutive reconnect attempts`, {
          expected: `at most ${ctx.maxAttempts} attempts after the drop`,
          actual: `attempt ${ctx.maxAttempts + 1} after ${extra} ms`,
        });
      }
    },
  },
  {
    id: 'CR-003',
    level: 'MUST',
    title: 'does not connect again after CONNECT_ERROR with an authentication_error',
    requirement: 'A client does not reconnect after close 4001 until it has a new token.',
    async run(ctx) {
      const scenario = await ctx.scenario({ refuseConnects: true });
      await ctx.waitFor(scenario, () => scenario.connects[0], ctx.toleranceMs + JOIN_WAIT_MS, 'a CONNECT');
      const again = await ctx.within(
        scenario,
        () => (scenario.connects.length > 1 || scenario.handshakes.length > 1 ? true : undefined),
        quietWindowMs(ctx),
      );
      if (again) {
        ctx.fail('the client connected again after its token was refused', {
          expected: 'no handshake and no CONNECT after CONNECT_ERROR (authentication_error)',
          actual: `${scenario.handshakes.length} handshakes and ${scenario.connects.length} CONNECTs`,
        });
      }
    },
  },
  {
    id: 'CR-007',
    level: 'MUST',
    title: 're-joins its rooms on a fresh session (socket.recovered false)',
    requirement: 'After `resume_failed` (a fresh session) the client re-sends its subscriptions.',
    async run(ctx) {
      const scenario = await ctx.scenario({});
      const first = await ctx.waitFor(scenario, () => scenario.connects[0], JOIN_WAIT_MS, 'a CONNECT');
      await ctx.within(scenario, () => (joinsOf(first).length > 0 ? true : undefined), JOIN_WAIT_MS);
      await ctx.within(scenario, () => undefined, JOIN_SETTLE_MS);
      const joins = joinsOf(first);
      if (joins.length === 0)
        ctx.skip('the client joined no room and subscribed to nothing: nothing to re-join');
      scenario.dropAll();
      const second = await ctx.waitFor(
        scenario,
        () => scenario.connects[1],
        attemptTimeoutMs(ctx),
        'a reconnection',
      );
      ctx.note(
        `reconnected ${second.auth.pid === undefined ? 'without' : 'offering'} its pid; answered with a fresh session`,
      );
      const missing = () => joins.filter((join) => !joinsOf(second).includes(join));
      await ctx.within(scenario, () => (missing().length === 0 ? true : undefined), JOIN_WAIT_MS);
      if (missing().length > 0) {
        ctx.fail('the client did not re-join its rooms on the fresh session', {
          expected: joins.join(', '),
          actual: joinsOf(second).join(', ') || 'no join',
        });
      }
    },
  },
];

/** Runs the Socket.IO client checks (client mode with `binding: 'socket.io'`). */
export async function runSocketIoClientConformance(options: ClientRunOptions): Promise<ClientRunReport> {
  const timeoutScale = options.timeoutScale ?? 1;
  const settings = {
    delayScale: options.delayScale ?? 1,
    timeoutScale,
    toleranceMs: (options.toleranceMs ?? 50) * timeoutScale,
    maxAttempts: options.maxAttempts ?? 5,
    connectTimeoutMs: (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) * timeoutScale,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new ClientModeUsageError(`${name} must be a positive number, got ${value}`);
    }
  }
  const checks = selectClientChecks({ ...options, checks: SOCKETIO_CLIENT_CHECKS });
  const startedAt = new Date();
  const results = await mapConcurrent(checks, options.concurrency ?? checks.length, async (check) => {
    const result = await runCheck(check, options, settings);
    options.onResult?.(result);
    return result;
  });
  return clientRunReport(results, {
    target: 'Socket.IO scenarios (one server per scenario)',
    startedAt,
    delayScale: settings.delayScale,
    signal: options.signal,
  });
}

async function runCheck(
  check: SocketIoClientCheck,
  options: ClientRunOptions,
  settings: {
    delayScale: number;
    timeoutScale: number;
    toleranceMs: number;
    maxAttempts: number;
    connectTimeoutMs: number;
  },
): Promise<ClientCheckResult> {
  const clockStart = performance.now();
  const transcript: TranscriptEntry[] = [];
  const at = () => Math.round(performance.now() - clockStart);
  const scenarios: SocketIoScenario[] = [];
  const clients: ClientHandle[] = [];
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const ctx: SocketIoClientContext = {
    delayScale: settings.delayScale,
    maxAttempts: settings.maxAttempts,
    toleranceMs: settings.toleranceMs,
    signal: controller.signal,
    async scenario(scenarioOptions) {
      const connection = scenarios.length + 1;
      const scenario = await SocketIoScenario.start({
        ...scenarioOptions,
        clockStart,
        log: (direction, data) => transcript.push({ at: at(), connection, direction, kind: 'text', data }),
      });
      scenarios.push(scenario);
      ctx.note(`scenario ${check.id}: starting a client at ${scenario.url}`);
      clients.push(
        await options.startClient(scenario.url, {
          id: check.id,
          url: scenario.url,
          delayScale: settings.delayScale,
        }),
      );
      await ctx.waitFor(
        scenario,
        () => scenario.handshakes[0],
        settings.connectTimeoutMs / settings.timeoutScale,
        'the first connection',
      );
      return scenario;
    },
    waitFor: (scenario, probe, timeoutMs, expected) =>
      scenario.waitFor(probe, timeoutMs * settings.timeoutScale, expected, controller.signal),
    within: (scenario, probe, windowMs) =>
      scenario.within(probe, windowMs * settings.timeoutScale, controller.signal),
    note: (text) =>
      transcript.push({ at: at(), connection: 0, direction: 'event', kind: 'note', data: text }),
    fail: (message, detail) => {
      throw new CheckFailed(message, detail);
    },
    skip: (reason) => {
      throw new CheckSkipped(reason);
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
  try {
    await check.run(ctx);
    result = { ...base, outcome: 'pass', durationMs: 0, message: '', transcript };
  } catch (error) {
    result = endedResult(base, error, transcript, options.signal);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(
      clients.map((client) =>
        Promise.race([
          client.stop(),
          new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref()),
        ]),
      ),
    );
    await Promise.all(scenarios.map((scenario) => scenario.close()));
  }
  result.durationMs = at();
  return result;
}
