import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { buildMatrix, cellText, renderMatrixText } from '../../src/conformance/reporters/matrix.js';
import type { CheckResult, RunReport } from '../../src/conformance/types.js';
import { cli } from './support/run-cli-captured.js';
import { sampleReport } from './support/sample-report.js';
import { xmlProblems } from './support/xml-wellformed.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-matrix-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The sample run against another server, where HB-002 passes and AUTH-001 was not selected. */
function otherServer(): RunReport {
  const report = sampleReport();
  report.target = 'ws://other.test:4000';
  report.checks = report.checks
    .filter((c) => c.id !== 'AUTH-001')
    .map((c): CheckResult => (c.id === 'HB-002' ? { ...c, outcome: 'pass', message: 'ok' } : c));
  return report;
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('matrix of runs', () => {
  const matrix = buildMatrix([
    { label: 'ours', report: sampleReport() },
    { label: 'theirs', report: otherServer() },
  ]);
  const row = (id: string) => matrix.rows.find((r) => r.id === id)!;

  it('has one row per check across the runs and one cell per run', () => {
    expect(matrix.rows.map((r) => r.id)).toEqual(sampleReport().checks.map((c) => c.id));
    expect(row('HB-002').cells.map(cellText)).toEqual(['fail', 'pass']);
    expect(row('AUTH-001').cells.map(cellText)).toEqual(['skip', '—']);
    expect(row('AUTH-003').cells.map(cellText)).toEqual(['fail (expected)', 'fail (expected)']);
  });

  it('marks the checks where the runs disagree, not those one run did not select', () => {
    expect(matrix.rows.filter((r) => r.differs).map((r) => r.id)).toEqual(['HB-002']);
    expect(renderMatrixText(matrix)).toMatch(/^≠ HB-002 +fail +pass$/m);
  });

  it('compares repeated runs by how often they passed', () => {
    const repeated = sampleReport();
    const [pass] = repeated.checks;
    repeated.checks = [0, 1, 2].map((iteration) => ({
      ...pass,
      iteration,
      outcome: iteration === 1 ? 'fail' : 'pass',
    }));
    const [hb001] = buildMatrix([
      { label: 'once', report: sampleReport() },
      { label: 'thrice', report: repeated },
    ]).rows;
    expect(hb001.cells.map(cellText)).toEqual(['pass', 'fail 2/3']);
    expect(hb001.differs).toBe(true);
  });
});

describe('tidewire-conformance report', () => {
  it('writes the matrix of several JSON reports as HTML, JUnit and JSON', async () => {
    const a = write('a.json', renderJson(sampleReport()));
    const b = write('b.json', renderJson(otherServer()));
    const run = await cli(
      ['report', a, b, '--html', 'out/m.html', '--junit', 'out/m.xml', '--json', 'out/m.json'],
      { cwd: dir },
    );
    expect([run.status, run.stderr, run.stdout]).toEqual([0, '', '']);

    const html = fs.readFileSync(path.join(dir, 'out/m.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).toContain('<th class="col">ws://127.0.0.1:1234<br>');
    expect(html).toContain('<th class="col">ws://other.test:4000<br>');
    expect(html).toMatch(
      /<tr class="check area-heartbeat differs"[^>]*><td><a href="[^"]+#HB-002">HB-002<\/a>/,
    );
    expect(html).toContain('<td class="cell o-fail" title="fail: expected close, got: ');
    expect(html).toContain('<a href="#c1-HB-002">fail</a>');
    expect(html).toMatch(/<details id="c1-HB-002" class="check out-fail area-heartbeat">/);
    expect(html).toContain('body:has(#show-same:not(:checked)) .matrix tr.same{display:none}');

    const xml = fs.readFileSync(path.join(dir, 'out/m.xml'), 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="ws:\/\/127\.0\.0\.1:1234" tests="8" failures="1"/);
    expect(xml).toMatch(/<testsuite name="ws:\/\/other\.test:4000" tests="7" failures="0"/);

    const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/m.json'), 'utf8'));
    expect(json.columns.map((c: { label: string }) => c.label)).toEqual([
      'ws://127.0.0.1:1234',
      'ws://other.test:4000',
    ]);
    expect(json.rows.find((r: { id: string }) => r.id === 'AUTH-001').cells).toEqual([
      expect.objectContaining({ outcome: 'skip', runs: 1 }),
      { outcome: null, passed: 0, runs: 0, expectedFailure: false, message: null },
    ]);
  });

  it('labels runs of one target by their file names, or as told', async () => {
    const first = write('monday.json', renderJson(sampleReport()));
    const second = write('tuesday.json', renderJson(sampleReport()));
    const byFile = await cli(['report', first, second], { cwd: dir });
    expect(byFile.stdout.split('\n')[0]).toMatch(/^ +monday +tuesday$/);
    const told = await cli(['report', first, second, '--label', 'before', '--label', 'after'], { cwd: dir });
    expect(told.stdout.split('\n')[0]).toMatch(/^ +before +after$/);
  });

  it.each([
    ['not-json.json', 'nope', /^error: .*not-json\.json is not JSON: /],
    [
      'junit.json',
      { testsuites: [] },
      /^error: .*junit\.json is not a tidewire-conformance JSON report: the document must have required property 'tool'\n$/,
    ],
    [
      'client.json',
      { mode: 'client', checks: [] },
      /^error: .*client\.json is a client-mode report; the matrix compares server runs\n$/,
    ],
  ])('refuses %s with one line and exit 2', async (name, content, message) => {
    const run = await cli(['report', write(name, content)], { cwd: dir });
    expect([run.status, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(message);
  });

  it('suggests the option a mistyped one may mean', async () => {
    const run = await cli(['report', 'a.json', '--htm', 'm.html'], { cwd: dir });
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: "error: Unknown option '--htm'; did you mean --html? (see report --help)\n",
    });
  });
});
