#!/usr/bin/env node
// Launcher of `npx tidewire-conformance`: the compiled CLI when the package is built, otherwise the
// TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/src/conformance/cli.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/conformance/cli.ts', import.meta.url).href);
}
