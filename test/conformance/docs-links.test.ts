import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_BASE, PROTOCOL_PAGE } from '../../src/conformance/docs-link.js';
import { startMiniServer, type MiniServer } from './support/mini-server.js';
import { cli } from './support/run-cli-captured.js';

let dir: string;
let server: MiniServer;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-links-'));
  server = await startMiniServer();
});
afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Where a link in a report written to `reportFile` leads: the file and its anchor. */
function follow(href: string, reportFile: string): { file: string; anchor: string } {
  const url = new URL(href, pathToFileURL(reportFile));
  expect(url.protocol).toBe('file:');
  return { file: fileURLToPath(url), anchor: url.hash.slice(1) };
}

describe('requirement links', () => {
  it('lead to the requirement in the normative text from a report written in any folder', async () => {
    const report = path.join(dir, 'deep/er/report.html');
    const run = await cli(['--url', server.url, '--only', 'HB-003', '--reporter', `html=${report}`], {
      cwd: os.tmpdir(),
    });
    expect(run.status).toBe(0);
    const href = /<a href="([^"]+)">spec<\/a>/.exec(fs.readFileSync(report, 'utf8'))?.[1];
    const target = follow(href!, report);
    expect(target.anchor).toBe('HB-003');
    expect(fs.readFileSync(target.file, 'utf8')).toMatch(/id="HB-003"/);
  });

  it('default to the protocol page of the package, and follow --docs-base for a published copy', async () => {
    expect(PROTOCOL_PAGE).toBe('generated/docs/protocol.html');
    const page = path.resolve(PROTOCOL_PAGE);
    // Until the page is generated the runner links the Markdown text it renders from.
    const expected = fs.existsSync(page) ? page : path.resolve('docs/protocol.md');
    expect(DEFAULT_DOCS_BASE).toBe(pathToFileURL(expected).href);
    const run = await cli([
      '--url',
      server.url,
      '--only',
      'HB-003',
      '--reporter',
      'json',
      '--docs-base',
      'https://docs.example/p.html',
    ]);
    expect(JSON.parse(run.stdout).checks[0].spec).toBe('https://docs.example/p.html#HB-003');
  });
});
