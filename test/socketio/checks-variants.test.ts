/**
 * The SIO checks against peers that do permitted things differently: the reference server behind a slow
 * network that cuts every frame into pieces, and a plain socket.io server that recovers sessions with
 * socket.io's own connection state recovery (other pid and offset formats, the replay before CONNECT),
 * sends payloads with another key order and added fields, and writes its JSON with spaces. (The reference
 * server breaking each rule is the fault matrix's.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { SOCKETIO_CHECKS } from '../../src/conformance/checks/socketio.js';
import { IN_PROCESS_PARAMS, IN_PROCESS_SERVER_OPTIONS } from '../../src/conformance/in-process-target.js';
import type { RunReport } from '../../src/conformance/types.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { startNativeRecoveryServer, type NativeServer } from './support/native-recovery-server.js';
import { startSlowProxy, type SlowProxy } from './support/slow-proxy.js';

const SECRET = 'variant-secret';
const HEARTBEAT_MS = scaled(1_000);
const RUN_DEADLINE_MS = scaled(90_000);
/** The rules the plain socket.io server keeps: Engine.IO's own, and those of what it serves on `/projects`. */
const NATIVE_SERVER_RULES = ['SIO-001', 'SIO-008', 'SIO-009', 'SIO-010', 'SIO-011', 'SIO-017', 'SIO-018'];

function notPassing(report: RunReport): string[] {
  return report.checks
    .filter((check) => check.outcome !== 'pass')
    .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
}

describe('the SIO checks against peers that do permitted things differently', () => {
  let server: ReferenceServer;
  let proxy: SlowProxy;
  let native: NativeServer;

  beforeAll(async () => {
    server = await createServer({
      ...IN_PROCESS_SERVER_OPTIONS,
      heartbeatIntervalMs: HEARTBEAT_MS,
      heartbeatTimeoutMs: HEARTBEAT_MS,
      resumeWindowMs: 10 * HEARTBEAT_MS,
      rateLimit: { ...IN_PROCESS_SERVER_OPTIONS.rateLimit },
      simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
      tokenSecret: SECRET,
    });
    proxy = await startSlowProxy(server.port, scaled(20), 7);
    native = await startNativeRecoveryServer({
      secret: SECRET,
      heartbeatMs: HEARTBEAT_MS,
      recoveryWindowMs: 10 * HEARTBEAT_MS,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    await native?.close();
  });

  it(
    'pass every check through a slow network that cuts frames into pieces',
    { timeout: RUN_DEADLINE_MS },
    async () => {
      const report = await runConformance({
        url: proxy.url,
        checks: SOCKETIO_CHECKS,
        tokenSecret: SECRET,
        params: { ...IN_PROCESS_PARAMS },
      });
      expect(notPassing(report)).toEqual([]);
    },
  );

  it(
    "pass the wire, recovery and payload checks on socket.io's own recovery, other key orders, added fields and spaced JSON",
    { timeout: RUN_DEADLINE_MS },
    async () => {
      const report = await runConformance({
        url: native.url,
        checks: SOCKETIO_CHECKS.filter((check) => NATIVE_SERVER_RULES.includes(check.id)),
        tokenSecret: SECRET,
      });
      expect(notPassing(report)).toEqual([]);
      expect(report.checks.map((check) => check.id)).toEqual(NATIVE_SERVER_RULES);
      const recovery = report.checks.find((check) => check.id === 'SIO-017')!;
      expect(
        recovery.transcript.some(
          (entry) =>
            entry.direction === 'received' && entry.data.startsWith('42/projects,["project:update", {'),
        ),
      ).toBe(true);
    },
  );
});
