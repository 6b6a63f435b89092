/**
 * Deliberate faults of the Socket.IO binding (SIO-001 … SIO-018), at its seams: options of the Socket.IO
 * server (transports, heartbeat, namespaces), the binding's policies and token verification, and a
 * decorator of each namespace socket's peer for what goes over the wire. faults/index.ts registers them in
 * its table beside the WebSocket binding's faults.
 */
import { ERROR_EVENT, ESTABLISHED_EVENT } from '../../protocol/socketio.js';
import { SOCKETIO_SERVER_SEAMS, type SocketIoServerSeams } from '../socketio-adapter.js';
import { SOCKETIO_POLICIES, type SocketIoPeer, type SocketIoPolicies } from '../socketio-binding.js';
import type { TokenLeniency } from '../token.js';
import type { Fault } from './index.js';

type Json = Record<string, unknown>;

/** Hooks of one wire fault on one namespace socket; an absent hook passes the call through unchanged. */
export interface SocketIoPeerHooks {
  /** An event with one payload (`connection:established`, `error`): the events to emit instead. */
  emit?(event: string, payload: Json): Array<[string, Json]>;
  /** A data event (`message:new`, `project:update` …) with its offset: false drops it. */
  writeEvent?(event: string, offset: string): boolean;
  /** The reply an acknowledgement carries: the reply to send instead. */
  acknowledge?(reply: Json): Json;
}

export type SocketIoWireFault = () => SocketIoPeerHooks;

/** Everything of the Socket.IO binding a fault can change. */
export interface SocketIoSeams {
  server: SocketIoServerSeams;
  policies: SocketIoPolicies;
  token: TokenLeniency;
  wire: readonly SocketIoWireFault[];
}

export interface SocketIoFault {
  server?: Partial<SocketIoServerSeams>;
  policies?: Partial<SocketIoPolicies>;
  token?: TokenLeniency;
  wire?: SocketIoWireFault;
}

export const SOCKETIO_SEAMS: SocketIoSeams = {
  server: SOCKETIO_SERVER_SEAMS,
  policies: SOCKETIO_POLICIES,
  token: {},
  wire: [],
};

/** SIO-011: an event that no namespace of the binding defines. */
export const SIO_011_EVENT = 'welcome';
/** SIO-009: pings come this many times the advertised interval apart (the timeout is stretched alike). */
const SIO_009_FACTOR = 2.5;

export function withSocketIoFault(seams: SocketIoSeams, fault: SocketIoFault): SocketIoSeams {
  return {
    server: { ...seams.server, ...fault.server },
    policies: { ...seams.policies, ...fault.policies },
    token: { ...seams.token, ...fault.token },
    wire: fault.wire ? [...seams.wire, fault.wire] : seams.wire,
  };
}

/** Puts the wire faults between the binding and a namespace socket; with none, nothing is in between. */
export function decoratePeer(faults: readonly SocketIoWireFault[], peer: SocketIoPeer): SocketIoPeer {
  if (faults.length === 0) return peer;
  const hooks = faults.map((fault) => fault());
  return {
    get connected() {
      return peer.connected;
    },
    writeEvent: (event, frame, offset) => {
      if (hooks.every((hook) => hook.writeEvent?.(event, offset) ?? true))
        peer.writeEvent(event, frame, offset);
    },
    emit: (event, payload) => {
      let events: Array<[string, Json]> = [[event, payload]];
      for (const hook of hooks) if (hook.emit) events = events.flatMap(([e, p]) => hook.emit!(e, p));
      for (const [e, p] of events) peer.emit(e, p);
    },
    acknowledge: (ack, reply) =>
      peer.acknowledge(
        ack,
        hooks.reduce((current, hook) => hook.acknowledge?.(current) ?? current, reply),
      ),
    disconnect: () => peer.disconnect(),
  };
}

/** Rewrites the payload of every `event` emitted (a copy). */
function rewriteEmitted(event: string, change: (payload: Json) => void): SocketIoWireFault {
  return () => ({
    emit: (name, payload) => {
      if (name !== event) return [[name, payload]];
      const copy = structuredClone(payload);
      change(copy);
      return [[name, copy]];
    },
  });
}

function errorDetails(error: Json | undefined): Json | undefined {
  const details = error?.details;
  return typeof details === 'object' && details !== null ? (details as Json) : undefined;
}

