/**
 * The HTML docs in generated/docs/: an overview of the channels (`index.html`), the normative text
 * (`protocol.html`), and one AsyncAPI page per channel (`<channel>.html`, @asyncapi/html-template in its
 * multi-file form) sharing the template's css/ and js/. Every page links the others through the bar at
 * its top; requirement IDs in descriptions link to their rule. Everything is relative: it works from
 * `file://` and with no network.
 *
 * The channel pages, the slow part, render in a worker thread while the caller goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseRequirements } from '../protocol/requirements.js';
import { htmlBanner } from './banner.js';
import type { BundledDocument } from './bundle.js';
import { channelDocuments, type ChannelDocument } from './channel-documents.js';
import {
  OVERVIEW_PAGE,
  PROTOCOL_PAGE,
  STYLESHEET,
  overviewPage,
  protocolPage,
  topBar,
} from './docs-pages.js';
import { escapeHtml, type MarkdownOptions } from './markdown.js';
import type { PageJob } from './page-worker.js';
import { HTML_TEMPLATE } from './templates.js';

const STYLESHEET_SOURCE = fileURLToPath(new URL('../../templates/docs/tidewire.css', import.meta.url));
/** Names our own pages take; a channel with one of them would overwrite it. */
const RESERVED_NAMES = new Set([path.parse(OVERVIEW_PAGE).name, path.parse(PROTOCOL_PAGE).name]);
/** What a channel's name may be to serve as a file name. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** The component's settings on channel pages (merged over the template's defaults). */
const PAGE_CONFIG = JSON.stringify({ show: { sidebar: true }, sidebar: { showOperations: 'byDefault' } });
/** Where the workers render, inside the docs folder, removed when done. */
const WORK_FOLDER = '.pages';

export interface DocsJob {
  /** The bundled AsyncAPI document (no external references). */
  bundled: BundledDocument;
  /** docs/protocol.md. */
  protocolMarkdown: string;
  targetDir: string;
  /** How banners name the AsyncAPI source (`asyncapi.yaml and schemas/`). */
  sourceName: string;
  /** How the protocol page's banner names its source (`docs/protocol.md`). */
  protocolSourceName: string;
  /** The bundled document's path relative to the docs folder (linked from the overview). */
  bundledDocument: string;
}

export interface DocsRun {
  /** Settles when every page is written. */
  done: Promise<void>;
  /** Stops the workers still running (after a failure elsewhere). */
  cancel(): Promise<void>;
}

type Info = {
  title?: string;
  version?: string;
  description?: string;
  tags?: Array<{ name: string; description?: string }>;
};

export function startDocsSite(job: DocsJob): DocsRun {
  const workers = new Set<Worker>();
  let cancelled = false;
  const done = renderDocsSite(job, (pageJobs) => {
    if (cancelled) return Promise.reject(new Error('cancelled'));
    return runPageWorker(pageJobs, workers);
  });
  // Reported through `done` when awaited; a failure elsewhere cancels the workers first.
  done.catch(() => undefined);
  return {
    done,
    cancel: async () => {
      cancelled = true;
      await Promise.all([...workers].map((worker) => worker.terminate()));
    },
  };
}

async function renderDocsSite(
  job: DocsJob,
  renderPages: (pageJobs: PageJob[]) => Promise<void>,
): Promise<void> {
  const { requirements } = parseRequirements(job.protocolMarkdown);
  const ids = new Set(requirements.map((r) => r.id));
  const links: MarkdownOptions = {
    requirementHref: (id) => (ids.has(id) ? `${PROTOCOL_PAGE}#${id}` : undefined),
  };
  const info = (job.bundled.info ?? {}) as Info;
  const brand = `${info.title ?? 'AsyncAPI'} ${info.version ?? ''}`.trim();
  const channels = channelDocuments(job.bundled, links);
  for (const channel of channels) {
    if (!FILE_NAME.test(channel.name) || RESERVED_NAMES.has(channel.name)) {
      throw new Error(`channel "${channel.name}" cannot name a docs page (${channel.name}.html)`);
    }
  }
  const workDir = path.join(job.targetDir, WORK_FOLDER);
  fs.mkdirSync(workDir, { recursive: true });
  const pageDir = (channel: ChannelDocument) => path.join(workDir, channel.name);
  await renderPages(
    channels.map((channel) => ({
      document: channel.document,
      targetDir: pageDir(channel),
      pageFile: `${channel.name}.html`,
      config: PAGE_CONFIG,
    })),
  );
  for (const channel of channels) placeChannelPage(pageDir(channel), channel, brand, job);
  fs.rmSync(workDir, { recursive: true, force: true });

  fs.writeFileSync(
    path.join(job.targetDir, OVERVIEW_PAGE),
    overviewPage({
      title: info.title ?? 'AsyncAPI',
      version: info.version ?? '',
      description: info.description,
      tags: Array.isArray(info.tags) ? info.tags : [],
      channels,
      links,
      banner: htmlBanner(job.sourceName),
      bundledDocument: job.bundledDocument,
    }),
  );
  fs.writeFileSync(
    path.join(job.targetDir, PROTOCOL_PAGE),
    protocolPage({
      markdown: job.protocolMarkdown,
      requirements,
      brand,
      banner: htmlBanner(job.protocolSourceName),
    }),
  );
  fs.copyFileSync(STYLESHEET_SOURCE, path.join(job.targetDir, STYLESHEET));
}

