/**
 * HTML reporter (`--reporter html`): one self-contained page (inline styles, no scripts, no external
 * assets) with the summary, then every check with its requirement, a link to its section of the protocol
 * document, its outcome, expected and actual, and the timestamped transcript of frames (Autobahn style).
 * Every piece of text from the server or the checks is escaped.
 */
import type { CheckResult, RunReport } from '../types.js';

export interface HtmlReportOptions {
  /** Where requirement anchors point: `<docsBase>#HB-003`. Default `docs/protocol.md`. */
  docsBase?: string;
}

export const DEFAULT_DOCS_BASE = 'docs/protocol.md';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only relative links and http(s) links are allowed as the docs base (no `javascript:` and the like). */
function safeDocsBase(base: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(base)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' ? base : DEFAULT_DOCS_BASE;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem;margin:0 0 .5rem}
table{border-collapse:collapse}
td,th{padding:.2rem .6rem;text-align:left;vertical-align:top}
.meta td:first-child{color:#666}
.summary span{display:inline-block;margin-right:.6rem;padding:.15rem .5rem;border-radius:.3rem;background:#eee}
.o-pass{background:#d9f2dc!important}.o-fail{background:#f8d3d3!important}.o-warn{background:#fbeccb!important}
.o-skip{background:#e6e6e6!important}.o-error{background:#e9d5f5!important}
.badge{font-weight:600;padding:.05rem .4rem;border-radius:.3rem}
details{border:1px solid #ddd;border-radius:.4rem;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}
.req{margin:.4rem 0;color:#333}
pre{white-space:pre-wrap;word-break:break-all;margin:.2rem 0}
.transcript td{font:12px/1.3 ui-monospace,monospace;border-top:1px solid #f0f0f0}
.d-sent{color:#0b5394}.d-received{color:#38761d}.d-event{color:#777}
`;

function badge(result: Pick<CheckResult, 'outcome' | 'expectedFailure'>): string {
  const label = result.outcome + (result.expectedFailure ? ' (expected)' : '');
  return `<span class="badge o-${result.outcome}">${escapeHtml(label)}</span>`;
}

function transcriptTable(result: CheckResult): string {
  if (result.transcript.length === 0) return '<p>No frames.</p>';
  const rows = result.transcript
    .map(
      (e) =>
        `<tr class="d-${e.direction}"><td>${e.at.toFixed(1)} ms</td><td>${e.connection === 0 ? '' : `#${e.connection}`}</td>` +
        `<td>${escapeHtml(e.direction)}</td><td>${escapeHtml(e.kind)}</td><td><pre>${escapeHtml(e.data)}</pre></td></tr>`,
    )
    .join('\n');
  return `<table class="transcript"><tr><th>at</th><th>conn</th><th>dir</th><th>kind</th><th>data</th></tr>\n${rows}</table>`;
}

/** The id of a check's section, linked from the table at the top: `HB-003`, or `HB-003-2` with --repeat. */
function anchorOf(result: CheckResult): string {
  return `${result.id}${result.iteration !== undefined ? `-${result.iteration + 1}` : ''}`;
}

function checkSection(result: CheckResult, docsBase: string): string {
  const anchor = anchorOf(result);
  const iteration = result.iteration !== undefined ? ` #${result.iteration + 1}` : '';
  const open = result.outcome === 'fail' || result.outcome === 'error' ? ' open' : '';
  const docsLink = result.id.startsWith('REQUIRE-')
    ? ''
    : ` <a href="${escapeHtml(`${docsBase}#${result.id}`)}">spec</a>`;
  const expected =
    result.expected !== undefined
      ? `<tr><td>expected</td><td><pre>${escapeHtml(result.expected)}</pre></td></tr>`
      : '';
  const actual =
    result.actual !== undefined
      ? `<tr><td>actual</td><td><pre>${escapeHtml(result.actual)}</pre></td></tr>`
      : '';
  return `<details id="${escapeHtml(anchor)}"${open}>
<summary>${badge(result)} <strong>${escapeHtml(result.id)}</strong>${escapeHtml(iteration)} ${escapeHtml(result.title)} <small>(${escapeHtml(result.level)}, ${result.durationMs} ms)</small></summary>
<p class="req">${escapeHtml(result.level)}: ${escapeHtml(result.requirement)}${docsLink}</p>
<table><tr><td>message</td><td><pre>${escapeHtml(result.message)}</pre></td></tr>${expected}${actual}</table>
${transcriptTable(result)}
</details>`;
}

export function renderHtml(
  report: RunReport & { notes?: string[] },
  options: HtmlReportOptions = {},
): string {
  const docsBase = safeDocsBase(options.docsBase ?? DEFAULT_DOCS_BASE);
  const s = report.summary;
  const counts = (['pass', 'fail', 'warn', 'skip', 'blocked', 'error', 'cancelled'] as const)
    .map((o) => `<span class="o-${o}">${o}: ${s[o]}</span>`)
    .join('');
  const timers = report.timers;
  const notes = (report.notes ?? []).map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  const unexpected =
    s.unexpectedPasses.length > 0
      ? `<p>Listed as expected failures but passed (remove them from the baseline): ${escapeHtml(s.unexpectedPasses.join(', '))}</p>`
      : '';
  const rows = report.checks
    .map(
      (r) =>
        `<tr><td><a href="#${escapeHtml(anchorOf(r))}">${escapeHtml(r.id)}</a></td>` +
        `<td>${badge(r)}</td><td>${escapeHtml(r.level)}</td><td>${escapeHtml(r.title)}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidewire conformance report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Tidewire conformance report</h1>
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
<table>
<tr><th>ID</th><th>outcome</th><th>level</th><th>title</th></tr>
${rows}
</table>
<h2>Checks</h2>
${report.checks.map((r) => checkSection(r, docsBase)).join('\n')}
</body>
</html>
`;
}
