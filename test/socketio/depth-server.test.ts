/**
 * A server written as source 002 describes its own (plain socket.io, Redis adapter, the guide's middleware
 * and handlers) is checked by the runner's SIO checks: the report says which rules of the binding it meets
 * and which it does not, each failure naming what the server did instead, and none blamed on something
 * the guide does right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from '../../src/conformance/api.js';
import { SOCKETIO_CHECKS } from '../../src/conformance/checks/socketio.js';
import { RedisServer } from '../support/redis-server.js';
import { scaled } from '../support/timing.js';
import { startDepthServer, type DepthServer } from './support/depth-server.js';

const SECRET = 'depth-jwt-secret';
const PING_INTERVAL_MS = scaled(400);
const PING_TIMEOUT_MS = scaled(400);
const RUN_DEADLINE_MS = scaled(120_000);

const REDIS_AVAILABLE = RedisServer.available();

let redis: RedisServer;
let server: DepthServer;
let report: ConformanceReport;

beforeAll(async () => {
  if (!REDIS_AVAILABLE) return;
  redis = await RedisServer.start();
  server = await startDepthServer({
    redisSocketPath: redis.socketPath,
    secret: SECRET,
    pingIntervalMs: PING_INTERVAL_MS,
    pingTimeoutMs: PING_TIMEOUT_MS,
  });
  report = await runConformance({
    url: server.url,
    checks: SOCKETIO_CHECKS,
    tokenSecret: SECRET,
    params: { otherUser: '2' },
  });
}, RUN_DEADLINE_MS);
afterAll(async () => {
  await server?.close();
  await redis?.dispose();
});

const outcome = (id: string) => report.checks.find((check) => check.id === id);

describe.skipIf(!REDIS_AVAILABLE)("the runner against a server written as source 002's guide", () => {
  it("finds the Socket.IO binding and waits by the open packet's heartbeat", () => {
    expect(report.diagnosis).toMatchObject({
      bindings: ['socket.io'],
      engineIo: { pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS },
    });
    expect(report.timers).toMatchObject({
      heartbeatIntervalMs: PING_INTERVAL_MS,
      heartbeatTimeoutMs: PING_TIMEOUT_MS,
    });
  });

  it('reports what the guide does right as passing', () => {
    const passing = report.checks.filter((check) => check.outcome === 'pass').map((check) => check.id);
    expect(passing).toEqual(['SIO-001', 'SIO-002', 'SIO-007', 'SIO-008', 'SIO-009', 'SIO-010']);
  });

  it.each([
    ['SIO-003', /expected event connection:established after CONNECT, got: nothing/],
    // The guide's token middleware guards only the default namespace.
    ['SIO-004', /expected CONNECT_ERROR for a CONNECT without a token, got: CONNECT/],
    ['SIO-005', /expected CONNECT_ERROR for a malformed token, got: CONNECT/],
    ['SIO-006', /expected CONNECT_ERROR for an expired token, got: CONNECT/],
    ['SIO-011', /violates? SIO-011/],
    ['SIO-012', /expected event message:new on \/chat, got: nothing/],
    ['SIO-013', /expected an acknowledgement with id 7, got: nothing/],
    // The guide's handlers and validation are on the default namespace only.
    ['SIO-014', /expected event error on \/projects, got: nothing/],
    ['SIO-015', /expected event error on \/notifications, got: nothing/],
    ['SIO-016', /expected event 101 to get RATE_LIMITED with retryAfterMs/],
    ['SIO-017', /expected CONNECT with a pid, got: {"sid":/],
  ])('reports %s as failing, saying what came instead', (id, message) => {
    expect(outcome(id)).toMatchObject({ outcome: 'fail', message: expect.stringMatching(message) });
  });

  it('reports SIO-018 as blocked by SIO-017: without recovery there is nothing to judge', () => {
    expect(outcome('SIO-018')).toMatchObject({ outcome: 'blocked', blockedBy: 'SIO-017' });
  });

  it('validated the events it received: the guide sends its payloads without the message types', () => {
    expect(outcome('SIO-011')?.actual).toMatch(
      /\[SIO-011 on \/\] project:joined \/type: must be "project_joined"/,
    );
    expect(report.exitCode).toBe(1);
  });
});
