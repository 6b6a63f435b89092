import { describe, expect, it } from 'vitest';
import { renderFlakeTable } from '../../src/conformance/reporters/flake-table.js';
import { renderReport } from '../../src/conformance/reporters/index.js';
import type { CheckResult, Outcome } from '../../src/conformance/types.js';
import { sampleReport } from './support/sample-report.js';

function runs(id: string, outcomes: Outcome[]): CheckResult[] {
  const [template] = sampleReport().checks;
  return outcomes.map((outcome, iteration) => ({
    ...template,
    id,
    title: `title of ${id}`,
    outcome,
    iteration,
  }));
}

const results = [
  ...runs('HB-001', ['pass', 'pass', 'pass']),
  ...runs('HB-002', ['pass', 'fail', 'pass']),
  ...runs('HB-003', ['fail', 'fail', 'error']),
  ...runs('AUTH-001', ['skip', 'skip', 'skip']),
];

describe('flake table', () => {
  it('gives each check one row, passed k/N, flaky checks first', () => {
    expect(renderFlakeTable(results, { color: false }).split('\n')).toEqual([
      'Repeated 3 times (check: passed k/3):',
      '  ± HB-002    passed 2/3     fail 1 flaky           title of HB-002',
      '  ✗ HB-003    passed 0/3     fail 2, error 1        title of HB-003',
      '  - AUTH-001  passed 0/3     skip 3                 title of AUTH-001',
      '  ✓ HB-001    passed 3/3                            title of HB-001',
      '4 checks: 1 flaky: HB-002; 1 never passed',
      '',
    ]);
  });

  it('replaces the rows per run in a repeated pretty report', () => {
    const report = { ...sampleReport(), checks: results };
    const text = renderReport('pretty', report);
    expect(text).toMatch(/^Repeated 3 times/);
    expect(text).not.toMatch(/HB-002 +#\d/);
    expect(renderReport('pretty', sampleReport())).not.toContain('Repeated');
  });
});
