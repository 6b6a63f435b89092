import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EndpointName } from '../../src/protocol/endpoints.js';
import { SchemaRegistry, type Direction } from '../../src/protocol/schema-registry.js';
import { REPO_DIR } from './schema-files.js';

/** Every JSON message example of the four source documents, copied by hand (docs/protocol.md, section 15). */
interface SeedExample {
  endpoint: EndpointName;
  direction: Direction;
  message: unknown;
  note: string;
}

const FIXTURES_DIR = path.join(REPO_DIR, 'test/fixtures/seeds');
const fixtures = fs
  .readdirSync(FIXTURES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    examples: JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8')) as SeedExample[],
  }));
const registry = SchemaRegistry.shared();

describe('seed messages', () => {
  it('cover the four source documents', () => {
    expect(fixtures.map((f) => f.file.slice(0, 3))).toEqual(['001', '002', '003', '004']);
  });

  for (const { file, examples } of fixtures) {
    it.each(examples.map((e, i) => [`${file}#${i} ${e.endpoint} ${e.direction}: ${e.note}`, e] as const))(
      '%s validates',
      (_, example) => {
        expect(registry.validate(example.endpoint, example.direction, example.message)).toEqual({ ok: true });
      },
    );
  }
});
