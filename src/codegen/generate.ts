/**
 * `npm run generate`: reads asyncapi.yaml and schemas/ and writes generated/ — TypeScript types
 * (json-schema-to-typescript), one typed client per endpoint (our AsyncAPI template in
 * templates/client), the document bundled into one file (`asyncapi.bundled.json`, @asyncapi/bundler) and
 * the HTML docs (docs/: a page per channel from @asyncapi/html-template, the normative text
 * docs/protocol.md as protocol.html, and an overview).
 *
 * Usage: tsx src/codegen/generate.ts [--spec asyncapi.yaml] [--out generated] [--schemas <dir>]
 * [--protocol docs/protocol.md] (or TIDEWIRE_SPEC / TIDEWIRE_OUT / TIDEWIRE_SCHEMAS). Output is
 * deterministic; nothing is written unless every step succeeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { banner, GENERATE_COMMAND } from './banner.js';
import { bundleSpec } from './bundle.js';
import { startDocsSite } from './docs-site.js';
import { createStaging, listFiles, removeStaging, swapInto, toPosix, writeFiles } from './output.js';
import { parseSpec, SpecError } from './spec.js';
import { runTemplate } from './templates.js';
import { emitTypes, readSchemaFiles } from './types.js';
import { emitValidation } from './validation.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_TEMPLATE_DIR = path.join(REPO_ROOT, 'templates/client');
/** The package whose entry points the generated index modules are (`tidewire/types` …). */
const PACKAGE_NAME = 'tidewire';
/** The bundled document in the output folder, and the docs folder. */
const BUNDLED_FILE = 'asyncapi.bundled.json';
const DOCS_FOLDER = 'docs';

export interface GenerateOptions {
  /** The AsyncAPI document. */
  specPath: string;
  /** Output folder, replaced as a whole on success. */
  outDir: string;
  /** Schema folder; default `schemas/` beside the document. */
  schemaDir?: string;
  /** The normative text rendered as docs/protocol.html; default this repository's docs/protocol.md. */
  protocolPath?: string;
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
  const protocolPath = path.resolve(options.protocolPath ?? path.join(REPO_ROOT, 'docs/protocol.md'));
  const protocolMarkdown = readProtocol(protocolPath);
  // Before anything else runs: the bundler changes the working directory while it reads.
  const bundled = await bundleSpec(spec.specPath);

  const files = new Map<string, string>([
    ...(await emitTypes(spec, schemaDir, schemas, sourceName, `${PACKAGE_NAME}/types`)),
    ...emitValidation(spec, schemas, sourceName, `${PACKAGE_NAME}/validation`),
    ['index.ts', rootIndex(sourceName)],
    [BUNDLED_FILE, `${JSON.stringify(bundled, null, 2)}\n`],
  ]);
  const staging = createStaging(options.outDir);
  const docs = startDocsSite({
    bundled,
    protocolMarkdown,
    targetDir: path.join(staging, DOCS_FOLDER),
    sourceName,
    protocolSourceName: toPosix(path.relative(REPO_ROOT, protocolPath)),
    bundledDocument: `../${BUNDLED_FILE}`,
  });
  try {
    writeFiles(staging, files);
    await runTemplate(spec.document, {
      templateDir: CLIENT_TEMPLATE_DIR,
      targetDir: path.join(staging, 'client'),
      params: { sourceName, moduleName: `${PACKAGE_NAME}/client` },
      compile: true,
    });
    await formatTypeScript(staging);
    await docs.done;
    const written = listFiles(staging);
    swapInto(staging, options.outDir);
    return { files: written, durationMs: performance.now() - started };
  } catch (error) {
    await docs.cancel();
    removeStaging(staging);
    throw error;
  }
}

/** The package's main entry: every client and every message type. */
function rootIndex(sourceName: string): string {
  return `${banner(sourceName, 'Every endpoint client, the runtime, and every message type.', PACKAGE_NAME)}
export * from './client/index.js';
export * from './types/index.js';
`;
}

function readProtocol(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecError([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
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
        protocol: { type: 'string' },
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
      `Usage: ${GENERATE_COMMAND} -- [--spec asyncapi.yaml] [--out generated] [--schemas <dir>] [--protocol docs/protocol.md]\n` +
        'Writes TypeScript types, typed clients, the bundled document and HTML docs from the AsyncAPI document.\n',
    );
    return 0;
  }
  const specPath = values.spec ?? process.env.TIDEWIRE_SPEC ?? path.join(REPO_ROOT, 'asyncapi.yaml');
  const outDir = values.out ?? process.env.TIDEWIRE_OUT ?? path.join(REPO_ROOT, 'generated');
  const schemaDir = values.schemas ?? process.env.TIDEWIRE_SCHEMAS;
  try {
    const result = await generate({ specPath, outDir, schemaDir, protocolPath: values.protocol });
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
