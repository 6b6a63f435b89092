import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClientModeCli } from '../../src/conformance/client-mode/cli.js';
import type { ClientRunReport } from '../../src/conformance/client-mode/types.js';
import { xmlProblems } from './support/xml-wellformed.js';

const FIXTURE_COMMAND = `"${process.execPath}" --import tsx test/fixtures/clients/fixture-client-cli.ts`;
/** Each scenario starts a TypeScript process; give a loaded machine time for that. */
const SPAWN_CONNECT_TIMEOUT_MS = '20000';

interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runClientModeCli(['--client-mode', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: process.cwd(),
    env,
  });
  return { status, stdout, stderr };
}

function fixtureRun(faults: string, extraArgs: string[] = []): Promise<CliRun> {
  return cli(
    [
      ...['--client-command', FIXTURE_COMMAND, '--only', 'CR-003,CR-004,CR-006', '--reporter', 'json'],
      ...['--delay-scale', '0.01', '--tolerance-ms', '100', '--connect-timeout-ms', SPAWN_CONNECT_TIMEOUT_MS],
      ...extraArgs,
    ],
    { ...process.env, FIXTURE_FAULTS: faults },
  );
}

function outcomes(run: CliRun): Record<string, string> {
  const report = JSON.parse(run.stdout) as ClientRunReport;
  return Object.fromEntries(report.checks.map((c) => [c.id, c.outcome]));
}

describe('client mode from the command line', () => {
  it('lists the ten client checks without serving anything', async () => {
    const run = await cli(['--list']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^CR-001 .*\n(.*\n){9}10 client checks\n$/);
  });

  it('exits 2 with a one-line error on a malformed option', async () => {
    const run = await cli(['--delay-scale', 'fast']);
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: --delay-scale must be a number, got "fast"\n',
    });
  });

  // CR-004 includes the client's own close 1000 on SIGTERM, which must reach it through the shell.
  it('passes a client command that follows the rules and exits 0', async () => {
    const run = await fixtureRun('');
    expect(outcomes(run), run.stderr).toEqual({ 'CR-003': 'pass', 'CR-004': 'pass', 'CR-006': 'pass' });
    expect(run.status).toBe(0);
  });

  it('fails the broken rule of a client command, exits 1 and writes JUnit as well', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-client-junit-'));
    try {
      const run = await fixtureRun('CR-006', ['--reporter', `junit=${dir}/junit.xml`]);
      expect(outcomes(run), run.stderr).toEqual({ 'CR-003': 'pass', 'CR-004': 'pass', 'CR-006': 'fail' });
      expect(run.status).toBe(1);
      const xml = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
      expect(xmlProblems(xml)).toEqual([]);
      expect(xml).toMatch(/<testsuite name="reconnect" tests="3" failures="1" errors="0" skipped="0"/);
      expect(xml).toMatch(/<testcase name="CR-006 [^"]*" classname="tidewire\.reconnect"[^>]*>\s*<failure /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('suggests the option a mistyped one may mean', async () => {
    const run = await cli(['--delay-scael', '0.1']);
    expect(run.stderr).toBe("error: Unknown option '--delay-scael'; did you mean --delay-scale?\n");
    expect(run.status).toBe(2);
  });
});
