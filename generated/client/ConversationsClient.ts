/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `conversations` endpoint (/ws/conversations/).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type {
  ConversationsClientMessage,
  ConversationsQuery,
  ConversationsServerMessage,
} from '../types/index.js';

/** The `conversations` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const CONVERSATIONS_ENDPOINT: EndpointDescriptor = {
  name: 'conversations',
  path: '/ws/conversations/',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'refresh_conversations'].includes(rule.subscribe),
  ),
};

/** Options of {@link ConversationsClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface ConversationsClientOptions extends Omit<ClientOptions, 'query'> {
  query?: ConversationsQuery;
}

/**
 * Client of `/ws/conversations/`. Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `conversations_list`, `conversation_updated`. A token is always required here.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class ConversationsClient extends TidewireClient<
  ConversationsServerMessage,
  ConversationsClientMessage
> {
  constructor(options: ConversationsClientOptions) {
    super(CONVERSATIONS_ENDPOINT, options);
  }
}
