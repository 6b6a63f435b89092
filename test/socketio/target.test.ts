/**
 * The SIO checks reach a Socket.IO server the way the preflight found it (`ctx.target`): behind TLS with
 * a certificate the run trusts (`--ca`), under a path prefix, through a gateway that demands a header
 * (`--header`). Polling requests, raw Engine.IO connections and socket.io-client Managers all go there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { SOCKETIO_CHECKS } from '../../src/conformance/checks/socketio.js';
import { RunnerError } from '../../src/conformance/runner-error.js';
import { scaled } from '../support/timing.js';
import {
  selfSignedCertificate,
  tlsTerminator,
  type Certificate,
  type TlsTerminator,
} from '../conformance/support/tls-fixture.js';
import { startNativeRecoveryServer, type NativeServer } from './support/native-recovery-server.js';

const SECRET = 'target-secret';
const HEARTBEAT_MS = scaled(1_000);
const RUN_DEADLINE_MS = scaled(60_000);
const API_KEY = { name: 'x-api-key', value: 'k-123' };
/** A wire rule (polling and raw connections) and a behaviour rule (socket.io-client too). */
const CHECKED = ['SIO-001', 'SIO-008', 'SIO-017'];

describe('the SIO checks against a server behind TLS, a path prefix and a gateway header', () => {
  let certificate: Certificate;
  let server: NativeServer;
  let front: TlsTerminator;
  let url: string;

  beforeAll(async () => {
    certificate = selfSignedCertificate();
    server = await startNativeRecoveryServer({
      secret: SECRET,
      heartbeatMs: HEARTBEAT_MS,
      recoveryWindowMs: 10 * HEARTBEAT_MS,
      path: '/gateway/socket.io/',
      requiredHeader: API_KEY,
    });
    front = await tlsTerminator(server.port, certificate);
    url = `https://127.0.0.1:${front.port}/gateway`;
  });
  afterAll(async () => {
    await front?.close();
    await server?.close();
    certificate?.remove();
  });

  const run = (headers: Record<string, string>) =>
    runConformance({
      url,
      ca: certificate.cert,
      headers,
      checks: SOCKETIO_CHECKS.filter((check) => CHECKED.includes(check.id)),
      tokenSecret: SECRET,
    });

  it("pass with the run's CA and header on every request", { timeout: RUN_DEADLINE_MS }, async () => {
    const report = await run({ 'X-Api-Key': API_KEY.value });
    expect(report.diagnosis?.bindings).toEqual(['socket.io']);
    expect(report.checks.map((check) => `${check.id} ${check.outcome}: ${check.message}`)).toEqual(
      CHECKED.map((id) => expect.stringMatching(new RegExp(`^${id} pass`))),
    );
  });

  it(
    'never get to run when the gateway refuses the run for want of its header',
    { timeout: RUN_DEADLINE_MS },
    async () => {
      await expect(run({})).rejects.toThrow(RunnerError);
    },
  );
});
