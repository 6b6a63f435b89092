/**
 * Runs the AsyncAPI generator's programmatic API on an already parsed document: our client template
 * (a local React template, transpiled by the generator) and the HTML template (its shipped build).
 * Templates are always resolved on disk: a name the generator cannot find locally would make it try
 * to install one from the network, so that case is refused before the generator starts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';

const require = createRequire(import.meta.url);

interface ModuleInternals {
  _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
}
let buildPathFixInstalled = false;

/**
 * The shipped build of @asyncapi/html-template 3.5.6 (`__transpiled/`) requires React's JSX runtime by an
 * absolute path from the machine it was built on. Such a request, when the path does not exist, is
 * resolved again by its package-relative part from the requiring module, as a require of the file would.
 */
function installBuildPathFix(): void {
  if (buildPathFixInstalled) return;
  buildPathFixInstalled = true;
  const moduleInternals = require('node:module') as ModuleInternals;
  const resolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (request, parent, ...rest) {
    const marker = request.lastIndexOf('/node_modules/');
    if (path.isAbsolute(request) && marker >= 0 && !fs.existsSync(request) && parent?.filename) {
      const found = findInNodeModules(
        path.dirname(parent.filename),
        request.slice(marker + '/node_modules/'.length),
      );
      if (found) return found;
    }
    return resolve.call(this, request, parent, ...rest);
  };
}

interface GeneratorOptions {
  templateParams?: Record<string, string>;
  forceWrite?: boolean;
  compile?: boolean;
}
interface GeneratorInstance {
  generate(document: AsyncAPIDocumentInterface): Promise<void>;
}
type GeneratorClass = new (
  template: string,
  targetDir: string,
  options: GeneratorOptions,
) => GeneratorInstance;

/** `node_modules/<relative>` in `dir` or the nearest ancestor that has it (package exports do not apply to files). */
function findInNodeModules(dir: string, relative: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'node_modules', relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

export const HTML_TEMPLATE = '@asyncapi/html-template';

export interface TemplateRun {
  /** Absolute path of the template folder (with its package.json). */
  templateDir: string;
  targetDir: string;
  params: Record<string, string>;
  /** false uses the template's shipped `__transpiled` build instead of transpiling it again. */
  compile: boolean;
}

/** The folder of an installed template package, e.g. `@asyncapi/html-template`. */
export function installedTemplateDir(packageName: string): string {
  return path.dirname(require.resolve(`${packageName}/package.json`));
}

export async function runTemplate(document: AsyncAPIDocumentInterface, run: TemplateRun): Promise<void> {
  if (!fs.existsSync(path.join(run.templateDir, 'package.json'))) {
    throw new Error(`template not found: ${run.templateDir} has no package.json`);
  }
  if (!run.compile) installBuildPathFix();
  const Generator = require('@asyncapi/generator') as GeneratorClass;
  const generator = new Generator(run.templateDir, run.targetDir, {
    templateParams: run.params,
    // The target is a fresh temporary folder; forceWrite skips the generator's git-status check.
    forceWrite: true,
    compile: run.compile,
  });
  await generator.generate(document);
}
