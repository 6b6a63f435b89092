import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from './support/test-client.js';

const STARTUP_TIMEOUT_MS = 20_000;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Runs the CLI as `npm start` does (tsx), in one process: `npm exec` does not pass SIGTERM on to its
 * child, so signalling it would not test the server's own shutdown.
 */
function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  return { child, exited, output };
}

function within<T>(promise: Promise<T>, timeoutMs: number, expected: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`expected ${expected}, got: nothing within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe('cli', () => {
  it('prints its address and a dev token, and closes clients with 1001 and exits 0 on SIGTERM', async () => {
    const { child, exited, output } = startCli(['--port', '0', '--heartbeat-interval-ms', '60000']);
    const address = await within(
      new Promise<string>((resolve) => {
        child.stdout!.on('data', () => {
          const match = output().stdout.match(
            /listening on (ws:\/\/\S+)[\s\S]*Dev token for user 1 \([^)]*\): (\S+)/,
          );
          if (match) resolve(match[1]);
        });
      }),
      STARTUP_TIMEOUT_MS,
      'the address and a dev token on stdout',
    );
    const client = await openClient(`${address}/ws/market_data`);
    await client.waitForMessage('connection_established', 5_000);
    child.kill('SIGTERM');
    expect((await client.waitForClose(5_000)).code).toBe(1001);
    expect(await within(exited, 10_000, 'the process to exit')).toBe(0);
  });

  it('answers a bad flag with one line on stderr and exit code 2', async () => {
    const { exited, output } = startCli(['--port', '0', '--no-such-flag']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    const lines = output()
      .stderr.split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
    expect(lines).toEqual([expect.stringContaining("Unknown option '--no-such-flag'")]);
  });

  it('answers a bad value with one line on stderr and exit code 2', async () => {
    const { exited, output } = startCli(['--auth', 'sometimes']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    expect(output().stderr).toContain('--auth must be "required" or "optional"');
    expect(output().stderr).not.toContain('    at ');
  });
});
