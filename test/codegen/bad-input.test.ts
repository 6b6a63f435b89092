import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySpec, GENERATE_DEADLINE_MS, runGenerate, snapshotTree } from './support/generate-cli.js';

const copies: { remove(): void }[] = [];
afterEach(() => copies.splice(0).forEach((copy) => copy.remove()));

/** A copy of the spec with one edit, and an output folder holding a previous generation. */
function brokenCopy(file: string, edit: (text: string) => string) {
  const copy = copySpec();
  copies.push(copy);
  const target = path.join(copy.dir, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  const out = path.join(copy.dir, 'out');
  fs.mkdirSync(path.join(out, 'types'), { recursive: true });
  fs.writeFileSync(path.join(out, 'types', 'previous.ts'), 'export {};\n');
  return { ...copy, out, target };
}

async function expectRefused(copy: ReturnType<typeof brokenCopy>, location: RegExp, message: RegExp) {
  const before = snapshotTree(copy.out);
  const result = await runGenerate(['--spec', copy.spec, '--out', copy.out]);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/the spec is invalid; nothing was written/);
  expect(result.stderr).toMatch(location);
  expect(result.stderr).toMatch(message);
  expect(snapshotTree(copy.out)).toEqual(before);
  expect(fs.readdirSync(copy.dir).sort()).toEqual(['asyncapi.yaml', 'out', 'schemas']);
}

describe('generate refuses bad input and writes nothing', { timeout: GENERATE_DEADLINE_MS }, () => {
  it('reports a YAML syntax error with its line and column', async () => {
    const copy = brokenCopy('asyncapi.yaml', (text) =>
      text.replace(/^ {4}address: \/ws\/news$/m, '    address: [oops'),
    );
    await expectRefused(copy, /asyncapi\.yaml:\d+:\d+ /, /parser: .*(indentation|flow)/i);
  });

  it('reports a document that breaks the AsyncAPI schema with its location and path', async () => {
    const copy = brokenCopy('asyncapi.yaml', (text) =>
      text.replace(/^ {4}address: \/ws\/news$/m, '    address: 42'),
    );
    await expectRefused(
      copy,
      /asyncapi\.yaml:\d+:\d+ /,
      /"address" property type must be string.* at \/channels\/news\/address/,
    );
  });

  it('reports a schema file that is not JSON with the file and position', async () => {
    const copy = brokenCopy('schemas/server/ack.json', (text) => text.slice(0, 40));
    await expectRefused(copy, /schemas\/server\/ack\.json:\d+:\d+ /, /parser: /);
  });

  it('reports a schema with an invalid keyword value with the file and position', async () => {
    const copy = brokenCopy('schemas/server/ack.json', (text) =>
      text.replace('"type": "object"', '"type": "objekt"'),
    );
    const line =
      fs
        .readFileSync(copy.target, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('objekt')) + 1;
    const location = new RegExp(`schemas/server/ack\\.json:${line}:\\d+ `);
    await expectRefused(copy, location, /must be equal to one of the allowed values/);
  });
});
