import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { verifyToken } from '../../src/server/token.js';
import { openClient } from './support/test-client.js';

const STARTUP_TIMEOUT_MS = 20_000;
const children: ChildProcess[] = [];

afterEach(() => {
  // Each child leads its own process group: what it started goes too, even when it has exited itself.
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }
});

/**
 * Runs a CLI in a process group of its own: `server` is the server CLI run as the `start` script does
 * (tsx) in one process, `npm start` and `npm run token` go through npm as a user's would.
 */
function run(command: 'server' | 'npm start' | 'npm run token', args: string[], env: NodeJS.ProcessEnv = {}) {
  const [file, prefix] =
    command === 'server'
      ? [process.execPath, ['--import', 'tsx', 'src/server/cli.ts']]
      : ['npm', [...command.split(' ').slice(1), '--silent', '--']];
  const child = spawn(file, [...prefix, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
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

/** stderr without npm's own warnings about the machine's configuration. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
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
  async function shutsDownOnSigterm(command: 'server' | 'npm start') {
    const { child, exited, output } = run(command, ['--port', '0', '--heartbeat-interval-ms', '60000']);
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
  }

  it('prints its address and a dev token, and closes clients with 1001 and exits 0 on SIGTERM', async () => {
    await shutsDownOnSigterm('server');
  });

  // npm passes SIGTERM to the script's `sh -c`, which dies without passing it on: the start script
  // `exec`s tsx so that the signal reaches the server (tsx relays it to its node process).
  it('does the same when npm start itself gets SIGTERM, as from a process manager', async () => {
    await shutsDownOnSigterm('npm start');
  });

  it('answers a bad flag with one line on stderr and exit code 2', async () => {
    const { exited, output } = run('server', ['--port', '0', '--no-such-flag']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    expect(errorLines(output().stderr)).toEqual([expect.stringContaining("Unknown option '--no-such-flag'")]);
  });

  it('answers a bad value with one line on stderr and exit code 2', async () => {
    const { exited, output } = run('server', ['--auth', 'sometimes']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    expect(output().stderr).toContain('--auth must be "required" or "optional"');
    expect(output().stderr).not.toContain('    at ');
  });

  it.each([
    {
      args: ['--families', ','],
      env: {},
      error: 'families must name at least one of campaign, chat, market',
    },
    { args: [], env: { PORT: 'http' }, error: 'PORT must be a non-negative integer, got "http"' },
  ])('refuses $error with one line and exit code 2', async ({ args, env, error }) => {
    const { exited, output } = run('server', args, env);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    expect(errorLines(output().stderr)).toEqual([expect.stringContaining(error)]);
  });
});

describe('npm run token', () => {
  it('prints a development token for the user that the server accepts', async () => {
    const { exited, output } = run('npm run token', ['--user', '7']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(0);
    expect(await verifyToken(DEV_TOKEN_SECRET, output().stdout.trim())).toMatchObject({ userId: '7' });
  });

  it('answers an empty secret with one line and exit code 2', async () => {
    const { exited, output } = run('npm run token', ['--user', '7', '--secret', '']);
    expect(await within(exited, STARTUP_TIMEOUT_MS, 'the process to exit')).toBe(2);
    expect(errorLines(output().stderr)).toEqual([expect.stringContaining('--secret must not be empty')]);
  });
});
