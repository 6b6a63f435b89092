/**
 * JUnit XML reporter (`--reporter junit`, also in client mode): one `<testsuite>` per area, one
 * `<testcase>` per check and iteration. `fail` → `<failure>`, `error` → `<error>`, `skip`, `blocked` and
 * `cancelled` → `<skipped>` (not judged); an expected failure (listed in the baseline) is `<skipped>` so
 * that CI does not fail on it; `warn` passes with the message in `<system-out>`. Failure bodies carry the
 * requirement, its link, expected, actual and the end of the transcript (repeated frames counted once).
 */
import { requirementLink } from '../docs-link.js';
import type { CheckResult } from '../types.js';
import { collapseRepeats, transcriptRunLine } from './transcript-lines.js';

/** What JUnit needs of a result: server checks and client-mode checks both fit. */
export type JunitResult = Pick<
  CheckResult,
  | 'id'
  | 'level'
  | 'area'
  | 'title'
  | 'requirement'
  | 'outcome'
  | 'durationMs'
  | 'message'
  | 'expected'
  | 'actual'
  | 'transcript'
  | 'iteration'
  | 'expectedFailure'
>;

/** What JUnit needs of a report (a server run or a client-mode run). */
export interface JunitReport {
  target: string;
  startedAt: string;
  summary: { durationMs: number };
  checks: readonly JunitResult[];
}

export interface JunitReportOptions {
  /** Base of the `spec:` link in failure bodies. Default: the protocol page of the package. */
  docsBase?: string;
}

const TRANSCRIPT_LINES = 40;

/** Characters XML 1.0 cannot carry at all are replaced; the five special ones are escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values also keep their line breaks and tabs (XML normalises them away otherwise). */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function details(result: JunitResult, docsBase: string | undefined): string {
  const lines = [`${result.level}: ${result.requirement}`];
  const spec = requirementLink(result.id, docsBase);
  if (spec !== undefined) lines.push(`spec: ${spec}`);
  if (result.expected !== undefined) lines.push(`expected: ${result.expected}`);
  if (result.actual !== undefined) lines.push(`actual: ${result.actual}`);
  if (result.transcript.length > 0) {
    // Repeated frames count once, so the tail reaches further back.
    const runs = collapseRepeats(result.transcript);
    lines.push('transcript (end):', ...runs.slice(-TRANSCRIPT_LINES).map(transcriptRunLine));
  }
  return lines.join('\n');
}

function testcase(result: JunitResult, docsBase: string | undefined): string {
  const name = `${result.id} ${result.title}${result.iteration !== undefined ? ` #${result.iteration + 1}` : ''}`;
  const open = `    <testcase name="${escapeXmlAttribute(name)}" classname="tidewire.${escapeXmlAttribute(result.area)}" time="${seconds(result.durationMs)}"`;
  const message = escapeXmlAttribute(result.message);
  let body = '';
  if (result.expectedFailure) {
    body = `      <skipped message="expected failure (baseline): ${message}"/>\n`;
  } else if (result.outcome === 'fail') {
    body = `      <failure message="${message}" type="${result.level}">${escapeXml(details(result, docsBase))}</failure>\n`;
  } else if (result.outcome === 'error') {
    body = `      <error message="${message}" type="runner">${escapeXml(details(result, docsBase))}</error>\n`;
  } else if (result.outcome === 'skip') {
    body = `      <skipped message="${message}"/>\n`;
  } else if (result.outcome === 'blocked' || result.outcome === 'cancelled') {
    // Not judged: a blocked rule waits on the check that owns its precondition; a cancelled one never ended.
    body = `      <skipped message="${result.outcome}: ${message}"/>\n`;
  } else if (result.outcome === 'warn') {
    body = `      <system-out>${escapeXml(`warn (${result.level}): ${result.message}\n${details(result, docsBase)}`)}</system-out>\n`;
  }
  return body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

const NOT_JUDGED = new Set(['skip', 'blocked', 'cancelled']);

function counts(results: readonly JunitResult[]) {
  return {
    tests: results.length,
    failures: results.filter((r) => r.outcome === 'fail' && !r.expectedFailure).length,
    errors: results.filter((r) => r.outcome === 'error').length,
    skipped: results.filter((r) => NOT_JUDGED.has(r.outcome) || r.expectedFailure).length,
    time: seconds(results.reduce((sum, r) => sum + r.durationMs, 0)),
  };
}

/** One `<testsuite>` of results. */
export function junitSuite(
  name: string,
  results: readonly JunitResult[],
  timestamp: string,
  options: JunitReportOptions = {},
): string {
  const c = counts(results);
  return (
    `  <testsuite name="${escapeXmlAttribute(name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
    `skipped="${c.skipped}" time="${c.time}" timestamp="${escapeXmlAttribute(timestamp)}">\n` +
    results.map((result) => testcase(result, options.docsBase)).join('') +
    '  </testsuite>\n'
  );
}

/** The `<testsuites>` document around suites, with the counts of every result in them. */
export function junitDocument(
  name: string,
  suites: readonly string[],
  results: readonly JunitResult[],
  durationMs: number,
): string {
  const all = counts(results);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${escapeXmlAttribute(name)}" tests="${all.tests}" ` +
    `failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${seconds(durationMs)}">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

/** One `<testsuite>` per area. */
export function renderJunit(report: JunitReport, options: JunitReportOptions = {}): string {
  const areas = [...new Set(report.checks.map((r) => r.area))];
  const suites = areas.map((area) =>
    junitSuite(
      area,
      report.checks.filter((r) => r.area === area),
      report.startedAt,
      options,
    ),
  );
  return junitDocument(
    `tidewire-conformance ${report.target}`,
    suites,
    report.checks,
    report.summary.durationMs,
  );
}
