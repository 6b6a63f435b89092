/** A report with every outcome and hostile text in it, for the reporter tests. */
import type { ConformanceReport } from '../../../src/conformance/engine.js';
import { DEFAULT_TIMERS } from '../../../src/conformance/discovery.js';
import type { CheckResult } from '../../../src/conformance/types.js';

export const HOSTILE_TEXT = `<script>alert("x")</script> & 'quotes' ]]> \u0001`;

function result(id: string, outcome: CheckResult['outcome'], extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    level: 'MUST',
    area: id.startsWith('HB') ? 'heartbeat' : 'auth',
    title: `title of ${id}`,
    requirement: `The server does what ${id} says.`,
    outcome,
    durationMs: 12,
    message: outcome === 'pass' ? 'ok' : `message of ${id}`,
    transcript: [
      { at: 0.5, connection: 1, direction: 'sent', kind: 'http', data: 'GET /ws/news' },
      { at: 3.2, connection: 1, direction: 'received', kind: 'text', data: HOSTILE_TEXT },
    ],
    ...extra,
  };
}

export function sampleReport(): ConformanceReport {
  const checks = [
    result('HB-001', 'pass'),
    result('HB-002', 'fail', {
      expected: 'close 4408',
      actual: HOSTILE_TEXT,
      message: `expected close, got: ${HOSTILE_TEXT}`,
    }),
    result('HB-003', 'warn', { level: 'SHOULD' }),
    result('AUTH-001', 'skip'),
    result('AUTH-002', 'error'),
    result('AUTH-003', 'fail', { expectedFailure: true }),
  ];
  return {
    tool: { name: 'tidewire-conformance', version: '0.1.0' },
    target: 'ws://127.0.0.1:1234',
    startedAt: '2026-01-01T00:00:00.000Z',
    families: ['campaign', 'market'],
    timers: DEFAULT_TIMERS,
    summary: {
      total: 6,
      pass: 1,
      fail: 2,
      warn: 1,
      skip: 1,
      blocked: 0,
      error: 1,
      cancelled: 0,
      expectedFailures: 1,
      unexpectedPasses: ['HB-001'],
      durationMs: 80,
    },
    checks,
    exitCode: 1,
    rootCauses: [{ checkId: 'HS-002', message: `no connection_established: ${HOSTILE_TEXT}`, blocked: 0 }],
    diagnosis: {
      bindings: ['websocket'],
      families: [
        {
          family: 'campaign',
          path: '/ws/campaigns',
          upgrade: 'offered',
          detail: 'HTTP 101',
          established: 'absent',
        },
        { family: 'chat', path: '/ws/conversations/', upgrade: 'absent', detail: 'HTTP 404' },
      ],
      dialects: [
        {
          family: 'campaign',
          source: '001',
          system: 'the campaign sender',
          evidence: 'a bare text ping and no connection_established',
          missing: ['connection_established (sessionId, protocolVersion, timers)'],
        },
      ],
    },
    notes: [`a note with ${HOSTILE_TEXT}`],
  };
}