/** Starts a page worker; settles when it has written its pages. */
function runPageWorker(pageJobs: PageJob[], live: Set<Worker>): Promise<void> {
  const script = new URL(
    import.meta.url.endsWith('.ts') ? './page-worker.ts' : './page-worker.js',
    import.meta.url,
  );
  // Run from source, the worker registers the TypeScript loader (tsx) before importing its module.
  const bootstrap = import.meta.url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`
    : `import(${JSON.stringify(script.href)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: pageJobs });
  live.add(worker);
  return new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(
        new Error(
          `a docs worker exited with ${code} before finishing ${pageJobs.map((p) => p.pageFile).join(', ')}`,
        ),
      ),
    );
  }).finally(() => live.delete(worker));
}

/**
 * Moves a rendered channel page into the docs folder: the template wrote `<name>.html`, its css/ and js/,
 * and the page's data as js/app.js, which becomes js/<name>.js so the pages do not overwrite each other's.
 * The css/ and js/ of the template are the same for every page and are kept once.
 */
function placeChannelPage(pageDir: string, channel: ChannelDocument, brand: string, job: DocsJob): void {
  const script = `js/${channel.name}.js`;
  fs.mkdirSync(path.join(job.targetDir, 'js'), { recursive: true });
  fs.renameSync(path.join(pageDir, 'js/app.js'), path.join(job.targetDir, script));
  for (const shared of ['css', 'js']) {
    fs.cpSync(path.join(pageDir, shared), path.join(job.targetDir, shared), { recursive: true, force: true });
  }
  const pageFile = `${channel.name}.html`;
  const html = fs.readFileSync(path.join(pageDir, pageFile), 'utf8');
  fs.writeFileSync(
    path.join(job.targetDir, pageFile),
    decorateChannelPage(html, channel, brand, script, job),
  );
}

/** Replaces `search` in `html`, which must occur exactly once (else the template's output changed). */
function replaceOnce(html: string, search: string | RegExp, replacement: string, what: string): string {
  const matches =
    typeof search === 'string' ? html.split(search).length - 1 : (html.match(search) ?? []).length;
  if (matches !== 1) {
    throw new Error(`${HTML_TEMPLATE} output changed: expected one ${what}, found ${matches}`);
  }
  return html.replace(search, () => replacement);
}

/** Adds the banner, our stylesheet, the top bar and a title naming the channel; points at the page's data. */
function decorateChannelPage(
  html: string,
  channel: ChannelDocument,
  brand: string,
  script: string,
  job: DocsJob,
): string {
  let out = replaceOnce(
    html,
    /^<!DOCTYPE html>\s*/i,
    `<!DOCTYPE html>\n${htmlBanner(job.sourceName)}\n`,
    'doctype',
  );
  out = replaceOnce(
    out,
    /<title>[^<]*<\/title>/,
    `<title>${escapeHtml(`${channel.address} · ${brand} documentation`)}</title>`,
    'title',
  );
  out = replaceOnce(
    out,
    '<link href="css/asyncapi.min.css" rel="stylesheet">',
    `<link href="css/asyncapi.min.css" rel="stylesheet">\n      <link href="${STYLESHEET}" rel="stylesheet">`,
    'asyncapi.min.css link',
  );
  out = replaceOnce(
    out,
    '<body>',
    `<body class="tw-with-bar">\n      ${topBar({ brand, current: 'channel', address: channel.address })}`,
    '<body>',
  );
  return replaceOnce(out, 'src="js/app.js"', `src="${script}"`, 'js/app.js script');
}
