/**
 * Section 6 — how fast the generated docs open in headless Chromium from `file://`: the single-file page
 * of the whole document that `npm run generate` used to write (rendered again here by
 * @asyncapi/html-template with `singleFile`), against the pages it writes now (the largest channel page,
 * the overview, the protocol text). Every load is a fresh browser context (nothing cached), variants
 * interleaved round by round.
 *
 * Per load: `first contentful paint`; `rendered`, when the AsyncAPI component has put its own rendering
 * in the page (the pre-rendered markup is replaced on load); `ready`, the end of the last long task
 * (≥ 50 ms) before a quiet second, the moment the page answers a reader's scroll or click at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../lib/chromium.js';
import { median } from '../lib/measure.js';
import { notAvailable, SectionBuilder, type SectionResult } from '../lib/report.js';

const TITLE = 'docs: time to first render in headless Chromium (file://, 1200×800)';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS_DIR = path.join(REPO_ROOT, 'generated/docs');
const VIEWPORT = { width: 1200, height: 800 };
/** A load that has not settled after this long is reported as an error of the section. */
const LOAD_DEADLINE_MS = 180_000;
/** `ready` needs this long without a long task after the last one. */
const QUIET_MS = 1_000;
const TARGET_READY_RATIO = 0.5;

interface LoadTimes {
  fcp: number;
  rendered: number;
  ready: number;
}

/**
 * Runs in the page before its scripts: records paints and long tasks, and when the AsyncAPI component's
 * `render` is called, the moment it replaces the page's markup. Plain JavaScript in a string: a function
 * would be sent as its compiled source, which may call helpers the page does not have.
 */
const INSTRUMENT_PAGE = `(() => {
  const state = { longTaskEnds: [], fcp: undefined, hasApp: false, rendered: undefined };
  window.__docsBench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTaskEnds.push(entry.startTime + entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') state.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  let app;
  Object.defineProperty(window, 'AsyncApiStandalone', {
    configurable: true,
    get: () => app,
    set: (value) => {
      app = value;
      if (!value) return;
      state.hasApp = true;
      const render = value.render.bind(value);
      value.render = (props, root) => {
        const target = root || document.getElementById('root');
        if (target) {
          new MutationObserver((_, observer) => {
            if (state.rendered === undefined) state.rendered = performance.now();
            observer.disconnect();
          }).observe(target, { childList: true });
        }
        render(props, root);
      };
    },
  });
})();`;

/** The page's times once it has been quiet for `quietMs`, or false while it is still busy. */
const SETTLED = `((quietMs) => {
  const state = window.__docsBench;
  if (state.fcp === undefined || (state.hasApp && state.rendered === undefined)) return false;
  const lastLong = Math.max(0, ...state.longTaskEnds);
  if (performance.now() - lastLong < quietMs) return false;
  return { fcp: state.fcp, rendered: state.rendered ?? state.fcp, ready: Math.max(lastLong, state.fcp) };
})(${QUIET_MS})`;

async function loadOnce(browser: Browser, file: string): Promise<LoadTimes> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: INSTRUMENT_PAGE });
    await page.goto(pathToFileURL(file).href, { timeout: LOAD_DEADLINE_MS });
    const times = await page.waitForFunction(SETTLED, undefined, { timeout: LOAD_DEADLINE_MS, polling: 100 });
    return (await times.jsonValue()) as LoadTimes;
  } finally {
    await context.close();
  }
}

/** The channel pages, largest first: the slowest one a reader can open, and (for a smoke run) the quickest. */
function channelPages(): string[] {
  const pages = fs
    .readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith('.html') && name !== 'index.html' && name !== 'protocol.html')
    .map((name) => ({ file: path.join(DOCS_DIR, name), size: fs.statSync(path.join(DOCS_DIR, name)).size }));
  if (pages.length === 0) throw new Error(`no channel pages in ${DOCS_DIR} (run npm run generate)`);
  return pages.sort((a, b) => b.size - a.size).map((page) => page.file);
}

/**
 * The page `npm run generate` wrote before: the whole document on one self-contained page (for a smoke
 * run, one channel's document the same way: seconds instead of a minute).
 */
