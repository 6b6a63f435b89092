/**
 * Runs every conformance check against a reference server of its own, started with the in-process
 * target's settings (every timer stretched by the suite's scale) and the given changes.
 */
import { runConformance, type RunOptions } from '../../../src/conformance/api.js';
import { IN_PROCESS_PARAMS, IN_PROCESS_SERVER_OPTIONS } from '../../../src/conformance/in-process-target.js';
import type { ConformanceReport } from '../../../src/conformance/engine.js';
import { createServer, type ReferenceServer, type ServerOptions } from '../../../src/server/index.js';
import { scaled, TEST_SCALE } from '../../support/timing.js';

/** The in-process server's settings with every timer stretched by the suite's scale. */
export function referenceServerOptions(changes: Partial<ServerOptions> = {}): ServerOptions {
  const { heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs, rateLimit } = IN_PROCESS_SERVER_OPTIONS;
  return {
    ...IN_PROCESS_SERVER_OPTIONS,
    heartbeatIntervalMs: scaled(heartbeatIntervalMs),
    heartbeatTimeoutMs: scaled(heartbeatTimeoutMs),
    resumeWindowMs: scaled(resumeWindowMs),
    rateLimit: { maxMessages: rateLimit.maxMessages, windowMs: scaled(rateLimit.windowMs) },
    simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
    ...changes,
  };
}

/**
 * Every check against `url`, with the tokens and parameters the reference server's data call for; the
 * runner's waits, like the server's timers, follow the suite's timer scale.
 */
export function runAgainst(
  url: string,
  server: ReferenceServer,
  options: RunOptions = {},
): Promise<ConformanceReport> {
  return runConformance({
    url,
    tokenSecret: server.options.tokenSecret,
    params: { ...IN_PROCESS_PARAMS },
    timeoutScale: TEST_SCALE,
    ...options,
  });
}

/** Every check against a reference server started with `changes`, closed afterwards. */
export async function runAgainstReference(
  changes: Partial<ServerOptions> = {},
  options: RunOptions = {},
): Promise<ConformanceReport> {
  const server = await createServer(referenceServerOptions(changes));
  try {
    return await runAgainst(server.url, server, options);
  } finally {
    await server.close();
  }
}
