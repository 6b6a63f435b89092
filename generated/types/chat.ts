/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `chat` endpoint (/ws/chat/).
 */

import type {
  Ack,
  AiMessage,
  AuthenticationError,
  ChatJoin,
  ChatLeave,
  ChatRead,
  ChatTyping,
  ClientChatMessage,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  MessageRead,
  MessageUpdated,
  ResumeFailed,
  Resumed,
  ServerChatMessage,
  ServerError,
  ServerPing,
  ServerPong,
  UserJoined,
  UserLeft,
  UserTyping,
} from './messages.js';

/** Every message the server sends on `/ws/chat/`, discriminated by `type`. */
export type ChatServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | ServerChatMessage
  | MessageUpdated
  | AiMessage
  | UserTyping
  | MessageRead
  | UserJoined
  | UserLeft;

/** Every message a client sends on `/ws/chat/`. */
export type ChatClientMessage =
  ClientPing | ClientPong | ChatJoin | ChatLeave | ClientChatMessage | ChatTyping | ChatRead;

/** Server messages of `/ws/chat/` by their `type`. */
export interface ChatServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  chat_message: ServerChatMessage;
  message_updated: MessageUpdated;
  ai_message: AiMessage;
  user_typing: UserTyping;
  message_read: MessageRead;
  user_joined: UserJoined;
  user_left: UserLeft;
}

/** Client messages of `/ws/chat/` by their `type`. */
export interface ChatClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  chat_join: ChatJoin;
  chat_leave: ChatLeave;
  chat_message: ClientChatMessage;
  chat_typing: ChatTyping;
  chat_read: ChatRead;
}

/** Scope query parameters of `/ws/chat/` (token, resume and lastSeq are managed by the client). */
export type ChatQuery = {
  /** Conversation to join on connect. */
  conversationId?: number | string;
};