/** The error object of an acknowledgement's `error` message. */
function ackError(reply: Json): Json | undefined {
  return reply.type === 'error' && typeof reply.error === 'object' && reply.error !== null
    ? (reply.error as Json)
    : undefined;
}

export const SOCKETIO_FAULTS = {
  // The polling transport never offers the upgrade to WebSocket.
  'SIO-001': sio({ server: { allowUpgrades: false } }),
  'SIO-002': sio({ server: { refusedNamespaces: ['/'] } }),
  'SIO-003': rewriteEmittedFault(ESTABLISHED_EVENT, (payload) => delete payload.heartbeatIntervalMs),
  // A CONNECT without a token is accepted for no user.
  'SIO-004': sio({ policies: { tokenRequired: false } }),
  'SIO-005': sio({ token: { skipSignature: true } }),
  'SIO-006': sio({ token: { skipExpiry: true } }),
  'SIO-007': sio({ policies: { inheritsIdentity: false } }),
  'SIO-008': sio({ server: { acceptsUnknownNamespaces: true } }),
  // Pings come 2.5 times the advertised interval apart; the advertised timeout is stretched alike, so that
  // clients (which allow pingInterval + pingTimeout between pings) keep their connections.
  'SIO-009': sio({ server: { pingIntervalFactor: SIO_009_FACTOR, pingTimeoutFactor: SIO_009_FACTOR } }),
  'SIO-010': sio({ server: { closesOnPingTimeout: false } }),
  'SIO-011': sio({
    wire: () => ({
      emit: (event, payload) =>
        event === ESTABLISHED_EVENT
          ? [
              [event, payload],
              [SIO_011_EVENT, { message: 'welcome' }],
            ]
          : [[event, payload]],
    }),
  }),
  // New chat messages go out as `message:new` only.
  'SIO-012': sio({ wire: () => ({ writeEvent: (event) => event !== 'chat:message' }) }),
  // Acknowledgements carry the reply without its `type`.
  'SIO-013': sio({
    wire: () => ({
      acknowledge: (reply) => {
        const { type: _omitted, ...rest } = reply;
        return rest;
      },
    }),
  }),
  'SIO-014': rewriteEmittedFault(ERROR_EVENT, (payload) => {
    if (payload.code === 'INVALID_MESSAGE') delete errorDetails(payload)?.path;
  }),
  'SIO-015': sio({
    wire: () => ({
      emit: (event, payload) =>
        event === ERROR_EVENT && payload.code === 'UNKNOWN_TYPE' ? [] : [[event, payload]],
    }),
  }),
  'SIO-016': sio({
    wire: () => ({
      emit: (event, payload) => {
        if (event === ERROR_EVENT && payload.code === 'RATE_LIMITED') {
          const { retryAfterMs: _omitted, ...rest } = payload;
          return [[event, rest]];
        }
        return [[event, payload]];
      },
      acknowledge: (reply) => {
        const error = ackError(reply);
        if (error?.code !== 'RATE_LIMITED') return reply;
        const { retryAfterMs: _omitted, ...rest } = error;
        return { ...reply, error: rest };
      },
    }),
  }),
  // A recovery's replay leaves out its first project update. (Not simply its first event: that may be one
  // the client never knew it missed, such as a `user:joined` in flight when its connection dropped.)
  'SIO-017': sio({
    wire: () => {
      let replaying = false;
      return {
        emit: (event, payload) => {
          if (event === ESTABLISHED_EVENT) replaying = payload.resumed === true;
          return [[event, payload]];
        },
        writeEvent: (event) => {
          if (!replaying || event !== 'project:update') return true;
          replaying = false;
          return false;
        },
      };
    },
  }),
  // A CONNECT asking for an unknown session gets a fresh session under that session's pid.
  'SIO-018': sio({ policies: { freshSessionId: (unknown, newId) => unknown ?? newId } }),
} satisfies Record<string, Fault>;

/** A fault of the Socket.IO binding, as an entry of the fault table. */
function sio(fault: SocketIoFault): Fault {
  return { socketIo: fault };
}

function rewriteEmittedFault(event: string, change: (payload: Json) => void): Fault {
  return sio({ wire: rewriteEmitted(event, change) });
}
