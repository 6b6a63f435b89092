/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Every endpoint client, the runtime, and every message type.
 *
 * @module tidewire
 */

export * from './client/index.js';
export * from './types/index.js';
