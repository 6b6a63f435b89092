/**
 * `tidewire-conformance --client-mode …`: serves the client scenarios and checks a client's reconnect
 * behaviour (CR-001..CR-010). The main CLI hands every argument to `runClientModeCli` when it sees
 * `--client-mode`. Usage problems end with one line `error: …` and status 2.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withOptionSuggestion } from '../did-you-mean.js';
import { interruptSignalOf } from '../interruption.js';
import { writeReportFile } from '../report-file.js';
import { resolveReporters } from '../reporter-targets.js';
import { RunnerError } from '../runner-error.js';
import { splitList } from '../selection.js';
import { CLIENT_REPORTERS, renderClientReport } from './client-report.js';
import { announcedClient, commandClient } from './command-client.js';
import { ClientModeUsageError, runClientConformance, selectClientChecks } from './runner.js';
import type { ClientRunOptions } from './types.js';

export const CLIENT_MODE_HELP = `Usage: tidewire-conformance --client-mode [options]

Serves scripted endpoints and checks the reconnect rules (CR-001..CR-010) of the client that connects.
Each scenario is served at <base>/scenario/<ID>[/<variant>]; the client appends its endpoint path,
e.g. ws://127.0.0.1:4000/scenario/CR-006/ws/market_data, and must scale its own reconnect timers
(backoff schedule, 1 s after 1012) by the scenario's delayScale. retryAfterMs is never scaled.

Client
  --client-command <cmd>        started once per scenario (shell), stopped with SIGTERM, on which it must
                                close with 1000 and exit. Environment: TIDEWIRE_URL, TIDEWIRE_SCENARIO,
                                TIDEWIRE_VARIANT, TIDEWIRE_DELAY_SCALE; the same values replace {url},
                                {scenario}, {variant} and {delayScale} in the command
                                Without it, scenarios run one after another and each start and stop of a
                                client is announced on stderr, for a client started by hand
Serving
  --host <host>                 default 127.0.0.1
  --port <n>                    default 0 (any free port; printed on stderr)
Timing
  --delay-scale <n>             the client's time scale (default 1; e.g. 0.01 for a fast run)
  --timeout-scale <n>           multiply every deadline and observation window (default 1)
  --tolerance-ms <ms>           lateness allowed on upper time bounds (default 50)
  --max-attempts <n>            the client's configured maxAttempts (default 5)
  --connect-timeout-ms <ms>     deadline for a client's first connection to a scenario
                                (default 5000 with --client-command, 120000 without)
Selection and reports
  --only <ids>, --skip <ids>    requirement IDs or prefixes (CR-003, CR), repeatable or comma lists
  --list                        print the client checks and exit
  --reporter <name>[=<file>]    pretty | json | junit, repeatable; without a file the report goes to
                                stdout (at most one reporter may; pretty when none does)
  --output <file>               file of the preceding --reporter
  --verbose                     transcripts of passing checks too

Exit status: 0 every MUST passed, 1 one failed, 2 usage error or a check that could not run,
130 / 143 interrupted by SIGINT / SIGTERM (reports are still written).
`;

export interface ClientModeIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const OPTIONS = {
  'client-mode': { type: 'boolean' },
  'client-command': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'delay-scale': { type: 'string' },
  'timeout-scale': { type: 'string' },
  'tolerance-ms': { type: 'string' },
  'max-attempts': { type: 'string' },
  'connect-timeout-ms': { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  list: { type: 'boolean' },
  reporter: { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Without a command a person starts each client: give them time to do it. */
const MANUAL_CONNECT_TIMEOUT_MS = 120_000;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw new ClientModeUsageError(`--${name} must be a number, got "${value}"`);
  }
  return parsed;
}

/** Runs client mode from command-line arguments; returns the exit status (0 pass, 1 fail, 2 usage/runner). */
export async function runClientModeCli(argv: readonly string[], io: ClientModeIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: OPTIONS,
        allowPositionals: false,
        strict: true,
        tokens: true,
      });
    } catch (error) {
      throw new ClientModeUsageError(withOptionSuggestion((error as Error).message, Object.keys(OPTIONS)));
    }
    const { values } = parsed;
    if (values.help) {
      io.stdout.write(CLIENT_MODE_HELP);
      return 0;
    }
    const fromCwd = (file: string) => path.resolve(io.cwd, file);
    const reporters = resolveReporters(CLIENT_REPORTERS, parsed.tokens, [], fromCwd, fromCwd);
    const selection = { only: splitList(values.only), skip: splitList(values.skip) };
    if (values.list) {
      const checks = selectClientChecks(selection);
      io.stdout.write(checks.map((c) => `${c.id.padEnd(9)} ${c.level.padEnd(6)} ${c.title}\n`).join(''));
      io.stdout.write(`${checks.length} client checks\n`);
      return 0;
    }
    const command = values['client-command'];
    const announce = (text: string): unknown => io.stderr.write(text);
    const options: ClientRunOptions = {
      ...selection,
      startClient: command
        ? commandClient(command, {
            cwd: io.cwd,
            env: io.env,
            onOutput: (line) => announce(`  client: ${line}\n`),
          })
        : announcedClient(announce),
      host: values.host,
      port: number('port', values.port),
      delayScale: number('delay-scale', values['delay-scale']),
      timeoutScale: number('timeout-scale', values['timeout-scale']),
      toleranceMs: number('tolerance-ms', values['tolerance-ms']),
      maxAttempts: number('max-attempts', values['max-attempts']),
      connectTimeoutMs:
        number('connect-timeout-ms', values['connect-timeout-ms']) ??
        (command ? undefined : MANUAL_CONNECT_TIMEOUT_MS),
      concurrency: command ? undefined : 1,
      onListening: (url) => announce(`serving client scenarios at ${url}/scenario/<ID>\n`),
      signal: io.signal,
    };
    const report = await runClientConformance(options);
    for (const reporter of reporters) {
      const text = renderClientReport(reporter.name, report, { verbose: values.verbose === true });
      if (reporter.file === undefined) io.stdout.write(text);
      else writeReportFile(reporter.file, text);
    }
    if (report.summary.cancelled > 0) {
      io.stderr.write(`interrupted by ${interruptSignalOf(io.signal?.reason)}: exit ${report.exitCode}\n`);
    }
    return report.exitCode;
  } catch (error) {
    if (error instanceof ClientModeUsageError || error instanceof RunnerError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
