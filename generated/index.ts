/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Every endpoint client, the runtime, every message type and the Socket.IO event maps.
 *
 * @module tidewire
 */

export * from './client/index.js';
export * from './types/index.js';
export * from './socketio/index.js';
