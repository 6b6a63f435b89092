/**
 * The protocol core without sockets: a recording transport, a manual clock and the test endpoints.
 * `open()` runs a handshake and returns the actions the core took.
 */
import { endpointForPath } from '../../../src/protocol/endpoints.js';
import { SchemaRegistry } from '../../../src/protocol/schema-registry.js';
import { Connection, type CoreDependencies, type Transport } from '../../../src/server/core/connection.js';
import { InMemoryLimitCounters } from '../../../src/server/core/limit-counters.js';
import { TimedRequestMemory } from '../../../src/server/core/request-memory.js';
import { InMemorySessionStore } from '../../../src/server/core/session-store.js';
import { serverSeams } from '../../../src/server/faults/index.js';
import { resolveOptions } from '../../../src/server/index.js';
import { ManualScheduler } from '../../../src/server/sources/manual-scheduler.js';
import { verifyToken } from '../../../src/server/token.js';
import { createTestEndpoints } from './test-endpoints.js';

export type Action =
  | { kind: 'text'; text: string }
  | { kind: 'ping' }
  | { kind: 'pong'; payload: string }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'raw'; bytes: number }
  | { kind: 'terminate' };

export class RecordingTransport implements Transport {
  readonly actions: Action[] = [];
  sendText(text: string) {
    this.actions.push({ kind: 'text', text });
  }
  sendPing() {
    this.actions.push({ kind: 'ping' });
  }
  sendPong(payload: Uint8Array) {
    this.actions.push({ kind: 'pong', payload: Buffer.from(payload).toString() });
  }
  close(code: number, reason: string) {
    this.actions.push({ kind: 'close', code, reason });
  }
  writeRawAndEnd(bytes: Uint8Array) {
    this.actions.push({ kind: 'raw', bytes: bytes.length });
  }
  terminate() {
    this.actions.push({ kind: 'terminate' });
  }
  /** JSON messages sent, parsed. */
  messages(): Record<string, unknown>[] {
    return this.actions.flatMap((a) =>
      a.kind === 'text' && a.text.startsWith('{') ? [JSON.parse(a.text)] : [],
    );
  }
  closes() {
    return this.actions.filter((a): a is Extract<Action, { kind: 'close' }> => a.kind === 'close');
  }
}

export function createHarness(
  options: NonNullable<Parameters<typeof resolveOptions>[0]> = {},
  clock = new ManualScheduler(),
) {
  const settings = resolveOptions({
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 500,
    resumeWindowMs: 10_000,
    ...options,
  });
  const seams = serverSeams(settings.faults);
  const endpoints = createTestEndpoints();
  const sessions = new InMemorySessionStore({
    clock,
    resumeWindowMs: settings.resumeWindowMs,
    newRequestMemory: () => new TimedRequestMemory(settings.resumeWindowMs, clock),
    logger: () => {},
  });
  let nextId = 0;
  const deps: CoreDependencies = {
    settings,
    policies: seams.policies,
    clock,
    handlers: { ...endpoints.handlers, ...options.handlers } as CoreDependencies['handlers'],
    validator: SchemaRegistry.shared(),
    sessions,
    counters: new InMemoryLimitCounters(clock),
    verifyToken: (token) => verifyToken(settings.tokenSecret, token, seams.token),
    newSessionId: () => `s${++nextId}`,
    logger: () => {},
  };

  async function open(path: string, query: Record<string, string> = {}, offeredProtocols: string[] = []) {
    const spec = endpointForPath(path);
    if (!spec) throw new Error(`no endpoint at ${path}`);
    const transport = new RecordingTransport();
    const connection = new Connection(
      deps,
      {
        spec,
        query,
        authorization: undefined,
        offeredProtocols,
        subprotocol: seams.policies.handshake.selectSubprotocol(offeredProtocols, spec),
        remoteAddress: '127.0.0.1',
      },
      transport,
    );
    await connection.start();
    return { connection, transport };
  }

  return { clock, sessions, endpoints, settings, open };
}
