/**
 * JUnit XML reporter (`--reporter junit`): one `<testsuite>` per area, one `<testcase>` per check and
 * iteration. `fail` → `<failure>`, `error` → `<error>`, `skip` → `<skipped>`; an expected failure (listed
 * in the baseline) is `<skipped>` so that CI does not fail on it; `warn` passes with the message in
 * `<system-out>`. Failure bodies carry the requirement, expected, actual and the end of the transcript.
 */
import type { CheckResult, RunReport } from '../types.js';
import { transcriptLine, transcriptTail } from './transcript-lines.js';

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

function details(result: CheckResult): string {
  const lines = [`${result.level}: ${result.requirement}`];
  if (result.expected !== undefined) lines.push(`expected: ${result.expected}`);
  if (result.actual !== undefined) lines.push(`actual: ${result.actual}`);
  if (result.transcript.length > 0) {
    lines.push(
      'transcript (end):',
      ...transcriptTail(result.transcript, TRANSCRIPT_LINES).map(transcriptLine),
    );
  }
  return lines.join('\n');
}

function testcase(result: CheckResult): string {
  const name = `${result.id} ${result.title}${result.iteration !== undefined ? ` #${result.iteration + 1}` : ''}`;
  const open = `    <testcase name="${escapeXmlAttribute(name)}" classname="tidewire.${escapeXmlAttribute(result.area)}" time="${seconds(result.durationMs)}"`;
  const message = escapeXmlAttribute(result.message);
  let body = '';
  if (result.expectedFailure) {
    body = `      <skipped message="expected failure (baseline): ${message}"/>\n`;
  } else if (result.outcome === 'fail') {
    body = `      <failure message="${message}" type="${result.level}">${escapeXml(details(result))}</failure>\n`;
  } else if (result.outcome === 'error') {
    body = `      <error message="${message}" type="runner">${escapeXml(details(result))}</error>\n`;
  } else if (result.outcome === 'skip') {
    body = `      <skipped message="${message}"/>\n`;
  } else if (result.outcome === 'warn') {
    body = `      <system-out>${escapeXml(`warn (${result.level}): ${result.message}\n${details(result)}`)}</system-out>\n`;
  }
  return body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

function counts(results: readonly CheckResult[]) {
  return {
    tests: results.length,
    failures: results.filter((r) => r.outcome === 'fail' && !r.expectedFailure).length,
    errors: results.filter((r) => r.outcome === 'error').length,
    skipped: results.filter((r) => r.outcome === 'skip' || r.expectedFailure).length,
    time: seconds(results.reduce((sum, r) => sum + r.durationMs, 0)),
  };
}

export function renderJunit(report: RunReport): string {
  const areas = [...new Set(report.checks.map((r) => r.area))];
  const all = counts(report.checks);
  const suites = areas.map((area) => {
    const results = report.checks.filter((r) => r.area === area);
    const c = counts(results);
    return (
      `  <testsuite name="${escapeXmlAttribute(area)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
      `skipped="${c.skipped}" time="${c.time}" timestamp="${escapeXmlAttribute(report.startedAt)}">\n` +
      results.map(testcase).join('') +
      '  </testsuite>\n'
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="tidewire-conformance ${escapeXmlAttribute(report.target)}" tests="${all.tests}" ` +
    `failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${seconds(report.summary.durationMs)}">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}
