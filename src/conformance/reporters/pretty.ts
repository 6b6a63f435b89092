/**
 * The human reporter: a line per check as it finishes (live progress: ../progress.ts); then the report
 * itself, which opens with what the preflight recognised (a source system's dialect) and each root cause
 * once with the number of checks it blocked, lists the results by area and ID with failures first in each
 * area, details every failure with its requirement, what was expected, what happened and the frames around
 * it, and ends with the summary. It never prints an empty value. Colours only on a terminal and never with
 * NO_COLOR.
 */
import type { Area, CheckResult, Outcome, RunReport } from '../types.js';
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

type Report = RunReport & { notes?: string[] };

/** The areas in the order of docs/protocol.md; an area not listed here comes after them. */
const AREA_ORDER: readonly Area[] = [
  'handshake',
  'auth',
  'heartbeat',
  'close',
  'envelope',
  'errors',
  'acks',
  'rate-limit',
  'resume',
  'security',
  'reconnect',
];
const FAILURES: readonly Outcome[] = ['fail', 'error', 'warn'];

/** `HS-002` → ['HS', 2]: IDs compare by area prefix, then by number (HS-010 after HS-009). */
function idKey(id: string): [string, number, string] {
  const match = /^(.*?)-?(\d+)$/.exec(id);
  return match ? [match[1], Number(match[2]), id] : [id, 0, id];
}

/** Results in area and ID order, failures first within each area (iterations stay in their order). */
function reportOrder(results: readonly CheckResult[]): CheckResult[] {
  const areaRank = (area: string) => {
    const at = AREA_ORDER.indexOf(area as Area);
    return at < 0 ? AREA_ORDER.length : at;
  };
  return [...results].sort((a, b) => {
    const byArea = areaRank(a.area) - areaRank(b.area) || a.area.localeCompare(b.area);
    if (byArea !== 0) return byArea;
    const byFailure = Number(!FAILURES.includes(a.outcome)) - Number(!FAILURES.includes(b.outcome));
    if (byFailure !== 0) return byFailure;
    const [ap, an] = idKey(a.id);
    const [bp, bn] = idKey(b.id);
    return ap.localeCompare(bp) || an - bn || (a.iteration ?? 0) - (b.iteration ?? 0);
  });
}

/** A value that would print as nothing (`got: , , ,`) prints as `(none)`. */
export function noEmptyValues(text: string): string {
  if (text.trim() === '') return '(none)';
  return text.replace(/(: )[\s,]*(?=;|\n|$)/g, '$1(none)');
}

export function checkLine(result: CheckResult, options: PrettyOptions): string {
  const paint = painter(options.color);
  const { mark, style } = MARKS[result.outcome];
  const iteration = result.iteration !== undefined ? ` #${result.iteration + 1}` : '';
  const expected = result.expectedFailure ? paint('dim', ' (expected failure)') : '';
  const why = result.outcome === 'pass' ? '' : paint('dim', ` — ${firstLine(result.message)}`);
  return `${paint(style, mark)} ${result.id.padEnd(9)}${iteration} ${result.title} ${paint('dim', `${result.durationMs} ms`)}${expected}${why}`;
}

function firstLine(text: string): string {
  const line = printable(noEmptyValues(text.split('\n')[0]), false);
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function indent(text: string, prefix: string): string {
  return printable(noEmptyValues(text), true)
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

/**
 * What the preflight recognised and the root causes, each once with the checks it blocked: the first
 * lines of the report. Empty when there is nothing to say.
 */
function renderPrettyHeader(report: Report, options: PrettyOptions): string[] {
  const paint = painter(options.color);
  const lines: string[] = [];
  const dialects = report.diagnosis?.dialects ?? [];
  const engineIo = report.diagnosis?.engineIo;
  if (dialects.length > 0 || report.diagnosis?.bindings.includes('socket.io')) {
    lines.push('Diagnosis:');
    for (const d of dialects) {
      lines.push(
        `  ${d.family}: source ${d.source}'s dialect (${d.system}): ${printable(d.evidence, false)}`,
        `    missing for tidewire.v1: ${printable(noEmptyValues(d.missing.join(', ')), false)}`,
      );
    }
    if (engineIo !== undefined && report.diagnosis?.bindings.includes('socket.io')) {
      lines.push(
        `  socket.io: Engine.IO 4 open packet (pingInterval ${engineIo.pingInterval} ms, pingTimeout ${engineIo.pingTimeout} ms, maxPayload ${engineIo.maxPayload})`,
      );
    }
  }
  const causes = report.rootCauses ?? [];
  if (causes.length > 0) {
    lines.push('Root causes:');
    for (const cause of causes) {
      const blocked =
        cause.blocked > 0 ? `: blocked ${cause.blocked} ${cause.blocked === 1 ? 'check' : 'checks'}` : '';
      const style = cause.blocked > 0 ? 'red' : 'yellow';
      lines.push(`  ${paint(style, `${printable(cause.message, false)} (${cause.checkId})${blocked}`)}`);
    }
  }
  return lines;
}

/** Failure details, verbose frame logs, the summary and the notes. */
function renderDetails(report: Report, options: PrettyOptions): string[] {
  const paint = painter(options.color);
  const out: string[] = [];
  const ordered = reportOrder(report.checks);
  const detailed = options.verbose ? ordered : ordered.filter((r) => FAILURES.includes(r.outcome));
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
  ];
  if (s.blocked > 0) parts.push(paint('dim', `${s.blocked} blocked`));
  parts.push(paint(s.error > 0 ? 'magenta' : 'dim', `${s.error} errors`));
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
  return out;
}

/**
 * The report after the live per-check lines: it opens with the diagnosis and root causes, then the
 * failure details and the summary.
 */
export function renderPrettyEnd(report: Report, options: PrettyOptions): string {
  const header = renderPrettyHeader(report, options);
  return `${[...(header.length > 0 ? ['', ...header] : []), ...renderDetails(report, options)].join('\n')}\n`;
}

/** The whole report as text (for `--reporter pretty=FILE`): header, every check in report order, details. */
export function renderPretty(report: Report, options: PrettyOptions): string {
  const header = renderPrettyHeader(report, options);
  const lines = reportOrder(report.checks).map((r) => checkLine(r, options));
  return `${[...header, ...(header.length > 0 ? [''] : []), ...lines, ...renderDetails(report, options)].join('\n')}\n`;
}
