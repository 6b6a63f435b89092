/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `market_data` endpoint (/ws/market_data).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  GetAll,
  PriceUpdate,
  PricesSnapshot,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
  Subscribe,
  Unsubscribe,
} from './messages.js';

/** Every message the server sends on `/ws/market_data`, discriminated by `type`. */
export type MarketDataServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | PriceUpdate
  | PricesSnapshot;

/** Every message a client sends on `/ws/market_data`. */
export type MarketDataClientMessage = ClientPing | ClientPong | Subscribe | Unsubscribe | GetAll;

/** Server messages of `/ws/market_data` by their `type`. */
export interface MarketDataServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  price_update: PriceUpdate;
  prices_snapshot: PricesSnapshot;
}

/** Client messages of `/ws/market_data` by their `type`. */
export interface MarketDataClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  subscribe: Subscribe;
  unsubscribe: Unsubscribe;
  get_all: GetAll;
}

/** Scope query parameters of `/ws/market_data` (token, resume and lastSeq are managed by the client). */
export type MarketDataQuery = {};
