/**
 * HTML reporter (`--reporter html`): one self-contained page (inline styles, no scripts, no external
 * assets, works offline) with the summary, a table of every check (failures first, with why each did not
 * pass: the failure, the skip reason, the check a blocked one waits on, or a pass's evidence), filters by
 * outcome and area (checkboxes and CSS, no script), then every check with its requirement, a link to the
 * normative text, expected and actual, and the timestamped transcript of frames (Autobahn style) with JSON
 * indented and repeated frames collapsed (`× 20`). Every piece of text from the server or the checks is
 * escaped.
 */
import { DEFAULT_DOCS_BASE, requirementLink } from '../docs-link.js';
import type { CheckResult, Outcome, RunReport } from '../types.js';
import { isRepeated, otherOutcomes, sortedFlakeRows, verdictOf } from './flake-table.js';
import { collapseRepeats, prettyJson, repeatNote } from './transcript-lines.js';

export { DEFAULT_DOCS_BASE };

export interface HtmlReportOptions {
  /** Where requirement anchors point: `<docsBase>#HB-003`. Default: the protocol page of the package. */
  docsBase?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only relative, http(s) and file links are allowed as the docs base (no `javascript:` and the like). */
export function safeDocsBase(base: string | undefined): string {
  if (base === undefined) return DEFAULT_DOCS_BASE;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(base)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'file'
    ? base
    : DEFAULT_DOCS_BASE;
}

/** Outcomes in the order a reader wants them: what needs fixing first, passes last. */
export const OUTCOME_ORDER: readonly Outcome[] = [
  'fail',
  'error',
  'cancelled',
  'warn',
  'blocked',
  'skip',
  'pass',
];

/** Rank of a result for "failures first"; an expected failure (baseline) comes after the live problems. */
function rankOf(result: CheckResult): number {
  if (result.expectedFailure) return OUTCOME_ORDER.indexOf('blocked') + 0.5;
  return OUTCOME_ORDER.indexOf(result.outcome);
}

function failuresFirst(results: readonly CheckResult[]): CheckResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => rankOf(a.result) - rankOf(b.result) || a.index - b.index)
    .map((entry) => entry.result);
}

