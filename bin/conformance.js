#!/usr/bin/env node
// Launcher of `npx tidewire-conformance`: in a checkout of the repository the TypeScript source through tsx
// (so it is always the current code, whatever an earlier build left in dist/), in the installed package,
// which ships no TypeScript, the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/conformance/cli.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/conformance/cli.js', import.meta.url).href);
}
