/**
 * A message validator built from the schemas, for the runtime's validating mode (development builds).
 * It lives in its own module so that code which does not import it never bundles ajv.
 */
import { banner } from './banner.js';
import type { SpecModel } from './spec.js';
import type { SchemaFile } from './types.js';

export function emitValidation(
  spec: SpecModel,
  schemas: readonly SchemaFile[],
  sourceName: string,
  moduleName: string,
): Map<string, string> {
  const table: Record<string, { server: Record<string, string>; client: Record<string, string> }> = {};
  for (const endpoint of spec.endpoints) {
    const entry = { server: {} as Record<string, string>, client: {} as Record<string, string> };
    for (const direction of ['server', 'client'] as const) {
      for (const message of endpoint[direction]) {
        if (message.type !== undefined && message.schemaId !== undefined)
          entry[direction][message.type] = message.schemaId;
      }
    }
    table[endpoint.name] = entry;
  }
  const schemasSource = [
    banner(sourceName, 'The message schemas, embedded for validators that cannot read files (browsers).'),
    '/** Every schema under schemas/; ajv registers them by `$id`. */',
    `export const SCHEMAS: readonly object[] = ${JSON.stringify(schemas.map((s) => s.schema))};`,
    '',
    '/** The schema `$id` of each message type, per endpoint and direction. */',
    'export const MESSAGE_SCHEMAS: Readonly<Record<string, { server: Readonly<Record<string, string>>; client: Readonly<Record<string, string>> }>> =',
    `  ${JSON.stringify(table)};`,
    '',
  ].join('\n');
  const indexSource = `${banner(sourceName, "createValidator(): the validator for the client runtime's validating mode.", moduleName)}
import { Ajv, type ValidateFunction } from 'ajv';
import { clientMessageType, type MessageValidator } from '../../src/client/index.js';
import { addFormats } from '../../src/protocol/formats.js';
import { MESSAGE_SCHEMAS, SCHEMAS } from './schemas.js';

/**
 * A validator of every message of every endpoint, compiled lazily per message type. Pass it as the
 * client's \`validator\` option in development builds: \`send\` then refuses invalid messages.
 */
export function createValidator(): MessageValidator {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
  addFormats(ajv);
  for (const schema of SCHEMAS) ajv.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(endpoint, direction, message) {
      const table = MESSAGE_SCHEMAS[endpoint];
      if (!table) return { ok: false, issues: [{ path: '/', message: \`unknown endpoint "\${endpoint}"\` }] };
      const type =
        direction === 'client'
          ? clientMessageType(message)
          : typeof (message as { type?: unknown } | null)?.type === 'string'
            ? (message as { type: string }).type
            : undefined;
      const id = type === undefined ? undefined : table[direction][type];
      if (id === undefined) {
        const text = type === undefined ? 'must have a string "type"' : \`unknown type "\${type}" for endpoint \${endpoint}\`;
        return { ok: false, issues: [{ path: '/type', message: text }] };
      }
      let validate = compiled.get(id);
      if (!validate) {
        validate = ajv.getSchema(id);
        if (!validate) throw new Error(\`schema \${id} is not registered\`);
        compiled.set(id, validate);
      }
      if (validate(message)) return { ok: true };
      return {
        ok: false,
        issues: (validate.errors ?? []).map((error) => ({
          path: error.instancePath || '/',
          message: error.message ?? 'is invalid',
        })),
      };
    },
  };
}
`;
  return new Map([
    ['validation/schemas.ts', schemasSource],
    ['validation/index.ts', indexSource],
  ]);
}
