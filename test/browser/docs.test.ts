/**
 * The generated docs as a reader opens them: from `file://`, with every network request refused, in
 * Chromium at 1200×800. The overview lists every endpoint; a channel page shows its sidebar; requirement
 * IDs lead to their rule on the protocol page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../bench/lib/chromium.js';
import { scaled } from '../support/timing.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOCS_DIR = path.resolve(HERE, '../../generated/docs');
const BUNDLED = path.resolve(HERE, '../../generated/asyncapi.bundled.json');
const REPORTS = path.resolve(HERE, '../../reports/browser');
const VIEWPORT = { width: 1200, height: 800 };
/** A channel page is hundreds of kilobytes that a busy machine renders slowly: one generous deadline per step. */
const STEP_MS = scaled(60_000);
const missing = chromiumMissing('docs browser test');

/** Every channel of the bundled document: its page is `<name>.html`. */
const channels = Object.entries(
  (JSON.parse(fs.readFileSync(BUNDLED, 'utf8')) as { channels: Record<string, { address: string }> })
    .channels,
).map(([name, channel]) => ({ name, address: channel.address }));

const docsUrl = (page: string) => pathToFileURL(path.join(DOCS_DIR, page)).href;

let browser: Browser;
let page: Page;
const external: string[] = [];

/** True when the element is drawn inside the viewport (not only somewhere on the page). */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox({ timeout: STEP_MS });
  return box !== null && box.width > 0 && box.y >= 0 && box.y + box.height <= VIEWPORT.height;
}

describe.skipIf(missing)('generated docs in Chromium, offline, at 1200×800', { timeout: STEP_MS * 4 }, () => {
  beforeAll(async () => {
    browser = await launchChromium(STEP_MS);
    page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(STEP_MS);
    await page.route(/^(?!file:)/, (route) => {
      external.push(route.request().url());
      return route.abort();
    });
  }, STEP_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists every endpoint on the overview, linked to its page, the first one in view', async () => {
    await page.goto(docsUrl('index.html'));
    for (const channel of channels) {
      expect(await page.locator(`a[href="${channel.name}.html"]`).textContent(), channel.name).toBe(
        channel.address,
      );
    }
    expect(await inViewport(page.locator(`a[href="${channels[0].name}.html"]`))).toBe(true);
    expect(await page.title()).toBe('Tidewire 1.0.0 documentation');
  });

  it("opens a channel page with the sidebar open on the channel's operations", async () => {
    await page.locator('a[href="campaigns.html"]').click();
    await page.waitForURL(/\/campaigns\.html$/);
    expect(await page.title()).toBe('/ws/campaigns · Tidewire 1.0.0 documentation');
    const operation = page.locator('.sidebar').getByText('campaigns.receive', { exact: true });
    await operation.waitFor();
    expect(await inViewport(operation)).toBe(true);
    await page.locator('h3 .font-mono', { hasText: '/ws/campaigns' }).first().waitFor();
    fs.mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: path.join(REPORTS, 'docs.png') });
  });

  it('leads from a requirement ID on a channel page to its rule on the protocol page', async () => {
    await page.locator('a[href="protocol.html#AUTH-005"]').first().click();
    await page.waitForURL(/\/protocol\.html#AUTH-005$/);
    const rule = page.locator('li', { has: page.locator('[id="AUTH-005"]') });
    expect(await rule.textContent()).toMatch(/^AUTH-005 \((MUST|SHOULD|MAY)\) /);
    expect(await inViewport(rule)).toBe(true);
    await page.locator('.tw-bar').getByText('Channels').click();
    await page.waitForURL(/\/index\.html$/);
  });

  it('made no network request', () => {
    expect(external).toEqual([]);
  });
});
