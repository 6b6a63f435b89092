/**
 * A real `redis-server` for a test, started and stopped by it: it listens on a unix socket in
 * a temporary folder (no TCP port at all, so nothing to pick or collide with), keeps nothing on disk, and
 * is stopped by its pid. `stop()` then `start()` again gives an empty Redis at the same address, as a
 * Redis restarted without persistence would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { scaled } from './timing.js';

/** How long redis-server may take to accept connections, or to exit once asked to. */
const START_TIMEOUT_MS = scaled(10_000);

export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly dir: string,
    readonly socketPath: string,
  ) {}

  /** Whether Debian's redis-server is installed (`.ci/run` installs it). */
  static available(): boolean {
    return (process.env.PATH ?? '')
      .split(path.delimiter)
      .some((dir) => fs.existsSync(path.join(dir, 'redis-server')));
  }

  static async start(): Promise<RedisServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-redis-'));
    const server = new RedisServer(dir, path.join(dir, 'redis.sock'));
    await server.start();
    return server;
  }

  /** The URL instances are given. */
  get url(): string {
    return `unix://${this.socketPath}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--unixsocket',
        this.socketPath,
        '--unixsocketperm',
        '700',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready`))),
    );
    await Promise.race([this.untilAccepting(), exited]);
  }

  /** Stops the server (SIGTERM, then SIGKILL if it lingers) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async untilAccepting(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (await this.answersPing()) return;
      if (Date.now() > deadline) {
        throw new Error(
          `expected redis-server on ${this.socketPath}, got: no answer within ${START_TIMEOUT_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private answersPing(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.createConnection(this.socketPath);
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
    });
  }
}
