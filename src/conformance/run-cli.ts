/**
 * The command-line runner: parses options, lists or runs the checks, writes the reports and returns the
 * exit status. Usage problems end with one line `error: …` on stderr and status 2, never a stack trace.
 * `tidewire-conformance report a.json b.json …` compares reports instead (report-cli.ts).
 */
import { listChecks, runConformance } from './api.js';
import { CLI_HELP } from './cli-help.js';
import { runClientModeCli } from './client-mode/index.js';
import { parseCli } from './cli-options.js';
import { didYouMean } from './did-you-mean.js';
import { interruptedExitCode, interruptSignalOf } from './interruption.js';
import { PROGRESS_INTERVAL_MS, RunProgress } from './progress.js';
import { REPORT_COMMAND, runReportCli } from './report-cli.js';
import { writeReportFile } from './report-file.js';
import { isRepeated, renderFlakeTable } from './reporters/flake-table.js';
import { renderReport } from './reporters/index.js';
import { renderPrettyEnd } from './reporters/pretty.js';
import { RunnerError } from './runner-error.js';
import { suggestIds } from './selection.js';
import type { Check } from './types.js';
import { toolVersion } from './version.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Interrupts the run; the abort reason `'SIGTERM'` gives exit 143, any other 130 (interruption.ts). */
  signal?: AbortSignal;
  /** How often a log (not a terminal) hears which checks are still running (default 10 s). */
  progressIntervalMs?: number;
}

/** https://no-color.org: present and not empty. */
function colorsWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

function listLine(check: Check): string {
  const families = check.families.length > 0 ? check.families.join(',') : 'any';
  return `${check.id.padEnd(9)} ${check.level.padEnd(6)} ${check.area.padEnd(10)} ${families.padEnd(12)} ${check.title}`;
}

/** `--list --reporter json`: the selected checks as data. */
function listJson(checks: readonly Check[]): string {
  const listed = checks.map((c) => ({
    id: c.id,
    level: c.level,
    area: c.area,
    title: c.title,
    requirement: c.requirement,
    families: [...c.families],
    binding: c.binding ?? 'websocket',
  }));
  return `${JSON.stringify({ tool: { name: 'tidewire-conformance', version: toolVersion() }, checks: listed }, null, 2)}\n`;
}

/** One warning per baseline entry that names no check, with the IDs it may have meant. */
function unknownBaselineWarnings(ids: readonly string[]): string[] {
  const checks = listChecks();
  const known = new Set(checks.map((c) => c.id));
  return ids
    .filter((id) => !known.has(id.trim().toUpperCase()) && !id.trim().toUpperCase().startsWith('REQUIRE-'))
    .map(
      (id) =>
        `warning: the expected failures list an unknown requirement ID "${id}"${didYouMean(suggestIds(id, checks))}\n`,
    );
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Client mode checks a client's reconnect rules instead of a server: its own options and help.
  if (argv.includes('--client-mode')) return runClientModeCli(argv, io);
  if (argv[0] === REPORT_COMMAND) return runReportCli(argv.slice(1), io);
  try {
    const settings = parseCli(argv, io);
    if (settings.help) {
      io.stdout.write(CLI_HELP);
      return 0;
    }
    if (settings.version) {
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    }
    if (settings.list) {
      // Nothing ran: json reporters get the list as data, pretty the table; junit and html have nothing to say.
      const checks = listChecks(settings.run);
      const text = `${checks.map((c) => `${listLine(c)}\n`).join('')}${checks.length} checks\n`;
      for (const reporter of settings.reporters) {
        const listed = reporter.name === 'json' ? listJson(checks) : reporter.name === 'pretty' ? text : '';
        if (reporter.file !== undefined && listed !== '') writeReportFile(reporter.file, listed);
        else if (reporter.file === undefined) io.stdout.write(listed);
      }
      return 0;
    }

    for (const warning of unknownBaselineWarnings(settings.run.expectedFailures ?? [])) {
      io.stderr.write(warning);
    }

    const render = {
      color: colorsWanted(io.stdout, io.env),
      verbose: settings.verbose,
      docsBase: settings.docsBase,
    };
    const toStdout = settings.reporters.find((r) => r.file === undefined);
    // Progress goes where a person reads: stdout under the pretty report, else stderr (stdout holds data).
    const progressStream = toStdout?.name === 'pretty' ? io.stdout : io.stderr;
    const repeat = settings.run.repeat ?? 1;
    const progress = new RunProgress((text) => progressStream.write(text), {
      ...render,
      color: colorsWanted(progressStream, io.env),
      tty: progressStream.isTTY === true,
      repeat,
      total: listChecks(settings.run).length * repeat,
      intervalMs: io.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
    });
    let report;
    try {
      report = await runConformance({
        ...settings.run,
        onResult: (result) => progress.result(result),
        onCheckProgress: (event) => progress.check(event),
        signal: io.signal,
      });
    } finally {
      progress.stop();
    }
    for (const reporter of settings.reporters) {
      if (reporter.file === undefined) {
        // The live lines already listed every check; pretty adds the flake table, failures and summary.
        io.stdout.write(
          reporter.name === 'pretty'
            ? `${isRepeated(report.checks) ? `\n${renderFlakeTable(report.checks, render)}` : ''}${renderPrettyEnd(report, render)}`
            : renderReport(reporter.name, report, render),
        );
      } else {
        writeReportFile(reporter.file, renderReport(reporter.name, report, { ...render, color: false }));
      }
    }
    if (report.summary.cancelled > 0) {
      io.stderr.write(
        `interrupted by ${interruptSignalOf(io.signal?.reason)}: ${report.summary.cancelled} of ${report.summary.total} checks cancelled; exit ${report.exitCode}\n`,
      );
    }
    return report.exitCode;
  } catch (error) {
    if (io.signal?.aborted) {
      const signal = interruptSignalOf(io.signal.reason);
      io.stderr.write(`interrupted by ${signal} before the checks started; no report written\n`);
      return interruptedExitCode(signal);
    }
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message.split('\n')[0];
    io.stderr.write(
      error instanceof RunnerError ? `error: ${oneLine}\n` : `error: unexpected failure: ${oneLine}\n`,
    );
    return 2;
  }
}
