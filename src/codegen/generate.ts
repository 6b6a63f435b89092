/**
 * `npm run generate`: reads asyncapi.yaml and schemas/ and writes generated/ — TypeScript types
 * (json-schema-to-typescript), one typed client per endpoint (our AsyncAPI template in
 * templates/client) and the HTML docs (@asyncapi/html-template, one self-contained file).
 *
 * Usage: tsx src/codegen/generate.ts [--spec asyncapi.yaml] [--out generated] [--schemas <dir>]
 * (or TIDEWIRE_SPEC / TIDEWIRE_OUT / TIDEWIRE_SCHEMAS). Output is deterministic; nothing is written
 * unless every step succeeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { stringify } from '@asyncapi/parser';
import * as prettier from 'prettier';
import { banner, GENERATE_COMMAND, htmlBanner } from './banner.js';
import { createStaging, listFiles, removeStaging, swapInto, toPosix, writeFiles } from './output.js';
import { parseSpec, SpecError } from './spec.js';
import { emitSocketIoEvents } from './socketio-events.js';
import { HTML_TEMPLATE, runTemplate, type DocsJob } from './templates.js';
import { emitTypes, readSchemaFiles } from './types.js';
import { emitValidation } from './validation.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/client');

export interface GenerateOptions {
  /** The AsyncAPI document. */
  specPath: string;
  /** Output folder, replaced as a whole on success. */
  outDir: string;
  /** Schema folder; default `schemas/` beside the document. */
  schemaDir?: string;
}

export interface GenerateResult {
  files: string[];
  durationMs: number;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const spec = await parseSpec(options.specPath);
  const specDir = path.dirname(spec.specPath);
  const schemaDir = path.resolve(options.schemaDir ?? path.join(specDir, 'schemas'));
  const schemas = readSchemaFiles(schemaDir);
  const sourceName = `${path.basename(spec.specPath)} and ${toPosix(path.relative(specDir, schemaDir)) || '.'}/`;

  const files = new Map<string, string>([
    ...(await emitTypes(spec, schemaDir, schemas, sourceName)),
    ...emitValidation(spec, schemas, sourceName),
    ...emitSocketIoEvents(spec, sourceName),
    ['index.ts', rootIndex(sourceName)],
  ]);
  const staging = createStaging(options.outDir);
  const docsDir = path.join(staging, 'docs');
  const docs = renderDocs({ document: stringify(spec.document) ?? '', targetDir: docsDir });
  try {
    writeFiles(staging, files);
    await runTemplate(spec.document, {
      templateDir: CLIENT_TEMPLATE_DIR,
      targetDir: path.join(staging, 'client'),
      params: { sourceName },
      compile: true,
    });
    await formatTypeScript(staging);
    await docs.done;
    addHtmlBanner(path.join(docsDir, 'index.html'), sourceName);
    const written = listFiles(staging);
    swapInto(staging, options.outDir);
    return { files: written, durationMs: performance.now() - started };
  } catch (error) {
    await docs.cancel();
    removeStaging(staging);
    throw error;
  }
}

/** Starts the docs worker; `done` settles when it has written index.html. */
function renderDocs(job: DocsJob): { done: Promise<void>; cancel(): Promise<void> } {
  const script = new URL(
    import.meta.url.endsWith('.ts') ? './docs-worker.ts' : './docs-worker.js',
    import.meta.url,
  );
  // Run from source, the worker registers the TypeScript loader (tsx) before importing its module.
  const bootstrap = import.meta.url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`
    : `import(${JSON.stringify(script.href)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: job });
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the docs worker exited with ${code} before finishing`)));
  });
  // Reported through `done` when awaited; a failure elsewhere cancels the worker first.
  done.catch(() => undefined);
  return {
    done,
    cancel: async () => {
      await worker.terminate();
    },
  };
}

/** The package's main entry: every client and every message type. */
function rootIndex(sourceName: string): string {
  return `${banner(sourceName, 'Every endpoint client, the runtime, every message type and the Socket.IO event maps.')}
export * from './client/index.js';
export * from './types/index.js';
export * from './socketio/index.js';
`;
}

function addHtmlBanner(file: string, sourceName: string): void {
  if (!fs.existsSync(file)) throw new Error(`${HTML_TEMPLATE} wrote no index.html`);
  const html = fs.readFileSync(file, 'utf8');
  const doctype = /^<!DOCTYPE html>\s*/i.exec(html);
  const head = doctype ? doctype[0].trimEnd() + '\n' : '';
  fs.writeFileSync(file, `${head}${htmlBanner(sourceName)}\n${html.slice(doctype ? doctype[0].length : 0)}`);
}

/** Formats generated TypeScript with the repository's Prettier settings (wherever the output goes). */
async function formatTypeScript(root: string): Promise<void> {
  const config = (await prettier.resolveConfig(path.join(REPO_ROOT, 'package.json'))) ?? {};
  for (const relative of listFiles(root).filter((f) => f.endsWith('.ts'))) {
    const file = path.join(root, relative);
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, await prettier.format(source, { ...config, parser: 'typescript' }));
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        spec: { type: 'string' },
        out: { type: 'string' },
        schemas: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`generate: ${(error as Error).message}\nTry --help.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(
      `Usage: ${GENERATE_COMMAND} -- [--spec asyncapi.yaml] [--out generated] [--schemas <dir>]\n` +
        'Writes TypeScript types, typed clients and HTML docs from the AsyncAPI document.\n',
    );
    return 0;
  }
  const specPath = values.spec ?? process.env.TIDEWIRE_SPEC ?? path.join(REPO_ROOT, 'asyncapi.yaml');
  const outDir = values.out ?? process.env.TIDEWIRE_OUT ?? path.join(REPO_ROOT, 'generated');
  const schemaDir = values.schemas ?? process.env.TIDEWIRE_SCHEMAS;
  try {
    const result = await generate({ specPath, outDir, schemaDir });
    const shown = path.relative(process.cwd(), path.resolve(outDir)) || '.';
    process.stdout.write(
      `generated ${result.files.length} files into ${shown}/ in ${(result.durationMs / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SpecError) {
      process.stderr.write(
        `generate: the spec is invalid; nothing was written.\n${error.messages.join('\n')}\n`,
      );
    } else {
      process.stderr.write(
        `generate: ${error instanceof Error ? error.message : String(error)}; nothing was written.\n`,
      );
    }
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
