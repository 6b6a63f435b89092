/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `monitoring` endpoint (/api/monitoring/ws).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
  SystemStatus,
} from './messages.js';

/** Every message the server sends on `/api/monitoring/ws`, discriminated by `type`. */
export type MonitoringServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | SystemStatus;

/** Every message a client sends on `/api/monitoring/ws`. */
export type MonitoringClientMessage = ClientPing | ClientPong;

/** Server messages of `/api/monitoring/ws` by their `type`. */
export interface MonitoringServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  system_status: SystemStatus;
}

/** Client messages of `/api/monitoring/ws` by their `type`. */
export interface MonitoringClientMessages {
  ping: ClientPing;
  pong: ClientPong;
}

/** Scope query parameters of `/api/monitoring/ws` (token, resume and lastSeq are managed by the client). */
export type MonitoringQuery = {};
