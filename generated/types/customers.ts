/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `customers` endpoint (/ws/customers/).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  CustomerUpdated,
  CustomersList,
  RefreshCustomers,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/customers/`, discriminated by `type`. */
export type CustomersServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | CustomersList
  | CustomerUpdated;

/** Every message a client sends on `/ws/customers/`. */
export type CustomersClientMessage = ClientPing | ClientPong | RefreshCustomers;

/** Server messages of `/ws/customers/` by their `type`. */
export interface CustomersServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  customers_list: CustomersList;
  customer_updated: CustomerUpdated;
}

/** Client messages of `/ws/customers/` by their `type`. */
export interface CustomersClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  refresh_customers: RefreshCustomers;
}

/** Scope query parameters of `/ws/customers/` (token, resume and lastSeq are managed by the client). */
export type CustomersQuery = {};
