import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMiniServer } from './support/mini-server.js';
import { cli } from './support/run-cli-captured.js';
import { xmlProblems } from './support/xml-wellformed.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ONE_LINE_ERROR = /^error: [^\n]+\n$/;

describe('conformance CLI usage errors', () => {
  it.each([
    [['--url', 'localhost:3000'], /unsupported URL scheme "localhost:"/],
    [['--url', 'ws//broken'], /malformed URL "ws\/\/broken"/],
    [['--frobnicate'], /Unknown option '--frobnicate' \(see --help\)/],
    [['--onyl', 'HB-001'], /Unknown option '--onyl'; did you mean --only\? \(see --help\)/],
    [['--only', 'HB-01', '--list'], /unknown check selector "HB-01" .*; did you mean HB-001\?$/m],
    [['--only', 'heartbeet', '--list'], /unknown check selector "heartbeet" .*; did you mean heartbeat\?$/m],
    [['--skip', 'markt', '--list'], /; did you mean market\?$/m],
    [['--reporter', 'jsn'], /unknown reporter "jsn" .*; did you mean json\?$/m],
    [['--config', 'missing.json'], /cannot read config file .*missing\.json: ENOENT/],
    [['--timeout-scale', 'fast'], /--timeout-scale must be a positive number, got "fast"/],
    [['--reporter', 'xml'], /unknown reporter "xml"/],
    [['--reporter', 'json', '--reporter', 'junit'], /only one reporter can write to stdout/],
    [['--param', 'campaignId'], /--param must look like key=value/],
    [['--only', 'NOPE-1', '--list'], /unknown check selector "NOPE-1"/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await cli(args, { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE_ERROR);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 for an invalid default config file', async () => {
    fs.writeFileSync(path.join(dir, 'tidewire.config.json'), '{ "only": ');
    const result = await cli([], { cwd: dir });
    expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(/is not valid JSON/)]);
  });

  it('exits 2 when nothing listens on the port', async () => {
    const closed = await startMiniServer();
    await closed.close();
    const result = await cli(['--url', closed.url], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });

  it('prints one line and no stack from the installed launcher', () => {
    const launcher = path.resolve('bin/conformance.js');
    const result = spawnSync(process.execPath, [launcher, '--url', 'nope'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: malformed URL "nope" (expected ws://host:port or wss://host:port)\n');
  });
});

describe('conformance CLI', () => {
  it('lists the selected checks without connecting anywhere', async () => {
    const server = await startMiniServer();
    try {
      const result = await cli(['--list', '--url', server.url, '--only', 'heartbeat', '--skip', 'HB-007']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^HB-001 +MUST +heartbeat/m);
      expect(result.stdout).not.toContain('HB-007');
      expect(result.stdout).toMatch(/^6 checks$/m);
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('lists the selected checks as JSON for --reporter json', async () => {
    const result = await cli(['--list', '--only', 'HB-003,SEC', '--reporter', 'json']);
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.checks.map((c: { id: string }) => c.id)).toEqual(['HB-003', 'SEC-001', 'SEC-002']);
    expect(listed.checks[0]).toMatchObject({
      level: 'MUST',
      area: 'heartbeat',
      families: ['chat', 'market'],
      binding: 'websocket',
      requirement: expect.stringContaining('{"type":"pong"}'),
    });
  });

  it('warns once per unknown ID in the expected failures, suggesting the ID it may mean', async () => {
    fs.writeFileSync(path.join(dir, 'baseline.txt'), 'HB-003\nHB-03\nheartbeet-1\nNOPE-999\n');
    const result = await cli(['--list', '--expected-failures', 'baseline.txt'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const server = await startMiniServer();
    try {
      const run = await cli(
        ['--url', server.url, '--only', 'HB-003', '--expected-failures', 'baseline.txt'],
        {
          cwd: dir,
        },
      );
      expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([
        'warning: the expected failures list an unknown requirement ID "HB-03"; did you mean HB-003?',
        'warning: the expected failures list an unknown requirement ID "heartbeet-1"',
        'warning: the expected failures list an unknown requirement ID "NOPE-999"',
      ]);
      expect(run.status).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('ends a repeated run with a flake table instead of a row per run', async () => {
    const server = await startMiniServer();
    try {
      const result = await cli(['--url', server.url, '--only', 'HB-003,HS-003', '--repeat', '3']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Repeated 3 times (check: passed k/3):');
      expect(result.stdout).toMatch(/^ {2}✓ HB-003 +passed 3\/3 /m);
      expect(result.stdout).toMatch(/^ {2}✓ HS-003 +passed 3\/3 /m);
      expect(result.stdout).not.toMatch(/HB-003 +#\d/);
      expect(result.stdout).toMatch(/^6 checks, 6 passed/m);
    } finally {
      await server.close();
    }
  });

  it('colours a terminal unless NO_COLOR is set', async () => {
    const server = await startMiniServer();
    try {
      const args = ['--url', server.url, '--only', 'HB-003'];
      const coloured = await cli(args, { tty: true });
      const plain = await cli(args, { tty: true, env: { NO_COLOR: '1' } });
      expect(coloured.stdout).toContain('\u001b[32m✓\u001b[0m HB-003');
      // What the terminal shows once each status line has been erased (`\r` + erase line).
      expect(plain.stdout.replace(/[^\n]*\r\u001b\[2K/g, '')).toMatch(/^✓ HB-003 /m);
      expect(plain.stdout).not.toMatch(/\u001b\[[\d;]*m/);
    } finally {
      await server.close();
    }
  });

  it('prints its help and its version', async () => {
    expect((await cli(['--help'])).stdout).toContain('--reporter <name>[=<file>]');
    expect((await cli(['-V'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('writes every requested report and reads options from the default config file', async () => {
    fs.writeFileSync(path.join(dir, 'baseline.txt'), '# known\nHB-004  # campaign text ping\n');
    fs.writeFileSync(
      path.join(dir, 'tidewire.config.json'),
      JSON.stringify({ only: ['HB-003', 'HB-004'], expectedFailures: 'baseline.txt', timeoutScale: 2 }),
    );
    const result = await cli(
      ['--reporter', 'json=out/report.json', '--reporter', 'junit', '--output', 'junit.xml'],
      {
        cwd: dir,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/2 checks, 2 passed/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(['HB-003', 'HB-004']);
    expect(report.summary.unexpectedPasses).toEqual(['HB-004']);
    expect(xmlProblems(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'))).toEqual([]);
  });
});
