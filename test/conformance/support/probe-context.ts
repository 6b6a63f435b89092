/** Builds a check context against a test server, the way the engine does for one check. */
import { CheckRunContext } from '../../../src/conformance/check-context.js';
import { DEFAULT_TIMERS } from '../../../src/conformance/discovery.js';
import { ViolationLog, type MessageSchemas } from '../../../src/conformance/envelope-validator.js';
import { PLAIN_TRANSPORT } from '../../../src/conformance/probe-request.js';
import { resolveParams } from '../../../src/conformance/run-params.js';
import { TokenSource } from '../../../src/conformance/token-source.js';
import { Transcript } from '../../../src/conformance/transcript.js';

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
