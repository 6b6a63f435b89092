/**
 * Client factories for clients that do not run in the runner's process: a command started once per
 * scenario (`--client-command`), or a person starting a client by hand when told to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ClientHandle, ClientScenario, StartClient } from './types.js';

/** How long a client process gets to exit after SIGTERM before it is killed. */
const EXIT_TIMEOUT_MS = 3_000;

/** Environment a client command is started with. */
export function clientEnvironment(scenario: ClientScenario): Record<string, string> {
  return {
    TIDEWIRE_URL: scenario.url,
    TIDEWIRE_SCENARIO: scenario.id,
    TIDEWIRE_VARIANT: scenario.variant ?? '',
    TIDEWIRE_DELAY_SCALE: String(scenario.delayScale),
  };
}

/** `{url}`, `{scenario}`, `{variant}` and `{delayScale}` in the command are replaced by the scenario's values. */
export function expandCommand(command: string, scenario: ClientScenario): string {
  return command
    .replaceAll('{url}', scenario.url)
    .replaceAll('{scenario}', scenario.id)
    .replaceAll('{variant}', scenario.variant ?? '')
    .replaceAll('{delayScale}', String(scenario.delayScale));
}

export interface CommandClientOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the process's stderr lines (for diagnostics). */
  onOutput?: (line: string) => void;
}

/**
 * Starts `command` (through the shell) once per scenario, with the scenario in its environment
 * (TIDEWIRE_URL, TIDEWIRE_SCENARIO, TIDEWIRE_VARIANT, TIDEWIRE_DELAY_SCALE). Stopping sends SIGTERM, on
 * which the client must close with 1000 and exit (CR-004 checks that it does not reconnect after it).
 */
export function commandClient(command: string, options: CommandClientOptions = {}): StartClient {
  return (_url, scenario) =>
    new Promise<ClientHandle>((resolve, reject) => {
      const child = spawn(expandCommand(command, scenario), {
        shell: true,
        // Its own process group: SIGTERM must reach the client, not only the shell that started it
        // (dash does not forward signals to its child).
        detached: true,
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), ...clientEnvironment(scenario) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let exited = child.exitCode !== null;
      const exit = new Promise<void>((done) =>
        child.once('exit', () => {
          exited = true;
          done();
        }),
      );
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim() !== '') options.onOutput?.(line);
      });
      child.once('error', (error) => reject(new Error(`cannot start "${command}": ${error.message}`)));
      child.once('spawn', () =>
        resolve({
          async stop() {
            if (exited) return;
            signalGroup(child, 'SIGTERM');
            const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), EXIT_TIMEOUT_MS);
            await exit;
            clearTimeout(timer);
          },
        }),
      );
    });
}

/** Signals the client's whole process group (the shell and the client it started). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is already gone, or the platform has no process groups
  }
}

/**
 * For a client started by hand: announces each scenario's URL and time scale, and asks for the client
 * to be stopped when the scenario is over. Run with `concurrency: 1` and a long `connectTimeoutMs`.
 */
export function announcedClient(announce: (text: string) => void): StartClient {
  return (url, scenario) => {
    const name = scenario.variant === undefined ? scenario.id : `${scenario.id} (${scenario.variant})`;
    announce(
      `▶ ${name}: start a fresh client now at ${url} + your endpoint path, with delayScale ${scenario.delayScale}\n`,
    );
    return Promise.resolve({
      stop() {
        announce(`■ ${name}: scenario over; stop the client (close with 1000)\n`);
        return Promise.resolve();
      },
    });
  };
}
