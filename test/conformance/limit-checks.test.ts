/**
 * The checks of the server's stated limits (HS-016, AUTH-015 … AUTH-017, HB-012, CL-008, ERR-011,
 * ERR-012, RL-009, RL-010, RES-016, SEC-004 … SEC-006) pass against servers that apply the rules with
 * other, permitted, settings, and fail against peers that break them in ways the fault matrix does not
 * show (its faults are variants of the reference server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { IN_PROCESS_PARAMS } from '../../src/conformance/in-process-target.js';
import type { Outcome } from '../../src/conformance/types.js';
import { createServer, type ReferenceServer, type ServerOptions } from '../../src/server/index.js';
import { decodeJwt } from 'jose';
import { scaled } from '../support/timing.js';
import { startMiniServer, type MiniServer } from './support/mini-server.js';

const LIMIT_CHECKS = [
  'HS-016',
  'AUTH-015',
  'AUTH-016',
  'AUTH-017',
  'HB-012',
  'CL-008',
  'ERR-011',
  'ERR-012',
  'RL-009',
  'RL-010',
  'RES-016',
  'SEC-004',
  'SEC-005',
  'SEC-006',
];

let server: ReferenceServer | undefined;
let mini: MiniServer | undefined;
afterEach(async () => {
  await server?.close();
  await mini?.close();
  server = mini = undefined;
});

async function outcomesAgainst(options: ServerOptions): Promise<Record<string, string>> {
  server = await createServer({
    heartbeatIntervalMs: scaled(1_000),
    heartbeatTimeoutMs: scaled(1_000),
    resumeWindowMs: scaled(2_000),
    simulation: { speed: 20 },
    ...options,
  });
  const report = await runConformance({
    url: server.url,
    tokenSecret: server.options.tokenSecret,
    params: { ...IN_PROCESS_PARAMS },
    only: LIMIT_CHECKS,
  });
  return Object.fromEntries(
    report.checks.map((c) => [c.id, `${c.outcome}${c.outcome === 'pass' ? '' : `: ${c.message}`}`]),
  );
}

const allPass = Object.fromEntries(LIMIT_CHECKS.map((id) => [id, 'pass']));

describe('the checks of stated limits', () => {
  it(
    'pass against an auth-optional server with other limits and windows of its own',
    async () => {
      const outcomes = await outcomesAgainst({
        auth: 'optional',
        rateLimit: { maxMessages: 15, windowMs: scaled(3_000) },
        // Five times the connection's limit, over a longer window than the connection's.
        userRateLimit: { maxMessages: 75, windowMs: scaled(5_000) },
        maxMessageDepth: 12,
        maxMessageItems: 200,
        maxMessageBytes: 32_768,
        connectionLimits: { perUser: 24, perAddress: 30, total: 36 },
      });
      expect(outcomes).toEqual(allPass);
    },
    scaled(120_000),
  );

  it.each<[string, Outcome, Record<string, unknown>]>([
    ['answers every ping of a burst', 'pass', { maxPendingAutoPongs: 0 }],
    ['drops a peer with 60 pongs not yet written', 'fail', {}],
  ])('HB-012 against a server that %s: %s', async (_what, expected, ws) => {
    mini = await startMiniServer({ ws });
    const report = await runConformance({ url: mini.url, only: ['HB-012'] });
    expect(report.checks.map((c) => c.outcome)).toEqual([expected]);
  });

  it.each<[string, Outcome, Record<string, unknown>]>([
    ['takes any number of fragments', 'pass', { maxFragments: 0 }],
    ['keeps the library limit of 16 384 fragments (1008)', 'fail', {}],
  ])('CL-008 against a server that %s: %s', async (_what, expected, ws) => {
    mini = await startMiniServer({ ws, established: { maxMessageBytes: 65_536 } });
    const report = await runConformance({ url: mini.url, only: ['CL-008'] });
    expect(report.checks.map((c) => c.outcome)).toEqual([expected]);
  });

  it.each<[string, Outcome, { lateMs: number; notice: boolean }]>([
    ['ends it 2 s after exp, allowing for clock skew', 'pass', { lateMs: 2_000, notice: true }],
    ['closes with 4001 at exp without authentication_error', 'fail', { lateMs: 0, notice: false }],
  ])('AUTH-015 against a server that %s: %s', async (_what, expected, { lateMs, notice }) => {
    mini = await startMiniServer({
      onConnection: (ws, request) => {
        const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
        const exp = token ? decodeJwt(token).exp : undefined;
        if (exp === undefined) return;
        const timer = setTimeout(
          () => {
            if (notice) {
              ws.send(
                JSON.stringify({
                  type: 'authentication_error',
                  message: 'token expired',
                  error_code: 'AUTH_REQUIRED',
                  closeCode: 4001,
                  timestamp: new Date().toISOString(),
                }),
              );
            }
            ws.close(4001, 'token expired');
          },
          exp * 1000 + lateMs - Date.now(),
        );
        ws.on('close', () => clearTimeout(timer));
      },
    });
    const report = await runConformance({ url: mini.url, tokenSecret: 'mini', only: ['AUTH-015'] });
    const [check] = report.checks;
    expect(check.outcome, check.message).toBe(expected);
    if (expected === 'fail') expect(check.message).toContain('got: close 4001');
  });
});
