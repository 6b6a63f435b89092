/**
 * A real `redis-server` for a test, started and stopped by it: no TCP port (a unix socket in a fresh
 * temporary folder), nothing saved to disk. Tests that need it skip when the machine has none.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REDIS_AVAILABLE = spawnSync('redis-server', ['--version']).status === 0;

export interface RedisProcess {
  /** Path of its unix socket (node-redis: `createClient({ socket: { path } })`). */
  socketPath: string;
  stop(): Promise<void>;
}

export async function startRedis(readyWithinMs: number): Promise<RedisProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-redis-'));
  const socketPath = path.join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socketPath,
      '--unixsocketperm',
      '700',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`expected redis-server to be ready, got: nothing within ${readyWithinMs} ms\n${output}`),
      );
    }, readyWithinMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready\n${output}`));
    });
  });
  return {
    socketPath,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
