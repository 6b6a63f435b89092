/**
 * The command-line runner: parses options, lists or runs the checks, writes the reports and returns the
 * exit status. Usage problems end with one line `error: …` on stderr and status 2, never a stack trace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listChecks, runConformance } from './api.js';
import { CLI_HELP } from './cli-help.js';
import { runClientModeCli } from './client-mode/index.js';
import { parseCli } from './cli-options.js';
import { renderReport } from './reporters/index.js';
import { LiveProgress, renderPrettyEnd } from './reporters/pretty.js';
import { RunnerError } from './runner-error.js';
import type { Check } from './types.js';
import { toolVersion } from './version.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Cancels the run (Ctrl-C). */
  signal?: AbortSignal;
}

/** https://no-color.org: present and not empty. */
function colorsWanted(io: CliIo): boolean {
  return io.stdout.isTTY === true && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
}

function listLine(check: Check): string {
  const families = check.families.length > 0 ? check.families.join(',') : 'any';
  return `${check.id.padEnd(9)} ${check.level.padEnd(6)} ${check.area.padEnd(10)} ${families.padEnd(12)} ${check.title}`;
}

function writeFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new RunnerError(
      `cannot write report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Client mode checks a client's reconnect rules instead of a server: its own options and help.
  if (argv.includes('--client-mode')) return runClientModeCli(argv, io);
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
      const checks = listChecks(settings.run);
      io.stdout.write(checks.map((c) => `${listLine(c)}\n`).join(''));
      io.stdout.write(`${checks.length} checks\n`);
      return 0;
    }

    const known = new Set(listChecks().map((c) => c.id));
    for (const id of settings.run.expectedFailures ?? []) {
      const upper = id.toUpperCase();
      if (!known.has(upper) && !upper.startsWith('REQUIRE-')) {
        io.stderr.write(`warning: the expected failures list an unknown requirement ID "${id}"\n`);
      }
    }

    const color = colorsWanted(io);
    const render = { color, verbose: settings.verbose, docsBase: settings.docsBase };
    const toStdout = settings.reporters.find((r) => r.file === undefined);
    const total = listChecks(settings.run).length * (settings.run.repeat ?? 1);
    const live =
      toStdout?.name === 'pretty'
        ? new LiveProgress((text) => io.stdout.write(text), total, {
            ...render,
            tty: io.stdout.isTTY === true,
          })
        : undefined;
    const report = await runConformance({
      ...settings.run,
      onResult: (result) => live?.result(result),
      signal: io.signal,
    });
    live?.clearStatus();
    for (const reporter of settings.reporters) {
      if (reporter.file === undefined) {
        // The live lines already listed every check; pretty adds the failures and the summary.
        io.stdout.write(
          reporter.name === 'pretty'
            ? renderPrettyEnd(report, render)
            : renderReport(reporter.name, report, render),
        );
      } else {
        writeFile(reporter.file, renderReport(reporter.name, report, { ...render, color: false }));
      }
    }
    if (io.signal?.aborted) {
      io.stderr.write('error: the run was cancelled\n');
      return 2;
    }
    return report.exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message.split('\n')[0];
    io.stderr.write(
      error instanceof RunnerError ? `error: ${oneLine}\n` : `error: unexpected failure: ${oneLine}\n`,
    );
    return 2;
  }
}
