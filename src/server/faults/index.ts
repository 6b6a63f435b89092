/**
 * Deliberate faults of the reference server. `createServer({ faults: ['HB-003'] })` breaks exactly the
 * rule with that requirement ID and nothing else, so the conformance runner can be shown to catch each
 * rule. Every fault lives at a seam, never in the protocol core:
 * - `wire`: a decorator of what the core sends and receives (drop, rewrite, add, reorder frames, change a
 *   close code) — see wire.ts;
 * - `policies`: an alternative answer to one of the core's delegated decisions (core/policies.ts);
 * - `handler`: a decorator of an endpoint handler (scope checks, what a session does when it starts);
 * - `token`, `socket`, `upgrade`, `store`: options of the token verifier, the socket adapter, the upgrade
 *   handler and the session store.
 * This table is the one place where a requirement ID is mapped to how it is broken.
 */
import { CAMPAIGN_SUBPROTOCOL, MAX_CLOSE_REASON_BYTES, SUBPROTOCOL } from '../../protocol/constants.js';
import { BEARER_SUBPROTOCOL_PREFIX } from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { CLUSTER_AS_SPECIFIED, type ClusterBehaviour } from '../cluster/behaviour.js';
import type { EndpointHandler, OutgoingData, SessionContext } from '../endpoint-handler.js';
import { PROTOCOL_POLICIES, type ProtocolPolicies } from '../core/policies.js';
import type { RequestMemory } from '../core/request-memory.js';
import type { TokenLeniency } from '../token.js';
import { dropSent, errorOf, isData, jsonOf, rewriteSent, type WireFault } from './wire.js';

/** Options of the socket adapter that a fault may turn off. */
export interface SocketOptions {
  /** The socket library answers RFC 6455 pings itself. */
  autoPong: boolean;
  /** Frames over `maxMessageBytes` are refused (close 1009). */
  enforceMaxPayload: boolean;
  /** Text frames with invalid UTF-8 are refused (close 1007). */
  validateUtf8: boolean;
  /** A close frame from the client is answered with a close frame. */
  echoClose: boolean;
}

/** Options of the upgrade handler that a fault may change. */
export interface UpgradeOptions {
  /** Paths refused with 404 although their family is served. */
  refusedPaths: readonly string[];
  /** Origins are checked against the allow-list. */
  checksOrigin: boolean;
}

/** Options of the session store that a fault may change. */
export interface StoreOptions {
  /** Detached sessions are kept past the resume window. */
  keepsDetachedSessions: boolean;
  /** Sessions remember replies by request id. */
  remembersRequests: boolean;
}

export interface Fault {
  wire?: WireFault;
  policies?: (base: ProtocolPolicies) => ProtocolPolicies;
  handler?: (handler: EndpointHandler, endpoint: EndpointName) => EndpointHandler;
  token?: TokenLeniency;
  socket?: Partial<SocketOptions>;
  upgrade?: Partial<UpgradeOptions>;
  store?: Partial<StoreOptions>;
  /** What the instances of a deployment do together (src/server/cluster). */
  cluster?: Partial<ClusterBehaviour>;
}

/** HS-001: the one path refused with 404 although its family is served. */
export const HS_001_REFUSED_PATH = '/ws/news';
/** ENV-001: the non-JSON text frame sent after `connection_established` on chat and market endpoints. */
export const ENV_001_FRAME = 'hello';
/** ENV-004: the seq number that is skipped (1, 2, 4, …). */
export const ENV_004_SKIPPED_SEQ = 3;
/** CLU-001: the instanceId every instance advertises, as if every URL led to one instance. */
export const CLU_001_INSTANCE_ID = 'one';
/** CL-002: bytes of the over-long close reason (one more than RFC 6455 allows). */
export const CL_002_REASON_BYTES = 124;
/** CL-002: a close reason this long was (or might have been) cut to fit, and is sent over-long instead. */
const CL_002_LONG_REASON_BYTES = MAX_CLOSE_REASON_BYTES - 3;

const HEARTBEAT_TIMEOUT = 4408;
const BAD_REQUEST = 4400;
const NOT_FOUND = 4404;
const FORBIDDEN = 4403;

type Json = Record<string, unknown>;

const isAppPing = (text: string, message: Json | undefined) => text === 'ping' || message?.type === 'ping';
const isAppPong = (text: string, message: Json | undefined) => text === 'pong' || message?.type === 'pong';

