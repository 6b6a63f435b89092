/**
 * Bench processes: servers and load clients each run in their own Node process (2 cores: one for the
 * server, one for the clients), driven over the IPC channel with request/reply calls that all have deadlines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** When set (`--profile DIR`), server processes write a V8 CPU profile there when they exit. */
let profileDir: string | undefined;

export function profileServersInto(dir: string): void {
  profileDir = path.resolve(dir);
}

/** Deadline for a bench process to report `ready`. */
const READY_TIMEOUT_MS = 30_000;

/** Open-file limit asked for in each bench process (10,000 sockets plus files); capped by the hard limit. */
const FILE_LIMIT = 65_536;

interface Reply {
  replyTo: number;
  result?: unknown;
  error?: string;
}

export interface ChildOptions {
  /** Script path relative to the repository root. */
  script: string;
  args?: string[];
  /** Runs the process with `--expose-gc` so memory can be measured after a collection. */
  exposeGc?: boolean;
  /** A server under measurement: profiled when `--profile` is given. */
  profile?: boolean;
}

export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private exited = false;

  private constructor(
    private readonly proc: ChildProcess,
    readonly info: Record<string, unknown>,
    readonly name: string,
  ) {
    proc.on('message', (message: Reply) => {
      const entry = this.pending.get(message.replyTo);
      if (!entry) return;
      this.pending.delete(message.replyTo);
      if (message.error !== undefined) entry.reject(new Error(`${name}: ${message.error}`));
      else entry.resolve(message.result);
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      for (const entry of this.pending.values()) {
        entry.reject(new Error(`${name} exited (${signal ?? code}) before answering`));
      }
      this.pending.clear();
    });
  }

  /** Starts a bench process and waits for its `ready` message. */
  static start(options: ChildOptions): Promise<BenchChild> {
    const nodeArgs = ['--import', 'tsx', ...(options.exposeGc ? ['--expose-gc'] : [])];
    if (options.profile && profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    // Raise the soft open-file limit as far as the hard limit allows, then become node.
    const shell = `ulimit -n ${FILE_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
    const proc = spawn(
      'bash',
      ['-c', shell, process.execPath, ...nodeArgs, options.script, ...(options.args ?? [])],
      { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const name = path.basename(options.script, '.ts');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      const onMessage = (message: { ready?: Record<string, unknown>; failed?: string }) => {
        if (!message.ready && message.failed === undefined) return;
        clearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        if (message.failed !== undefined) {
          proc.kill('SIGKILL');
          reject(new Error(`${name}: ${message.failed}`));
        } else resolve(new BenchChild(proc, message.ready ?? {}, name));
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready`));
      };
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  }

  /** Calls a command in the process; rejects after `timeoutMs`. */
  call<T = unknown>(command: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${command} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.proc.send({ id, command, args });
    });
  }

  /** Ends the process: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts two processes side by side; if either fails, stops the other and rethrows. */
export async function startPair(
  first: Promise<BenchChild>,
  second: Promise<BenchChild>,
): Promise<[BenchChild, BenchChild]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  await Promise.all([a, b].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
}

type Handler = (args: never) => unknown | Promise<unknown>;

/**
 * The process side: reports `ready` with `info` and answers calls with `handlers`. Exits on SIGTERM
 * or when the parent goes away.
 */
export function serveCommands(
  handlers: Record<string, Handler>,
  info: Record<string, unknown>,
  onExit?: () => Promise<void>,
): void {
  const send = (message: unknown) => process.send?.(message);
  process.on('message', async (message: { id: number; command: string; args: unknown }) => {
    const handler = handlers[message.command];
    if (!handler) {
      send({ replyTo: message.id, error: `unknown command ${message.command}` });
      return;
    }
    try {
      send({ replyTo: message.id, result: (await handler(message.args as never)) ?? null });
    } catch (error) {
      send({ replyTo: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  const exit = async () => {
    await onExit?.().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', exit);
  process.once('disconnect', exit);
  send({ ready: info });
}

/**
 * The commands of a server process measuring its own CPU: `cpuStart` opens a window, `cpuStop` returns
 * the CPU time used since then as a share of one core.
 */
export function cpuWindowCommands(): {
  cpuStart: () => void;
  cpuStop: () => { cpuMs: number; coreShare: number };
} {
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  return {
    cpuStart: () => {
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
    },
    cpuStop: () => {
      const used = process.cpuUsage(cpuMark);
      const cpuMs = (used.user + used.system) / 1000;
      return { cpuMs, coreShare: cpuMs / (performance.now() - wallMark) };
    },
  };
}

/** Reports a start-up failure to the parent (shown as the section's reason) and exits. */
export function failStartup(error: unknown): void {
  const failed = error instanceof Error ? error.message : String(error);
  if (process.send) process.send({ failed }, () => process.exit(1));
  else process.exit(1);
}
