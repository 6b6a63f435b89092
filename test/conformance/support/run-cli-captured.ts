/** Runs the CLI in-process with captured output. */
import { runCli } from '../../../src/conformance/run-cli.js';

export async function cli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {},
) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { status, stdout, stderr };
}
