/**
 * The CommonJS half of the package (`npm run build` runs it after tsc): every module the package's
 * exports reach, transpiled one file to one file by esbuild into dist/cjs/, beside a package.json that
 * marks the folder CommonJS, and the declarations tsc wrote copied along, so `require` gets CommonJS
 * types as `import` gets ESM ones.
 *
 * `tidewire/conformance/vitest` has no CommonJS build: vitest refuses `require()`, so its `require`
 * condition names the ESM module, which Node (≥ 20.19, as `engines` says) loads through require(esm).
 *
 * Why not tsc for this half too: the sources use `import.meta.url` (to find schemas/ and docs/), which
 * tsc refuses in CommonJS output, and one tsc configuration emits one module format. Why one file per
 * module rather than a bundle per entry: entries share modules (the runner and the server, the client
 * and the validator), and bundles would give each its own copy of every class and registry.
 *
 * Usage: tsx src/codegen/package-cjs.ts (from the repository root, after tsc -p tsconfig.build.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(REPO_ROOT, 'dist');
const CJS = path.join(DIST, 'cjs');

interface PackageJson {
  exports: Record<string, string | Record<string, string | Record<string, string>>>;
}

/** The TypeScript source of each CommonJS export of package.json (`./dist/cjs/src/server/index.js` → `src/server/index.ts`). */
function exportSources(pkg: PackageJson): string[] {
  const sources: string[] = [];
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === 'string') continue;
    const cjs = target.require;
    const file = typeof cjs === 'string' ? cjs : cjs?.default;
    if (file?.startsWith('./dist/cjs/') && file.endsWith('.js')) {
      sources.push(file.slice('./dist/cjs/'.length, -'.js'.length) + '.ts');
    }
  }
  return sources;
}

/** Every source file of the repository that `entries` reach through relative imports. */
async function reachableSources(entries: string[]): Promise<string[]> {
  const result = await build({
    entryPoints: entries.map((entry) => path.join(REPO_ROOT, entry)),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    // Required with several entries; nothing is written.
    outdir: path.join(DIST, 'unused'),
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((file) => file.endsWith('.ts'));
}

async function main(): Promise<void> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  const sources = await reachableSources(exportSources(pkg));
  fs.rmSync(CJS, { recursive: true, force: true });
  await build({
    entryPoints: sources.map((file) => path.join(REPO_ROOT, file)),
    absWorkingDir: REPO_ROOT,
    outdir: CJS,
    outbase: REPO_ROOT,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // `import()` of our own modules becomes `require`, so both ways load the same CommonJS instance.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__tidewireModuleUrl' },
    banner: {
      js: "'use strict';\nconst __tidewireModuleUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(CJS, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  // Every declaration: modules that only hold types are erased from the JavaScript but not from the types.
  const declarations = fs
    .readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.d.ts') && !file.startsWith(`cjs${path.sep}`));
  if (declarations.length === 0)
    throw new Error('dist/ has no declarations: run tsc -p tsconfig.build.json first');
  for (const declaration of declarations) {
    fs.mkdirSync(path.dirname(path.join(CJS, declaration)), { recursive: true });
    fs.copyFileSync(path.join(DIST, declaration), path.join(CJS, declaration));
  }
  process.stdout.write(`dist/cjs: ${sources.length} CommonJS modules\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`package-cjs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
