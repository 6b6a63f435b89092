/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `huggingface` endpoint (/ws/huggingface).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  ModelsStatus,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/huggingface`, discriminated by `type`. */
export type HuggingfaceServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | ModelsStatus;

/** Every message a client sends on `/ws/huggingface`. */
export type HuggingfaceClientMessage = ClientPing | ClientPong;

/** Server messages of `/ws/huggingface` by their `type`. */
export interface HuggingfaceServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  models_status: ModelsStatus;
}

/** Client messages of `/ws/huggingface` by their `type`. */
export interface HuggingfaceClientMessages {
  ping: ClientPing;
  pong: ClientPong;
}

/** Scope query parameters of `/ws/huggingface` (token, resume and lastSeq are managed by the client). */
export type HuggingfaceQuery = {};
