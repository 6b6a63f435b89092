/**
 * Deliberate faults of the reference server. `createServer({ faults: ['HB-003'] })` breaks exactly the
 * rule with that requirement ID and nothing else, so the conformance runner can be shown to catch each
 * rule. Every fault lives at a seam, never in the protocol core:
 * - `wire`: a decorator of what the core sends and receives (drop, rewrite, add, reorder frames, change a
 *   close code) — see wire.ts;
 * - `policies`: an alternative answer to one of the core's delegated decisions (core/policies.ts);
 * - `handler`: a decorator of an endpoint handler (scope checks, what a session does when it starts);
 * - `dialects`: an alternative choice of the source dialect a connection speaks (dialect-transport.ts);
 * - `token`, `socket`, `upgrade`, `store`: options of the token verifier, the socket adapter, the upgrade
 *   handler and the session store.
 * This table is the one place where a requirement ID is mapped to how it is broken.
 */
import {
  BEARER_SUBPROTOCOL_PREFIX,
  CAMPAIGN_SUBPROTOCOL,
  CONNECTED_MESSAGE,
  MAX_CLOSE_REASON_BYTES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
} from '../../protocol/constants.js';
import { wantsDialect, type DialectName } from '../../protocol/dialects.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { CLUSTER_AS_SPECIFIED, type ClusterBehaviour } from '../cluster/behaviour.js';
import { SOURCE_DIALECTS, type DialectPolicy } from '../dialect-transport.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type OutgoingData,
  type SessionContext,
} from '../endpoint-handler.js';
import type { ServerOptions } from '../index.js';
import { PROTOCOL_POLICIES, type ConnectionScope, type ProtocolPolicies } from '../core/policies.js';
import type { RequestMemory } from '../core/request-memory.js';
import type { TokenLeniency } from '../token.js';
import {
  answersWhileClosing,
  memoryLostOnResume,
  memoryPerType,
  REFUSED_BUT_PROCESSED,
  REFUSED_REMEMBERED,
  WINDOW_NEVER_ENDS,
} from './requests.js';
import {
  dropSent,
  errorOf,
  isData,
  jsonOf,
  rewriteSent,
  type WireConnection,
  type WireFault,
} from './wire.js';
import {
  SOCKETIO_FAULTS,
  SOCKETIO_SEAMS,
  withSocketIoFault,
  type SocketIoFault,
  type SocketIoSeams,
} from './socketio.js';

/** Options of the socket adapter that a fault may turn off. */
export interface SocketOptions {
  /**
   * The socket library answers RFC 6455 pings itself (`ws` then drops, without a close frame, a client
   * with 60 pongs not yet written); off, the core answers them (a burst once).
   */
  autoPong: boolean;
  /** Frames over `maxMessageBytes` are refused (close 1009). */
  enforceMaxPayload: boolean;
  /** Text frames with invalid UTF-8 are refused (close 1007). */
  validateUtf8: boolean;
  /** A close frame from the client is answered with a close frame. */
  echoClose: boolean;
  /**
   * A message may come in as many fragments as `maxMessageBytes`, and more get 1009; off, the library's
   * own limit (16 384 fragments, close 1008) applies.
   */
  limitsFragmentsByBytes: boolean;
}

/** Options of the upgrade handler that a fault may change. */
export interface UpgradeOptions {
  /** Paths refused with 404 although their family is served. */
  refusedPaths: readonly string[];
  /** Origins are checked against the allow-list. */
  checksOrigin: boolean;
  /** The Origin is checked before the subprotocol (otherwise an unacceptable subprotocol is refused first). */
  originBeforeSubprotocol: boolean;
  /** Upgrades with a `Sec-WebSocket-Version` other than 13 get 426. */
  refusesOtherVersions: boolean;
}

/** Options of the session store that a fault may change. */
export interface StoreOptions {
  /** Detached sessions are kept past the resume window. */
  keepsDetachedSessions: boolean;
  /** Sessions remember replies by request id. */
  remembersRequests: boolean;
  /** Request ids are remembered by their text alone (`"7"` and `7` are one id). */
  idTypeBlind: boolean;
}

