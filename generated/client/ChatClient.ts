/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `chat` endpoint (/ws/chat/).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { ChatClientMessage, ChatQuery, ChatServerMessage } from '../types/index.js';

/** The `chat` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const CHAT_ENDPOINT: EndpointDescriptor = {
  name: 'chat',
  path: '/ws/chat/',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'chat_join', 'chat_leave', 'chat_message', 'chat_typing', 'chat_read'].includes(
      rule.subscribe,
    ),
  ),
};

/** Options of {@link ChatClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface ChatClientOptions extends Omit<ClientOptions, 'query'> {
  query?: ChatQuery;
}

/**
 * Client of `/ws/chat/`. Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `chat_message`, `message_updated`, `ai_message`, `user_typing`, `message_read`, `user_joined`, `user_left`. A token is always required here.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class ChatClient extends TidewireClient<ChatServerMessage, ChatClientMessage> {
  constructor(options: ChatClientOptions) {
    super(CHAT_ENDPOINT, options);
  }
}
