/**
 * The AsyncAPI document as one self-contained file: `@asyncapi/bundler` replaces every reference to a
 * schema file by the file's content, so AsyncAPI Studio, API portals and the parser read it without
 * access to `schemas/`. References inside the document (`#/components/…`) stay references.
 */
import { createRequire } from 'node:module';
import { SpecError } from './spec.js';

const require = createRequire(import.meta.url);

/** A bundled AsyncAPI document as plain JSON. */
export type BundledDocument = Record<string, unknown>;

interface BundlerDocument {
  json(): BundledDocument;
}
type Bundle = (files: string[], options: { xOrigin: boolean }) => Promise<BundlerDocument>;

/**
 * Bundles the document at `specPath` (absolute). The bundler changes the working directory while it
 * reads, so it must run on the main thread and not beside other work that uses relative paths.
 */
export async function bundleSpec(specPath: string): Promise<BundledDocument> {
  const bundle = require('@asyncapi/bundler') as Bundle;
  let bundled: BundledDocument;
  try {
    bundled = (await bundle([specPath], { xOrigin: false })).json();
  } catch (error) {
    throw new SpecError([
      `${specPath}: cannot bundle: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const external = [...new Set(refsIn(bundled).filter((ref) => !ref.startsWith('#')))];
  if (external.length > 0) {
    throw new SpecError(external.map((ref) => `${specPath}: the bundled document still refers to ${ref}`));
  }
  return bundled;
}

/** Every `$ref` under `node`, in document order. */
export function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}
