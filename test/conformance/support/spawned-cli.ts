/**
 * The runner run as a user's shell would, in a process group of its own so that a test can signal it and
 * clean up whatever it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { scaled } from '../../support/timing.js';

/** Starting a TypeScript process through tsx on a busy machine. */
export const LAUNCH_TIMEOUT_MS = scaled(20_000);

const children: ChildProcess[] = [];

export interface SpawnedCli {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout matches, or rejects saying what was expected after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<void>;
}

/**
 * Starts the runner through the installed launcher, or through `npm run conformance` as a project's CI
 * script would (npm forwards signals to the script, which must reach the runner).
 */
export function spawnCli(args: string[], options: { via?: 'launcher' | 'npm' } = {}): SpawnedCli {
  const [file, prefix] =
    options.via === 'npm'
      ? ['npm', ['run', '--silent', 'conformance', '--']]
      : [process.execPath, [path.resolve('bin/conformance.js')]];
  const child = spawn(file, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const listeners: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  const waitForStdout = (pattern: RegExp, timeoutMs: number) =>
    within(
      new Promise<void>((resolve) => {
        const check = () => pattern.test(stdout) && resolve();
        listeners.push(check);
        check();
      }),
      timeoutMs,
      `${pattern} on stdout (stdout: ${JSON.stringify(stdout.slice(-300))}, stderr: ${JSON.stringify(stderr.slice(-300))})`,
    );
  return { child, exited, output, waitForStdout };
}

/** Kills every launched process group that is still there (for afterEach). */
export function killSpawned(): void {
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }
}

export function within<T>(promise: Promise<T>, timeoutMs: number, expected: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`expected ${expected}, got: nothing within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
