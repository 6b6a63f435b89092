import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../bench/lib/chromium.js';
import type { ReferenceServer } from '../../src/server/index.js';
import { startDropProxy, type DropProxy } from '../client/support/drop-proxy.js';
import { startReference } from '../client/support/reference.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPORTS = path.resolve(HERE, '../../reports/browser');
const WAIT_MS = 10_000;
const missing = chromiumMissing('browser test');

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Tidewire stream</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b2430}h1{font-size:18px}section{border:1px solid #d0d7de;
border-radius:8px;padding:12px 16px;margin:0 0 16px;max-width:560px}.state{color:#57606a;font-size:12px}
table{border-collapse:collapse;width:100%}td{padding:4px 8px;border-top:1px solid #eee}.up{color:#1a7f37}.down{color:#cf222e}</style>
</head><body><h1>Tidewire live stream</h1>
<section><div class="state" id="campaign-state">connecting…</div><h2 id="campaign-title">Campaign</h2><div id="campaign-progress"></div></section>
<section><div class="state" id="market-state">connecting…</div><h2>Prices</h2><table><tbody id="prices"></tbody></table></section>
<script type="module" src="/page.js"></script></body></html>`;

let server: ReferenceServer;
let proxy: DropProxy;
let web: http.Server;
let browser: Browser;
let page: Page;

async function startPageServer(): Promise<http.Server> {
  const bundle = await build({
    entryPoints: [path.join(HERE, 'fixtures/stream-page.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
  });
  const script = bundle.outputFiles[0].text;
  const pages = new http.Server((request, response) => {
    const isScript = request.url === '/page.js';
    response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html; charset=utf-8' });
    response.end(isScript ? script : PAGE_HTML);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return pages;
}

type PageState = {
  established: Record<string, number>;
  resumed: Record<string, number>;
  prices: number;
  priceSeqs: number[];
  campaignSeqs: number[];
  errors: string[];
};
const pageState = () => page.evaluate(() => (window as unknown as { tidewire: PageState }).tidewire);

describe.skipIf(missing)('generated clients in Chromium', () => {
  beforeAll(async () => {
    server = await startReference();
    proxy = await startDropProxy(server.port);
    web = await startPageServer();
    browser = await launchChromium(WAIT_MS * 3);
    page = await browser.newPage({ viewport: { width: 640, height: 480 } });
    const token = await server.mintToken('1');
    const { port } = web.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/?ws=${encodeURIComponent(proxy.url)}&token=${token}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => web?.close(resolve));
    await proxy?.close();
    await server?.close();
  });

  it('receives typed campaign and market messages over native WebSockets', async () => {
    await page.waitForFunction(
      () => {
        const state = (window as unknown as { tidewire?: PageState }).tidewire;
        return state && state.prices >= 3 && state.campaignSeqs.length >= 1;
      },
      undefined,
      { timeout: WAIT_MS },
    );
    expect(await page.locator('#prices tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#campaign-title').textContent()).toMatch(/—/);
    expect((await pageState()).errors).toEqual([]);
  });

  it('survives a server-side drop by reconnecting and resuming without gaps', async () => {
    const before = await pageState();
    proxy.dropAll();
    await page.waitForFunction(
      (pricesBefore) => {
        const state = (window as unknown as { tidewire: PageState }).tidewire;
        return state.resumed.market >= 1 && state.resumed.campaign >= 1 && state.prices >= pricesBefore + 3;
      },
      before.prices,
      { timeout: WAIT_MS },
    );
    const after = await pageState();
    expect(after.priceSeqs).toEqual(after.priceSeqs.map((_, i) => after.priceSeqs[0] + i));
    expect(after.campaignSeqs).toEqual(after.campaignSeqs.map((_, i) => after.campaignSeqs[0] + i));
    expect(proxy.requests.filter((target) => /resume=[^&]+&lastSeq=\d+/.test(target))).toHaveLength(2);
    expect(after.errors).toEqual([]);
    const screenshot = path.join(REPORTS, 'stream.png');
    fs.mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: screenshot });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(1_000);
  });
});
