/** A child process run to its end with a deadline; its exit code and output, never a rejection. */
import { execFile } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const killed = error && 'killed' in error && error.killed;
        resolve({
          code,
          stdout,
          stderr: killed ? `${stderr}\n(killed after ${options.timeoutMs} ms)` : stderr,
        });
      },
    );
  });
}
