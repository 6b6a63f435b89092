/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed event maps of the Socket.IO binding, per namespace, for socket.io and socket.io-client.
 */

import type {
  Ack,
  AiMessage,
  ChatJoinEvent,
  ChatLeaveEvent,
  ChatMessageEvent,
  ChatReadEvent,
  ChatTypingEvent,
  ConnectionEstablished,
  ErrorInfo,
  MessageRead,
  MessageUpdated,
  NotificationNew,
  NotificationReadEvent,
  NotificationUpdated,
  NotificationsSubscribeEvent,
  NotificationsUnsubscribeEvent,
  ProjectCommentEvent,
  ProjectJoinEvent,
  ProjectJoined,
  ProjectLeaveEvent,
  ProjectLeft,
  ProjectProgressEvent,
  ProjectStatusUpdateEvent,
  ProjectUpdate,
  ServerChatMessage,
  ServerError,
  UserJoined,
  UserLeft,
  UserTyping,
} from '../types/messages.js';

/** The one argument of an acknowledgement: `ack` when the event succeeded, `error` when it was refused. */
export type SocketIoReply = Ack | ServerError;

/** An acknowledgement callback, called once. */
export type SocketIoAck = (reply: SocketIoReply) => void;

/** Events the server emits on `/`; a data event's second argument is its offset. */
export interface RootServerToClientEvents {
  'connection:established': (payload: ConnectionEstablished) => void;
  error: (payload: ErrorInfo) => void;
  'message:new': (payload: ServerChatMessage, offset?: string) => void;
  'chat:message': (payload: ServerChatMessage, offset?: string) => void;
  'message:updated': (payload: MessageUpdated, offset?: string) => void;
  'ai:message': (payload: AiMessage, offset?: string) => void;
  'user:typing': (payload: UserTyping, offset?: string) => void;
  'message:read': (payload: MessageRead, offset?: string) => void;
  'user:joined': (payload: UserJoined, offset?: string) => void;
  'user:left': (payload: UserLeft, offset?: string) => void;
  'project:joined': (payload: ProjectJoined, offset?: string) => void;
  'project:left': (payload: ProjectLeft, offset?: string) => void;
  'project:update': (payload: ProjectUpdate, offset?: string) => void;
  'notification:new': (payload: NotificationNew, offset?: string) => void;
  'notification:updated': (payload: NotificationUpdated, offset?: string) => void;
}

/** Events a client emits on `/`, each with an optional acknowledgement callback. */
export interface RootClientToServerEvents {
  'chat:join': (payload: ChatJoinEvent, ack?: SocketIoAck) => void;
  'conversation:join': (payload: ChatJoinEvent, ack?: SocketIoAck) => void;
  'chat:leave': (payload: ChatLeaveEvent, ack?: SocketIoAck) => void;
  'chat:message': (payload: ChatMessageEvent, ack?: SocketIoAck) => void;
  'message:send': (payload: ChatMessageEvent, ack?: SocketIoAck) => void;
  'chat:typing': (payload: ChatTypingEvent, ack?: SocketIoAck) => void;
  'chat:read': (payload: ChatReadEvent, ack?: SocketIoAck) => void;
  'project:join': (payload: ProjectJoinEvent, ack?: SocketIoAck) => void;
  'project:leave': (payload: ProjectLeaveEvent, ack?: SocketIoAck) => void;
  'project:statusUpdate': (payload: ProjectStatusUpdateEvent, ack?: SocketIoAck) => void;
  'project:progress': (payload: ProjectProgressEvent, ack?: SocketIoAck) => void;
  'project:comment': (payload: ProjectCommentEvent, ack?: SocketIoAck) => void;
  'notifications:subscribe': (payload: NotificationsSubscribeEvent, ack?: SocketIoAck) => void;
  'notifications:unsubscribe': (payload: NotificationsUnsubscribeEvent, ack?: SocketIoAck) => void;
  'notification:read': (payload: NotificationReadEvent, ack?: SocketIoAck) => void;
}

