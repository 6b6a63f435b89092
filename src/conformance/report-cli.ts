/**
 * `tidewire-conformance report a.json b.json … [--html F] [--junit F] [--json F]`: reads JSON reports of
 * earlier runs (several servers, or several runs of one) and writes them side by side as one matrix of
 * runs × checks (reporters/matrix.ts). Every file is validated against the report schema first, so a
 * wrong file is one clear line, not a broken page.
 */
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withOptionSuggestion } from './did-you-mean.js';
import {
  buildMatrix,
  columnLabels,
  renderMatrixHtml,
  renderMatrixJson,
  renderMatrixJunit,
  renderMatrixText,
} from './reporters/matrix.js';
import reportSchema from './reporters/report.schema.json' with { type: 'json' };
import { writeReportFile } from './report-file.js';
import { RunnerError } from './runner-error.js';
import type { RunReport } from './types.js';

export const REPORT_COMMAND = 'report';

const REPORT_HELP = `Usage: tidewire-conformance report <report.json>... [options]

Puts the JSON reports of several runs (--reporter json=FILE) side by side: one column per run (several
servers, or several runs of one server), one row per check, rows where the runs differ marked.

  --html <file>                 the matrix as one self-contained HTML page (filters, every cell linked
                                to its details and frames)
  --junit <file>                JUnit XML, one testsuite per run
  --json <file>                 the matrix as data
  --label <name>                a column's label, repeatable, in the order of the reports (default: the
                                targets, or the file names where the targets repeat)
  --docs-base <url>             where requirement links point (default: the protocol page of the package)
  -h, --help                    this text

Without --html, --junit or --json the matrix is printed as text.
Exit status: 0 written, 2 usage error or a file that is not a report.
`;

const OPTIONS = {
  html: { type: 'string' },
  junit: { type: 'string' },
  json: { type: 'string' },
  label: { type: 'string', multiple: true },
  'docs-base': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ReportCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

function validateReport(json: unknown, file: string): RunReport {
  if (typeof json === 'object' && json !== null && (json as { mode?: unknown }).mode === 'client') {
    throw new RunnerError(`${file} is a client-mode report; the matrix compares server runs`);
  }
  if (validator === undefined) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    ajvFormats.default(ajv);
    validator = ajv.compile(reportSchema);
  }
  if (!validator(json)) {
    const [first] = validator.errors ?? [];
    const where = first?.instancePath === '' ? 'the document' : first?.instancePath;
    throw new RunnerError(
      `${file} is not a tidewire-conformance JSON report: ${where} ${first?.message ?? 'is invalid'}`,
    );
  }
  return json as RunReport;
}

function readReport(file: string): RunReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunnerError(
      `cannot read report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunnerError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return validateReport(json, file);
}

export async function runReportCli(argv: readonly string[], io: ReportCliIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      const first = (error as Error).message.split('. ')[0].replace(/\.$/, '');
      throw new RunnerError(`${withOptionSuggestion(first, Object.keys(OPTIONS))} (see report --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(REPORT_HELP);
      return 0;
    }
    if (positionals.length === 0)
      throw new RunnerError('report needs one or more JSON reports (see report --help)');
    const files = positionals.map((file) => path.resolve(io.cwd, file));
    const reports = files.map(readReport);
    const given = values.label ?? [];
    if (given.length > reports.length) {
      throw new RunnerError(`${given.length} labels for ${reports.length} reports`);
    }
    const automatic = columnLabels(
      reports,
      files.map((file) => path.basename(file, '.json')),
    );
    const labels = automatic.map((label, i) => given[i] ?? label);
    const matrix = buildMatrix(reports.map((report, i) => ({ label: labels[i], report })));
    const options = { docsBase: values['docs-base'] };
    const outputs = [
      { file: values.html, render: () => renderMatrixHtml(matrix, options) },
      { file: values.junit, render: () => renderMatrixJunit(matrix, options) },
      { file: values.json, render: () => renderMatrixJson(matrix, options) },
    ];
    const written = outputs.filter((o) => o.file !== undefined);
    for (const output of written)
      writeReportFile(path.resolve(io.cwd, output.file as string), output.render());
    if (written.length === 0) io.stdout.write(renderMatrixText(matrix));
    return 0;
  } catch (error) {
    if (!(error instanceof RunnerError)) throw error;
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
}