export interface Fault {
  wire?: WireFault;
  policies?: (base: ProtocolPolicies) => ProtocolPolicies;
  handler?: (handler: EndpointHandler, endpoint: EndpointName) => EndpointHandler;
  dialects?: (base: DialectPolicy) => DialectPolicy;
  token?: TokenLeniency;
  socket?: Partial<SocketOptions>;
  upgrade?: Partial<UpgradeOptions>;
  store?: Partial<StoreOptions>;
  /** The Socket.IO binding's seams (faults/socketio.ts). */
  socketIo?: SocketIoFault;
  /** Server options the fault needs to show (a rule that only an auth-optional server can break). */
  options?: Partial<ServerOptions>;
  /** What the instances of a deployment do together (src/server/cluster). */
  cluster?: Partial<ClusterBehaviour>;
}

/** SRC-006: the endpoints no source dialect covers (source 002 is Socket.IO). */
const SRC_006_ENDPOINTS: readonly EndpointName[] = ['notifications', 'projects'];
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
/** The code the WebSocket API reports for a connection that ended without a close frame. */
const NO_CLOSE_FRAME = 1006;
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

/** HS-015: how long the fault's scope lookup takes, so that early frames arrive during it. */
const HS_015_LOOKUP_MS = 100;
/** RL-007: how long the fault answers messages after it decided to close with 4429. */
const RL_007_CLOSE_DELAY_MS = 100;

/** A `connection_established` sent on a connection about to be refused (HS-013). */
function prematureEstablished(connection: WireConnection): string {
  const { settings, spec, clock } = connection;
  return JSON.stringify({
    type: 'connection_established',
    message: CONNECTED_MESSAGE,
    sessionId: `refused-${clock.now()}`,
    protocolVersion: PROTOCOL_VERSION,
    endpoint: spec.name,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    resumeWindowMs: settings.resumeWindowMs,
    maxMessageBytes: settings.maxMessageBytes,
    rateLimit: { ...settings.rateLimit },
    timestamp: new Date(clock.now()).toISOString(),
  });
}

/** A handler whose `handle` answers some requests differently; `change` returns undefined to keep the answer. */
function handling(
  endpointName: EndpointName,
  change: (
    request: IncomingRequest,
    handle: () => Promise<unknown>,
    session: SessionContext,
  ) => Promise<unknown> | undefined,
): Fault {
  return {
    handler: (handler, endpoint) =>
      endpoint !== endpointName
        ? handler
        : {
            ...handler,
            handle: (session, request) => {
              const handle = async () => handler.handle(session, request);
              return change(request, handle, session) ?? handle();
            },
          },
  };
}

