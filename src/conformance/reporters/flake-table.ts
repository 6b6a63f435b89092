/**
 * The flake table of a repeated run (`--repeat N`): one row per check, `passed k/N` with the other
 * outcomes counted, flaky checks (passed some runs, not all) first, then checks that never passed, then
 * those that passed every run. It replaces the N rows per check of the pretty report.
 */
import type { CheckResult, Outcome } from '../types.js';
import { printable } from './transcript-lines.js';

export interface FlakeRow {
  id: string;
  title: string;
  runs: number;
  passed: number;
  /** How many runs ended with each outcome. */
  outcomes: Partial<Record<Outcome, number>>;
}

type Verdict = 'flaky' | 'never' | 'skipped' | 'steady';
const ORDER: readonly Verdict[] = ['flaky', 'never', 'skipped', 'steady'];
const MARKS: Record<Verdict, { mark: string; sgr: number }> = {
  flaky: { mark: '±', sgr: 33 },
  never: { mark: '✗', sgr: 31 },
  skipped: { mark: '-', sgr: 2 },
  steady: { mark: '✓', sgr: 32 },
};

export function verdictOf(row: FlakeRow): Verdict {
  if (row.passed === row.runs) return 'steady';
  if (row.passed > 0) return 'flaky';
  return row.outcomes.skip === row.runs ? 'skipped' : 'never';
}

/** One row per check, in the order the checks first appear. */
export function flakeRows(results: readonly CheckResult[]): FlakeRow[] {
  const rows = new Map<string, FlakeRow>();
  for (const result of results) {
    let row = rows.get(result.id);
    if (row === undefined) {
      row = { id: result.id, title: result.title, runs: 0, passed: 0, outcomes: {} };
      rows.set(result.id, row);
    }
    row.runs++;
    if (result.outcome === 'pass') row.passed++;
    row.outcomes[result.outcome] = (row.outcomes[result.outcome] ?? 0) + 1;
  }
  return [...rows.values()];
}

/** Flaky checks first, then those that never passed, never ran, and passed every run. */
export function sortedFlakeRows(results: readonly CheckResult[]): FlakeRow[] {
  const rows = flakeRows(results);
  return ORDER.flatMap((verdict) => rows.filter((row) => verdictOf(row) === verdict));
}

/** `fail 2, error 1`: the runs that did not pass. */
export function otherOutcomes(row: FlakeRow): string {
  return Object.entries(row.outcomes)
    .filter(([outcome]) => outcome !== 'pass')
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
}

/** `± HB-002    passed 3/5  fail 2  flaky  title` */
export function flakeLine(row: FlakeRow, options: { color: boolean }): string {
  const verdict = verdictOf(row);
  const { mark, sgr } = MARKS[verdict];
  const others = otherOutcomes(row);
  const passed = `passed ${row.passed}/${row.runs}`.padEnd(14);
  const flaky = verdict === 'flaky' ? ' flaky' : '';
  const painted = options.color ? `\u001b[${sgr}m${mark}\u001b[0m` : mark;
  return `${painted} ${row.id.padEnd(9)} ${passed} ${`${others}${flaky}`.padEnd(22)} ${printable(row.title, false)}`;
}

/** True when some check ran more than once: the report of a `--repeat` run. */
export function isRepeated(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.iteration !== undefined && r.iteration > 0);
}

export function renderFlakeTable(results: readonly CheckResult[], options: { color: boolean }): string {
  const rows = sortedFlakeRows(results);
  const runs = Math.max(0, ...rows.map((row) => row.runs));
  const flaky = rows.filter((row) => verdictOf(row) === 'flaky').map((row) => row.id);
  const never = rows.filter((row) => verdictOf(row) === 'never').length;
  const tally = flaky.length > 0 ? `${flaky.length} flaky: ${flaky.join(', ')}` : 'none flaky';
  return [
    `Repeated ${runs} times (check: passed k/${runs}):`,
    ...rows.map((row) => `  ${flakeLine(row, options)}`),
    `${rows.length} checks: ${tally}; ${never} never passed`,
    '',
  ].join('\n');
}
