/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Every endpoint client, and the runtime they are built on.
 *
 * @module tidewire/client
 */

export * from '../../src/client/index.js';
export * from './CampaignsClient.js';
export * from './ChatClient.js';
export * from './ConversationsClient.js';
export * from './CustomersClient.js';
export * from './NotificationsClient.js';
export * from './ProjectsClient.js';
export * from './MonitoringClient.js';
export * from './MarketDataClient.js';
export * from './NewsClient.js';
export * from './SentimentClient.js';
export * from './HuggingfaceClient.js';
