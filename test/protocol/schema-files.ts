/** Builders for the protocol tests: the schema files on disk and a validator for the shared parts. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { ENDPOINTS, clientTypes, serverTypes, type EndpointName } from '../../src/protocol/endpoints.js';
import type { Direction, SchemaIssue } from '../../src/protocol/schema-registry.js';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMAS_DIR = path.join(REPO_DIR, 'schemas');

export type SchemaDir = 'common' | Direction;

export interface SchemaFile {
  dir: SchemaDir;
  name: string;
  relativePath: string;
  schema: Record<string, unknown> & { $id: string; title: string; examples: unknown[] };
}

export function schemaFiles(): SchemaFile[] {
  return (['common', 'server', 'client'] as const).flatMap((dir) =>
    fs
      .readdirSync(path.join(SCHEMAS_DIR, dir))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({
        dir,
        name: file.slice(0, -'.json'.length),
        relativePath: `schemas/${dir}/${file}`,
        schema: JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, dir, file), 'utf8')),
      })),
  );
}

/** An ajv instance holding every schema file, to validate the shared parts on their own. */
export function fileValidator(): (file: SchemaFile, value: unknown) => SchemaIssue[] {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
  ajvFormats.default(ajv);
  for (const file of schemaFiles()) ajv.addSchema(file.schema);
  return (file, value) => {
    const validate = ajv.getSchema(file.schema.$id) as ValidateFunction;
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: e.message ?? e.keyword,
    }));
  };
}

/** The first endpoint of the catalogue that carries this type in this direction. */
export function endpointFor(direction: Direction, type: string): EndpointName {
  const spec = ENDPOINTS.find((e) =>
    (direction === 'server' ? serverTypes(e) : clientTypes(e)).includes(type),
  );
  if (!spec) throw new Error(`no endpoint carries ${direction} type ${type}`);
  return spec.name;
}
