import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATE_DEADLINE_MS, REPO_ROOT, runGenerate, snapshotTree } from './support/generate-cli.js';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-generated-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('committed generated/', () => {
  it(
    'matches a fresh `npm run generate` byte for byte',
    async () => {
      const result = await runGenerate(['--out', path.join(outDir, 'generated')]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const fresh = snapshotTree(path.join(outDir, 'generated'));
      const committed = snapshotTree(path.join(REPO_ROOT, 'generated'));
      const names = [...new Set([...fresh.keys(), ...committed.keys()])].sort();
      const stale = names.filter((name) => {
        const a = fresh.get(name);
        const b = committed.get(name);
        return !a || !b || !a.equals(b);
      });
      expect(stale, 'stale files in generated/ (run `npm run generate`)').toEqual([]);
    },
    GENERATE_DEADLINE_MS,
  );
});
