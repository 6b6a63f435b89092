/**
 * Runs a Python client of the source documents with Debian's python3 and its websockets package
 * (seed_client.py is the glue). What it prints is recorded line by line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Recording } from './recording.js';

/** Debian's interpreter: the `python3` first on PATH may lack websockets. */
export const PYTHON = '/usr/bin/python3';
const GLUE = fileURLToPath(new URL('./seed_client.py', import.meta.url));

/** Why the Python examples cannot run here, or undefined when they can. */
export function pythonMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import websockets'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} is missing (apt-get install python3-websockets)`;
  if (probe.status !== 0) return `${PYTHON} has no websockets module (apt-get install python3-websockets)`;
  return undefined;
}

export interface PythonClient {
  /** Lines printed on stdout and stderr, in order. */
  lines: Recording<string>;
  /** Resolves when the process has exited, with its exit code (null after a signal). */
  exited: Promise<number | null>;
  /** Ctrl-C. */
  interrupt(): void;
  kill(): void;
}

export function runPython(code: string, network: string, timeFactor: number): PythonClient {
  const child: ChildProcess = spawn(PYTHON, ['-u', GLUE], {
    env: {
      ...process.env,
      PYTHONIOENCODING: 'utf-8',
      TIDEWIRE_SEED_NETWORK: network,
      TIDEWIRE_SEED_TIME_FACTOR: String(timeFactor),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = new Recording<string>();
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) lines.push(line);
    });
    stream.on('end', () => {
      if (buffered !== '') lines.push(buffered);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (status) => resolve(status)));
  child.stdin!.end(code);
  return {
    lines,
    exited,
    interrupt: () => child.kill('SIGINT'),
    kill: () => child.kill('SIGKILL'),
  };
}
