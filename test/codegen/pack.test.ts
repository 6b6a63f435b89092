/**
 * The package as a user gets it: `npm pack` of a copy of the repository (its `prepare` script builds
 * dist/), installed from the tarball into an empty CommonJS project, then used the ways the README says:
 * the bin, `require` and `import` of every entry point. Packing and installing are slow one-off work, done
 * once before the tests under their own deadlines.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { REPO_ROOT } from './support/generate-cli.js';
import { runProcess, type ProcessResult } from './support/run-process.js';

/** Building (tsc and esbuild) and installing the dependencies: minutes on a busy machine. */
const PACK_DEADLINE_MS = scaled(600_000);
const INSTALL_DEADLINE_MS = scaled(600_000);
/** One run of the bin or of node against the installed package. */
const RUN_DEADLINE_MS = scaled(60_000);

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
};
/** The package's JavaScript entry points (those with an `import` condition): `tidewire`, `tidewire/client`… */
const ENTRY_POINTS = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target !== null && 'import' in target)
  .map(([key]) => (key === '.' ? 'tidewire' : `tidewire/${key.slice(2)}`));
const vitestVersion = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/vitest/package.json'), 'utf8')) as {
    version: string;
  }
).version;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-pack-'));
const consumer = path.join(root, 'consumer');
let tarballFiles: string[] = [];