/** A frame the core would not build: an `error` of the core's shape, stamped now. */
function errorFrame(code: string, message: string, closeCode: number, now: number): string {
  return JSON.stringify({
    type: 'error',
    error: { code, message, closeCode },
    timestamp: new Date(now).toISOString(),
  });
}

/** Replaces one decision of the protocol's policies. */
function policy(change: (base: ProtocolPolicies) => Partial<ProtocolPolicies>): Fault {
  return { policies: (base) => ({ ...base, ...change(base) }) };
}

/** Replaces one handshake decision. */
function handshake(change: (base: ProtocolPolicies['handshake']) => Partial<ProtocolPolicies['handshake']>) {
  return policy((base) => ({ handshake: { ...base.handshake, ...change(base.handshake) } }));
}

function resume(change: Partial<ProtocolPolicies['resume']>): Fault {
  return policy((base) => ({ resume: { ...base.resume, ...change } }));
}

/** A session context whose `emit` drops the data messages `drop` names (state and the rest shared). */
function filteredContext(context: SessionContext, drop: (message: OutgoingData) => boolean): SessionContext {
  const emit = (message: OutgoingData) => {
    if (!drop(message)) context.emit(message);
  };
  return new Proxy(context, { get: (target, key) => (key === 'emit' ? emit : Reflect.get(target, key)) });
}

