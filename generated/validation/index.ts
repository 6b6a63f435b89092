/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * createValidator(): the validator for the client runtime's validating mode.
 *
 * @module tidewire/validation
 */

import { Ajv, type ValidateFunction } from 'ajv';
import { clientMessageType, type MessageValidator } from '../../src/client/index.js';
import { addFormats } from '../../src/protocol/formats.js';
import { MESSAGE_SCHEMAS, SCHEMAS } from './schemas.js';

/**
 * A validator of every message of every endpoint, compiled lazily per message type. Pass it as the
 * client's `validator` option in development builds: `send` then refuses invalid messages.
 */
export function createValidator(): MessageValidator {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
  addFormats(ajv);
  for (const schema of SCHEMAS) ajv.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(endpoint, direction, message) {
      const table = MESSAGE_SCHEMAS[endpoint];
      if (!table) return { ok: false, issues: [{ path: '/', message: `unknown endpoint "${endpoint}"` }] };
      const type =
        direction === 'client'
          ? clientMessageType(message)
          : typeof (message as { type?: unknown } | null)?.type === 'string'
            ? (message as { type: string }).type
            : undefined;
      const id = type === undefined ? undefined : table[direction][type];
      if (id === undefined) {
        const text =
          type === undefined
            ? 'must have a string "type"'
            : `unknown type "${type}" for endpoint ${endpoint}`;
        return { ok: false, issues: [{ path: '/type', message: text }] };
      }
      let validate = compiled.get(id);
      if (!validate) {
        validate = ajv.getSchema(id);
        if (!validate) throw new Error(`schema ${id} is not registered`);
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
