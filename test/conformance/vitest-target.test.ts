import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defineConformanceSuite } from '../../src/conformance/vitest.js';

const NO_TARGET = /^defineConformanceSuite needs a target: url is not set/;

describe('defineConformanceSuite without a target', () => {
  it.each([[{}], [{ url: undefined }], [{ url: '' }]])(
    'refuses %j instead of checking the bundled server',
    (options) => {
      expect(() => defineConformanceSuite(options)).toThrow(NO_TARGET);
    },
  );

  it('refuses a url together with referenceServer', () => {
    expect(() => defineConformanceSuite({ url: 'ws://127.0.0.1:1', referenceServer: true })).toThrow(
      'defineConformanceSuite takes url or referenceServer: true, not both',
    );
  });
});

describe("the README's vitest snippet", () => {
  const saved = process.env.TARGET_URL;
  let dir: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.TARGET_URL;
    else process.env.TARGET_URL = saved;
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails when TARGET_URL is unset rather than passing against the bundled server', async () => {
    const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
    const snippet = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1])
      .find((code) => code.includes('defineConformanceSuite('));
    expect(snippet).toContain("from 'tidewire/conformance/vitest'");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-readme-'));
    const file = path.join(dir, 'conformance.test.ts');
    const source = pathToFileURL(path.resolve('src/conformance/vitest.ts')).href;
    fs.writeFileSync(file, snippet!.replace("'tidewire/conformance/vitest'", `'${source}'`));
    delete process.env.TARGET_URL;
    await expect(import(pathToFileURL(file).href)).rejects.toThrow(NO_TARGET);
  });
});
