/**
 * Engine.IO protocol 4 and Socket.IO protocol 5 packets as text, for the checks that look at the wire:
 * `0{…}` open, `2`/`3` ping/pong, `4…` a Socket.IO packet (`40/chat,{…}` CONNECT, `42/chat,7["event",…]`
 * EVENT with ack id 7, `43/chat,7[…]` ACK, `44/chat,{…}` CONNECT_ERROR). Pure functions, no sockets.
 */

export const EngineType = { OPEN: '0', CLOSE: '1', PING: '2', PONG: '3', MESSAGE: '4', NOOP: '6' } as const;
export const SocketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

/** Separates packets in one polling response body (Engine.IO 4). */
export const POLLING_SEPARATOR = '\x1e';

export interface SocketPacket {
  type: number;
  namespace: string;
  id: number | undefined;
  data: unknown;
}

export type EnginePacket =
  | { kind: 'open'; data: unknown }
  | { kind: 'close' | 'ping' | 'pong' | 'noop' | 'upgrade'; data: string }
  | { kind: 'socket'; packet: SocketPacket }
  /** A text the runner could not decode: the server broke the framing. */
  | { kind: 'invalid'; text: string; reason: string };

const ENGINE_KINDS: Record<string, 'close' | 'ping' | 'pong' | 'noop' | 'upgrade'> = {
  '1': 'close',
  '2': 'ping',
  '3': 'pong',
  '5': 'upgrade',
  '6': 'noop',
};

export function decodeEnginePacket(text: string): EnginePacket {
  const type = text.charAt(0);
  if (type === EngineType.OPEN) {
    const data = parseJson(text.slice(1));
    return data === undefined
      ? { kind: 'invalid', text, reason: 'open packet data is not JSON' }
      : { kind: 'open', data };
  }
  if (type === EngineType.MESSAGE) {
    const decoded = decodeSocketPacket(text.slice(1));
    return 'reason' in decoded
      ? { kind: 'invalid', text, reason: decoded.reason }
      : { kind: 'socket', packet: decoded };
  }
  const kind = ENGINE_KINDS[type];
  return kind
    ? { kind, data: text.slice(1) }
    : { kind: 'invalid', text, reason: `unknown Engine.IO packet type "${type}"` };
}

/** A Socket.IO packet from the data of an Engine.IO message packet. */
export function decodeSocketPacket(text: string): SocketPacket | { reason: string } {
  let at = 0;
  const type = Number(text.charAt(at++));
  if (!Number.isInteger(type) || type < 0 || type > 6)
    return { reason: `unknown Socket.IO packet type "${text.charAt(0)}"` };
  if (type === SocketType.BINARY_EVENT || type === SocketType.BINARY_ACK) {
    const dash = text.indexOf('-', at);
    if (dash < 0) return { reason: 'binary packet without an attachment count' };
    at = dash + 1;
  }
  let namespace = '/';
  if (text.charAt(at) === '/') {
    const comma = text.indexOf(',', at);
    namespace = comma < 0 ? text.slice(at) : text.slice(at, comma);
    at = comma < 0 ? text.length : comma + 1;
  }
  let digits = '';
  while (at < text.length && text.charAt(at) >= '0' && text.charAt(at) <= '9') digits += text.charAt(at++);
  const rest = text.slice(at);
  const data = rest === '' ? undefined : parseJson(rest);
  if (rest !== '' && data === undefined) return { reason: 'packet data is not JSON' };
  return { type, namespace, id: digits === '' ? undefined : Number(digits), data };
}

/** The Engine.IO message packet (`4…`) carrying a Socket.IO packet. */
export function encodeSocketPacket(packet: Omit<SocketPacket, 'data'> & { data?: unknown }): string {
  const namespace = packet.namespace === '/' ? '' : `${packet.namespace},`;
  const id = packet.id === undefined ? '' : String(packet.id);
  const data = packet.data === undefined ? '' : JSON.stringify(packet.data);
  return `${EngineType.MESSAGE}${packet.type}${namespace}${id}${data}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** How a packet reads in a transcript. */
export function describePacket(packet: SocketPacket): string {
  const names = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];
  const id = packet.id === undefined ? '' : ` id ${packet.id}`;
  const data = packet.data === undefined ? '' : ` ${JSON.stringify(packet.data)}`;
  return `${names[packet.type]} ${packet.namespace}${id}${data}`;
}
