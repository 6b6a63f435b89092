/**
 * The matrix report (`tidewire-conformance report a.json b.json …`): several runs side by side, one column
 * per run (several servers, or several runs of one server), one row per check, the way Autobahn compares
 * implementations. Rows where the columns disagree are marked. HTML (one self-contained page, every cell
 * linked to its details and frames), JUnit (one `<testsuite>` per column) and JSON (the matrix as data).
 * Pure: reports in, text out.
 */
import { requirementLink } from '../docs-link.js';
import type { CheckResult, Level, Outcome, RunReport } from '../types.js';
import {
  escapeHtml,
  filterClasses,
  filterControls,
  filterStyle,
  OUTCOME_ORDER,
  pageStart,
  safeDocsBase,
  transcriptTable,
} from './html.js';
import { junitDocument, junitSuite } from './junit.js';

export interface MatrixColumn {
  label: string;
  report: RunReport;
}

/** One run's results for one check (several with --repeat); empty when the run did not have the check. */
export interface MatrixCell {
  results: CheckResult[];
  /** The outcome shown: the only one, or with --repeat the first of OUTCOME_ORDER among the runs. */
  outcome: Outcome | undefined;
  passed: number;
  expectedFailure: boolean;
}

export interface MatrixRow {
  id: string;
  level: Level;
  area: CheckResult['area'];
  title: string;
  requirement: string;
  cells: MatrixCell[];
  /** The runs that have the check disagree (another outcome; with --repeat: passed all, some or no runs). */
  differs: boolean;
}