const BASE_STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem;margin:0 0 .5rem}
table{border-collapse:collapse}
td,th{padding:.2rem .6rem;text-align:left;vertical-align:top}
.meta td:first-child{color:#666}
.summary span{display:inline-block;margin-right:.6rem;padding:.15rem .5rem;border-radius:.3rem;background:#eee}
.o-pass{background:#d9f2dc!important}.o-fail{background:#f8d3d3!important}.o-warn{background:#fbeccb!important}
.o-skip{background:#e6e6e6!important}.o-blocked{background:#dde6f0!important}.o-error{background:#e9d5f5!important}
.o-cancelled{background:#f0e0d0!important}
.badge{font-weight:600;padding:.05rem .4rem;border-radius:.3rem;white-space:nowrap}
.filters{margin:.8rem 0}.filters fieldset{display:inline-block;border:1px solid #ddd;border-radius:.4rem;margin:0 .6rem .4rem 0}
.filters label{margin-right:.6rem;white-space:nowrap}
.checks tr:nth-child(even){background:#fafafa}.why{color:#444;max-width:60rem}
.checks td:first-child,.matrix td:first-child,.repeats td:first-child{white-space:nowrap}
details{border:1px solid #ddd;border-radius:.4rem;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}
.req{margin:.4rem 0;color:#333}
pre{white-space:pre-wrap;word-break:break-all;margin:.2rem 0}
.transcript td{font:12px/1.3 ui-monospace,monospace;border-top:1px solid #f0f0f0}
.times{color:#777;white-space:nowrap}
.d-sent{color:#0b5394}.d-received{color:#38761d}.d-event{color:#777}
`;

/** The page up to its heading: one self-contained document with the base style and `style` inline. */
export function pageStart(title: string, style: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${BASE_STYLE}${style}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>`;
}

function badge(result: Pick<CheckResult, 'outcome' | 'expectedFailure'>): string {
  const label = result.outcome + (result.expectedFailure ? ' (expected)' : '');
  return `<span class="badge o-${result.outcome}">${escapeHtml(label)}</span>`;
}

/** Frames of a check: JSON indented, repeated frames as one row `× 20` with what differed. */
export function transcriptTable(result: Pick<CheckResult, 'transcript'>): string {
  if (result.transcript.length === 0) return '<p>No frames.</p>';
  const rows = collapseRepeats(result.transcript)
    .map((run) => {
      const e = run.entry;
      const at = run.count > 1 ? `${e.at.toFixed(1)}–${run.lastAt.toFixed(1)} ms` : `${e.at.toFixed(1)} ms`;
      const times = run.count > 1 ? `<span class="times">${escapeHtml(repeatNote(run).trim())}</span>` : '';
      return (
        `<tr class="d-${e.direction}"><td>${at}</td><td>${e.connection === 0 ? '' : `#${e.connection}`}</td>` +
        `<td>${escapeHtml(e.direction)}</td><td>${escapeHtml(e.kind)}</td><td>${times}<pre>${escapeHtml(prettyJson(e.data))}</pre></td></tr>`
      );
    })
    .join('\n');
  return `<table class="transcript"><tr><th>at</th><th>conn</th><th>dir</th><th>kind</th><th>data</th></tr>\n${rows}</table>`;
}

/** The id of a check's section, linked from the table at the top: `HB-003`, or `HB-003-2` with --repeat. */
function anchorOf(result: Pick<CheckResult, 'id' | 'iteration'>): string {
  return `${result.id}${result.iteration !== undefined ? `-${result.iteration + 1}` : ''}`;
}

/** Why a result is what it is, in one cell: the failure, the skip reason, the blocking check, the evidence. */
function whyCell(result: CheckResult): string {
  if (result.outcome === 'pass') {
    return escapeHtml((result.evidence ?? []).join('; ') || result.message);
  }
  if (result.outcome === 'blocked' && result.blockedBy !== undefined) {
    const target = anchorOf({ id: result.blockedBy, iteration: result.iteration });
    const reason = result.message.replace(/^blocked by [^:]+: /, '');
    return `blocked by <a href="#${escapeHtml(target)}">${escapeHtml(result.blockedBy)}</a>: ${escapeHtml(reason)}`;
  }
  return escapeHtml(result.message);
}

function specLink(id: string, docsBase: string, text: string): string {
  const href = requirementLink(id, docsBase);
  return href === undefined ? '' : `<a href="${escapeHtml(href)}">${text}</a>`;
}

/** A value as a CSS class or id fragment: letters, digits and dashes only. */
function cssName(value: string): string {
  return value.replace(/[^a-z0-9-]/gi, '_');
}

/** Classes a filter hides by: `check out-fail area-heartbeat`. */
export function filterClasses(result: Pick<CheckResult, 'outcome' | 'area'>): string {
  return `check out-${cssName(result.outcome)} area-${cssName(result.area)}`;
}

function checkSection(result: CheckResult, docsBase: string): string {
  const iteration = result.iteration !== undefined ? ` #${result.iteration + 1}` : '';
  const open = result.outcome === 'fail' || result.outcome === 'error' ? ' open' : '';
  const link = specLink(result.id, docsBase, 'spec');
  const row = (label: string, text: string | undefined) =>
    text === undefined ? '' : `<tr><td>${label}</td><td><pre>${escapeHtml(text)}</pre></td></tr>`;
  const evidence = result.evidence !== undefined ? result.evidence.join('\n') : undefined;
  const blockedBy =
    result.blockedBy !== undefined
      ? `<tr><td>blocked by</td><td><a href="#${escapeHtml(anchorOf({ id: result.blockedBy, iteration: result.iteration }))}">${escapeHtml(result.blockedBy)}</a></td></tr>`
      : '';
  return `<details id="${escapeHtml(anchorOf(result))}" class="${escapeHtml(filterClasses(result))}"${open}>
<summary>${badge(result)} <strong>${escapeHtml(result.id)}</strong>${escapeHtml(iteration)} ${escapeHtml(result.title)} <small>(${escapeHtml(result.level)}, ${escapeHtml(result.area)}, ${result.durationMs} ms)</small></summary>
<p class="req">${escapeHtml(result.level)}: ${escapeHtml(result.requirement)}${link === '' ? '' : ` ${link}`}</p>
<table>${row('message', result.message)}${blockedBy}${row('evidence', evidence)}${row('expected', result.expected)}${row('actual', result.actual)}</table>
${transcriptTable(result)}
</details>`;
}

/**
 * Checkboxes that hide rows and sections by outcome and by area, with CSS alone (`:has`), so the page
 * needs no script. A browser without `:has` shows everything.
 */
export function filterControls(
  outcomes: readonly string[],
  areas: readonly string[],
  /** Further checkboxes of the page's own, in a fieldset of their own. */
  extra: { legend: string; boxes: ReadonlyArray<{ id: string; label: string }> } | undefined = undefined,
): string {
  const box = (id: string, label: string) =>
    `<label><input type="checkbox" id="${escapeHtml(id)}" checked> ${escapeHtml(label)}</label>`;
  const fieldset = (legend: string, boxes: string[]) =>
    boxes.length === 0
      ? ''
      : `<fieldset><legend>${escapeHtml(legend)}</legend>${boxes.join('')}</fieldset>\n`;
  return `<form class="filters" aria-label="filters">
${fieldset(
  'outcome',
  outcomes.map((o) => box(`show-out-${cssName(o)}`, o)),
)}${fieldset(
    'area',
    areas.map((a) => box(`show-area-${cssName(a)}`, a)),
  )}${
    extra === undefined
      ? ''
      : fieldset(
          extra.legend,
          extra.boxes.map((b) => box(b.id, b.label)),
        )
  }</form>`;
}

export function filterStyle(outcomes: readonly string[], areas: readonly string[]): string {
  const hide = (kind: 'out' | 'area', value: string) =>
    `body:has(#show-${kind}-${cssName(value)}:not(:checked)) .check.${kind}-${cssName(value)}{display:none}`;
  return [...outcomes.map((o) => hide('out', o)), ...areas.map((a) => hide('area', a))].join('\n');
}

function repeatsTable(results: readonly CheckResult[], docsBase: string): string {
  if (!isRepeated(results)) return '';
  const body = sortedFlakeRows(results)
    .map(
      (row) =>
        `<tr><td>${specLink(row.id, docsBase, escapeHtml(row.id)) || escapeHtml(row.id)}</td><td>${row.passed}/${row.runs}</td><td>${escapeHtml(otherOutcomes(row))}</td><td>${verdictOf(row) === 'flaky' ? '<strong>flaky</strong>' : ''}</td><td>${escapeHtml(row.title)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Repeats</h2>
<table class="repeats"><tr><th>ID</th><th>passed</th><th>other outcomes</th><th></th><th>title</th></tr>
${body}
</table>`;
}

export function renderHtml(
  report: RunReport & { notes?: string[] },
  options: HtmlReportOptions = {},
): string {
  const docsBase = safeDocsBase(options.docsBase);
  const s = report.summary;
  const counts = OUTCOME_ORDER.map((o) => `<span class="o-${o}">${o}: ${s[o]}</span>`).join('');
  const timers = report.timers;
  const notes = (report.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  const unexpected =
    s.unexpectedPasses.length > 0
      ? `<p>Listed as expected failures but passed (remove them from the baseline): ${escapeHtml(s.unexpectedPasses.join(', '))}</p>`
      : '';
  const ordered = failuresFirst(report.checks);
  const outcomes = OUTCOME_ORDER.filter((o) => report.checks.some((r) => r.outcome === o));
  const areas = [...new Set(report.checks.map((r) => r.area))];
  const rows = ordered
    .map(
      (r) =>
        `<tr class="${escapeHtml(filterClasses(r))}"><td><a href="#${escapeHtml(anchorOf(r))}">${escapeHtml(r.id)}</a>${r.iteration !== undefined ? ` #${r.iteration + 1}` : ''}</td>` +
        `<td>${badge(r)}</td><td>${escapeHtml(r.level)}</td><td>${escapeHtml(r.area)}</td><td>${escapeHtml(r.title)}</td>` +
        `<td class="why">${whyCell(r)}</td><td>${specLink(r.id, docsBase, 'spec')}</td></tr>`,
    )
    .join('\n');
  return `${pageStart('Tidewire conformance report', filterStyle(outcomes, areas))}
<table class="meta">
<tr><td>target</td><td>${escapeHtml(report.target)}</td></tr>
<tr><td>started</td><td>${escapeHtml(report.startedAt)}</td></tr>
<tr><td>tool</td><td>${escapeHtml(`${report.tool.name} ${report.tool.version}`)}</td></tr>
<tr><td>families</td><td>${escapeHtml(report.families.join(', ') || 'none')}</td></tr>
<tr><td>timers</td><td>${escapeHtml(
    `heartbeat ${timers.heartbeatIntervalMs}/${timers.heartbeatTimeoutMs} ms, resume window ${timers.resumeWindowMs} ms, ` +
      `max message ${timers.maxMessageBytes} bytes, rate limit ${timers.rateLimit.maxMessages} per ${timers.rateLimit.windowMs} ms, auth ${timers.authMode}`,
  )}</td></tr>
<tr><td>exit code</td><td>${report.exitCode}</td></tr>
</table>
<p class="summary"><span>total: ${s.total}</span>${counts}<span>expected failures: ${s.expectedFailures}</span><span>${s.durationMs} ms</span></p>
${unexpected}
${notes === '' ? '' : `<ul>${notes}</ul>`}
${filterControls(outcomes, areas)}
<table class="checks">
<tr><th>ID</th><th>outcome</th><th>level</th><th>area</th><th>title</th><th>why</th><th></th></tr>
${rows}
</table>
${repeatsTable(report.checks, docsBase)}
<h2>Checks</h2>
${ordered.map((r) => checkSection(r, docsBase)).join('\n')}
</body>
</html>
`;
}
