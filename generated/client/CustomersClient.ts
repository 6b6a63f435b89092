/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `customers` endpoint (/ws/customers/).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { CustomersClientMessage, CustomersQuery, CustomersServerMessage } from '../types/index.js';

/** The `customers` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const CUSTOMERS_ENDPOINT: EndpointDescriptor = {
  name: 'customers',
  path: '/ws/customers/',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'refresh_customers'].includes(rule.subscribe),
  ),
};

/** Options of {@link CustomersClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface CustomersClientOptions extends Omit<ClientOptions, 'query'> {
  query?: CustomersQuery;
}

/**
 * Client of `/ws/customers/`. Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `customers_list`, `customer_updated`. A token is always required here.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class CustomersClient extends TidewireClient<CustomersServerMessage, CustomersClientMessage> {
  constructor(options: CustomersClientOptions) {
    super(CUSTOMERS_ENDPOINT, options);
  }
}
