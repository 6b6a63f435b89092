import { describe, expect, it } from 'vitest';
import { CLIENT_CHECKS } from '../../src/conformance/client-mode/checks.js';
import {
  ERROR_BEFORE_CLOSE,
  ackMessage,
  connectionEstablished,
  dataMessage,
  errorBeforeClose,
  pongMessage,
  resumeFailedMessage,
  resumedMessage,
} from '../../src/conformance/client-mode/scripted-messages.js';
import { DEFAULT_SCRIPTED_TIMERS } from '../../src/conformance/client-mode/scripted-server.js';
import { ENDPOINTS } from '../../src/protocol/endpoints.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';

describe('client mode messages and requirements', () => {
  it('sends only messages that validate against the schemas of their endpoint', () => {
    const registry = SchemaRegistry.shared();
    const errors = Object.entries(ERROR_BEFORE_CLOSE).map(([code, error]) =>
      errorBeforeClose(Number(code), error),
    );
    const retry = errorBeforeClose(1013, { code: 'INTERNAL_ERROR', message: 'later', retryAfterMs: 100 });
    const invalid = ENDPOINTS.flatMap((spec) =>
      [
        connectionEstablished(spec, 's1', DEFAULT_SCRIPTED_TIMERS, true),
        dataMessage(spec, 1, 1),
        resumedMessage('s1', 0, 1),
        resumeFailedMessage('unknown_session', 's2'),
        ackMessage('a1'),
        pongMessage(undefined),
        retry,
        ...errors,
      ].flatMap((message) => {
        const result = registry.validate(spec.name, 'server', message);
        return result.ok ? [] : [`${spec.name} ${String(message.type)}: ${JSON.stringify(result.issues)}`];
      }),
    );
    expect(invalid).toEqual([]);
  });

  it('states every client requirement as docs/protocol.md does', () => {
    const documented = readRequirements().filter((r) => r.id.startsWith('CR-'));
    expect(CLIENT_CHECKS.map((c) => [c.id, c.level, c.requirement])).toEqual(
      documented.map((r) => [r.id, r.level, r.text]),
    );
  });
});
