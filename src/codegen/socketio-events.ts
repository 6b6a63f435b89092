/**
 * The Socket.IO binding's typed event maps: per namespace of asyncapi.yaml, the events the server emits
 * (`ServerToClientEvents`) and those a client emits, each with its acknowledgement callback
 * (`ClientToServerEvents`), in the shape `socket.io` and `socket.io-client` take as their generics:
 * `const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url)`.
 */
import type { ChannelInterface, MessageInterface } from '@asyncapi/parser';
import { banner } from './banner.js';
import { isSocketIoChannel } from './socketio-channels.js';
import { pascalCase, SpecError, type SpecModel } from './spec.js';

interface EventModel {
  event: string;
  /** The payload's TypeScript type (its schema title). */
  payload: string;
  /** Server data events carry their offset as a second argument. */
  offset: boolean;
  /** Client events: the types of their acknowledgement's argument. */
  replies: string[];
}

interface NamespaceModel {
  name: string;
  /** Prefix of the generated names: `Root` for `/`, else the namespace (`Chat`). */
  prefix: string;
  server: EventModel[];
  client: EventModel[];
}

const FILE = 'socketio/index.ts';

/** Emits `socketio/index.ts` (nothing when the document has no Socket.IO channel). */
export function emitSocketIoEvents(spec: SpecModel, sourceName: string): Map<string, string> {
  const namespaces = spec.document
    .channels()
    .all()
    .filter(isSocketIoChannel)
    .map((channel) => namespaceModel(channel));
  if (namespaces.length === 0) return new Map();
  return new Map([[FILE, source(namespaces, sourceName)]]);
}

function namespaceModel(channel: ChannelInterface): NamespaceModel {
  const name = channel.address() ?? '/';
  const server: EventModel[] = [];
  const client: EventModel[] = [];
  for (const operation of channel.operations().all()) {
    const replies = operation.reply()?.messages().all().map(titleOf) ?? [];
    for (const message of operation.messages().all()) {
      const payload = message.payload()?.json() as { properties?: Record<string, unknown> } | undefined;
      const event: EventModel = {
        event: message.name() ?? message.id(),
        payload: titleOf(message),
        offset: payload?.properties?.seq !== undefined,
        replies,
      };
      (operation.action() === 'receive' ? server : client).push(event);
    }
  }
  const prefix = name === '/' ? 'Root' : pascalCase(name);
  return { name, prefix, server, client };
}

function titleOf(message: MessageInterface): string {
  const title = (message.payload()?.json() as { title?: unknown } | undefined)?.title;
  if (typeof title !== 'string') {
    throw new SpecError([
      `Socket.IO message ${message.id()}: the payload needs a "title" (it names the type)`,
    ]);
  }
  return title;
}

function source(namespaces: NamespaceModel[], sourceName: string): string {
  const types = new Set<string>();
  for (const namespace of namespaces) {
    for (const event of [...namespace.server, ...namespace.client]) {
      types.add(event.payload);
      for (const reply of event.replies) types.add(reply);
    }
  }
  const replies = [...new Set(namespaces.flatMap((n) => n.client.flatMap((e) => e.replies)))];
  const lines = [
    banner(
      sourceName,
      'Typed event maps of the Socket.IO binding, per namespace, for socket.io and socket.io-client.',
    ),
    `import type { ${[...types].sort().join(', ')} } from '../types/messages.js';`,
    '',
    '/** The one argument of an acknowledgement: `ack` when the event succeeded, `error` when it was refused. */',
    `export type SocketIoReply = ${replies.join(' | ') || 'never'};`,
    '',
    '/** An acknowledgement callback, called once. */',
    'export type SocketIoAck = (reply: SocketIoReply) => void;',
    '',
  ];
  for (const namespace of namespaces) {
    lines.push(
      `/** Events the server emits on \`${namespace.name}\`; a data event's second argument is its offset. */`,
      `export interface ${namespace.prefix}ServerToClientEvents {`,
      ...namespace.server.map(
        (e) =>
          `  ${JSON.stringify(e.event)}: (payload: ${e.payload}${e.offset ? ', offset?: string' : ''}) => void;`,
      ),
      '}',
      '',
      `/** Events a client emits on \`${namespace.name}\`, each with an optional acknowledgement callback. */`,
      `export interface ${namespace.prefix}ClientToServerEvents {`,
      ...namespace.client.map(
        (e) =>
          `  ${JSON.stringify(e.event)}: (payload: ${e.payload}${e.replies.length > 0 ? ', ack?: SocketIoAck' : ''}) => void;`,
      ),
      '}',
      '',
    );
  }
  if (namespaces.some((n) => n.name === '/')) {
    lines.push(
      '/** The default namespace `/` carries every event: its maps, for a socket or server of one namespace. */',
      'export type ServerToClientEvents = RootServerToClientEvents;',
      'export type ClientToServerEvents = RootClientToServerEvents;',
      '',
    );
  }
  lines.push(
    '/** Every namespace and its two maps. */',
    'export interface SocketIoNamespaces {',
    ...namespaces.map(
      (n) =>
        `  ${JSON.stringify(n.name)}: { serverToClient: ${n.prefix}ServerToClientEvents; clientToServer: ${n.prefix}ClientToServerEvents };`,
    ),
    '}',
    '',
  );
  return lines.join('\n');
}
