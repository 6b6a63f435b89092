/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `news` endpoint (/ws/news).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  Filter,
  News,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/news`, discriminated by `type`. */
export type NewsServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | News;

/** Every message a client sends on `/ws/news`. */
export type NewsClientMessage = ClientPing | ClientPong | Filter;

/** Server messages of `/ws/news` by their `type`. */
export interface NewsServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  news: News;
}

/** Client messages of `/ws/news` by their `type`. */
export interface NewsClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  filter: Filter;
}

/** Scope query parameters of `/ws/news` (token, resume and lastSeq are managed by the client). */
export type NewsQuery = {};