/** Events the server emits on `/chat`; a data event's second argument is its offset. */
export interface ChatServerToClientEvents {
  'connection:established': (payload: ConnectionEstablished) => void;
  error: (payload: ErrorInfo) => void;
  'message:new': (payload: ServerChatMessage, offset?: string) => void;
  'chat:message': (payload: ServerChatMessage, offset?: string) => void;
  'message:updated': (payload: MessageUpdated, offset?: string) => void;
  'ai:message': (payload: AiMessage, offset?: string) => void;
  'user:typing': (payload: UserTyping, offset?: string) => void;
  'message:read': (payload: MessageRead, offset?: string) => void;
  'user:joined': (payload: UserJoined, offset?: string) => void;
  'user:left': (payload: UserLeft, offset?: string) => void;
}

/** Events a client emits on `/chat`, each with an optional acknowledgement callback. */
export interface ChatClientToServerEvents {
  'chat:join': (payload: ChatJoinEvent, ack?: SocketIoAck) => void;
  'conversation:join': (payload: ChatJoinEvent, ack?: SocketIoAck) => void;
  'chat:leave': (payload: ChatLeaveEvent, ack?: SocketIoAck) => void;
  'chat:message': (payload: ChatMessageEvent, ack?: SocketIoAck) => void;
  'message:send': (payload: ChatMessageEvent, ack?: SocketIoAck) => void;
  'chat:typing': (payload: ChatTypingEvent, ack?: SocketIoAck) => void;
  'chat:read': (payload: ChatReadEvent, ack?: SocketIoAck) => void;
}

/** Events the server emits on `/projects`; a data event's second argument is its offset. */
export interface ProjectsServerToClientEvents {
  'connection:established': (payload: ConnectionEstablished) => void;
  error: (payload: ErrorInfo) => void;
  'project:joined': (payload: ProjectJoined, offset?: string) => void;
  'project:left': (payload: ProjectLeft, offset?: string) => void;
  'project:update': (payload: ProjectUpdate, offset?: string) => void;
  'user:joined': (payload: UserJoined, offset?: string) => void;
  'user:left': (payload: UserLeft, offset?: string) => void;
}

/** Events a client emits on `/projects`, each with an optional acknowledgement callback. */
export interface ProjectsClientToServerEvents {
  'project:join': (payload: ProjectJoinEvent, ack?: SocketIoAck) => void;
  'project:leave': (payload: ProjectLeaveEvent, ack?: SocketIoAck) => void;
  'project:statusUpdate': (payload: ProjectStatusUpdateEvent, ack?: SocketIoAck) => void;
  'project:progress': (payload: ProjectProgressEvent, ack?: SocketIoAck) => void;
  'project:comment': (payload: ProjectCommentEvent, ack?: SocketIoAck) => void;
}

/** Events the server emits on `/notifications`; a data event's second argument is its offset. */
export interface NotificationsServerToClientEvents {
  'connection:established': (payload: ConnectionEstablished) => void;
  error: (payload: ErrorInfo) => void;
  'notification:new': (payload: NotificationNew, offset?: string) => void;
  'notification:updated': (payload: NotificationUpdated, offset?: string) => void;
}

/** Events a client emits on `/notifications`, each with an optional acknowledgement callback. */
export interface NotificationsClientToServerEvents {
  'notifications:subscribe': (payload: NotificationsSubscribeEvent, ack?: SocketIoAck) => void;
  'notifications:unsubscribe': (payload: NotificationsUnsubscribeEvent, ack?: SocketIoAck) => void;
  'notification:read': (payload: NotificationReadEvent, ack?: SocketIoAck) => void;
}

/** The default namespace `/` carries every event: its maps, for a socket or server of one namespace. */
export type ServerToClientEvents = RootServerToClientEvents;
export type ClientToServerEvents = RootClientToServerEvents;

/** Every namespace and its two maps. */
export interface SocketIoNamespaces {
  '/': { serverToClient: RootServerToClientEvents; clientToServer: RootClientToServerEvents };
  '/chat': { serverToClient: ChatServerToClientEvents; clientToServer: ChatClientToServerEvents };
  '/projects': { serverToClient: ProjectsServerToClientEvents; clientToServer: ProjectsClientToServerEvents };
  '/notifications': {
    serverToClient: NotificationsServerToClientEvents;
    clientToServer: NotificationsClientToServerEvents;
  };
}
