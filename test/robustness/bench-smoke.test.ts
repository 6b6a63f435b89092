/**
 * `npm run bench -- --quick` runs end to end and writes every section's figures as numbers. Speed targets
 * are the bench's business (docs/benchmarks.md), never asserted here.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/lib/report.js';
import { scaled } from '../support/timing.js';

const SECTIONS = [
  'validation',
  'fanout',
  'connections',
  'conformance',
  'client',
  'docs',
  'socketio',
  'hostile',
  'cluster',
];
/** The whole quick run, the docs section's template rendering and page loads included. */
const RUN_TIMEOUT_MS = scaled(300_000);

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('bench --quick', () => {
  it(
    'writes a JSON report with numbers for every section',
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-bench-'));
      const json = path.join(dir, 'bench.json');
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'bench/run.ts', '--quick', '--json', json],
        {
          cwd: path.resolve(import.meta.dirname, '../..'),
          timeout: RUN_TIMEOUT_MS,
        },
      );
      const report = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchReport;

      expect(report.quick).toBe(true);
      expect(Object.keys(report.sections)).toEqual(SECTIONS);
      for (const name of SECTIONS) {
        const section = report.sections[name];
        expect(section.status, `${name}: ${section.status === 'not available' ? section.reason : ''}`).toBe(
          'ok',
        );
        if (section.status !== 'ok') continue;
        const figures = Object.entries(section.figures);
        expect(figures.length, name).toBeGreaterThan(0);
        for (const [figure, { value }] of figures)
          expect(Number.isFinite(value), `${name}: ${figure}`).toBe(true);
        for (const [ratio, value] of Object.entries(section.ratios)) {
          expect(Number.isFinite(value), `${name}: ${ratio}`).toBe(true);
        }
        for (const target of section.targets)
          expect(typeof target.pass, `${name}: ${target.name}`).toBe('boolean');
      }
    },
    RUN_TIMEOUT_MS + scaled(5_000),
  );
});
