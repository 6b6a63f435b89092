/**
 * Wire-level faults: a decorator between the protocol core and its socket adapter that rewrites, drops,
 * adds or reorders what the core sends, and can swallow or rewrite what it receives. The core never knows
 * it is there; each fault is a `WireFault` that returns hooks for one connection.
 */
import type { EndpointSpec } from '../../protocol/endpoints.js';
import type { Clock } from '../clock.js';
import type { ConnectionInput, CoreSettings, Transport } from '../core/connection.js';

/** What a wire fault may use on its connection: the undecorated socket and core, and the server's settings. */
export interface WireConnection {
  readonly spec: EndpointSpec;
  readonly settings: CoreSettings;
  readonly clock: Clock;
  /** The socket, undecorated. */
  readonly transport: Transport;
  /** The core, undecorated. */
  readonly input: ConnectionInput;
}

/** Hooks of one wire fault on one connection; an absent hook passes the event through unchanged. */
export interface WireHooks {
  /** A text frame the core sends: the frames to send instead (`[]` drops it). */
  sendText?(text: string): string[];
  /** An RFC 6455 ping the core sends: false drops it. */
  sendPing?(payload: Uint8Array): boolean;
  /** A close the core starts: true when the hook closed the socket itself. */
  close?(code: number, reason: string): boolean;
  /** A text frame from the client: the text the core gets instead (`undefined` swallows it). */
  receiveText?(text: string): string | undefined;
  /** A binary frame from the client: false swallows it. */
  receiveBinary?(): boolean;
  /** An RFC 6455 ping from the client: false when the hook answered it. */
  receivePing?(payload: Uint8Array): boolean;
  /** An RFC 6455 pong from the client. */
  receivePong?(): void;
  /** The socket is gone. */
  closed?(): void;
}

export type WireFault = (connection: WireConnection) => WireHooks;

export interface DecoratedWire {
  /** What the core writes to. */
  readonly transport: Transport;
  /** Decorates the core's input once the core exists; the adapter feeds the result. */
  input(core: ConnectionInput): ConnectionInput;
}

/** Puts `faults` between a core and its socket (`transport`); with no faults, nothing is in between. */
export function decorateWire(
  faults: readonly WireFault[],
  transport: Transport,
  env: { spec: EndpointSpec; settings: CoreSettings; clock: Clock },
): DecoratedWire {
  if (faults.length === 0) return { transport, input: (core) => core };
  let core: ConnectionInput | undefined;
  const connection: WireConnection = {
    ...env,
    transport,
    get input(): ConnectionInput {
      if (!core) throw new Error('the wire is not attached to a connection yet');
      return core;
    },
  };
  const hooks = faults.map((fault) => fault(connection));

  const sendText = (text: string): void => {
    let frames = [text];
    for (const hook of hooks) {
      if (hook.sendText) frames = frames.flatMap((frame) => hook.sendText!(frame));
    }
    for (const frame of frames) transport.sendText(frame);
  };
  const decorated: Transport = {
    sendText,
    sendPing: (payload) => {
      if (hooks.every((hook) => hook.sendPing?.(payload) ?? true)) transport.sendPing(payload);
    },
    sendPong: (payload) => transport.sendPong(payload),
    close: (code, reason) => {
      if (!hooks.some((hook) => hook.close?.(code, reason) ?? false)) transport.close(code, reason);
    },
    writeRawAndEnd: (bytes) => transport.writeRawAndEnd(bytes),
    terminate: () => transport.terminate(),
  };
  return {
    transport: decorated,
    input(target: ConnectionInput): ConnectionInput {
      core = target;
      return {
        receiveText: (text) => {
          let current: string | undefined = text;
          for (const hook of hooks) {
            if (current !== undefined && hook.receiveText) current = hook.receiveText(current);
          }
          if (current !== undefined) target.receiveText(current);
        },
        receiveBinary: () => {
          if (hooks.every((hook) => hook.receiveBinary?.() ?? true)) target.receiveBinary();
        },
        receivePing: (payload) => {
          if (hooks.every((hook) => hook.receivePing?.(payload) ?? true)) target.receivePing(payload);
        },
        receivePong: () => {
          for (const hook of hooks) hook.receivePong?.();
          target.receivePong();
        },
        closed: (code) => {
          for (const hook of hooks) hook.closed?.();
          target.closed(code);
        },
      };
    },
  };
}

type Json = Record<string, unknown>;

/** The frame as a JSON object, or undefined when it is not one. */
export function jsonOf(text: string): Json | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** `error.*` of an `error` message, or undefined for other messages. */
export function errorOf(message: Json | undefined): Json | undefined {
  const error = message?.type === 'error' ? message.error : undefined;
  return typeof error === 'object' && error !== null ? (error as Json) : undefined;
}

/** A data message carries `seq`. */
export function isData(message: Json | undefined): message is Json {
  return typeof message?.seq === 'number';
}

/** A fault that rewrites JSON frames: `rewrite` changes the parsed message in place or returns a new one. */
export function rewriteSent(rewrite: (message: Json, connection: WireConnection) => Json | void): WireFault {
  return (connection) => ({
    sendText: (text) => {
      const message = jsonOf(text);
      if (!message) return [text];
      const rewritten = rewrite(message, connection);
      return [JSON.stringify(rewritten ?? message)];
    },
  });
}

/** A fault that drops the frames the core sends when `drop` says so. */
export function dropSent(drop: (text: string, message: Json | undefined) => boolean): WireFault {
  return () => ({ sendText: (text) => (drop(text, jsonOf(text)) ? [] : [text]) });
}
