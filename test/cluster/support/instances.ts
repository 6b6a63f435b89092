/**
 * Reference server instances of one deployment for the cluster tests: in this process (`startInstances`,
 * for checks that need many short runs) or each in a process of its own (`InstanceProcess`, `npm start`'s
 * entry point, which can be killed with SIGKILL and started again).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createServer, type ReferenceServer, type ServerOptions } from '../../../src/server/index.js';
import { scaled } from '../../support/timing.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
/** How long an instance process may take to listen: slow one-off work (tsx compiles the server, the schemas compile), so generous. */
const START_TIMEOUT_MS = scaled(120_000);

/** Timers of the test deployments: short, scaled, and long enough not to fire unless a test waits for them. */
export const CLUSTER_TEST_OPTIONS = {
  auth: 'optional',
  heartbeatIntervalMs: 60_000,
  heartbeatTimeoutMs: scaled(2_000),
  resumeWindowMs: scaled(10_000),
  rateLimit: { maxMessages: 100_000, windowMs: 60_000 },
  simulation: { seed: 3, speed: 20 },
  cluster: { leaseMs: scaled(600), reconnectMs: scaled(200) },
} as const satisfies ServerOptions;

/** `count` instances sharing `redis`, named `i1`, `i2`, … */
export async function startInstances(
  count: number,
  redis: string | undefined,
  options: ServerOptions = {},
): Promise<ReferenceServer[]> {
  const started: ReferenceServer[] = [];
  try {
    for (let i = 1; i <= count; i++) {
      started.push(
        await createServer({
          ...CLUSTER_TEST_OPTIONS,
          simulation: { ...CLUSTER_TEST_OPTIONS.simulation },
          cluster: { ...CLUSTER_TEST_OPTIONS.cluster },
          rateLimit: { ...CLUSTER_TEST_OPTIONS.rateLimit },
          ...(redis === undefined ? {} : { redis }),
          instanceId: `i${i}`,
          ...options,
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    throw error;
  }
  return started;
}

/** The command-line flags of `CLUSTER_TEST_OPTIONS`. */
function cliFlags(redis: string, instanceId: string): string[] {
  const o = CLUSTER_TEST_OPTIONS;
  return [
    ...['--port', '0', '--host', '127.0.0.1', '--redis', redis, '--instance-id', instanceId],
    ...['--auth', o.auth, '--heartbeat-interval-ms', String(o.heartbeatIntervalMs)],
    ...[
      '--heartbeat-timeout-ms',
      String(o.heartbeatTimeoutMs),
      '--resume-window-ms',
      String(o.resumeWindowMs),
    ],
    ...['--rate-limit-max', String(o.rateLimit.maxMessages), '--seed', String(o.simulation.seed)],
    ...['--speed', String(o.simulation.speed), '--lease-ms', String(o.cluster.leaseMs)],
    ...['--redis-retry-ms', String(o.cluster.reconnectMs)],
  ];
}

/** One instance in a process of its own. */
export class InstanceProcess {
  private child: ChildProcess | undefined;
  url = '';
  /** What the process wrote to stderr (its log), for failure messages. */
  log = '';

  constructor(
    private readonly redis: string,
    readonly instanceId: string,
    /** Command-line flags added to those of `CLUSTER_TEST_OPTIONS` (a later flag wins). */
    private readonly extraFlags: readonly string[] = [],
  ) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', ...cliFlags(this.redis, this.instanceId), ...this.extraFlags],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stderr?.on('data', (data: Buffer) => (this.log = `${this.log}${data.toString()}`.slice(-4_000)));
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () =>
          reject(
            new Error(`expected ${this.instanceId} to listen, got: nothing within ${START_TIMEOUT_MS} ms`),
          ),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', (data: Buffer) => {
        out += data.toString();
        const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.instanceId} exited with ${code}: ${this.log}`));
      });
    });
  }

  /** Kills the process at once, as a crash would: no close frames, nothing written on the way out. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** Stops the process the orderly way (SIGTERM: 1001 for every connection). */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
