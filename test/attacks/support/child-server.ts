/**
 * The reference server as users run it (`npm start`, one process of its own), for attacks whose failure
 * is the process ending: the test watches the process as well as the wire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ChildServer {
  url: string;
  /** The development token the server printed (user 1). */
  token: string;
  /** The exit code once the process has ended; undefined while it runs. */
  readonly exitCode: number | null | undefined;
  stderr(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Starts `src/server/cli.ts` on a free port of 127.0.0.1 with `args`; resolves once it listens. */
export function startChildServer(args: string[], startupTimeoutMs: number): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', '--host', '127.0.0.1', '--port', '0', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`expected the server to listen within ${startupTimeoutMs} ms, got: ${stdout}${stderr}`),
      );
    }, startupTimeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`expected the server to listen, got: exit ${exitCode}: ${stderr}`));
    });
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const url = /listening on (ws:\/\/\S+)/.exec(stdout)?.[1];
      const token = /user 1 \([^)]*\): (\S+)/.exec(stdout)?.[1];
      if (!url || !token) return;
      clearTimeout(timer);
      resolve({
        url,
        token,
        get exitCode() {
          return exitCode;
        },
        stderr: () => stderr,
        stop: async () => {
          if (exitCode === undefined) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
