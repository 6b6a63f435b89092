/**
 * The JSON Schemas of every message, compiled once and looked up by endpoint, direction and type.
 * The server validates client messages with it (ERR-003), the conformance runner validates every
 * server message with it (ENV-002), and tests read the raw schemas through `schemaFor`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import {
  ENDPOINTS,
  LEGACY_ACTIONS,
  clientTypes,
  endpoint,
  serverTypes,
  type EndpointName,
} from './endpoints.js';
import { findAbove, SEARCH_START } from './find-above.js';
import { addFormats } from './formats.js';

export interface SchemaIssue {
  path: string;
  message: string;
}
export type ValidationResult = { ok: true } | { ok: false; issues: SchemaIssue[] };
export type Direction = 'server' | 'client';

const SCHEMA_DIRS = ['common', 'server', 'client'] as const;
const OK: ValidationResult = Object.freeze({ ok: true });

/** The message type: `type`, or on market endpoints a client's legacy `action` (ENV-006). */
export function messageType(
  endpointName: EndpointName,
  direction: Direction,
  message: unknown,
): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const record = message as Record<string, unknown>;
  if (typeof record.type === 'string') return record.type;
  if (
    direction === 'client' &&
    typeof record.action === 'string' &&
    endpoint(endpointName).family === 'market'
  ) {
    return Object.hasOwn(LEGACY_ACTIONS, record.action) ? LEGACY_ACTIONS[record.action] : record.action;
  }
  return undefined;
}

/** The repository's `schemas/` folder (works from src/ and from dist/). */
export function defaultSchemasDir(): string {
  const serverDir = findAbove(path.join('schemas', 'server'));
  if (!serverDir) throw new Error(`cannot find the schemas/ folder above ${SEARCH_START}`);
  return path.dirname(serverDir);
}

export function readSchemas(
  schemasDir: string,
  sub: string,
): Array<{ name: string; schema: Record<string, unknown> }> {
  const dir = path.join(schemasDir, sub);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const full = path.join(dir, file);
      try {
        return { name: file.slice(0, -'.json'.length), schema: JSON.parse(fs.readFileSync(full, 'utf8')) };
      } catch (error) {
        throw new Error(`${full}: ${(error as Error).message}`);
      }
    });
}

export function issuesOf(validate: ValidateFunction): SchemaIssue[] {
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath === '' ? '/' : error.instancePath,
    message: error.message ?? error.keyword,
  }));
}

export class SchemaRegistry {
  private static sharedInstance: SchemaRegistry | undefined;

  /** endpoint → type → compiled validator, one map per direction. */
  private readonly validators: Record<Direction, Map<EndpointName, Map<string, ValidateFunction>>> = {
    server: new Map(),
    client: new Map(),
  };
  private readonly raw: Record<Direction, Map<string, object>> = { server: new Map(), client: new Map() };

  private constructor(schemasDir: string) {
    if (!fs.existsSync(path.join(schemasDir, 'server'))) {
      throw new Error(`no schemas in ${schemasDir} (expected server/, client/ and common/ folders)`);
    }
    // Server messages are checked by the runner, which reports every finding. Client messages are
    // checked by servers, which stop at the first: the cost of refusing a message must not grow with
    // the number of things wrong with it (32 000 bad symbols would otherwise cost 32 000 findings).
    const ajvFor: Record<Direction, Ajv> = {
      server: new Ajv({ allErrors: true, allowUnionTypes: true, strict: false }),
      client: new Ajv({ allErrors: false, allowUnionTypes: true, strict: false }),
    };
    for (const ajv of Object.values(ajvFor)) addFormats(ajv);
    for (const sub of SCHEMA_DIRS) {
      for (const { name, schema } of readSchemas(schemasDir, sub)) {
        for (const ajv of Object.values(ajvFor)) ajv.addSchema(schema);
        if (sub !== 'common') this.raw[sub].set(name, schema);
      }
    }
    const compiled: Record<Direction, Map<string, ValidateFunction>> = {
      server: new Map(),
      client: new Map(),
    };
    for (const direction of ['server', 'client'] as const) {
      for (const [type, schema] of this.raw[direction]) {
        const id = (schema as { $id?: string }).$id;
        const ajv = ajvFor[direction];
        const validate = id ? ajv.getSchema(id) : ajv.compile(schema);
        if (!validate) throw new Error(`schema ${direction}/${type}.json did not compile`);
        compiled[direction].set(type, validate);
      }
    }
    for (const spec of ENDPOINTS) {
      for (const direction of ['server', 'client'] as const) {
        const byType = new Map<string, ValidateFunction>();
        for (const type of direction === 'server' ? serverTypes(spec) : clientTypes(spec)) {
          const validate = compiled[direction].get(type);
          if (!validate) throw new Error(`no schema ${direction}/${type}.json for endpoint ${spec.name}`);
          byType.set(type, validate);
        }
        this.validators[direction].set(spec.name, byType);
      }
    }
  }

  /** Loads and compiles every schema under schemas/ once (sync). Default dir = <repo>/schemas. */
  static load(schemasDir?: string): SchemaRegistry {
    return new SchemaRegistry(schemasDir ?? defaultSchemasDir());
  }

  /** Shared instance (lazy). */
  static shared(): SchemaRegistry {
    SchemaRegistry.sharedInstance ??= SchemaRegistry.load();
    return SchemaRegistry.sharedInstance;
  }

  /** Does this endpoint define this message type in this direction? */
  has(endpointName: EndpointName, direction: Direction, type: string): boolean {
    return this.validators[direction].get(endpointName)?.has(type) ?? false;
  }

  /** Validates a parsed message against the schema of its endpoint, direction and type. */
  validate(endpointName: EndpointName, direction: Direction, message: unknown): ValidationResult {
    const type = messageType(endpointName, direction, message);
    if (type === undefined) {
      // Not an object, or no string `type` (nor a legacy `action` on market): blamed on `/type` like an unknown type.
      return {
        ok: false,
        issues: [{ path: '/type', message: 'must be a JSON object with a string "type"' }],
      };
    }
    const validate = this.validators[direction].get(endpointName)?.get(type);
    if (!validate) {
      return {
        ok: false,
        issues: [{ path: '/type', message: `unknown type "${type}" for endpoint ${endpointName}` }],
      };
    }
    return validate(message) ? OK : { ok: false, issues: issuesOf(validate) };
  }

  /** The raw JSON schema of one message, as read from its file. */
  schemaFor(direction: Direction, type: string): object | undefined {
    return this.raw[direction].get(type);
  }
}
