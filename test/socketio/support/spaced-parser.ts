/**
 * A Socket.IO packet parser (socket.io's `parser` option) that writes its JSON the way python-socketio's
 * `json.dumps` does, with a space after every `,` and `:` (`42/projects,["project:update", {"kind":
 * "progress"}, "3"]`): text the binding permits, which a runner must not read as socket.io-parser's exact
 * bytes. Text packets only (the binding has no binary events); it reads what socket.io-client sends.
 */
import { EventEmitter } from 'node:events';

interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

const PACKET = /^([0-6])(?:(\/[^,]*),)?(\d+)?(.*)$/s;

/** JSON with python's default separators: `, ` between items and `: ` after keys. */
function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class Encoder {
  encode(packet: Packet): string[] {
    const namespace = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    const data = packet.data === undefined ? '' : spacedJson(packet.data);
    return [`${packet.type}${namespace}${packet.id ?? ''}${data}`];
  }
}

export class Decoder extends EventEmitter {
  add(text: unknown): void {
    const match = typeof text === 'string' ? PACKET.exec(text) : null;
    if (!match) throw new Error('invalid packet');
    const [, type, nsp, id, json] = match;
    this.emit('decoded', {
      type: Number(type),
      nsp: nsp ?? '/',
      ...(id !== undefined ? { id: Number(id) } : {}),
      ...(json !== '' ? { data: JSON.parse(json) as unknown } : {}),
    });
  }

  destroy(): void {
    this.removeAllListeners();
  }
}

export const spacedParser = { Encoder, Decoder };
