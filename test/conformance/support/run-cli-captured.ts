/** Runs the CLI in-process with captured output. */
import { runCli, type CliIo } from '../../../src/conformance/run-cli.js';

export interface CapturedCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  tty?: boolean;
  signal?: AbortSignal;
  /** Called after every write to stdout or stderr with everything written so far. */
  onOutput?: (output: { stdout: string; stderr: string }) => void;
  progressIntervalMs?: CliIo['progressIntervalMs'];
}

export async function cli(args: string[], options: CapturedCliOptions = {}) {
  const output = { stdout: '', stderr: '' };
  const status = await runCli(args, {
    stdout: {
      write: (text: string) => ((output.stdout += text), options.onOutput?.(output)),
      isTTY: options.tty ?? false,
    },
    stderr: { write: (text: string) => ((output.stderr += text), options.onOutput?.(output)) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal,
    progressIntervalMs: options.progressIntervalMs,
  });
  return { status, ...output };
}
