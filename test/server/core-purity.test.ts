/**
 * The protocol core reads as the protocol: deliberate faults live at the seams (src/server/faults), so no
 * code under src/server/core names a requirement ID or reaches for the faults. Comments may cite IDs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(import.meta.dirname, '../../src/server/core');
const REQUIREMENT_ID = /\b[A-Z]{2,5}-\d{3}\b/g;

/** The file's code with every comment removed. */
function codeOf(file: string): string {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

const files = readdirSync(CORE)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(CORE, name));

describe('the protocol core', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((file) => [path.basename(file), file]))(
    '%s names no requirement ID in code',
    (_name, file) => {
      expect(codeOf(file).match(REQUIREMENT_ID) ?? []).toEqual([]);
    },
  );

  it.each(files.map((file) => [path.basename(file), file]))(
    '%s does not import the faults',
    (_name, file) => {
      expect(codeOf(file)).not.toMatch(/from ['"][^'"]*faults/);
    },
  );
});