const FAULTS = {
  'HS-001': { upgrade: { refusedPaths: [HS_001_REFUSED_PATH] } },
  'HS-002': {
    wire: rewriteSent((message) => {
      if (message.type === 'connection_established') delete message.heartbeatIntervalMs;
    }),
  },
  'HS-003': handshake((base) => ({
    selectSubprotocol: (offered, spec) => {
      const selection = base.selectSubprotocol(offered, spec);
      return selection.selected === SUBPROTOCOL ? { ...selection, selected: undefined } : selection;
    },
  })),
  'HS-004': handshake((base) => ({
    selectSubprotocol: (offered, spec) => {
      const selection = base.selectSubprotocol(offered, spec);
      return selection.selected === CAMPAIGN_SUBPROTOCOL ? { ...selection, selected: undefined } : selection;
    },
  })),
  'HS-005': handshake((base) => ({
    selectSubprotocol: (offered, spec) => {
      const selection = base.selectSubprotocol(offered, spec);
      return selection.acceptable ? selection : { selected: offered[0], acceptable: true };
    },
  })),
  'HS-006': handshake((base) => ({
    selectSubprotocol: (offered, spec) =>
      offered.length === 0
        ? { selected: undefined, acceptable: false }
        : base.selectSubprotocol(offered, spec),
  })),
  // A malformed integer parameter is taken for an unknown id: 4404 instead of 4400.
  'HS-007': handshake((base) => ({
    checkParams: (spec, query) => {
      const malformed = spec.params.find(
        (p) => p.kind === 'integer' && (query[p.name] ?? '') !== '' && !/^[1-9][0-9]*$/.test(query[p.name]),
      );
      if (malformed) {
        return {
          closeCode: NOT_FOUND,
          code: 'NOT_FOUND',
          message: `no ${malformed.name} ${query[malformed.name]}`,
        };
      }
      return base.checkParams(spec, query);
    },
  })),
  // An unknown campaign or conversation is refused as a bad request: 4400 instead of 4404.
  'HS-008': {
    wire: (connection) => ({
      sendText: (text) => {
        const message = jsonOf(text);
        const error = errorOf(message);
        if (!error || error.closeCode !== NOT_FOUND) return [text];
        return [
          JSON.stringify({ ...message, error: { ...error, code: 'BAD_REQUEST', closeCode: BAD_REQUEST } }),
        ];
      },
      close: (code, reason) => {
        if (code !== NOT_FOUND) return false;
        connection.transport.close(BAD_REQUEST, reason);
        return true;
      },
    }),
  },
  'AUTH-001': { token: { skipSignature: true } },
  'AUTH-002': { token: { skipExpiry: true } },
  'AUTH-003': { token: { allowAlgNone: true } },
  'AUTH-004': handshake((base) => ({
    presentedToken: (sources) => base.presentedToken({ ...sources, authorization: undefined }),
  })),
  'AUTH-005': handshake((base) => ({
    selectSubprotocol: (offered, spec) => {
      const bearer = offered.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
      return bearer ? { selected: bearer, acceptable: true } : base.selectSubprotocol(offered, spec);
    },
  })),
  'AUTH-006': handshake((base) => ({
    presentedToken: (sources) => {
      const { token: _ignored, ...query } = sources.query;
      return base.presentedToken({ ...sources, query });
    },
  })),
  'AUTH-007': policy((base) => ({
    access: { ...base.access, tokenRequired: (spec) => base.access.tokenRequired(spec, 'optional') },
  })),
  // The userId parameter is trusted over the token's user.
  'AUTH-008': policy((base) => ({
    access: {
      ...base.access,
      identify: (tokenUser, userParam) => ({ userId: userParam ?? tokenUser ?? null }),
    },
  })),
  // Every other RFC ping is never sent: pings come twice the advertised interval apart. The core counts a
  // ping that was not sent as answered (unless one that was sent is still unanswered), so a silent client
  // is still closed with 4408 after the pings that are sent.
  'HB-001': {
    wire: (connection) => {
      let pings = 0;
      let sentUnanswered = false;
      return {
        sendPing: () => {
          pings += 1;
          if (pings % 2 === 0) {
            sentUnanswered = true;
            return true;
          }
          if (!sentUnanswered) queueMicrotask(() => connection.input.receivePong());
          return false;
        },
        receivePong: () => {
          sentUnanswered = false;
        },
      };
    },
  },
  // Every RFC ping counts as answered at once: a silent client is never closed.
  'HB-002': {
    wire: (connection) => ({
      sendPing: () => {
        queueMicrotask(() => connection.input.receivePong());
        return true;
      },
    }),
  },
  'HB-003': { wire: dropSent((_text, message) => message?.type === 'pong') },
  'HB-004': { wire: dropSent((text) => text === 'pong') },
  // RFC pings are answered with a pong whose payload differs from the ping's.
  'HB-005': {
    socket: { autoPong: false },
    wire: (connection) => ({
      receivePing: (payload) => {
        const bent =
          payload.length > 0
            ? Uint8Array.from(payload, (b, i) => (i === 0 ? b ^ 0xff : b))
            : Uint8Array.of(0x21);
        connection.transport.sendPong(bent);
        return false;
      },
    }),
  },
  'HB-006': { wire: dropSent((text, message) => isAppPing(text, message)) },
  // Clients that do not answer application pings within the heartbeat timeout are closed with 4408.
  'HB-007': {
    wire: (connection) => {
      let deadline: object | undefined;
      const clear = () => {
        connection.clock.clearTimeout(deadline);
        deadline = undefined;
      };
      const timedOut = () => {
        const timeoutMs = connection.settings.heartbeatTimeoutMs;
        const message = `no application pong within ${timeoutMs} ms`;
        connection.transport.sendText(
          errorFrame('HEARTBEAT_TIMEOUT', message, HEARTBEAT_TIMEOUT, connection.clock.now()),
        );
        connection.transport.close(HEARTBEAT_TIMEOUT, message);
      };
      return {
        sendText: (text) => {
          if (deadline === undefined && isAppPing(text, jsonOf(text))) {
            deadline = connection.clock.setTimeout(timedOut, connection.settings.heartbeatTimeoutMs);
          }
          return [text];
        },
        receiveText: (text) => {
          if (isAppPong(text, jsonOf(text))) clear();
          return text;
        },
        closed: clear,
      };
    },
  },
  'CL-001': { wire: dropSent((_text, message) => errorOf(message)?.closeCode === BAD_REQUEST) },
  'CL-002': {
    wire: (connection) => ({
      close: (code, reason) => {
        if (Buffer.byteLength(reason, 'utf8') < CL_002_LONG_REASON_BYTES) return false;
        connection.transport.writeRawAndEnd(overlongCloseFrame(code, reason));
        return true;
      },
    }),
  },
  'CL-003': { wire: () => ({ receiveBinary: () => false }) },
  'CL-004': { socket: { validateUtf8: false } },
  'CL-005': { socket: { enforceMaxPayload: false } },
  'CL-006': { socket: { echoClose: false } },
  'ENV-001': {
    wire: (connection) => ({
      sendText: (text) =>
        connection.spec.family !== 'campaign' && jsonOf(text)?.type === 'connection_established'
          ? [text, ENV_001_FRAME]
          : [text],
    }),
  },
  // A price as a string: the message no longer matches its schema.
  'ENV-002': {
    wire: rewriteSent((message) => {
      const data = message.data as Json | undefined;
      if (isData(message) && message.type === 'price_update' && data) data.price = String(data.price);
    }),
  },
  'ENV-003': {
    wire: rewriteSent((message) => {
      if (isData(message)) delete message.timestamp;
    }),
  },
  'ENV-004': resume({ nextSeq: (seq) => (seq + 1 === ENV_004_SKIPPED_SEQ ? seq + 2 : seq + 1) }),
  // A schema-valid integer, just not the requested campaign.
  'ENV-005': {
    wire: rewriteSent((message, connection) => {
      if (
        connection.spec.family === 'campaign' &&
        isData(message) &&
        typeof message.campaignId === 'number'
      ) {
        message.campaignId += 1;
      }
    }),
  },
  // The legacy `{action}` form is not understood: the request arrives without a message type.
  'ENV-006': {
    wire: () => ({
      receiveText: (text) => {
        const message = jsonOf(text);
        if (!message || typeof message.type === 'string' || message.action === undefined) return text;
        const { action: _ignored, ...rest } = message;
        return JSON.stringify(rest);
      },
    }),
  },
  // A frame that is not JSON closes the connection with 4400 instead of getting an error.
  'ERR-001': {
    wire: (connection) => ({
      sendText: (text) => {
        const message = jsonOf(text);
        const error = errorOf(message);
        if (error?.code !== 'INVALID_JSON') return [text];
        connection.transport.sendText(
          JSON.stringify({ ...message, error: { ...error, closeCode: BAD_REQUEST } }),
        );
        connection.transport.close(BAD_REQUEST, String(error.message));
        return [];
      },
    }),
  },
  'ERR-002': { wire: dropSent((_text, message) => errorOf(message)?.code === 'UNKNOWN_TYPE') },
  'ERR-003': {
    wire: rewriteSent((message) => {
      const details = errorOf(message)?.details as Json | undefined;
      if (errorOf(message)?.code === 'INVALID_MESSAGE' && details) delete details.path;
    }),
  },
  'ERR-004': {
    wire: rewriteSent((message) => {
      if (message.type === 'error') delete message.id;
    }),
  },
  'ACK-001': { wire: () => ({ sendText: (text) => (jsonOf(text)?.type === 'ack' ? [text, text] : [text]) }) },
  'ACK-002': { store: { remembersRequests: false } },
  'RL-001': {
    wire: rewriteSent((message) => {
      const error = errorOf(message);
      if (error?.code === 'RATE_LIMITED' && error.closeCode === undefined) delete error.retryAfterMs;
    }),
  },
  'RL-002': policy((base) => ({
    rateLimit: {
      verdict: (count, max) =>
        base.rateLimit.verdict(count, max) === 'close' ? 'refuse' : base.rateLimit.verdict(count, max),
    },
  })),
  // Messages are refused from half the advertised limit on.
  'RL-003': policy((base) => ({
    rateLimit: {
      verdict: (count, max) =>
        count > Math.floor(max / 2) && count <= max ? 'refuse' : base.rateLimit.verdict(count, max),
    },
  })),
  // The first replayed message is skipped.
  'RES-001': {
    wire: () => {
      let resuming = false;
      return {
        sendText: (text) => {
          const message = jsonOf(text);
          if (message?.type === 'connection_established') resuming = message.resumed === true;
          else if (message?.type === 'resumed') resuming = false;
          else if (resuming && isData(message)) {
            resuming = false;
            return [];
          }
          return [text];
        },
      };
    },
  },
  // A fresh session after a failed resume of an unknown session gets the unknown session's id.
  'RES-002': resume({
    freshSessionId: (reason, requestedId, newId) => (reason === 'unknown_session' ? requestedId : newId),
  }),
  'RES-003': resume({ onUnreplayable: (reason) => (reason === 'seq_ahead' ? 'resume' : 'fail') }),
  'RES-004': resume({ refusesOtherUser: () => false }),
  'RES-005': resume({ takesOver: () => false }),
  'RES-006': resume({ clientCloseEndsSession: () => false }),
  // A resumed session forgets its subscriptions and rooms: the handler starts it over.
  'RES-007': {
    handler: (handler) => ({
      ...handler,
      resumed: (session) => {
        handler.close(session);
        session.state = {};
        handler.open(session, 'connected');
      },
    }),
  },
  // No campaign_update at all reaches a session started by resume_failed, so no snapshot follows it (a
  // later regular update would otherwise stand in for the snapshot).
  'RES-008': {
    handler: (handler, endpoint) =>
      endpoint !== 'campaigns'
        ? handler
        : {
            ...handler,
            open: (session, start) =>
              handler.open(
                start === 'resume_failed'
                  ? filteredContext(session, (message) => message.type === 'campaign_update')
                  : session,
                start,
              ),
          },
  },
  'RES-009': { store: { keepsDetachedSessions: true } },
  'SEC-001': { upgrade: { checksOrigin: false } },
  'SEC-002': {
    handler: (handler) => ({
      ...handler,
      checkScope: async (params, userId) => {
        const refusal = await handler.checkScope?.(params, userId);
        return refusal?.closeCode === FORBIDDEN ? undefined : refusal;
      },
    }),
  },
  'CLU-001': {
    wire: rewriteSent((message) => {
      if (message.type === 'connection_established') message.instanceId = CLU_001_INSTANCE_ID;
    }),
  },
  'CLU-002': { cluster: { sharesRooms: false } },
  'CLU-003': { cluster: { replaysAcrossInstances: false } },
  'CLU-004': { cluster: { notifiesHolder: false } },
  'CLU-005': { cluster: { continuesSeq: false } },
  'CLU-006': { cluster: { sharesRequestMemory: false } },
} satisfies Record<string, Fault>;

