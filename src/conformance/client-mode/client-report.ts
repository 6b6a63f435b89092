/**
 * Text, JSON and JUnit renderings of a client-mode report. A failure shows the requirement, what was
 * expected, what happened and the timestamped transcript of the scenario (attempts, frames, closes,
 * notes).
 */
import { requirementLink } from '../docs-link.js';
import { renderJunit } from '../reporters/junit.js';
import { printable } from '../reporters/transcript-lines.js';
import type { TranscriptEntry } from '../types.js';
import type { ClientCheckResult, ClientRunReport } from './types.js';

const MARK: Record<ClientCheckResult['outcome'], string> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  skip: '-',
  blocked: '~',
  error: 'E',
  cancelled: 'C',
};
/** Longest frame text shown in a transcript line. */
const FRAME_PREVIEW_CHARS = 160;

function transcriptLine(entry: TranscriptEntry): string {
  const arrow = entry.direction === 'sent' ? '→' : entry.direction === 'received' ? '←' : '·';
  const shown =
    entry.data.length > FRAME_PREVIEW_CHARS ? `${entry.data.slice(0, FRAME_PREVIEW_CHARS)}…` : entry.data;
  // Frames come from the client under test: control characters must not reach the terminal raw.
  const text = printable(shown, false);
  const connection = entry.connection > 0 ? `#${entry.connection}` : '  ';
  return `      ${String(Math.round(entry.at)).padStart(6)} ms ${connection.padEnd(4)} ${arrow} ${entry.kind.padEnd(5)} ${text}`;
}

function resultBlock(result: ClientCheckResult, verbose: boolean): string {
  const lines = [`${MARK[result.outcome]} ${result.id.padEnd(7)} ${result.level.padEnd(6)} ${result.title}`];
  if (result.outcome !== 'pass') {
    lines.push(`    requirement: ${result.requirement}`);
    lines.push(`    spec:        ${requirementLink(result.id)}`);
    if (result.message) lines.push(`    ${result.outcome}: ${printable(result.message, true)}`);
    if (result.expected !== undefined) lines.push(`    expected: ${printable(result.expected, true)}`);
    if (result.actual !== undefined) lines.push(`    actual:   ${printable(result.actual, true)}`);
  }
  if ((result.outcome === 'fail' || result.outcome === 'error' || verbose) && result.transcript.length > 0) {
    lines.push('    transcript (→ runner to client, ← client to runner, #n connection attempt):');
    lines.push(...result.transcript.map(transcriptLine));
  }
  return lines.join('\n');
}

/** The report as text: one line per check, details and transcript for the ones that did not pass. */
export function renderClientReportText(report: ClientRunReport, options: { verbose?: boolean } = {}): string {
  const { summary } = report;
  const blocks = report.checks.map((r) => resultBlock(r, options.verbose === true));
  const counts = (['pass', 'fail', 'warn', 'skip', 'blocked', 'error', 'cancelled'] as const)
    .filter((k) => summary[k] > 0)
    .map((k) => `${summary[k]} ${k}`)
    .join(', ');
  return [
    `tidewire-conformance ${report.tool.version} — client mode, scenarios served at ${report.target}, delayScale ${report.delayScale}`,
    '',
    ...blocks,
    '',
    `${summary.total} client checks: ${counts} (${(summary.durationMs / 1000).toFixed(1)} s)`,
    '',
  ].join('\n');
}

export function renderClientReportJson(report: ClientRunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const CLIENT_REPORTERS = ['pretty', 'json', 'junit'] as const;
export type ClientReporterName = (typeof CLIENT_REPORTERS)[number];

/** The client-mode report in one format; JUnit has one `<testsuite>` (area `reconnect`). */
export function renderClientReport(
  name: ClientReporterName,
  report: ClientRunReport,
  options: { verbose?: boolean; docsBase?: string } = {},
): string {
  switch (name) {
    case 'pretty':
      return renderClientReportText(report, options);
    case 'json':
      return renderClientReportJson(report);
    case 'junit':
      return renderJunit(report, options);
  }
}
