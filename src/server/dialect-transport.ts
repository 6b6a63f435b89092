/**
 * Source dialects at the transport seam (docs/protocol.md, section 15.6). When a client did not offer
 * `tidewire.v1`, the upgrade wraps the connection's socket in a filter that lets through only the server
 * messages its endpoint's source system had; the protocol core (and any wire fault) runs unchanged above
 * it, so a dialect connection is handled exactly like a `tidewire.v1` one and only sees less.
 */
import {
  dialectOfEndpoint,
  dialectServerTypes,
  wantsDialect,
  type DialectName,
} from '../protocol/dialects.js';
import type { EndpointSpec } from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import type { Transport } from './core/connection.js';

/** What a dialect connection may receive. */
export interface DialectFilter {
  dialect: DialectName;
  /** JSON message types that pass. */
  types: ReadonlySet<string>;
  /** Bare text frames that pass (source 001's `ping` and `pong`). */
  textFrames: ReadonlySet<string>;
}

/** How a server chooses the dialect of a connection at its upgrade (a seam a deliberate fault may widen). */
export interface DialectPolicy {
  /**
   * The filter for a connection, or undefined when it speaks `tidewire.v1`: the client offered it (or
   * only unsupported entries, which HS-005 refuses), or the endpoint has no dialect among the profiles
   * the server offers.
   */
  filterFor(
    spec: EndpointSpec,
    offeredProtocols: readonly string[],
    profiles: readonly ProfileName[],
  ): DialectFilter | undefined;
}

/** The dialects of docs/protocol.md, section 15.6. */
export const SOURCE_DIALECTS: DialectPolicy = {
  filterFor(spec, offeredProtocols, profiles) {
    if (!wantsDialect(offeredProtocols, spec.name)) return undefined;
    const dialect = dialectOfEndpoint(spec.name, profiles);
    if (!dialect) return undefined;
    return {
      dialect: dialect.name,
      types: new Set(dialectServerTypes(dialect, spec.name)),
      textFrames: new Set(dialect.textFrames),
    };
  },
};

/** `inner` with every outgoing text frame the dialect does not have dropped. */
export function dialectTransport(inner: Transport, filter: DialectFilter): Transport {
  return {
    sendText: (text) => {
      if (passes(filter, text)) inner.sendText(text);
    },
    sendPing: (payload) => inner.sendPing(payload),
    sendPong: (payload) => inner.sendPong(payload),
    close: (code, reason) => inner.close(code, reason),
    writeRawAndEnd: (bytes) => inner.writeRawAndEnd(bytes),
    terminate: () => inner.terminate(),
  };
}

/** The start of a frame made by `JSON.stringify` of a message whose first property is `type`. */
const LEADING_TYPE = /^\{"type":"([a-z0-9_]+)"/;

function passes(filter: DialectFilter, text: string): boolean {
  if (!text.startsWith('{')) return filter.textFrames.has(text);
  const type = LEADING_TYPE.exec(text)?.[1] ?? typeOf(text);
  return type !== undefined && filter.types.has(type);
}

function typeOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { type?: unknown } | null;
    return typeof parsed?.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
