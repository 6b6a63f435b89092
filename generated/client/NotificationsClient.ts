/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `notifications` endpoint (/ws/notifications/).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type {
  NotificationsClientMessage,
  NotificationsQuery,
  NotificationsServerMessage,
} from '../types/index.js';

/** The `notifications` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const NOTIFICATIONS_ENDPOINT: EndpointDescriptor = {
  name: 'notifications',
  path: '/ws/notifications/',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'notifications_subscribe', 'notifications_unsubscribe', 'notification_read'].includes(
      rule.subscribe,
    ),
  ),
};

/** Options of {@link NotificationsClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface NotificationsClientOptions extends Omit<ClientOptions, 'query'> {
  query?: NotificationsQuery;
}

/**
 * Client of `/ws/notifications/`. Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `notification_new`, `notification_updated`. A token is always required here.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class NotificationsClient extends TidewireClient<
  NotificationsServerMessage,
  NotificationsClientMessage
> {
  constructor(options: NotificationsClientOptions) {
    super(NOTIFICATIONS_ENDPOINT, options);
  }
}
