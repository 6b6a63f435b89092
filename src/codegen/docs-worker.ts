/**
 * Renders the HTML docs in a worker thread, so the slowest step of `npm run generate` (the HTML
 * template pre-renders every page of the docs) runs beside the types and clients on another core.
 * Input: the parsed document in the parser's string form, and the target folder.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { unstringify } from '@asyncapi/parser';
import { HTML_TEMPLATE, installedTemplateDir, runTemplate, type DocsJob } from './templates.js';

const job = workerData as DocsJob;
const document = unstringify(job.document);
if (!document) throw new Error('the parsed document could not be handed to the docs worker');
await runTemplate(document, {
  templateDir: installedTemplateDir(HTML_TEMPLATE),
  targetDir: job.targetDir,
  params: { singleFile: 'true' },
  // The shipped build: transpiling the HTML template again takes seconds and writes into node_modules.
  compile: false,
});
parentPort?.postMessage('done');
