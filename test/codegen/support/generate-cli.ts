/** Runs `src/codegen/generate.ts` as `npm run generate` does, in a child process, with a deadline. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaled } from '../../support/timing.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * Generation renders the HTML docs too: slow one-off work (about 30 s of CPU), which a busy two-core
 * machine stretches to minutes. The deadline only turns a hang into a result.
 */
export const GENERATE_DEADLINE_MS = scaled(300_000);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runGenerate(args: string[], timeoutMs = GENERATE_DEADLINE_MS): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/codegen/generate.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`expected generate to finish, got: still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temporary copy of asyncapi.yaml and schemas/ that a test may break. */
export function copySpec(): { dir: string; spec: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-spec-'));
  fs.copyFileSync(path.join(REPO_ROOT, 'asyncapi.yaml'), path.join(dir, 'asyncapi.yaml'));
  fs.cpSync(path.join(REPO_ROOT, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  return {
    dir,
    spec: path.join(dir, 'asyncapi.yaml'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every file under `root` with its bytes, by posix relative path. */
export function snapshotTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}
