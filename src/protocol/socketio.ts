/**
 * The Socket.IO binding's catalogue (docs/protocol.md, section 14a): its namespaces, the client events
 * each accepts and the WebSocket message each one becomes, and the event names under which each server
 * message of the WebSocket binding is emitted. Server, runner and code generation read it from here;
 * test/socketio/catalogue.test.ts keeps it and asyncapi.yaml in step.
 */
import { endpoint as endpointSpec, type EndpointName } from './endpoints.js';

/** The HTTP path of Engine.IO requests (both transports), beside the WebSocket endpoints. */
export const SOCKETIO_PATH = '/socket.io/';

export type NamespaceName = '/' | '/chat' | '/projects' | '/notifications';

export interface NamespaceSpec {
  name: NamespaceName;
  /** Channel id in asyncapi.yaml and prefix of generated names. */
  id: 'socketio_root' | 'socketio_chat' | 'socketio_projects' | 'socketio_notifications';
  /** WebSocket endpoints whose messages the namespace carries, in order. */
  endpoints: readonly EndpointName[];
}

/**
 * `/` carries the events of the other three: source 002's server handles them on its default namespace,
 * and its event snippets emit them on the socket of its `io(url, {auth})` setup.
 */
export const NAMESPACES: readonly NamespaceSpec[] = [
  { name: '/', id: 'socketio_root', endpoints: ['chat', 'projects', 'notifications'] },
  { name: '/chat', id: 'socketio_chat', endpoints: ['chat'] },
  { name: '/projects', id: 'socketio_projects', endpoints: ['projects'] },
  { name: '/notifications', id: 'socketio_notifications', endpoints: ['notifications'] },
];

export interface ClientEventSpec {
  /** The Socket.IO event name (source 002's). */
  event: string;
  /** The WebSocket endpoint and message type the event becomes. */
  endpoint: EndpointName;
  type: string;
  /** The payload's field that carries the WebSocket message's `contentType` (`chat:message` keeps `type`). */
  contentTypeField?: 'type';
}

/** Client events; the payload schema of each is `schemas/socketio-client/<type>.json`. */
export const CLIENT_EVENTS: readonly ClientEventSpec[] = [
  { event: 'chat:join', endpoint: 'chat', type: 'chat_join' },
  { event: 'conversation:join', endpoint: 'chat', type: 'chat_join' },
  { event: 'chat:leave', endpoint: 'chat', type: 'chat_leave' },
  { event: 'chat:message', endpoint: 'chat', type: 'chat_message', contentTypeField: 'type' },
  { event: 'message:send', endpoint: 'chat', type: 'chat_message', contentTypeField: 'type' },
  { event: 'chat:typing', endpoint: 'chat', type: 'chat_typing' },
  { event: 'chat:read', endpoint: 'chat', type: 'chat_read' },
  { event: 'project:join', endpoint: 'projects', type: 'project_join' },
  { event: 'project:leave', endpoint: 'projects', type: 'project_leave' },
  { event: 'project:statusUpdate', endpoint: 'projects', type: 'project_status_update' },
  { event: 'project:progress', endpoint: 'projects', type: 'project_progress' },
  { event: 'project:comment', endpoint: 'projects', type: 'project_comment' },
  { event: 'notifications:subscribe', endpoint: 'notifications', type: 'notifications_subscribe' },
  { event: 'notifications:unsubscribe', endpoint: 'notifications', type: 'notifications_unsubscribe' },
  { event: 'notification:read', endpoint: 'notifications', type: 'notification_read' },
];

/** Emitted right after CONNECT; its payload is the WebSocket binding's `connection_established` (SIO-003). */
export const ESTABLISHED_EVENT = 'connection:established';
/** Source 002's error event: `{code, message, details}` (SIO-014, SIO-015, SIO-016). */
export const ERROR_EVENT = 'error';

/**
 * Server data messages of the WebSocket binding and the events they are emitted as. A new chat message
 * goes out under both of source 002's names: its event snippet listens to `chat:message`, its ChatClient
 * to `message:new`.
 */
export const SERVER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  chat_message: ['message:new', 'chat:message'],
  message_updated: ['message:updated'],
  ai_message: ['ai:message'],
  user_typing: ['user:typing'],
  message_read: ['message:read'],
  user_joined: ['user:joined'],
  user_left: ['user:left'],
  project_joined: ['project:joined'],
  project_left: ['project:left'],
  project_update: ['project:update'],
  notification_new: ['notification:new'],
  notification_updated: ['notification:updated'],
};

export function namespaceSpec(name: string): NamespaceSpec | undefined {
  return NAMESPACES.find((namespace) => namespace.name === name);
}

/** The client events a namespace accepts, by event name. */
export function clientEventsOf(namespace: NamespaceSpec): ReadonlyMap<string, ClientEventSpec> {
  return new Map(
    CLIENT_EVENTS.filter((spec) => namespace.endpoints.includes(spec.endpoint)).map((spec) => [
      spec.event,
      spec,
    ]),
  );
}

/** Server data events of a namespace: event name → the WebSocket endpoint and message type it carries. */
export function serverDataEventsOf(
  namespace: NamespaceSpec,
): ReadonlyMap<string, { endpoint: EndpointName; type: string }> {
  const events = new Map<string, { endpoint: EndpointName; type: string }>();
  for (const name of namespace.endpoints) {
    for (const type of endpointSpec(name).serverData) {
      for (const event of SERVER_EVENTS[type] ?? []) {
        if (!events.has(event)) events.set(event, { endpoint: name, type });
      }
    }
  }
  return events;
}

/**
 * The WebSocket message a client event's payload becomes: `type` set to the message type, and for
 * `chat:message` / `message:send` the payload's `type` (text, image, file) moved to `contentType`.
 * The payload has been validated against its schema, so it is an object.
 */
export function toMessage(spec: ClientEventSpec, payload: Record<string, unknown>): Record<string, unknown> {
  if (spec.contentTypeField === undefined) return { ...payload, type: spec.type };
  const { [spec.contentTypeField]: contentType, ...rest } = payload;
  return { ...rest, ...(contentType === undefined ? {} : { contentType }), type: spec.type };
}
