/**
 * The schemas of the Socket.IO binding's events. Client event payloads have their own schemas
 * (`schemas/socketio-client/`): the WebSocket message's fields without `type` and `id`. Server events
 * carry the WebSocket binding's messages, so they are validated by `SchemaRegistry` with the same schemas;
 * the `error` event carries the `error` member of the WebSocket `error` message (`common/error-object.json`).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { EndpointName } from './endpoints.js';
import { addFormats } from './formats.js';
import {
  defaultSchemasDir,
  issuesOf,
  readSchemas,
  SchemaRegistry,
  type ValidationResult,
} from './schema-registry.js';
import {
  CLIENT_EVENTS,
  ERROR_EVENT,
  ESTABLISHED_EVENT,
  serverDataEventsOf,
  type NamespaceSpec,
} from './socketio.js';

/** The folder of the client event schemas, under `schemas/`. */
export const SOCKETIO_CLIENT_SCHEMA_DIR = 'socketio-client';
const ERROR_OBJECT_ID = '../common/error-object.json';
const OK: ValidationResult = Object.freeze({ ok: true });

export class SocketIoSchemas {
  private static sharedInstance: SocketIoSchemas | undefined;
  /** Client event payload validators by WebSocket message type. */
  private readonly clientPayloads = new Map<string, ValidateFunction>();
  private readonly errorObject: ValidateFunction;

  private constructor(
    schemasDir: string,
    private readonly messages: SchemaRegistry,
  ) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
    addFormats(ajv);
    for (const { schema } of readSchemas(schemasDir, 'common')) ajv.addSchema(schema);
    for (const { name, schema } of readSchemas(schemasDir, SOCKETIO_CLIENT_SCHEMA_DIR)) {
      this.clientPayloads.set(name, ajv.compile(schema));
    }
    for (const { type } of CLIENT_EVENTS) {
      if (!this.clientPayloads.has(type)) {
        throw new Error(`no schema ${SOCKETIO_CLIENT_SCHEMA_DIR}/${type}.json for a Socket.IO client event`);
      }
    }
    const errorObject = ajv.getSchema(ERROR_OBJECT_ID);
    if (!errorObject) throw new Error(`no schema ${ERROR_OBJECT_ID}`);
    this.errorObject = errorObject;
  }

  static load(schemasDir?: string, messages?: SchemaRegistry): SocketIoSchemas {
    return new SocketIoSchemas(schemasDir ?? defaultSchemasDir(), messages ?? SchemaRegistry.shared());
  }

  static shared(): SocketIoSchemas {
    SocketIoSchemas.sharedInstance ??= SocketIoSchemas.load();
    return SocketIoSchemas.sharedInstance;
  }

  /** Validates a client event's payload (an event the catalogue maps to WebSocket message `type`). */
  validateClientPayload(type: string, payload: unknown): ValidationResult {
    const validate = this.clientPayloads.get(type);
    if (!validate) return { ok: false, issues: [{ path: '/', message: `no schema for ${type}` }] };
    return validate(payload) ? OK : { ok: false, issues: issuesOf(validate) };
  }

  /**
   * Validates one server event of a namespace (SIO-011): the event must be one the namespace defines and
   * its payload must validate against the schema of the WebSocket message it carries.
   */
  validateServerEvent(namespace: NamespaceSpec, event: string, payload: unknown): ValidationResult {
    if (event === ERROR_EVENT) {
      return this.errorObject(payload) ? OK : { ok: false, issues: issuesOf(this.errorObject) };
    }
    const endpoint: EndpointName = namespace.endpoints[0];
    if (event === ESTABLISHED_EVENT) return this.typed(endpoint, 'connection_established', payload);
    const carried = serverDataEventsOf(namespace).get(event);
    if (!carried) {
      return {
        ok: false,
        issues: [{ path: '/', message: `event "${event}" is not defined on namespace ${namespace.name}` }],
      };
    }
    return this.typed(carried.endpoint, carried.type, payload);
  }

  /** Validates the argument of an acknowledgement: the WebSocket binding's `ack` or `error` message (SIO-013). */
  validateReply(reply: unknown): ValidationResult {
    const type = (reply as { type?: unknown } | null)?.type;
    if (type !== 'ack' && type !== 'error') {
      return { ok: false, issues: [{ path: '/type', message: 'must be "ack" or "error"' }] };
    }
    return this.messages.validate('chat', 'server', reply);
  }

  /** Validates a WebSocket server message of a known type, and that the payload names that type. */
  private typed(endpoint: EndpointName, type: string, payload: unknown): ValidationResult {
    const named = (payload as { type?: unknown } | null)?.type;
    if (named !== type) {
      return { ok: false, issues: [{ path: '/type', message: `must be "${type}"` }] };
    }
    return this.messages.validate(endpoint, 'server', payload);
  }
}
