/** A full conformance run against a reference server with the in-process runner's short timers. */
import { runConformance } from '../../../src/conformance/api.js';
import type { ConformanceReport } from '../../../src/conformance/engine.js';
import { IN_PROCESS_PARAMS, IN_PROCESS_SERVER_OPTIONS } from '../../../src/conformance/in-process-target.js';
import { createServer, type ServerOptions } from '../../../src/server/index.js';

/** Runs every check against a server built with `options`; `failing` lists what neither passed nor skipped. */
export async function runAgainstReference(
  options: ServerOptions,
): Promise<{ report: ConformanceReport; failing: string[] }> {
  const server = await createServer({
    ...IN_PROCESS_SERVER_OPTIONS,
    rateLimit: { ...IN_PROCESS_SERVER_OPTIONS.rateLimit },
    simulation: { ...IN_PROCESS_SERVER_OPTIONS.simulation },
    ...options,
  });
  try {
    const report = await runConformance({
      url: server.url,
      tokenSecret: server.options.tokenSecret,
      params: { ...IN_PROCESS_PARAMS },
    });
    const failing = report.checks
      .filter((check) => check.outcome !== 'pass' && check.outcome !== 'skip')
      .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
    return { report, failing };
  } finally {
    await server.close();
  }
}
