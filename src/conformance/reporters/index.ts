/**
 * The report formats of `--reporter`, and the reporters as functions of a report (exported from
 * `tidewire/conformance`): a program can render any of them from a `RunReport`, such as one read back from
 * a JSON report. Every reporter is pure: a report in, text out.
 */
import type { RunReport } from '../types.js';
import { isRepeated, renderFlakeTable } from './flake-table.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderPretty, renderPrettyEnd } from './pretty.js';

export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export interface RenderOptions {
  /** Pretty: ANSI colours (default false). */
  color?: boolean;
  /** Pretty: every check's frames, not only failures' (default false). */
  verbose?: boolean;
  /** Base of requirement links: `<docsBase>#HB-003`. Default: the protocol page of the installed package. */
  docsBase?: string;
}

/**
 * The whole report in one format (the pretty format as written to a file, without colours unless asked).
 * A repeated run's pretty report has the flake table (check: passed k/N) instead of a row per run.
 */
export function renderReport(
  name: ReporterName,
  report: RunReport & { notes?: string[] },
  options: RenderOptions = {},
): string {
  const pretty = {
    color: options.color ?? false,
    verbose: options.verbose ?? false,
    docsBase: options.docsBase,
  };
  switch (name) {
    case 'pretty':
      return isRepeated(report.checks)
        ? `${renderFlakeTable(report.checks, pretty)}${renderPrettyEnd(report, pretty)}`
        : renderPretty(report, pretty);
    case 'json':
      return renderJson(report, options);
    case 'junit':
      return renderJunit(report, options);
    case 'html':
      return renderHtml(report, options);
  }
}