export type FaultId = keyof typeof FAULTS;
export const FAULT_IDS = Object.keys(FAULTS) as FaultId[];

/** Everything a server is built with that a fault can change. */
export interface ServerSeams {
  policies: ProtocolPolicies;
  wire: WireFault[];
  decorateHandler(handler: EndpointHandler, endpoint: EndpointName): EndpointHandler;
  token: TokenLeniency;
  socket: SocketOptions;
  upgrade: UpgradeOptions;
  store: StoreOptions;
  cluster: ClusterBehaviour;
}

const PROTOCOL_SEAMS: ServerSeams = {
  policies: PROTOCOL_POLICIES,
  wire: [],
  decorateHandler: (handler) => handler,
  token: {},
  socket: { autoPong: true, enforceMaxPayload: true, validateUtf8: true, echoClose: true },
  upgrade: { refusedPaths: [], checksOrigin: true },
  store: { keepsDetachedSessions: false, remembersRequests: true },
  cluster: CLUSTER_AS_SPECIFIED,
};

/** The seams of a server that breaks the rules `ids` (none: the protocol as specified). */
export function serverSeams(ids: readonly string[] = []): ServerSeams {
  const unknown = ids.filter((id) => !(id in FAULTS));
  if (unknown.length > 0) {
    throw new Error(`unknown fault ${unknown.join(', ')}; faults are requirement IDs such as HB-003`);
  }
  return ids.reduce<ServerSeams>((seams, id) => {
    const fault: Fault = FAULTS[id as FaultId];
    return {
      policies: fault.policies ? fault.policies(seams.policies) : seams.policies,
      wire: fault.wire ? [...seams.wire, fault.wire] : seams.wire,
      decorateHandler: fault.handler
        ? (handler, endpoint) => fault.handler!(seams.decorateHandler(handler, endpoint), endpoint)
        : seams.decorateHandler,
      token: { ...seams.token, ...fault.token },
      socket: { ...seams.socket, ...fault.socket },
      upgrade: { ...seams.upgrade, ...fault.upgrade },
      store: { ...seams.store, ...fault.store },
      cluster: { ...seams.cluster, ...fault.cluster },
    };
  }, PROTOCOL_SEAMS);
}

/** A request memory that never remembers (every resent request is processed again). */
export const FORGETFUL_REQUEST_MEMORY: RequestMemory = {
  recall: () => undefined,
  remember: (_key, frames) => frames,
};

/**
 * CL-002: a close frame whose reason is 124 bytes, one more than RFC 6455 allows. `ws` refuses to send
 * such a frame, so it is written by hand (FIN + opcode 8, unmasked, 16-bit extended length).
 */
export function overlongCloseFrame(code: number, reason: string): Buffer {
  const reasonBytes = Buffer.alloc(CL_002_REASON_BYTES, 'x');
  Buffer.from(reason.replace(/[^\x20-\x7e]/g, '?'), 'ascii').copy(reasonBytes, 0, 0, CL_002_REASON_BYTES);
  const payloadLength = 2 + reasonBytes.length;
  const header = Buffer.from([0x88, 126, payloadLength >> 8, payloadLength & 0xff, code >> 8, code & 0xff]);
  return Buffer.concat([header, reasonBytes]);
}
