/**
 * Renders the AsyncAPI channel pages in a worker thread, so the slowest step of `npm run generate` runs
 * beside the types and clients: parses each channel's document and runs @asyncapi/html-template
 * (multi-file) into a folder of the page's own.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { HTML_TEMPLATE, installedTemplateDir, runTemplate } from './templates.js';

/** `require` as isomorphic-dompurify's own module sees it (through the template and its component). */
function requireBesideSanitizer(): NodeJS.Require {
  let require = createRequire(`${installedTemplateDir(HTML_TEMPLATE)}/package.json`);
  for (const step of ['@asyncapi/react-component/package.json', 'isomorphic-dompurify']) {
    require = createRequire(require.resolve(step));
  }
  return require;
}

export interface PageJob {
  /** The channel's AsyncAPI document (no external references). */
  document: Record<string, unknown>;
  /** A folder for this page alone. */
  targetDir: string;
  /** The page's file name (`campaigns.html`). */
  pageFile: string;
  /** The component's settings, as the template's `config` parameter. */
  config: string;
}

interface Sanitizer {
  sanitize(html: string, options?: unknown): string;
}
interface JsdomWindow {
  close(): void;
}

/**
 * The template sanitises every Markdown text with isomorphic-dompurify, which keeps one jsdom window for
 * the thread; each text sanitised leaves event listeners on that window (jsdom's selector engine adds them
 * per document), so every page renders slower than the one before. isomorphic-dompurify uses the instance
 * in `globalThis.DOMPurify` when there is one: this one forwards to a DOMPurify on a fresh window per page.
 * The output is the same; the docs take about half the time.
 */
function freshSanitizerPerPage(): () => void {
  const require = requireBesideSanitizer();
  const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: JsdomWindow } };
  const createDOMPurify = require('dompurify') as (window: JsdomWindow) => Sanitizer;
  let window: JsdomWindow | undefined;
  let current: Sanitizer | undefined;
  const renew = () => {
    window?.close();
    window = new JSDOM('<!DOCTYPE html>').window;
    current = createDOMPurify(window);
  };
  renew();
  (globalThis as { DOMPurify?: unknown }).DOMPurify = new Proxy(
    {},
    {
      get: (_target, key) => {
        const value = (current as unknown as Record<string | symbol, unknown>)[key];
        return typeof value === 'function' ? value.bind(current) : value;
      },
    },
  );
  return renew;
}

const nextPage = freshSanitizerPerPage();
// Each channel's document is cut from the bundled one, which was validated with the whole document when
// `generate` parsed asyncapi.yaml: parsing without the rulesets gives the same model in a twentieth of the time.
const parser = new Parser({ ruleset: { core: false, recommended: false } });
for (const job of workerData as PageJob[]) {
  nextPage();
  const { document, diagnostics } = await parser.parse(job.document as never);
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!document || errors.length > 0) {
    throw new Error(
      `${job.pageFile}: the channel's document does not parse: ${errors.map((d) => `${d.message} at /${d.path.join('/')}`).join('; ')}`,
    );
  }
  await runTemplate(document, {
    templateDir: installedTemplateDir(HTML_TEMPLATE),
    targetDir: job.targetDir,
    params: { singleFile: 'false', outFilename: job.pageFile, config: job.config },
    // The shipped build: transpiling the HTML template again takes seconds and writes into node_modules.
    compile: false,
  });
}
parentPort?.postMessage('done');