async function renderSinglePage(dir: string, channel: string | undefined): Promise<string> {
  const { Parser } = await import('@asyncapi/parser');
  const { HTML_TEMPLATE, installedTemplateDir, runTemplate } = await import('../../src/codegen/templates.js');
  const { channelDocuments } = await import('../../src/codegen/channel-documents.js');
  const bundled = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'generated/asyncapi.bundled.json'), 'utf8'),
  );
  const input =
    channel === undefined
      ? bundled
      : channelDocuments(bundled, { requirementHref: () => undefined }).find((c) => c.name === channel)
          ?.document;
  // The bundled document was validated when it was generated; the rulesets would add seconds here.
  const { document } = await new Parser({ ruleset: { core: false, recommended: false } }).parse(input);
  if (!document) throw new Error('generated/asyncapi.bundled.json does not parse (run npm run generate)');
  await runTemplate(document, {
    templateDir: installedTemplateDir(HTML_TEMPLATE),
    targetDir: dir,
    params: { singleFile: 'true' },
    compile: false,
  });
  return path.join(dir, 'index.html');
}

export async function docsSection(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<SectionResult> {
  if (!fs.existsSync(CHROMIUM))
    return notAvailable(TITLE, `${CHROMIUM} is missing (apt-get install -y chromium)`);
  if (!fs.existsSync(path.join(DOCS_DIR, 'index.html')))
    return notAvailable(TITLE, `${DOCS_DIR} is empty (run npm run generate)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-docs-bench-'));
  let browser: Browser | undefined;
  try {
    options.log('bench: docs: rendering the single-file page of the previous docs…');
    const pages = channelPages();
    const page = options.quick ? pages[pages.length - 1] : pages[0];
    const variants: Record<string, string> = {
      'single page (before)': await renderSinglePage(dir, options.quick ? path.parse(page).name : undefined),
      [`${options.quick ? 'smallest' : 'largest'} channel page (${path.basename(page)})`]: page,
      'overview (index.html)': path.join(DOCS_DIR, 'index.html'),
      'protocol (protocol.html)': path.join(DOCS_DIR, 'protocol.html'),
    };
    browser = await launchChromium(LOAD_DEADLINE_MS);
    const rounds = options.quick ? 1 : 3;
    const warmUp = options.quick ? 0 : 1;
    const samples: Record<string, LoadTimes[]> = {};
    // A warm-up round (not counted) brings the browser and the file cache up.
    for (let round = 1 - warmUp; round <= rounds; round++) {
      for (const [name, file] of Object.entries(variants)) {
        const times = await loadOnce(browser, file);
        if (round > 0) (samples[name] ??= []).push(times);
      }
    }
    const section = new SectionBuilder(TITLE);
    const medians: Record<string, LoadTimes> = {};
    for (const [name, loads] of Object.entries(samples)) {
      const m = (key: keyof LoadTimes) => median(loads.map((load) => load[key]));
      medians[name] = { fcp: m('fcp'), rendered: m('rendered'), ready: m('ready') };
      section.figure(`${name}: first contentful paint`, medians[name].fcp, 'ms');
      section.figure(`${name}: rendered`, medians[name].rendered, 'ms');
      section.figure(`${name}: ready`, medians[name].ready, 'ms');
      section.figure(`${name}: size`, fs.statSync(variants[name]).size / 1024, 'KiB');
    }
    const [before, after] = Object.keys(variants);
    const ready = medians[after].ready / medians[before].ready;
    section
      .ratio('channel page / single page, ready', ready)
      .ratio('channel page / single page, rendered', medians[after].rendered / medians[before].rendered)
      .atMost('channel page / single page, ready', ready, TARGET_READY_RATIO, true);
    section.note(
      `median of ${rounds} round(s)${warmUp ? ' after a warm-up round' : ''}; sizes are the HTML file alone ` +
        '(the channel pages share css/ and a 2.4 MiB js/asyncapi-ui.min.js; the single page inlines them)',
    );
    return section.build();
  } finally {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
