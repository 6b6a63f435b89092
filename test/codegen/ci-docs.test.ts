/**
 * docs/ci.md is copied into other projects' pipelines as it stands: its YAML parses, and every option its
 * runner commands use is one the runner has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { scaled } from '../support/timing.js';
import { REPO_ROOT } from './support/generate-cli.js';
import { runProcess } from './support/run-process.js';

const CI_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs/ci.md'), 'utf8');
const HELP_DEADLINE_MS = scaled(60_000);

function codeBlocks(language: string): string[] {
  return [...CI_DOC.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** Every string in a parsed YAML document. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(strings);
  return [];
}

async function helpText(args: string[]): Promise<string> {
  const result = await runProcess(process.execPath, ['--import', 'tsx', 'src/conformance/cli.ts', ...args], {
    cwd: REPO_ROOT,
    timeoutMs: HELP_DEADLINE_MS,
  });
  expect([result.code, result.stderr]).toEqual([0, '']);
  return result.stdout;
}

describe('docs/ci.md', () => {
  const yamlBlocks = codeBlocks('yaml');

  it('has a GitHub Actions and a GitLab CI job that parse as YAML', () => {
    const [github, gitlab] = yamlBlocks.map((block) => YAML.parse(block) as Record<string, unknown>);
    expect(Object.keys(github)).toEqual(['name', 'on', 'jobs']);
    expect(Object.keys(gitlab)).toEqual(['conformance']);
  });

  it('runs the runner with options it has', { timeout: HELP_DEADLINE_MS * 2 }, async () => {
    const [runHelp, reportHelp] = await Promise.all([helpText(['--help']), helpText(['report', '--help'])]);
    const commands = [
      ...yamlBlocks.flatMap((block) => strings(YAML.parse(block))),
      ...codeBlocks('sh'),
    ].filter((text) => text.includes('tidewire-conformance'));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) {
      const help = /tidewire-conformance"? report\b/.test(command) ? reportHelp : runHelp;
      for (const [option] of command.matchAll(/--[a-z][a-z-]*/g)) {
        expect(help, `${option} in: ${command}`).toMatch(new RegExp(`(^|\\s)${option}\\b`, 'm'));
      }
    }
  });
});
