import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_WAIT_MS,
  listChecks,
  runConformance,
  RunnerError,
  type RunOptions,
} from '../../src/conformance/api.js';
import { ALL_CHECKS } from '../../src/conformance/checks/index.js';
import { DEFAULT_TIMERS } from '../../src/conformance/discovery.js';
import type { CheckResult } from '../../src/conformance/types.js';
import { startMiniServer, type MiniServer, type MiniServerOptions } from './support/mini-server.js';
import { envelopeChecks, neverCheck, pingPongCheck, tinyCheck } from './support/tiny-checks.js';

let server: MiniServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(serverOptions: MiniServerOptions, options: RunOptions) {
  server = await startMiniServer(serverOptions);
  return runConformance({ url: server.url, timeoutScale: 0.5, ...options });
}

const outcomes = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c.outcome]));

describe('runConformance', () => {
  it('turns returning, failing, skipping, timing out and throwing into outcomes', async () => {
    const report = await runAgainst(
      {},
      {
        checks: [
          pingPongCheck('T-PASS'),
          tinyCheck('T-FAIL', async (ctx) => ctx.fail('expected A, got: B', { expected: 'A', actual: 'B' })),
          tinyCheck('T-SKIP', async (ctx) => ctx.skip('not offered')),
          neverCheck('T-WAIT', 200),
          tinyCheck('T-THROW', async () => {
            throw new TypeError('boom');
          }),
        ],
      },
    );
    expect(outcomes(report.checks)).toEqual({
      'T-PASS': 'pass',
      'T-FAIL': 'fail',
      'T-SKIP': 'skip',
      'T-WAIT': 'fail',
      'T-THROW': 'error',
    });
    const wait = report.checks.find((c) => c.id === 'T-WAIT');
    expect(wait?.message).toBe('expected a never message, got: nothing within 100 ms');
    expect(wait?.transcript.some((e) => e.direction === 'received' && e.kind === 'text')).toBe(true);
    expect(report.summary).toMatchObject({ total: 5, pass: 1, fail: 2, skip: 1, error: 1 });
    expect(report.exitCode).toBe(1);
    expect(report.timers.heartbeatIntervalMs).toBe(300);
  });

  it('reports a failed SHOULD as warn, and as fail under strict', async () => {
    const should = tinyCheck('T-SHOULD', async (ctx) => ctx.fail('nope'), { level: 'SHOULD' });
    const lenient = await runAgainst({}, { checks: [should] });
    expect([lenient.checks[0].outcome, lenient.exitCode]).toEqual(['warn', 0]);
    await server?.close();
    const strict = await runAgainst({}, { checks: [should], strict: true });
    expect([strict.checks[0].outcome, strict.exitCode]).toEqual(['fail', 1]);
  });

  it('flags expected failures without gating and lists baseline entries that pass', async () => {
    const report = await runAgainst(
      {},
      {
        checks: [neverCheck('T-KNOWN', 50), pingPongCheck('T-FIXED')],
        expectedFailures: ['T-KNOWN', 't-fixed'],
      },
    );
    expect(report.checks[0]).toMatchObject({ outcome: 'fail', expectedFailure: true });
    expect(report.summary).toMatchObject({ expectedFailures: 1, unexpectedPasses: ['T-FIXED'] });
    expect(report.exitCode).toBe(0);
  });

  it('repeats every check and numbers the iterations', async () => {
    const report = await runAgainst({}, { checks: [pingPongCheck('T-A'), pingPongCheck('T-B')], repeat: 3 });
    expect(report.checks.map((c) => `${c.id}#${c.iteration}`)).toEqual([
      'T-A#0',
      'T-B#0',
      'T-A#1',
      'T-B#1',
      'T-A#2',
      'T-B#2',
    ]);
  });

  it('skips checks of absent families and fails a required family the server lacks', async () => {
    const report = await runAgainst(
      { notFound: ['/ws/campaigns'] },
      {
        checks: [
          pingPongCheck('T-CAMPAIGN', { families: ['campaign'] }),
          pingPongCheck('T-MARKET', { families: ['market'] }),
        ],
        require: ['campaign', 'market'],
      },
    );
    expect(report.families).toEqual(['chat', 'market']);
    expect(outcomes(report.checks)).toEqual({
      'T-CAMPAIGN': 'skip',
      'T-MARKET': 'pass',
      'REQUIRE-CAMPAIGN': 'fail',
    });
    expect(report.exitCode).toBe(1);
  });

  it('skips a check whose scaled budget exceeds the maximum wait', async () => {
    const slow = pingPongCheck('T-SLOW', { budgetMs: (t) => t.heartbeatIntervalMs * 100 });
    const report = await runAgainst({}, { checks: [slow], maxWaitMs: 1_000 });
    expect(report.checks[0].outcome).toBe('skip');
    expect(report.checks[0].message).toMatch(/15000 ms .* maximum wait of 1000 ms; raise --max-wait-ms/);
  });

  it('fits every check but RES-009 into the default maximum wait with production timers', () => {
    // 30 s heartbeat, 10 s timeout, 120 s resume window: the heartbeat checks need one interval plus the
    // timeout, not two intervals; only RES-009 waits out the resume window.
    const tooLong = ALL_CHECKS.filter((check) => check.budgetMs(DEFAULT_TIMERS) > DEFAULT_MAX_WAIT_MS);
    expect(tooLong.map((check) => check.id)).toEqual(['RES-009']);
    const heartbeat = ALL_CHECKS.filter((check) =>
      ['HB-001', 'HB-002', 'HB-006', 'HB-007'].includes(check.id),
    );
    const { heartbeatIntervalMs, heartbeatTimeoutMs } = DEFAULT_TIMERS;
    for (const check of heartbeat) {
      expect(check.budgetMs(DEFAULT_TIMERS)).toBeLessThanOrEqual(
        1.25 * heartbeatIntervalMs + heartbeatTimeoutMs + 500,
      );
    }
  });

  it('folds envelope violations seen by any check into ENV-001..003, reported last', async () => {
    const order: string[] = [];
    const report = await runAgainst(
      { onConnection: (ws, request) => request.url?.startsWith('/ws/news') && ws.send('hello') },
      {
        checks: [...envelopeChecks(), pingPongCheck('T-NEWS')],
        onResult: (r) => order.push(r.id),
      },
    );
    expect(order).toEqual(['T-NEWS', 'ENV-001', 'ENV-002', 'ENV-003']);
    expect(outcomes(report.checks)).toMatchObject({
      'ENV-001': 'fail',
      'ENV-002': 'pass',
      'ENV-003': 'pass',
      'T-NEWS': 'pass',
    });
    const env = report.checks.find((c) => c.id === 'ENV-001');
    expect(env?.message).toContain('(seen by T-NEWS)');
    expect(env?.actual).toContain('[T-NEWS on news] /: text frame is not JSON — hello');
  });

  it('ends a check that outlives its deadline as an error and one stuck in a wait as a fail', async () => {
    const started = performance.now();
    const report = await runAgainst(
      {},
      {
        timeoutScale: 0.1,
        checks: [
          tinyCheck('T-HANG', () => new Promise(() => {}), { budgetMs: () => 100 }),
          tinyCheck(
            'T-LONGWAIT',
            async (ctx) => {
              const conn = await ctx.connect('news');
              await conn.next(() => false, { timeoutMs: 60_000, expected: 'something' });
            },
            { budgetMs: () => 100 },
          ),
        ],
      },
    );
    expect(outcomes(report.checks)).toEqual({ 'T-HANG': 'error', 'T-LONGWAIT': 'fail' });
    expect(report.checks[1].message).toMatch(/^expected something, got: nothing within \d+ ms$/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('runs at most `concurrency` checks at once', async () => {
    let running = 0;
    let peak = 0;
    const busy = (id: string) =>
      tinyCheck(id, async (ctx) => {
        peak = Math.max(peak, ++running);
        await ctx.connect('news').then((c) => c.staysOpen(50));
        running--;
      });
    const report = await runAgainst(
      {},
      { checks: ['1', '2', '3', '4', '5'].map((n) => busy(`T-${n}`)), concurrency: 2 },
    );
    expect(report.summary.pass).toBe(5);
    expect(peak).toBe(2);
  });

  it('stops starting checks once the run is cancelled', async () => {
    const controller = new AbortController();
    const report = await runAgainst(
      {},
      {
        concurrency: 1,
        checks: [pingPongCheck('T-1'), pingPongCheck('T-2')],
        onResult: () => controller.abort(),
        signal: controller.signal,
      },
    );
    expect(outcomes(report.checks)).toEqual({ 'T-1': 'pass', 'T-2': 'cancelled' });
    expect(report.checks[1].message).toBe('the run was interrupted (SIGINT) before this check started');
    expect(report.exitCode).toBe(130);
  });

  it('presents the token in the Authorization header when the server refuses it in the query', async () => {
    const report = await runAgainst(
      { refuseQueryToken: true },
      {
        token: 'a.b.c',
        checks: [
          pingPongCheck('T-DEFAULT'),
          tinyCheck('T-QUERY', async (ctx) => {
            await ctx.connect('news', { tokenVia: 'query' });
          }),
        ],
      },
    );
    expect(outcomes(report.checks)).toEqual({ 'T-DEFAULT': 'pass', 'T-QUERY': 'fail' });
    expect(report.notes.join('\n')).toContain('accepted in the Authorization header');
  });

  it('notes protocol defaults when connection_established is missing', async () => {
    const report = await runAgainst({ established: false }, { checks: [], timeoutScale: 0.1 });
    expect(report.timers.heartbeatIntervalMs).toBe(30_000);
    expect(report.notes.join('\n')).toContain('timers are the protocol defaults');
  });

  it('rejects a malformed URL and a closed port with a RunnerError', async () => {
    await expect(runConformance({ url: 'http//nope' })).rejects.toThrow(RunnerError);
    const closed = await startMiniServer();
    await closed.close();
    await expect(runConformance({ url: closed.url, checks: [] })).rejects.toThrow(/connection refused/);
  });
});

describe('listChecks', () => {
  const checks = [
    pingPongCheck('HB-001'),
    pingPongCheck('HB-002', { area: 'auth' }),
    pingPongCheck('AUTH-001', { families: ['chat'] }),
  ];

  it('selects by ID, area, family and ID prefix, and refuses unknown selectors', () => {
    expect(listChecks({ checks, only: ['hb'] }).map((c) => c.id)).toEqual(['HB-001', 'HB-002']);
    expect(listChecks({ checks, only: ['auth'], skip: ['HB-002'] }).map((c) => c.id)).toEqual([]);
    expect(listChecks({ checks, skip: ['chat'] }).map((c) => c.id)).toEqual(['HB-001', 'HB-002']);
    expect(listChecks({ checks, only: ['market,AUTH-001'] }).map((c) => c.id)).toEqual([
      'HB-001',
      'HB-002',
      'AUTH-001',
    ]);
    expect(() => listChecks({ checks, only: ['XYZ-9'] })).toThrow('unknown check selector "XYZ-9"');
  });
});
