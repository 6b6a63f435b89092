/**
 * The human reporter: a line per check as it finishes (live progress: ../progress.ts), then
 * every failure with its requirement, what was expected, what happened and the frames around it, then
 * the summary. Colours only on a terminal and never with NO_COLOR.
 */
import type { CheckResult, Outcome, RunReport } from '../types.js';
import { DEFAULT_DOCS_BASE } from './html.js';
import { printable, transcriptLine, transcriptTail } from './transcript-lines.js';

export interface PrettyOptions {
  color: boolean;
  /** Print every check's transcript, not only those of failures. */
  verbose: boolean;
  docsBase?: string;
}

/** Frames shown under a failure: the end of the transcript, where a wait ran out or a close came. */
const FAILURE_FRAMES = 20;

const SGR = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2, bold: 1 } as const;
type Style = keyof typeof SGR;

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text);
}

const MARKS: Record<Outcome, { mark: string; style: Style }> = {
  pass: { mark: '✓', style: 'green' },
  fail: { mark: '✗', style: 'red' },
  warn: { mark: '!', style: 'yellow' },
  skip: { mark: '-', style: 'dim' },
  blocked: { mark: '~', style: 'dim' },
  error: { mark: 'E', style: 'magenta' },
  cancelled: { mark: 'C', style: 'magenta' },
};

export function checkLine(result: CheckResult, options: PrettyOptions): string {
  const paint = painter(options.color);
  const { mark, style } = MARKS[result.outcome];
  const iteration = result.iteration !== undefined ? ` #${result.iteration + 1}` : '';
  const expected = result.expectedFailure ? paint('dim', ' (expected failure)') : '';
  const why = result.outcome === 'pass' ? '' : paint('dim', ` — ${firstLine(result.message)}`);
  return `${paint(style, mark)} ${result.id.padEnd(9)}${iteration} ${result.title} ${paint('dim', `${result.durationMs} ms`)}${expected}${why}`;
}

function firstLine(text: string): string {
  const line = printable(text.split('\n')[0], false);
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function indent(text: string, prefix: string): string {
  return printable(text, true)
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function failureBlock(result: CheckResult, options: PrettyOptions): string {
  const paint = painter(options.color);
  const docsBase = options.docsBase ?? DEFAULT_DOCS_BASE;
  const lines = [
    paint('bold', `${MARKS[result.outcome].mark} ${result.id} [${result.level}] ${result.title}`),
  ];
  lines.push(`  requirement: ${printable(result.requirement, false)}`);
  if (!result.id.startsWith('REQUIRE-')) lines.push(`  spec:        ${docsBase}#${result.id}`);
  lines.push(
    `  result:      ${result.outcome}${result.expectedFailure ? ' (expected failure)' : ''}: ${indent(result.message, '               ').trimStart()}`,
  );
  if (result.expected !== undefined)
    lines.push(`  expected:    ${indent(result.expected, '               ').trimStart()}`);
  if (result.actual !== undefined)
    lines.push(`  actual:      ${indent(result.actual, '               ').trimStart()}`);
  const frames = options.verbose ? result.transcript : transcriptTail(result.transcript, FAILURE_FRAMES);
  if (frames.length > 0) {
    const omitted = result.transcript.length - frames.length;
    lines.push(`  frames${omitted > 0 ? ` (last ${frames.length} of ${result.transcript.length})` : ''}:`);
    for (const entry of frames) lines.push(paint('dim', `  ${transcriptLine(entry)}`));
  }
  return lines.join('\n');
}

/** Everything after the per-check lines: failure details, verbose frame logs, the summary. */
export function renderPrettyEnd(report: RunReport & { notes?: string[] }, options: PrettyOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  const problems = report.checks.filter(
    (r) => r.outcome === 'fail' || r.outcome === 'error' || r.outcome === 'warn',
  );
  const detailed = options.verbose ? report.checks : problems;
  if (detailed.length > 0) {
    out.push('', options.verbose ? 'Checks:' : 'Failures:', '');
    for (const result of detailed) out.push(failureBlock(result, options), '');
  }
  const s = report.summary;
  const parts = [
    `${s.total} ${s.total === 1 ? 'check' : 'checks'}`,
    paint('green', `${s.pass} passed`),
    paint(s.fail > 0 ? 'red' : 'dim', `${s.fail} failed`),
    paint(s.warn > 0 ? 'yellow' : 'dim', `${s.warn} warned`),
    paint('dim', `${s.skip} skipped`),
    paint(s.error > 0 ? 'magenta' : 'dim', `${s.error} errors`),
  ];
  if (s.expectedFailures > 0) parts.push(`${s.expectedFailures} expected failures`);
  out.push(
    '',
    `${parts.join(', ')} in ${(s.durationMs / 1000).toFixed(1)} s against ${printable(report.target, false)}`,
  );
  out.push(paint('dim', `families: ${report.families.join(', ') || 'none'}`));
  if (s.unexpectedPasses.length > 0) {
    out.push(
      paint(
        'yellow',
        `passed though listed as expected failures (remove from the baseline): ${s.unexpectedPasses.join(', ')}`,
      ),
    );
  }
  for (const note of report.notes ?? []) out.push(paint('dim', `note: ${printable(note, false)}`));
  return `${out.join('\n')}\n`;
}

/** The whole report as text (for `--reporter pretty=FILE`). */
export function renderPretty(report: RunReport & { notes?: string[] }, options: PrettyOptions): string {
  return `${report.checks.map((r) => checkLine(r, options)).join('\n')}\n${renderPrettyEnd(report, options)}`;
}
