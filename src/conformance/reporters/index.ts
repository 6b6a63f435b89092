/** The report formats of `--reporter`. */
import type { ConformanceReport } from '../engine.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderPretty } from './pretty.js';

export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
  docsBase?: string;
}

/** The whole report in one format (the pretty format as written to a file, without colours). */
export function renderReport(name: ReporterName, report: ConformanceReport, options: RenderOptions): string {
  switch (name) {
    case 'pretty':
      return renderPretty(report, options);
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    case 'html':
      return renderHtml(report, { docsBase: options.docsBase });
  }
}
