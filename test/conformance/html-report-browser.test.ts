/** The HTML reports in headless Chromium (Debian's `chromium`; skipped, saying so, without it). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { buildMatrix, renderMatrixHtml } from '../../src/conformance/reporters/matrix.js';
import { scaled } from '../support/timing.js';
import { sampleReport } from './support/sample-report.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const LAUNCH_TIMEOUT_MS = scaled(30_000);
const missing = !fs.existsSync(CHROMIUM);
if (missing)
  console.warn(`html report browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let browser: Browser;
let dir: string;

/** Opens a page written to a file, refusing (and recording) every request that is not that file. */
async function open(html: string): Promise<{ page: Page; external: string[] }> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.html`);
  fs.writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const external: string[] = [];
  await page.route(/^(?!file:)/, (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, external };
}

const row = (page: Page, id: string) =>
  page.locator(`table.checks tr:has(td:first-child > a[href="#${id}"])`);

describe.skipIf(missing)('html reports in a browser', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      timeout: LAUNCH_TIMEOUT_MS,
    });
  }, LAUNCH_TIMEOUT_MS * 2);
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hides rows by outcome and by area when their box is unticked, offline and without a script', async () => {
    const { page, external } = await open(renderHtml(sampleReport()));
    expect(await row(page, 'HB-002').isVisible()).toBe(true);
    await page.uncheck('#show-out-fail');
    expect(await row(page, 'HB-002').isVisible()).toBe(false);
    expect(await page.locator('details#HB-002').isVisible()).toBe(false);
    expect(await row(page, 'HB-001').isVisible()).toBe(true);
    await page.uncheck('#show-area-heartbeat');
    expect(await row(page, 'HB-001').isVisible()).toBe(false);
    expect(await row(page, 'AUTH-001').isVisible()).toBe(true);
    await page.check('#show-out-fail');
    await page.check('#show-area-heartbeat');
    expect(await row(page, 'HB-002').isVisible()).toBe(true);
    expect(external).toEqual([]);
    await page.close();
  });

  it('hides the rows where the runs agree in a matrix', async () => {
    const other = sampleReport();
    other.target = 'ws://other.test:4000';
    other.checks = other.checks.map((c) => (c.id === 'HB-002' ? { ...c, outcome: 'pass' } : c));
    const matrix = buildMatrix([
      { label: 'ours', report: sampleReport() },
      { label: 'theirs', report: other },
    ]);
    const { page, external } = await open(renderMatrixHtml(matrix));
    const matrixRow = (id: string) => page.locator(`table.matrix tr:has(td > a:text-is("${id}"))`);
    expect(await matrixRow('HB-001').isVisible()).toBe(true);
    await page.uncheck('#show-same');
    expect(await matrixRow('HB-001').isVisible()).toBe(false);
    expect(await matrixRow('HB-002').isVisible()).toBe(true);
    expect(external).toEqual([]);
    await page.close();
  });
});
