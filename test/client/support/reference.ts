/** Builders for client tests against the reference server: short timers, real sockets, port 0. */
import WebSocket from 'ws';
import { createServer, type ReferenceServer, type ServerOptions } from '../../../src/server/index.js';
import type { ClientOptions } from '../../../src/client/index.js';

/** Reconnect delays at 1/100 of the schedule: 20, 40, 80, 160, 300 ms (before jitter). */
export const TEST_DELAY_SCALE = 0.01;

export function startReference(options: ServerOptions = {}): Promise<ReferenceServer> {
  return createServer({
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 1_000,
    resumeWindowMs: 10_000,
    simulation: { seed: 7, speed: 20 },
    ...options,
  });
}

/** Client options for Node tests: `ws` as the WebSocket class, fast reconnects, a fixed jitter. */
export function nodeClientOptions<T extends Partial<ClientOptions>>(
  url: string,
  extra: T = {} as T,
): ClientOptions & T {
  return {
    url,
    WebSocket,
    delayScale: TEST_DELAY_SCALE,
    random: () => 0.5,
    requestTimeoutMs: 3_000,
    ...extra,
  };
}
