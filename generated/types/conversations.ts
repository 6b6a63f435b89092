/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `conversations` endpoint (/ws/conversations/).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  ConversationUpdated,
  ConversationsList,
  RefreshConversations,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/conversations/`, discriminated by `type`. */
export type ConversationsServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | ConversationsList
  | ConversationUpdated;

/** Every message a client sends on `/ws/conversations/`. */
export type ConversationsClientMessage = ClientPing | ClientPong | RefreshConversations;

/** Server messages of `/ws/conversations/` by their `type`. */
export interface ConversationsServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  conversations_list: ConversationsList;
  conversation_updated: ConversationUpdated;
}

/** Client messages of `/ws/conversations/` by their `type`. */
export interface ConversationsClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  refresh_conversations: RefreshConversations;
}

/** Scope query parameters of `/ws/conversations/` (token, resume and lastSeq are managed by the client). */
export type ConversationsQuery = {};
