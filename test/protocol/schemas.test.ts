import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { INVALID_EXAMPLES } from './invalid-examples.js';
import { SCHEMAS_DIR, endpointFor, fileValidator, schemaFiles, type SchemaFile } from './schema-files.js';

const files = schemaFiles();
const registry = SchemaRegistry.load();
const validateFile = fileValidator();

/** Issues for a value: messages go through the registry (endpoint lookup included), shared parts through ajv. */
function issuesOf(file: SchemaFile, value: unknown) {
  if (file.dir === 'common') return validateFile(file, value);
  const result = registry.validate(endpointFor(file.dir, file.name), file.dir, value);
  return result.ok ? [] : result.issues;
}

describe('schema files', () => {
  it('compile into the registry, and every message schema is used by an endpoint', () => {
    for (const file of files) {
      if (file.dir === 'common') continue;
      expect(registry.schemaFor(file.dir, file.name), file.relativePath).toEqual(file.schema);
      expect(registry.has(endpointFor(file.dir, file.name), file.dir, file.name)).toBe(true);
    }
  });

  it.each(files.map((f) => [f.relativePath, f] as const))('%s has the required metadata', (_, file) => {
    expect(file.schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    // The $id names the file itself, so relative $refs resolve against the file wherever it is read from.
    const own = pathToFileURL(path.join(SCHEMAS_DIR, file.dir, `${file.name}.json`)).href;
    expect(new URL(file.schema.$id, own).href).toBe(own);
    expect(file.schema.title).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(typeof file.schema.description).toBe('string');
    expect(Array.isArray(file.schema.examples) && file.schema.examples.length).toBeTruthy();
  });

  it('have unique titles', () => {
    const titles = files.map((f) => f.schema.title);
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });

  it('allow extra properties on server messages and none on client messages', () => {
    for (const file of files.filter((f) => f.dir !== 'common')) {
      expect(file.schema.additionalProperties, file.relativePath).toBe(file.dir === 'server');
    }
  });

  it.each(files.map((f) => [f.relativePath, f] as const))('%s accepts its own examples', (_, file) => {
    for (const example of file.schema.examples) expect(issuesOf(file, example)).toEqual([]);
  });

  it.each(files.map((f) => [f.relativePath, f] as const))(
    '%s rejects an invalid message at the failing path',
    (_, file) => {
      const invalid = INVALID_EXAMPLES[`${file.dir}/${file.name}`];
      expect(invalid, `no invalid example for ${file.relativePath}`).toBeDefined();
      const paths = [...new Set(issuesOf(file, invalid.value).map((issue) => issue.path))];
      expect(paths).toEqual([invalid.path]);
    },
  );

  it('has no invalid example for a schema that does not exist', () => {
    const keys = new Set(files.map((f) => `${f.dir}/${f.name}`));
    expect(Object.keys(INVALID_EXAMPLES).filter((key) => !keys.has(key))).toEqual([]);
  });
});