/** The environment of a child npm or node: this run's npm settings (when under `npm test`) left out. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<ProcessResult> {
  return runProcess(command, args, { cwd, timeoutMs, env: childEnv() });
}

/** A copy of the repository's files (tracked or not ignored), with its node_modules linked in. */
function stageRepository(stage: string): void {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = path.join(REPO_ROOT, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    fs.copyFileSync(from, path.join(stage, file));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
}

beforeAll(async () => {
  const stage = path.join(root, 'stage');
  stageRepository(stage);
  const packed = await run('npm', ['pack', '--json', '--pack-destination', root], stage, PACK_DEADLINE_MS);
  if (packed.code !== 0) throw new Error(`npm pack exited with ${packed.code}:\n${packed.stderr}`);
  // npm pack --json prints the build's output first; the report is the JSON array at the end.
  const report = JSON.parse(packed.stdout.slice(packed.stdout.lastIndexOf('\n[') + 1)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarballFiles = report[0].files.map((f) => f.path);
  fs.mkdirSync(consumer);
  fs.writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
  );
  const installed = await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      path.join(root, report[0].filename),
      `vitest@${vitestVersion}`,
    ],
    consumer,
    INSTALL_DEADLINE_MS,
  );
  if (installed.code !== 0)
    throw new Error(`npm install exited with ${installed.code}:\n${installed.stderr}`);
}, PACK_DEADLINE_MS + INSTALL_DEADLINE_MS);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the packed package, installed from its tarball', { timeout: RUN_DEADLINE_MS * 2 }, () => {
  it('ships what it documents and nothing that needs the repository', () => {
    for (const file of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'docs/protocol.md',
      'src/conformance/reporters/report.schema.json',
      'generated/asyncapi.bundled.json',
      'generated/docs/index.html',
      'generated/docs/protocol.html',
      'dist/src/conformance/cli.js',
      'dist/cjs/package.json',
    ]) {
      expect(tarballFiles, file).toContain(file);
    }
    expect(tarballFiles.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(tarballFiles.filter((file) => /^dist\/(cjs\/)?src\/codegen\//.test(file))).toEqual([]);
    expect(tarballFiles.filter((file) => /^(src|generated)\/.*\.ts$/.test(file))).toEqual([]);
  });

  it('prints its version through npx', async () => {
    const result = await run(
      'npx',
      ['--no-install', 'tidewire-conformance', '--version'],
      consumer,
      RUN_DEADLINE_MS,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(pkg.version);
    expect(result.code).toBe(0);
  });

  it('checks a reference server with the installed bin', async () => {
    let server: ReferenceServer | undefined;
    try {
      server = await createServer({ port: 0, host: '127.0.0.1' });
      const bin = path.join(consumer, 'node_modules/.bin/tidewire-conformance');
      const reportFile = path.join(consumer, 'report.json');
      const result = await run(
        bin,
        [
          '--url',
          `ws://127.0.0.1:${server.port}`,
          '--only',
          'HS-001,HS-002,HB-003',
          '--reporter',
          `json=${reportFile}`,
        ],
        consumer,
        RUN_DEADLINE_MS,
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/HS-002/);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
        summary: { pass: number; total: number };
      };
      expect(report.summary).toMatchObject({ total: 3, pass: 3 });
      expect(result.code).toBe(0);
    } finally {
      await server?.close();
    }
  });

  it('loads every entry point with require() and with import, with the same exports', async () => {
    const list = JSON.stringify(ENTRY_POINTS);
    const keys = 'Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort()';
    fs.writeFileSync(
      path.join(consumer, 'load.cjs'),
      `const out = {}; for (const name of ${list}) { const m = require(name); out[name] = ${keys}; }\n` +
        'console.log(JSON.stringify(out));\n',
    );
    fs.writeFileSync(
      path.join(consumer, 'load.mjs'),
      `const out = {}; for (const name of ${list}) { const m = await import(name); out[name] = ${keys}; }\n` +
        'console.log(JSON.stringify(out));\n',
    );
    const required = await run(process.execPath, ['load.cjs'], consumer, RUN_DEADLINE_MS);
    const imported = await run(process.execPath, ['load.mjs'], consumer, RUN_DEADLINE_MS);
    expect([required.code, required.stderr]).toEqual([0, '']);
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    const byRequire = JSON.parse(required.stdout) as Record<string, string[]>;
    expect(JSON.parse(imported.stdout)).toEqual(byRequire);
    expect(byRequire['tidewire/conformance']).toEqual(
      expect.arrayContaining(['runConformance', 'listChecks']),
    );
    expect(byRequire['tidewire/conformance/vitest']).toContain('defineConformanceSuite');
    expect(byRequire['tidewire/server']).toContain('createServer');
    expect(byRequire['tidewire/validation']).toContain('createValidator');
    expect(byRequire['tidewire/client']).toContain('CampaignsClient');
    expect(byRequire.tidewire).toEqual(expect.arrayContaining(byRequire['tidewire/client']));
  });

  it('type-checks TypeScript that compiles to CommonJS against the require() declarations', async () => {
    const project = path.join(consumer, 'typed');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    fs.writeFileSync(
      path.join(project, 'check.ts'),
      `import { runConformance, type CheckResult } from 'tidewire/conformance';
import { createServer } from 'tidewire/server';
import type { CampaignUpdate } from 'tidewire/types';
import { CampaignsClient } from 'tidewire/client';
import { createValidator } from 'tidewire/validation';
export async function check(): Promise<CheckResult[]> {
  const server = await createServer({ port: 0 });
  const client = new CampaignsClient({ url: server.url, query: { campaignId: 1, userId: 1 }, validator: createValidator() });
  client.on('campaign_update', (message: CampaignUpdate) => message.data.status);
  const report = await runConformance({ url: server.url, only: ['HS-002'] });
  await server.close();
  return report.checks;
}
`,
    );
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project], consumer, RUN_DEADLINE_MS);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('runs the checks from CommonJS code against its bundled reference server', async () => {
    fs.writeFileSync(
      path.join(consumer, 'run.cjs'),
      "const { runConformance } = require('tidewire/conformance');\n" +
        "runConformance({ only: ['HS-002', 'ERR-001'] }).then((r) => console.log(JSON.stringify(r.summary)));\n",
    );
    const result = await run(process.execPath, ['run.cjs'], consumer, RUN_DEADLINE_MS);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 2, pass: 2 });
  });
});
