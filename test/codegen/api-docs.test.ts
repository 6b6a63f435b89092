/**
 * `npm run docs` (TypeDoc, typedoc.json): the reference of the package's API, one module per entry point of
 * package.json, the README as its first page, and no warning (typedoc.json makes a warning an error).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaled } from '../support/timing.js';
import { REPO_ROOT } from './support/generate-cli.js';
import { runProcess } from './support/run-process.js';

/** TypeDoc compiles the whole API: slow one-off work on a busy machine. */
const TYPEDOC_DEADLINE_MS = scaled(300_000);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-api-docs-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};
const entryPoints = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target !== null && 'import' in target)
  .map(([key]) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));

describe('the API reference', () => {
  it(
    'has one module per package entry point and the README as its first page, with no warning',
    async () => {
      const typedoc = path.join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc');
      const result = await runProcess(
        process.execPath,
        [
          typedoc,
          '--out',
          path.join(out, 'html'),
          '--json',
          path.join(out, 'api.json'),
          '--logLevel',
          'Warn',
        ],
        { cwd: REPO_ROOT, timeoutMs: TYPEDOC_DEADLINE_MS, env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
      const api = JSON.parse(fs.readFileSync(path.join(out, 'api.json'), 'utf8')) as {
        children: Array<{ name: string }>;
      };
      expect(api.children.map((module) => module.name).sort()).toEqual([...entryPoints].sort());
      const landing = fs.readFileSync(path.join(out, 'html/index.html'), 'utf8');
      expect(landing).toContain('One WebSocket protocol for three families of real-time endpoints');
    },
    TYPEDOC_DEADLINE_MS + scaled(10_000),
  );
});
