/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message types and per-endpoint unions.
 *
 * @module tidewire/types
 */

export * from './messages.js';
export * from './campaigns.js';
export * from './chat.js';
export * from './conversations.js';
export * from './customers.js';
export * from './notifications.js';
export * from './projects.js';
export * from './monitoring.js';
export * from './market_data.js';
export * from './news.js';
export * from './sentiment.js';
export * from './huggingface.js';
