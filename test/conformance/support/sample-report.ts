/** A report with every outcome and hostile text in it, for the reporter tests. */
import type { ConformanceReport } from '../../../src/conformance/engine.js';
import { DEFAULT_TIMERS } from '../../../src/conformance/discovery.js';
import type { CheckResult, TranscriptEntry } from '../../../src/conformance/types.js';

export const HOSTILE_TEXT = `<script>alert("x")</script> & 'quotes' ]]> \u0001`;

/** Twenty identical sends, as a rate-limit check makes them. */
const REPEATED_SENDS: TranscriptEntry[] = Array.from({ length: 20 }, (_, i) => ({
  at: 1 + i * 0.01,
  connection: 1,
  direction: 'sent',
  kind: 'text',
  data: '{"type":"get_all"}',
}));

/** Three snapshots that differ only in seq and timestamp. */
const REPEATED_SNAPSHOTS: TranscriptEntry[] = [7, 8, 9].map((seq) => ({
  at: 2 + seq / 100,
  connection: 1,
  direction: 'received',
  kind: 'text',
  data: `{"type":"prices_snapshot","data":{"prices":[{"symbol":"BTC","price":1}]},"seq":${seq},"timestamp":"2026-01-01T00:00:0${seq}.000Z"}`,
}));

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
    result('HB-001', 'pass', { evidence: ['pings 300 ms apart', 'a pong for each'] }),
    result('HB-002', 'fail', {
      expected: 'close 4408',
      actual: HOSTILE_TEXT,
      message: `expected close, got: ${HOSTILE_TEXT}`,
      transcript: [
        { at: 0.5, connection: 1, direction: 'sent', kind: 'http', data: 'GET /ws/news' },
        ...REPEATED_SENDS,
        ...REPEATED_SNAPSHOTS,
        { at: 3.2, connection: 1, direction: 'received', kind: 'text', data: HOSTILE_TEXT },
      ],
    }),
    result('HB-003', 'warn', { level: 'SHOULD' }),
    result('HB-004', 'blocked', {
      message: 'blocked by HB-001: no ping arrived on /ws/news',
      blockedBy: 'HB-001',
    }),
    result('AUTH-001', 'skip', { message: 'no token to test auth with (give --token or --token-secret)' }),
    result('AUTH-002', 'error'),
    result('AUTH-003', 'fail', { expectedFailure: true }),
    result('AUTH-004', 'cancelled', {
      message: 'the run was interrupted (SIGINT) after 12 ms of this check',
    }),
  ];
  return {
    tool: { name: 'tidewire-conformance', version: '0.1.0' },
    target: 'ws://127.0.0.1:1234',
    startedAt: '2026-01-01T00:00:00.000Z',
    families: ['campaign', 'market'],
    timers: DEFAULT_TIMERS,
    summary: {
      total: 8,
      pass: 1,
      fail: 2,
      warn: 1,
      skip: 1,
      blocked: 1,
      error: 1,
      cancelled: 1,
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
