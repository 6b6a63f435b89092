/**
 * The pretty report opens with what the preflight recognised and each root cause once, lists the
 * results by area and ID with failures first in each area, and never prints an empty value.
 */
import { describe, expect, it } from 'vitest';
import { noEmptyValues, renderPretty, renderPrettyEnd } from '../../src/conformance/reporters/pretty.js';
import type { CheckResult } from '../../src/conformance/types.js';
import { sampleReport } from './support/sample-report.js';

function result(
  id: string,
  area: CheckResult['area'],
  outcome: CheckResult['outcome'],
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    id,
    level: 'MUST',
    area,
    title: `title of ${id}`,
    requirement: `The server does what ${id} says.`,
    outcome,
    durationMs: 5,
    message: outcome === 'pass' ? 'ok' : `message of ${id}`,
    transcript: [],
    ...extra,
  };
}

const BLOCKED = 'no connection_established on any endpoint (/ws/campaigns: sent campaign_update first)';

function report() {
  const checks = [
    result('HB-006', 'heartbeat', 'pass'),
    result('HS-010', 'handshake', 'fail'),
    result('AUTH-004', 'auth', 'blocked', { blockedBy: 'HS-002', message: `blocked by HS-002: ${BLOCKED}` }),
    result('HS-002', 'handshake', 'fail'),
    result('HB-001', 'heartbeat', 'fail', {
      message: 'expected seq on every data message before the resume, got: , , , ',
      expected: 'seq',
      actual: '',
    }),
    result('HS-001', 'handshake', 'pass'),
    result('HS-009', 'handshake', 'warn', { level: 'SHOULD' }),
    result('HB-005', 'heartbeat', 'pass'),
  ];
  const count = (outcome: CheckResult['outcome']) => checks.filter((c) => c.outcome === outcome).length;
  const base = sampleReport();
  return {
    ...base,
    summary: {
      ...base.summary,
      total: checks.length,
      pass: count('pass'),
      fail: count('fail'),
      warn: count('warn'),
      skip: 0,
      blocked: count('blocked'),
      error: 0,
      expectedFailures: 0,
      unexpectedPasses: [],
    },
    checks,
    rootCauses: [
      { checkId: 'HS-002', message: BLOCKED, blocked: 1 },
      { checkId: 'HS-002', message: 'connection_established advertises no heartbeatIntervalMs', blocked: 0 },
    ],
  };
}

describe('pretty report', () => {
  const text = renderPretty(report(), { color: false, verbose: false });
  const lines = text.split('\n');

  it('opens with the dialect recognised and each root cause once, with the checks it blocked', () => {
    expect(lines.slice(0, 6)).toEqual([
      'Diagnosis:',
      "  campaign: source 001's dialect (the campaign sender): a bare text ping and no connection_established",
      '    missing for tidewire.v1: connection_established (sessionId, protocolVersion, timers)',
      'Root causes:',
      `  ${BLOCKED} (HS-002): blocked 1 check`,
      '  connection_established advertises no heartbeatIntervalMs (HS-002)',
    ]);
    expect(text.split(BLOCKED).length - 1).toBe(2); // the root cause, and the blocked check's own line
  });

  it('lists results by area and ID, failures first within each area', () => {
    const checkLines = lines.filter((line) => /^[✓✗!~E-] [A-Z]+-\d+ +[a-z]/.test(line));
    const ids = checkLines.map((line) => line.split(/\s+/)[1]);
    expect(ids).toEqual(['HS-002', 'HS-009', 'HS-010', 'HS-001', 'AUTH-004', 'HB-001', 'HB-005', 'HB-006']);
  });

  it('prints no empty value', () => {
    expect(text).not.toMatch(/got: [ ,]*(\n|$)/);
    expect(text).toContain('expected seq on every data message before the resume, got: (none)');
    expect(text).toContain('  actual:      (none)');
    expect(noEmptyValues('  ')).toBe('(none)');
    expect(noEmptyValues('a: 1, 2; b: , ;c')).toBe('a: 1, 2; b: (none);c');
  });

  it('opens the part after the live lines with the same header, then the failures in report order', () => {
    const end = renderPrettyEnd(report(), { color: false, verbose: false }).split('\n');
    expect(end.slice(0, 3)).toEqual(['', 'Diagnosis:', expect.stringContaining("source 001's dialect")]);
    const failures = end
      .filter((line) => /^[✗!E] [A-Z]+-\d+ \[/.test(line))
      .map((line) => line.split(' ')[1]);
    expect(failures).toEqual(['HS-002', 'HS-009', 'HS-010', 'HB-001']);
    expect(end.join('\n')).toMatch(/8 checks, 3 passed, 3 failed, 1 warned, 0 skipped, 1 blocked, 0 errors/);
  });
});