/** The error a handler's request failed with, or undefined when it succeeded. */
async function refusal(handle: () => Promise<unknown>): Promise<RequestError | { data: unknown }> {
  try {
    return { data: await handle() };
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
}

/** The handler's own outcome again: its data, or its error thrown. */
function unwrap(outcome: RequestError | { data: unknown }): unknown {
  if (outcome instanceof RequestError) throw outcome;
  return outcome.data;
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

function rateLimit(change: (base: ProtocolPolicies['rateLimit']) => Partial<ProtocolPolicies['rateLimit']>) {
  return policy((base) => ({ rateLimit: { ...base.rateLimit, ...change(base.rateLimit) } }));
}

function limits(change: (base: ProtocolPolicies['limits']) => Partial<ProtocolPolicies['limits']>) {
  return policy((base) => ({ limits: { ...base.limits, ...change(base.limits) } }));
}

/** Connections in `scope` are never refused for their number. */
function unlimited(scope: ConnectionScope): Fault {
  return limits((base) => ({
    admits: (asked, open, limit) => asked === scope || base.admits(asked, open, limit),
  }));
}

/** A session context whose `emit` drops the data messages `drop` names (state and the rest shared). */
function filteredContext(context: SessionContext, drop: (message: OutgoingData) => boolean): SessionContext {
  const emit = (message: OutgoingData) => {
    if (!drop(message)) context.emit(message);
  };
  return new Proxy(context, { get: (target, key) => (key === 'emit' ? emit : Reflect.get(target, key)) });
}

/** A source dialect that lets `types` through although its source system had none of them. */
function leakyDialect(dialect: DialectName, types: readonly string[]): Fault {
  return {
    dialects: (base) => ({
      filterFor: (spec, offered, profiles) => {
        const filter = base.filterFor(spec, offered, profiles);
        if (filter?.dialect !== dialect) return filter;
        return { ...filter, types: new Set([...filter.types, ...types]) };
      },
    }),
  };
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
  // The token entry is echoed in place of the subprotocol the client also offered.
  'AUTH-005': handshake((base) => ({
    selectSubprotocol: (offered, spec) => {
      const bearer = offered.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
      const selection = base.selectSubprotocol(offered, spec);
      return bearer && selection.selected !== undefined ? { selected: bearer, acceptable: true } : selection;
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
  // JSON pings on chat and market endpoints go unanswered.
  'HB-003': {
    wire: (connection) => ({
      sendText: (text) =>
        connection.spec.family !== 'campaign' && jsonOf(text)?.type === 'pong' ? [] : [text],
    }),
  },
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
  // The error before a 4400 close does not say which close follows.
  'CL-001': {
    wire: rewriteSent((message) => {
      const error = errorOf(message);
      if (error?.closeCode === BAD_REQUEST) delete error.closeCode;
    }),
  },
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
      if (errorOf(message)?.code === 'INVALID_MESSAGE' && details && details.path !== '/type')
        delete details.path;
    }),
  },
  'ERR-004': {
    wire: rewriteSent((message) => {
      if (message.type === 'error') delete message.id;
    }),
  },
  'ACK-001': { wire: () => ({ sendText: (text) => (jsonOf(text)?.type === 'ack' ? [text, text] : [text]) }) },
  'ACK-002': { store: { remembersRequests: false } },
  // RATE_LIMITED errors answering messages lack retryAfterMs (those of the handshake, RL-010's, keep it).
  'RL-001': {
    wire: () => {
      let established = false;
      return {
        sendText: (text) => {
          const message = jsonOf(text);
          if (message?.type === 'connection_established') established = true;
          const error = errorOf(message);
          if (!established || error?.code !== 'RATE_LIMITED' || error.closeCode !== undefined) return [text];
          delete error.retryAfterMs;
          return [JSON.stringify(message)];
        },
      };
    },
  },
  'RL-002': rateLimit((base) => ({
    verdict: (count, max) => (base.verdict(count, max) === 'close' ? 'refuse' : base.verdict(count, max)),
  })),
  // Messages are refused from half the advertised limit on.
  'RL-003': rateLimit((base) => ({
    verdict: (count, max) =>
      count > Math.floor(max / 2) && count <= max ? 'refuse' : base.verdict(count, max),
  })),
  // The limit counts per connection only: a user with several connections is never refused as a user.
  'RL-009': rateLimit(() => ({ userVerdict: () => 'process' })),
  // A user closed with 4429 for flooding may connect again at once.
  'RL-010': rateLimit(() => ({ barsAfterUserFlood: () => false })),
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
  // The endpoint's path where its name belongs.
  'HS-009': {
    wire: rewriteSent((message, connection) => {
      if (message.type === 'connection_established') message.endpoint = connection.spec.path;
    }),
  },
  // A fresh session on /ws/customers/ gets no customers_list to start with.
  'HS-010': {
    handler: (handler, endpoint) =>
      endpoint !== 'customers'
        ? handler
        : {
            ...handler,
            open: (session, start) =>
              handler.open(
                filteredContext(session, (message) => message.type === 'customers_list'),
                start,
              ),
          },
  },
  // An offer of bearer entries only gets the first of them echoed as the subprotocol.
  'HS-011': handshake((base) => ({
    selectSubprotocol: (offered, spec) =>
      offered.length > 0 && offered.every((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX))
        ? { selected: offered[0], acceptable: true }
        : base.selectSubprotocol(offered, spec),
  })),
  // An unacceptable subprotocol is refused before the Origin is looked at.
  'HS-012': { upgrade: { originBeforeSubprotocol: false } },
  // A refused connection gets connection_established first.
  'HS-013': {
    wire: (connection) => {
      let established = false;
      return {
        sendText: (text) => {
          const message = jsonOf(text);
          if (message?.type === 'connection_established') established = true;
          const refusing =
            message?.type === 'authentication_error' || errorOf(message)?.closeCode !== undefined;
          if (established || !refusing) return [text];
          established = true;
          return [prematureEstablished(connection), text];
        },
      };
    },
  },
  // Query parameters the endpoint does not define are refused as bad requests.
  'HS-014': handshake((base) => ({
    checkParams: (spec, query) => {
      const known = new Set(['token', 'resume', 'lastSeq', ...spec.params.map((p) => p.name)]);
      const unknown = Object.keys(query).find((name) => !known.has(name));
      if (unknown === undefined) return base.checkParams(spec, query);
      return { closeCode: BAD_REQUEST, code: 'BAD_REQUEST', message: `unknown query parameter ${unknown}` };
    },
  })),
  // A scope lookup that takes a while, and text frames that arrive during it are dropped.
  'HS-015': {
    handler: (handler) => ({
      ...handler,
      checkScope: async (params, userId) => {
        await new Promise((resolve) => setTimeout(resolve, HS_015_LOOKUP_MS));
        return handler.checkScope?.(params, userId);
      },
    }),
    wire: () => {
      let established = false;
      return {
        sendText: (text) => {
          if (jsonOf(text)?.type === 'connection_established') established = true;
          return [text];
        },
        receiveText: (text) => (established ? text : undefined),
      };
    },
  },
  // Chat endpoints accept connections without a token.
  'AUTH-009': policy((base) => ({
    access: {
      ...base.access,
      tokenRequired: (spec, mode) => spec.family !== 'chat' && base.access.tokenRequired(spec, mode),
    },
  })),
  // The server advertises auth.mode optional while it requires a token.
  'AUTH-010': {
    wire: rewriteSent((message) => {
      const auth = message.auth as Json | undefined;
      if (message.type === 'connection_established' && auth) auth.mode = 'optional';
    }),
  },
  // The query parameter wins over the subprotocol entry, which wins over the header.
  'AUTH-011': handshake((base) => ({
    presentedToken: (sources) =>
      base.presentedToken({ ...sources, authorization: undefined, offeredProtocols: [] }) ??
      base.presentedToken({ ...sources, authorization: undefined, query: {} }) ??
      base.presentedToken({ ...sources, offeredProtocols: [], query: {} }),
  })),
  // The scheme must be written `Bearer` exactly.
  'AUTH-012': handshake((base) => ({
    presentedToken: (sources) =>
      base.presentedToken(
        sources.authorization?.startsWith('Bearer ') ? sources : { ...sources, authorization: undefined },
      ),
  })),
  'AUTH-013': { token: { allowNoExpiry: true } },
  'AUTH-014': { token: { ignoreNotBefore: true } },
  'HB-008': {
    wire: rewriteSent((message) => {
      if (message.type === 'pong') delete message.id;
    }),
  },
  // JSON pings on the campaign endpoint go unanswered (its text pings are still answered).
  'HB-009': {
    wire: (connection) => ({
      sendText: (text) =>
        connection.spec.family === 'campaign' && jsonOf(text)?.type === 'pong' ? [] : [text],
    }),
  },
  // An application pong with an id is acknowledged.
  'HB-010': {
    wire: (connection) => ({
      receiveText: (text) => {
        const message = jsonOf(text);
        if (message?.type === 'pong' && message.id !== undefined) {
          const stamp = new Date(connection.clock.now()).toISOString();
          connection.transport.sendText(
            JSON.stringify({ type: 'ack', id: message.id, ok: true, timestamp: stamp }),
          );
        }
        return text;
      },
    }),
  },
  // Only a pong with the payload of the (empty) ping counts as its answer.
  'HB-011': { wire: () => ({ receivePong: (payload) => payload.length === 0 }) },
  // A close the client never answers keeps the connection open.
  'CL-007': { wire: () => ({ terminate: () => false }) },
  'ENV-007': {
    wire: rewriteSent((message) => {
      if (message.type === 'ack') message.seq = 0;
    }),
  },
  // A market message with a non-string type is read by its action.
  'ENV-008': {
    wire: (connection) => ({
      receiveText: (text) => {
        const message = jsonOf(text);
        if (connection.spec.family !== 'market' || !message) return text;
        if (
          typeof message.type === 'string' ||
          message.type === undefined ||
          typeof message.action !== 'string'
        )
          return text;
        const { type: _ignored, ...rest } = message;
        return JSON.stringify(rest);
      },
    }),
  },
  'ERR-005': {
    wire: rewriteSent((message) => {
      const details = errorOf(message)?.details as Json | undefined;
      if (errorOf(message)?.code === 'INVALID_MESSAGE' && details?.path === '/type') details.path = '/';
    }),
  },
  'ERR-006': {
    wire: rewriteSent((message) => {
      const details = errorOf(message)?.details as Json | undefined;
      if (errorOf(message)?.code === 'INVALID_MESSAGE' && details) delete details.errors;
    }),
  },
  'ERR-007': {
    wire: rewriteSent((message) => {
      const details = errorOf(message)?.details as Json | undefined;
      if (errorOf(message)?.code === 'UNKNOWN_TYPE' && details) delete details.type;
    }),
  },
  // INVALID_JSON names a close that never comes.
  'ERR-008': {
    wire: rewriteSent((message) => {
      const error = errorOf(message);
      if (error?.code === 'INVALID_JSON') error.closeCode = BAD_REQUEST;
    }),
  },
  // Joining a project that does not exist is acknowledged.
  'ERR-009': handling('projects', (request, handle) =>
    request.type !== 'project_join'
      ? undefined
      : refusal(handle).then((outcome) =>
          outcome instanceof RequestError && outcome.code === 'NOT_FOUND'
            ? { projectId: request.projectId }
            : unwrap(outcome),
        ),
  ),
  // chat_typing is not known on /ws/chat/.
  'ERR-010': {
    wire: (connection) => ({
      receiveText: (text) => {
        const message = jsonOf(text);
        if (connection.spec.name !== 'chat' || message?.type !== 'chat_typing') return text;
        const id = message.id === undefined ? {} : { id: message.id };
        const error = {
          code: 'UNKNOWN_TYPE',
          message: 'unknown type "chat_typing"',
          details: { type: 'chat_typing' },
        };
        const stamp = new Date(connection.clock.now()).toISOString();
        connection.transport.sendText(JSON.stringify({ type: 'error', ...id, error, timestamp: stamp }));
        return undefined;
      },
    }),
  },
  // refresh_customers is acknowledged and answered with nothing.
  'ACK-003': handling('customers', (request) =>
    request.type === 'refresh_customers' ? Promise.resolve(undefined) : undefined,
  ),
  // The ack of subscribe lists the symbols of the request, not every subscription.
  'ACK-004': handling('market_data', (request, handle) =>
    (request.type ?? request.action) !== 'subscribe'
      ? undefined
      : handle().then(() => ({ symbols: request.symbols })),
  ),
  'ACK-005': { wire: memoryLostOnResume() },
  'ACK-006': { store: { idTypeBlind: true } },
  'ACK-007': { wire: memoryPerType() },
  'ACK-008': { wire: REFUSED_REMEMBERED },
  // Leaving a conversation the session has not joined is refused as NOT_FOUND.
  'ACK-009': (() => {
    const joined = new Map<string, Set<unknown>>();
    const rooms = (session: SessionContext) => {
      const set = joined.get(session.sessionId) ?? new Set<unknown>();
      joined.set(session.sessionId, set);
      return set;
    };
    const fault = handling('chat', (request, handle, session) => {
      const room = Number(request.conversationId);
      if (request.type === 'chat_join') return handle().then((data) => (rooms(session).add(room), data));
      if (request.type !== 'chat_leave') return undefined;
      if (!rooms(session).has(room) && Number(session.params.conversationId) !== room) {
        return Promise.reject(new RequestError('NOT_FOUND', `not in conversation ${room}`));
      }
      rooms(session).delete(room);
      return undefined;
    });
    return fault;
  })(),
  // Application pongs are handled before the rate limit, so they do not count.
  'RL-004': {
    wire: () => ({
      receiveText: (text) => (text === 'pong' || jsonOf(text)?.type === 'pong' ? undefined : text),
    }),
  },
  // RFC 6455 pings count against the rate limit like messages, up to a full window of them (enough to
  // crowd requests out; a burst of pings alone is not closed for it, which is HB-012's rule).
  'RL-005': {
    socket: { autoPong: false },
    wire: (connection) => {
      const { maxMessages, windowMs } = connection.settings.rateLimit;
      let windowStartedAt = Number.NEGATIVE_INFINITY;
      let counted = 0;
      return {
        receivePing: () => {
          const now = connection.clock.now();
          if (now - windowStartedAt >= windowMs) {
            windowStartedAt = now;
            counted = 0;
          }
          if (counted < maxMessages) {
            counted += 1;
            connection.input.receiveText('{"type":"pong"}');
          }
          return true;
        },
      };
    },
  },
  'RL-006': {
    ...policy((base) => ({
      rateLimit: {
        ...base.rateLimit,
        verdict: (count, max) => (count <= 2 * max ? 'process' : base.rateLimit.verdict(count, max)),
      },
    })),
    wire: REFUSED_BUT_PROCESSED,
  },
  'RL-007': { wire: answersWhileClosing(RL_007_CLOSE_DELAY_MS) },
  'RL-008': { wire: WINDOW_NEVER_ENDS },
  'RES-010': {
    wire: rewriteSent((message) => {
      if (message.type === 'connection_established') delete message.resumed;
    }),
  },
  // resumed echoes the lastSeq the client sent instead of the session's last seq.
  'RES-011': {
    wire: rewriteSent((message) => {
      if (
        message.type === 'resumed' &&
        typeof message.lastSeq === 'number' &&
        typeof message.replayed === 'number'
      ) {
        message.lastSeq -= message.replayed;
      }
    }),
  },
  'RES-012': {
    wire: rewriteSent((message) => {
      if (message.type === 'resume_failed' && message.reason === 'seq_ahead')
        message.reason = 'unknown_session';
    }),
  },
  // A session resumes on any endpoint that has the same required parameters.
  'RES-013': resume({
    sameScope: (_sessionSpec, sessionParams, spec, params) =>
      spec.params.filter((p) => p.required).every((p) => sessionParams[p.name] === params[p.name]),
  }),
  // Every close frame from the client ends the session, whatever its code.
  'RES-014': resume({ clientCloseEndsSession: (code) => code !== NO_CLOSE_FRAME }),
  // The room of /ws/chat/ is taken for scope: a resume must name the same conversationId.
  'RES-015': resume({
    sameScope: (sessionSpec, sessionParams, spec, params) =>
      sessionSpec.name === spec.name && spec.params.every((p) => sessionParams[p.name] === params[p.name]),
  }),
  // Joining or writing to another user's conversation is allowed.
  'SEC-003': handling('chat', (request, handle) =>
    request.type !== 'chat_join' && request.type !== 'chat_message'
      ? undefined
      : refusal(handle).then((outcome) =>
          outcome instanceof RequestError && outcome.code === 'FORBIDDEN'
            ? { conversationId: request.conversationId }
            : unwrap(outcome),
        ),
  ),
  // An auth-optional server whose resume checks only the user id: a connection without a token, naming
  // the same userId, takes over a session that a token opened.
  'RES-016': {
    ...resume({ refusesTokenlessResumeOfTokenSession: () => false }),
    options: { auth: 'optional' },
  },
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
  'SRC-001': leakyDialect('campaign-sender', ['connection_established']),
  'SRC-002': leakyDialect('market-data', ['ping', 'pong']),
  'SRC-005': leakyDialect('campaign-sender', ['error']),
  'SRC-003': leakyDialect('pilito', ['error']),
  // Depth's own endpoints filtered as though a source dialect reached them: no connection_established.
  'SRC-006': {
    dialects: (base) => ({
      filterFor: (spec, offered, profiles) =>
        base.filterFor(spec, offered, profiles) ??
        (wantsDialect(offered, spec.name) && SRC_006_ENDPOINTS.includes(spec.name)
          ? { dialect: 'pilito', types: new Set(spec.serverData), textFrames: new Set<string>() }
          : undefined),
    }),
  },
  'SRC-004': {
    wire: rewriteSent((message) => {
      if (message.type === 'connection_established') delete message.profiles;
    }),
  },
  ...SOCKETIO_FAULTS,
  'SEC-004': unlimited('user'),
  'SEC-005': unlimited('address'),
  'SEC-006': unlimited('total'),
  // Pre-RFC 6455 upgrades are served (`ws` accepts hybi-08 too).
  'HS-016': { upgrade: { refusesOtherVersions: false } },
  'AUTH-015': { token: { forgetExpiry: true } },
  'AUTH-016': { token: { anyNumericDate: true } },
  'AUTH-017': { token: { ignoreIssuedAt: true } },
  'HB-012': { socket: { autoPong: true } },
  'CL-008': { socket: { limitsFragmentsByBytes: false } },
  'ERR-011': limits(() => ({ exceededBound: () => undefined })),
  // An error answering a message quotes the whole message back.
  'ERR-012': {
    wire: () => {
      let last = '';
      return {
        receiveText: (text) => {
          last = text;
          return text;
        },
        sendText: (text) => {
          const message = jsonOf(text);
          const error = errorOf(message);
          if (!error || error.closeCode !== undefined || last === '') return [text];
          const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
          return [
            JSON.stringify({ ...message, error: { ...error, details: { ...details, received: last } } }),
          ];
        },
      };
    },
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
  'CLU-007': { cluster: { sharesLimits: false } },
  'CLU-008': { cluster: { recoversNamespaces: false } },
} satisfies Record<string, Fault>;

export type FaultId = keyof typeof FAULTS;
export const FAULT_IDS = Object.keys(FAULTS) as FaultId[];

/** Everything a server is built with that a fault can change. */
export interface ServerSeams {
  policies: ProtocolPolicies;
  wire: WireFault[];
  decorateHandler(handler: EndpointHandler, endpoint: EndpointName): EndpointHandler;
  dialects: DialectPolicy;
  token: TokenLeniency;
  socket: SocketOptions;
  upgrade: UpgradeOptions;
  store: StoreOptions;
  socketIo: SocketIoSeams;
  options: Partial<ServerOptions>;
  cluster: ClusterBehaviour;
}

const PROTOCOL_SEAMS: ServerSeams = {
  policies: PROTOCOL_POLICIES,
  wire: [],
  decorateHandler: (handler) => handler,
  dialects: SOURCE_DIALECTS,
  token: {},
  socket: {
    autoPong: false,
    enforceMaxPayload: true,
    validateUtf8: true,
    echoClose: true,
    limitsFragmentsByBytes: true,
  },
  upgrade: {
    refusedPaths: [],
    checksOrigin: true,
    originBeforeSubprotocol: true,
    refusesOtherVersions: true,
  },
  store: { keepsDetachedSessions: false, remembersRequests: true, idTypeBlind: false },
  socketIo: SOCKETIO_SEAMS,
  options: {},
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
      dialects: fault.dialects ? fault.dialects(seams.dialects) : seams.dialects,
      token: { ...seams.token, ...fault.token },
      socket: { ...seams.socket, ...fault.socket },
      upgrade: { ...seams.upgrade, ...fault.upgrade },
      store: { ...seams.store, ...fault.store },
      socketIo: fault.socketIo ? withSocketIoFault(seams.socketIo, fault.socketIo) : seams.socketIo,
      options: { ...seams.options, ...fault.options },
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