export interface Matrix {
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

export interface MatrixOptions {
  /** Base of requirement links: `<docsBase>#HB-003`. Default: the protocol page of the package. */
  docsBase?: string;
}

/**
 * Column labels: the targets when they differ; otherwise `labels` given by the caller (file names), and
 * a number where even those repeat.
 */
export function columnLabels(reports: readonly RunReport[], fallbacks: readonly string[] = []): string[] {
  const distinct = (labels: readonly string[]) => new Set(labels).size === labels.length;
  const targets = reports.map((r) => r.target);
  if (distinct(targets)) return targets;
  if (fallbacks.length === reports.length && distinct(fallbacks)) return [...fallbacks];
  return targets.map((target, i) => `${target} #${i + 1}`);
}

function cellOf(results: CheckResult[]): MatrixCell {
  const outcome = OUTCOME_ORDER.find((o) => results.some((r) => r.outcome === o));
  return {
    results,
    outcome,
    passed: results.filter((r) => r.outcome === 'pass').length,
    expectedFailure: results.some((r) => r.expectedFailure === true),
  };
}

/** Rows in the order the checks first appear across the runs. */
export function buildMatrix(columns: readonly MatrixColumn[]): Matrix {
  const rows = new Map<string, MatrixRow>();
  for (const { report } of columns) {
    for (const result of report.checks) {
      if (rows.has(result.id)) continue;
      const { id, level, area, title, requirement } = result;
      rows.set(id, { id, level, area, title, requirement, cells: [], differs: false });
    }
  }
  for (const row of rows.values()) {
    row.cells = columns.map(({ report }) => cellOf(report.checks.filter((r) => r.id === row.id)));
    // Runs that lack the check (another selection) do not count; repeated runs compare by how often they passed.
    const verdicts = row.cells
      .filter((c) => c.outcome !== undefined)
      .map((c) => {
        const share = c.passed === c.results.length ? 'all' : c.passed === 0 ? 'none' : 'some';
        return `${c.outcome}/${share}/${c.expectedFailure}`;
      });
    row.differs = new Set(verdicts).size > 1;
  }
  return { columns: [...columns], rows: [...rows.values()] };
}

/** `pass`, `fail`, `3/5` (passed of runs with --repeat), `—` (not run). */
export function cellText(cell: MatrixCell): string {
  if (cell.outcome === undefined) return '—';
  const runs = cell.results.length;
  const base = runs > 1 ? `${cell.outcome} ${cell.passed}/${runs}` : cell.outcome;
  return cell.expectedFailure ? `${base} (expected)` : base;
}

// ---------------------------------------------------------------- HTML

const MATRIX_STYLE = `
.matrix td.cell{text-align:center;white-space:nowrap}.matrix td.cell a{color:inherit;text-decoration:none;display:block}
.matrix tr.differs td:first-child{border-left:3px solid #c77700}
.matrix th.col{vertical-align:bottom;max-width:14rem;word-break:break-all}
body:has(#show-same:not(:checked)) .matrix tr.same{display:none}
`;

function cellAnchor(column: number, result: Pick<CheckResult, 'id' | 'iteration'>): string {
  return `c${column + 1}-${result.id}${result.iteration !== undefined ? `-${result.iteration + 1}` : ''}`;
}

function matrixCell(cell: MatrixCell, column: number): string {
  if (cell.outcome === undefined) return '<td class="cell">—</td>';
  const first = cell.results[0];
  const title = cell.results.map((r) => `${r.outcome}: ${r.message}`).join('\n');
  return (
    `<td class="cell o-${cell.outcome}" title="${escapeHtml(title)}">` +
    `<a href="#${escapeHtml(cellAnchor(column, first))}">${escapeHtml(cellText(cell))}</a></td>`
  );
}

function cellDetails(label: string, column: number, result: CheckResult): string {
  const iteration = result.iteration !== undefined ? ` #${result.iteration + 1}` : '';
  const row = (name: string, text: string | undefined) =>
    text === undefined ? '' : `<tr><td>${name}</td><td><pre>${escapeHtml(text)}</pre></td></tr>`;
  return `<details id="${escapeHtml(cellAnchor(column, result))}" class="${escapeHtml(filterClasses(result))}">
<summary><span class="badge o-${result.outcome}">${escapeHtml(result.outcome)}</span> <strong>${escapeHtml(result.id)}</strong>${escapeHtml(iteration)} on ${escapeHtml(label)} <small>(${result.durationMs} ms)</small></summary>
<table>${row('message', result.message)}${row('evidence', result.evidence?.join('\n'))}${row('blocked by', result.blockedBy)}${row('expected', result.expected)}${row('actual', result.actual)}</table>
${transcriptTable(result)}
</details>`;
}

export function renderMatrixHtml(matrix: Matrix, options: MatrixOptions = {}): string {
  const docsBase = safeDocsBase(options.docsBase);
  const areas = [...new Set(matrix.rows.map((r) => r.area))];
  const headers = matrix.columns
    .map(({ label, report }) => {
      const s = report.summary;
      return `<th class="col">${escapeHtml(label)}<br><small>${s.pass}/${s.total} passed, ${s.fail} failed · exit ${report.exitCode}</small></th>`;
    })
    .join('');
  const body = matrix.rows
    .map((row) => {
      const link = requirementLink(row.id, docsBase);
      const id =
        link === undefined ? escapeHtml(row.id) : `<a href="${escapeHtml(link)}">${escapeHtml(row.id)}</a>`;
      const classes = `check area-${row.area} ${row.differs ? 'differs' : 'same'}`;
      return (
        `<tr class="${escapeHtml(classes)}" title="${escapeHtml(row.requirement)}"><td>${id}</td><td>${escapeHtml(row.level)}</td>` +
        `<td>${escapeHtml(row.title)}</td>${row.cells.map((cell, i) => matrixCell(cell, i)).join('')}</tr>`
      );
    })
    .join('\n');
  const runs = matrix.columns
    .map(
      ({ label, report }) =>
        `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(report.target)}</td><td>${escapeHtml(report.startedAt)}</td>` +
        `<td>${escapeHtml(report.tool.version)}</td><td>${escapeHtml(report.families.join(', '))}</td><td>${report.exitCode}</td></tr>`,
    )
    .join('\n');
  const details = matrix.columns
    .map(
      ({ label }, column) =>
        `<h3>${escapeHtml(label)}</h3>\n` +
        matrix.rows
          .flatMap((row) => row.cells[column].results.map((r) => cellDetails(label, column, r)))
          .join('\n'),
    )
    .join('\n');
  const differing = matrix.rows.filter((r) => r.differs).length;
  return `${pageStart('Tidewire conformance matrix', `${MATRIX_STYLE}${filterStyle([], areas)}`)}
<table class="meta"><tr><th>run</th><th>target</th><th>started</th><th>tool</th><th>families</th><th>exit code</th></tr>
${runs}
</table>
<p>${matrix.rows.length} checks, ${differing} where the runs differ (marked at the left).</p>
${filterControls([], areas, { legend: 'rows', boxes: [{ id: 'show-same', label: 'where the runs agree' }] })}
<table class="matrix">
<tr><th>ID</th><th>level</th><th>title</th>${headers}</tr>
${body}
</table>
<h2>Details</h2>
${details}
</body>
</html>
`;
}

// ---------------------------------------------------------------- JUnit and JSON

/** One `<testsuite>` per run, named by its column label. */
export function renderMatrixJunit(matrix: Matrix, options: MatrixOptions = {}): string {
  const suites = matrix.columns.map(({ label, report }) =>
    junitSuite(label, report.checks, report.startedAt, options),
  );
  const all = matrix.columns.flatMap(({ report }) => report.checks);
  const durationMs = matrix.columns.reduce((sum, { report }) => sum + report.summary.durationMs, 0);
  return junitDocument('tidewire-conformance matrix', suites, all, durationMs);
}

/**
 * The matrix as data: `columns[]` (`label`, `target`, `startedAt`, `version`, `exitCode`, `summary`) and
 * `rows[]` (`id`, `level`, `area`, `title`, `spec`, `differs`, and `cells[]` in column order: `outcome`
 * (null when the run lacks the check), `passed`, `runs`, `expectedFailure`, `message` of the first run).
 */
export function renderMatrixJson(matrix: Matrix, options: MatrixOptions = {}): string {
  const data = {
    columns: matrix.columns.map(({ label, report }) => ({
      label,
      target: report.target,
      startedAt: report.startedAt,
      version: report.tool.version,
      exitCode: report.exitCode,
      summary: report.summary,
    })),
    rows: matrix.rows.map((row) => ({
      id: row.id,
      level: row.level,
      area: row.area,
      title: row.title,
      spec: requirementLink(row.id, options.docsBase) ?? null,
      differs: row.differs,
      cells: row.cells.map((cell) => ({
        outcome: cell.outcome ?? null,
        passed: cell.passed,
        runs: cell.results.length,
        expectedFailure: cell.expectedFailure,
        message: cell.results[0]?.message ?? null,
      })),
    })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The matrix as a text table, for a terminal. */
export function renderMatrixText(matrix: Matrix): string {
  const widths = matrix.columns.map(({ label }, i) =>
    Math.max(label.length, ...matrix.rows.map((row) => cellText(row.cells[i]).length)),
  );
  const line = (first: string, cells: string[]) =>
    `${first.padEnd(11)} ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [
    line(
      '',
      matrix.columns.map((c) => c.label),
    ),
    ...matrix.rows.map((row) => line(`${row.differs ? '≠' : ' '} ${row.id}`, row.cells.map(cellText))),
    `${matrix.rows.filter((r) => r.differs).length} of ${matrix.rows.length} checks differ between the runs`,
    '',
  ].join('\n');
}
