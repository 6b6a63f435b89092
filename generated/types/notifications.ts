/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `notifications` endpoint (/ws/notifications/).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  NotificationNew,
  NotificationRead,
  NotificationUpdated,
  NotificationsSubscribe,
  NotificationsUnsubscribe,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
} from './messages.js';

/** Every message the server sends on `/ws/notifications/`, discriminated by `type`. */
export type NotificationsServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | NotificationNew
  | NotificationUpdated;

/** Every message a client sends on `/ws/notifications/`. */
export type NotificationsClientMessage =
  ClientPing | ClientPong | NotificationsSubscribe | NotificationsUnsubscribe | NotificationRead;

/** Server messages of `/ws/notifications/` by their `type`. */
export interface NotificationsServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  notification_new: NotificationNew;
  notification_updated: NotificationUpdated;
}

/** Client messages of `/ws/notifications/` by their `type`. */
export interface NotificationsClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  notifications_subscribe: NotificationsSubscribe;
  notifications_unsubscribe: NotificationsUnsubscribe;
  notification_read: NotificationRead;
}

/** Scope query parameters of `/ws/notifications/` (token, resume and lastSeq are managed by the client). */
export type NotificationsQuery = {};
