/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `sentiment` endpoint (/ws/sentiment).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  ResumeFailed,
  Resumed,
  SentimentUpdate,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/sentiment`, discriminated by `type`. */
export type SentimentServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | SentimentUpdate;

/** Every message a client sends on `/ws/sentiment`. */
export type SentimentClientMessage = ClientPing | ClientPong;

/** Server messages of `/ws/sentiment` by their `type`. */
export interface SentimentServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  sentiment_update: SentimentUpdate;
}

/** Client messages of `/ws/sentiment` by their `type`. */
export interface SentimentClientMessages {
  ping: ClientPing;
  pong: ClientPong;
}

/** Scope query parameters of `/ws/sentiment` (token, resume and lastSeq are managed by the client). */
export type SentimentQuery = {};
