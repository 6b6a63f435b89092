/** Builds a check context against a test server, the way the engine does for one check. */
import { CheckRunContext } from '../../../src/conformance/check-context.js';
import { DEFAULT_TIMERS } from '../../../src/conformance/discovery.js';
import { ViolationLog, type MessageSchemas } from '../../../src/conformance/envelope-validator.js';
import { PLAIN_TRANSPORT } from '../../../src/conformance/probe-request.js';
import { resolveParams } from '../../../src/conformance/run-params.js';
import { TokenSource } from '../../../src/conformance/token-source.js';
import { Transcript } from '../../../src/conformance/transcript.js';
import { startMiniServer, type MiniServer, type MiniServerOptions } from './mini-server.js';
import { PROFILE_NAMES } from '../../../src/protocol/profiles.js';

/** Accepts every message: probe tests are about frames, not schemas. */
export const ANY_SCHEMA: MessageSchemas = { validate: () => ({ ok: true }) };

export function probeContext(
  url: string,
  options: { token?: string; timeoutScale?: number; schemas?: MessageSchemas; signal?: AbortSignal } = {},
) {
  const violations = new ViolationLog();
  const transcript = new Transcript();
  const context = new CheckRunContext(
    {
      targetUrl: url,
      timers: DEFAULT_TIMERS,
      families: ['campaign', 'chat', 'market'],
      profiles: PROFILE_NAMES,
      timeoutScale: options.timeoutScale ?? 1,
      params: resolveParams('1', {}),
      tokens: new TokenSource({ user: '1', token: options.token }),
      schemas: options.schemas ?? ANY_SCHEMA,
      violations,
      defaultTokenVia: 'query',
      target: { url, httpUrl: url.replace(/^ws/, 'http'), transport: PLAIN_TRANSPORT },
      blockers: new Map(),
    },
    { checkId: 'TEST-001', iteration: 0 },
    transcript,
    options.signal ?? new AbortController().signal,
  );
  return { context, transcript, violations };
}

/**
 * A mini server per test and check contexts on it: `setup` starts them, `cleanUp` (for `afterEach`)
 * disposes of the contexts and closes the server.
 */
export function miniServerProbes() {
  let server: MiniServer | undefined;
  const contexts: { dispose(): void }[] = [];
  return {
    async setup(options: MiniServerOptions = {}, contextOptions: Parameters<typeof probeContext>[1] = {}) {
      server = await startMiniServer(options);
      const built = probeContext(server.url, contextOptions);
      contexts.push(built.context);
      return { server, ...built };
    },
    async cleanUp(): Promise<void> {
      for (const context of contexts.splice(0)) context.dispose();
      await server?.close();
      server = undefined;
    },
  };
}
