/**
 * The Tidewire reference server: a Node HTTP server whose upgrades go to `ws` (in noServer mode) and from
 * there to the protocol core, with every endpoint served by the simulated sources. Timers and limits are
 * options; `faults` breaks one rule on purpose for tests of the conformance runner; `redis` makes the
 * server one instance of a deployment that shares everything through Redis (src/server/cluster).
 *
 * @module tidewire/server
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Defaults } from '../protocol/constants.js';
import { FAMILIES, endpointForPath, type EndpointName, type Family } from '../protocol/endpoints.js';
import {
  endpointsOfProfiles,
  familiesOfProfiles,
  isProfileName,
  PROFILE_NAMES,
  profile,
  profilesOfFamilies,
  type ProfileName,
} from '../protocol/profiles.js';
import { SchemaRegistry } from '../protocol/schema-registry.js';
import { SOCKETIO_PATH } from '../protocol/socketio.js';
import { InMemoryBus } from './bus.js';
import { systemClock, type Clock } from './clock.js';
import type { Cluster, ClusterTimers } from './cluster/index.js';
import { isRedisUrl } from './cluster/redis-url.js';
import { Connection, type ClientMessageValidator, type CoreDependencies } from './core/connection.js';
import { errorMessage, guardedClock } from './core/guard.js';
import type { SubprotocolSelection } from './core/handshake.js';
import { InMemoryLimitCounters, type LimitCounters } from './core/limit-counters.js';
import type { ConnectionScope } from './core/policies.js';
import { TimedRequestMemory, type RequestMemory } from './core/request-memory.js';
import { InMemorySessionStore, type SessionStore } from './core/session-store.js';
import type { EndpointHandler } from './endpoint-handler.js';
import { createSimulation } from './endpoints/index.js';
import { dialectTransport } from './dialect-transport.js';
import type { SimulationBackend } from './endpoints/simulation-sources.js';
import type { Bus } from './bus.js';
import { FORGETFUL_REQUEST_MEMORY, serverSeams } from './faults/index.js';
import { idTypeBlind } from './faults/requests.js';
import { decoratePeer } from './faults/socketio.js';
import { decorateWire } from './faults/wire.js';
import { DEFAULT_ALLOWED_ORIGINS, isOriginAllowed } from './origin.js';
import { mintToken, verifyToken, type MintOptions } from './token.js';
import { attachSocketIo } from './socketio-adapter.js';
import { SocketIoBinding } from './socketio-binding.js';
import { DEFAULT_CHAT_QUOTA, type ChatQuota } from './sources/chat-store.js';
import { systemScheduler } from './sources/scheduler.js';
import { bindSocket, wsTransport } from './ws-adapter.js';

export type { Clock } from './clock.js';
export type {
  EndpointHandler,
  IncomingRequest,
  OutgoingData,
  ScopeRefusal,
  SessionContext,
  SessionStart,
} from './endpoint-handler.js';
export type { EndpointName, Family } from '../protocol/endpoints.js';
export { InMemoryLimitCounters, type LimitCounters } from './core/limit-counters.js';
export type { RateCount } from './core/rate-window.js';
export type { Bus, BusListener, SubscribeOptions, TopicPosition } from './bus.js';
export type { ClusterTimers } from './cluster/index.js';
export type { ChatQuota } from './sources/chat-store.js';
export type { MintOptions } from './token.js';

/** Secret of development tokens (`npm run token`); set `tokenSecret` for anything else. */
export const DEV_TOKEN_SECRET = 'tidewire-dev-secret-not-for-production';

export interface ServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** RFC 6455 and application ping interval; default 30 000 (HB-001). */
  heartbeatIntervalMs?: number;
  /** A ping unanswered this long closes the connection with 4408; default 10 000 (HB-002). */
  heartbeatTimeoutMs?: number;
  /** How long a dropped session can be resumed; default 120 000. */
  resumeWindowMs?: number;
  /** Larger client messages get close 1009; default 65 536 (CL-005). */
  maxMessageBytes?: number;
  /** Client messages per window per connection; default 100 per 60 000 ms. */
  rateLimit?: { maxMessages: number; windowMs: number };
  /**
   * Client messages per window of all connections of one user together (connections without a token:
   * of one client address); default fifty times `rateLimit` over the same window (RL-009, RL-010).
   */
  userRateLimit?: { maxMessages: number; windowMs: number };
  /** Client messages nested deeper than this get INVALID_MESSAGE unread; default 32 (ERR-011). */
  maxMessageDepth?: number;
  /**
   * Client messages with more items than this (array elements and object members, over the whole
   * message) get INVALID_MESSAGE unread; default 1 024 (ERR-011).
   */
  maxMessageItems?: number;
  /**
   * Open connections allowed per user (close 1013, SEC-004; default 64), per client address (HTTP 429,
   * SEC-005; default 256) and in total (HTTP 503, SEC-006; default 10 000).
   */
  connectionLimits?: { perUser?: number; perAddress?: number; total?: number };
  /** An upgrade request not complete within this gets HTTP 408 and is closed; default 10 000. */
  handshakeTimeoutMs?: number;
  /**
   * Where the limits across connections are counted; default in this server's memory, or with `redis`
   * in Redis, across the instances (CLU-007).
   */
  counters?: LimitCounters;
  /** `optional` (default): campaign and market endpoints accept anonymous users; chat always needs a token. */
  auth?: 'required' | 'optional';
  /** HS256 secret of tokens; default `DEV_TOKEN_SECRET`. */
  tokenSecret?: string;
  /** Allowed Origins (`http://localhost:*` style entries) or `'*'`; default localhost and 127.0.0.1. */
  allowedOrigins?: string[] | '*';
  /** Seeded simulation; `speed` multiplies source cadences (default 1). */
  simulation?: { seed?: number; speed?: number };
  /** Families to serve (default all, or those of `profiles`); upgrades on the others get 404. */
  families?: Family[];
  /**
   * Profiles to offer (section 15.7; default every profile of `families`): the server serves their
   * endpoints, lists them in `connection_established.profiles`, and speaks their source dialects.
   */
  profiles?: ProfileName[];
  /** Requirement IDs to break on purpose (see faults/index.ts). */
  faults?: string[];
  /** Serve the Socket.IO binding under `/socket.io/` when the depth profile is offered (default true). */
  socketIo?: boolean;
  /** Data messages kept per session for replay on resume; default 1 000. */
  resumeBufferMessages?: number;
  /** Characters of data messages kept per session for replay (the newest is always kept); default 1 MiB. */
  resumeBufferBytes?: number;
  /** Caps on the chat messages the simulation keeps (see `ChatQuota` for the defaults). */
  chatQuota?: Partial<ChatQuota>;
  /**
   * `redis://host:port[/db]` (or `unix:///path`): this server is one instance of a deployment; every
   * instance given the same URL serves the same sessions, rooms and data (docs/cluster.md).
   */
  redis?: string;
  /** Which instance of a deployment this is, in `connection_established` (default: a random id). */
  instanceId?: string;
  /** Timers of a deployment's instances (with `redis`). */
  cluster?: Partial<ClusterTimers>;
  logger?: (line: string) => void;
  /** For tests and embedding: endpoint handlers used instead of the simulation (endpoints without one get 404). */
  handlers?: Partial<Record<EndpointName, EndpointHandler>>;
  /** For tests: the time source of every protocol timer. */
  clock?: Clock;
  /** For tests and embedding: client message validation (default: the schemas under schemas/). */
  validator?: ClientMessageValidator;
}

export interface ResolvedServerOptions {
  port: number;
  host: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  resumeWindowMs: number;
  maxMessageBytes: number;
  rateLimit: { maxMessages: number; windowMs: number };
  userRateLimit: { maxMessages: number; windowMs: number };
  maxMessageDepth: number;
  maxMessageItems: number;
  connectionLimits: { perUser: number; perAddress: number; total: number };
  handshakeTimeoutMs: number;
  auth: 'required' | 'optional';
  tokenSecret: string;
  allowedOrigins: readonly string[] | '*';
  simulation: { seed: number; speed: number };
  families: Family[];
  profiles: ProfileName[];
  faults: string[];
  socketIo: boolean;
  resumeBufferMessages: number;
  resumeBufferBytes: number;
  chatQuota: ChatQuota;
  redis: string | undefined;
  instanceId: string;
  cluster: ClusterTimers;
  logger: (line: string) => void;
}

export interface ReferenceServer {
  /** `ws://host:port` */
  url: string;
  port: number;
  options: ResolvedServerOptions;
  /**
   * The bus the simulated sources publish on (undefined with custom `handlers`): what is published to a
   * topic reaches its subscribers as the sources' messages do, on every instance of a deployment. The
   * benchmarks offer their load through it.
   */
  bus: Bus | undefined;
  mintToken(userId: string, opts?: MintOptions): Promise<string>;
  /** Closes every connection with 1001, ends every session and stops listening. */
  close(): Promise<void>;
  /** Live connections and kept sessions (resumable ones included), for leak checks. */
  stats(): { connections: number; sessions: number };
}

/** How long close() waits for clients to finish the close handshake before dropping them. */
const SHUTDOWN_GRACE_MS = 2_000;
/** An idle HTTP connection (after a plain request answered 426) is closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** The one `Sec-WebSocket-Version` served: RFC 6455. */
const WEBSOCKET_VERSION = '13';
/** A frame header is at most 14 bytes; one more buffered read per frame boundary is allowed for it. */
const MAX_FRAME_HEADER_BYTES = 14;
const DEFAULT_SIMULATION_SEED = 1;

export function resolveOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const rateLimit = options.rateLimit ?? {
    maxMessages: Defaults.rateLimitMaxMessages,
    windowMs: Defaults.rateLimitWindowMs,
  };
  const resolved: ResolvedServerOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? Defaults.heartbeatIntervalMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? Defaults.heartbeatTimeoutMs,
    resumeWindowMs: options.resumeWindowMs ?? Defaults.resumeWindowMs,
    maxMessageBytes: options.maxMessageBytes ?? Defaults.maxMessageBytes,
    rateLimit,
    userRateLimit: options.userRateLimit ?? {
      maxMessages: rateLimit.maxMessages * Defaults.userRateLimitFactor,
      windowMs: rateLimit.windowMs,
    },
    maxMessageDepth: options.maxMessageDepth ?? Defaults.maxMessageDepth,
    maxMessageItems: options.maxMessageItems ?? Defaults.maxMessageItems,
    connectionLimits: {
      perUser: options.connectionLimits?.perUser ?? Defaults.connectionsPerUser,
      perAddress: options.connectionLimits?.perAddress ?? Defaults.connectionsPerAddress,
      total: options.connectionLimits?.total ?? Defaults.maxConnections,
    },
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? Defaults.handshakeTimeoutMs,
    auth: options.auth ?? 'optional',
    tokenSecret: options.tokenSecret ?? DEV_TOKEN_SECRET,
    allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
    simulation: {
      seed: options.simulation?.seed ?? DEFAULT_SIMULATION_SEED,
      speed: options.simulation?.speed ?? 1,
    },
    families: options.families ?? [...FAMILIES],
    profiles: options.profiles ?? [],
    faults: options.faults ?? [],
    socketIo: options.socketIo ?? true,
    resumeBufferMessages: options.resumeBufferMessages ?? Defaults.resumeBufferMessages,
    resumeBufferBytes: options.resumeBufferBytes ?? Defaults.resumeBufferBytes,
    chatQuota: { ...DEFAULT_CHAT_QUOTA, ...options.chatQuota },
    redis: options.redis,
    instanceId: options.instanceId ?? `i-${randomUUID().slice(0, 8)}`,
    cluster: { ...DEFAULT_CLUSTER_TIMERS, ...options.cluster },
    logger: options.logger ?? (() => {}),
  };
  const positive: Array<[string, number]> = [
    ['heartbeatIntervalMs', resolved.heartbeatIntervalMs],
    ['heartbeatTimeoutMs', resolved.heartbeatTimeoutMs],
    ['resumeWindowMs', resolved.resumeWindowMs],
    ['maxMessageBytes', resolved.maxMessageBytes],
    ['rateLimit.maxMessages', resolved.rateLimit.maxMessages],
    ['rateLimit.windowMs', resolved.rateLimit.windowMs],
    ['resumeBufferMessages', resolved.resumeBufferMessages],
    ['resumeBufferBytes', resolved.resumeBufferBytes],
    ['userRateLimit.maxMessages', resolved.userRateLimit.maxMessages],
    ['userRateLimit.windowMs', resolved.userRateLimit.windowMs],
    ['maxMessageDepth', resolved.maxMessageDepth],
    ['maxMessageItems', resolved.maxMessageItems],
    ['connectionLimits.perUser', resolved.connectionLimits.perUser],
    ['connectionLimits.perAddress', resolved.connectionLimits.perAddress],
    ['connectionLimits.total', resolved.connectionLimits.total],
    ['handshakeTimeoutMs', resolved.handshakeTimeoutMs],
    ...Object.entries(resolved.chatQuota).map(([name, value]): [string, number] => [
      `chatQuota.${name}`,
      value,
    ]),
    ['cluster.leaseMs', resolved.cluster.leaseMs],
    ['cluster.reconnectMs', resolved.cluster.reconnectMs],
  ];
  for (const [name, value] of positive) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) {
    throw new Error(`port must be an integer from 0 to 65535, got ${resolved.port}`);
  }
  if (resolved.auth !== 'required' && resolved.auth !== 'optional') {
    throw new Error(`auth must be "required" or "optional", got "${String(resolved.auth)}"`);
  }
  if (!(resolved.simulation.speed > 0))
    throw new Error(`simulation speed must be positive, got ${resolved.simulation.speed}`);
  if (!Number.isSafeInteger(resolved.simulation.seed))
    throw new Error(`simulation seed must be an integer, got ${resolved.simulation.seed}`);
  if (options.profiles !== undefined) resolveProfiles(resolved, options.families !== undefined);
  if (resolved.families.length === 0)
    throw new Error(`families must name at least one of ${FAMILIES.join(', ')}`);
  for (const family of resolved.families) {
    if (!FAMILIES.includes(family))
      throw new Error(`unknown family "${family}"; families are ${FAMILIES.join(', ')}`);
  }
  if (options.profiles === undefined) resolved.profiles = profilesOfFamilies(resolved.families);
  if (resolved.tokenSecret === '') throw new Error('tokenSecret must not be empty');
  if (resolved.redis !== undefined && !isRedisUrl(resolved.redis)) {
    throw new Error(`redis must be a redis://, rediss:// or unix:// URL, got "${resolved.redis}"`);
  }
  if (resolved.instanceId === '') throw new Error('instanceId must not be empty');
  return resolved;
}

/** Checks the `profiles` option; the families served are theirs unless `families` was given too. */
function resolveProfiles(resolved: ResolvedServerOptions, familiesGiven: boolean): void {
  if (resolved.profiles.length === 0)
    throw new Error(`profiles must name at least one of ${PROFILE_NAMES.join(', ')}`);
  for (const name of resolved.profiles) {
    if (!isProfileName(name))
      throw new Error(`unknown profile "${String(name)}"; profiles are ${PROFILE_NAMES.join(', ')}`);
  }
  if (!familiesGiven) resolved.families = familiesOfProfiles(resolved.profiles);
  for (const name of resolved.profiles) {
    const { family } = profile(name);
    if (!resolved.families.includes(family))
      throw new Error(`profile ${name} belongs to the ${family} family, which families does not name`);
  }
}
/** Timers of a deployment's instances (docs/cluster.md). */
export const DEFAULT_CLUSTER_TIMERS: ClusterTimers = { leaseMs: 3_000, reconnectMs: 1_000 };

export async function createServer(options: ServerOptions = {}): Promise<ReferenceServer> {
  // The one place where deliberate faults (if any) choose the server's seams.
  const seams = serverSeams(options.faults);
  const resolved = resolveOptions({ ...options, ...seams.options });
  const { logger } = resolved;
  // Everything the server runs on its own schedule goes through one guard: a failure is logged and
  // ends what it concerns (a connection, a session), never the process.
  const timerFailed = (error: unknown) => logger(`a timer failed: ${errorMessage(error)}`);
  const clock = guardedClock(options.clock ?? systemClock, timerFailed);
  const cluster = resolved.redis === undefined ? undefined : await joinCluster(resolved, seams, clock);
  const { handlers, stopSources, bus } = handlersFor(options, resolved, cluster?.backend, timerFailed);
  const decoratedHandlers = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      seams.decorateHandler(handler, name as EndpointName),
    ]),
  ) as Record<EndpointName, EndpointHandler>;
  const resumeWindowMs = seams.store.keepsDetachedSessions
    ? Number.POSITIVE_INFINITY
    : resolved.resumeWindowMs;
  const forgetful = !seams.store.remembersRequests;
  const requestMemory = (memory: RequestMemory) => (seams.store.idTypeBlind ? idTypeBlind(memory) : memory);
  const sessions: SessionStore & { dropAll?(): void } = cluster
    ? await cluster.sessionStore({
        resumeWindowMs,
        replyTtlMs: resolved.resumeWindowMs,
        bufferLimit: resolved.resumeBufferMessages,
        bufferBytes: resolved.resumeBufferBytes,
        handlers: decoratedHandlers,
        nextSeq: seams.policies.resume.nextSeq,
        remembersRequests: !forgetful,
        forgetfulMemory: FORGETFUL_REQUEST_MEMORY,
        decorateRequestMemory: requestMemory,
      })
    : new InMemorySessionStore({
        clock,
        resumeWindowMs,
        newRequestMemory: () =>
          forgetful
            ? FORGETFUL_REQUEST_MEMORY
            : requestMemory(new TimedRequestMemory(resolved.resumeWindowMs, clock)),
        logger,
      });
  const deps: CoreDependencies = {
    settings: resolved,
    policies: seams.policies,
    clock,
    handlers: decoratedHandlers,
    validator: options.validator ?? SchemaRegistry.shared(),
    sessions,
    counters: options.counters ?? cluster?.counters ?? new InMemoryLimitCounters(clock),
    verifyToken: (token) => verifyToken(resolved.tokenSecret, token, seams.token),
    newSessionId: () => randomUUID(),
    logger,
  };

  const { autoPong } = seams.socket;
  const { maxMessageBytes, connectionLimits, handshakeTimeoutMs } = resolved;
  const selections = new WeakMap<IncomingMessage, SubprotocolSelection>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // 0 is unlimited in `ws`.
    maxPayload: seams.socket.enforceMaxPayload ? maxMessageBytes : 0,
    // A message within maxMessageBytes may come in as many fragments as it has bytes, and its bytes in
    // as many reads; beyond that it is refused as too big (CL-008).
    ...(seams.socket.limitsFragmentsByBytes
      ? { maxFragments: maxMessageBytes, maxBufferedChunks: maxMessageBytes + MAX_FRAME_HEADER_BYTES }
      : {}),
    skipUTF8Validation: !seams.socket.validateUtf8,
    autoPong,
    handleProtocols: (_offered, request) => selections.get(request)?.selected ?? false,
  });
  const servedEndpoints: ReadonlySet<EndpointName> = new Set(endpointsOfProfiles(resolved.profiles));
  const sockets = new Map<Connection, WebSocket>();
  let shuttingDown = false;
  let onDrained: (() => void) | undefined;
  // Upgrades in progress or done, per client address and in total (SEC-005, SEC-006).
  const perAddress = new Map<string, number>();
  let upgrades = 0;
  const admits = (scope: ConnectionScope, open: number, limit: number) =>
    seams.policies.limits.admits(scope, open, limit);
  // Redis out of reach: live connections are closed with 1013 (new ones are refused the same way by the
  // store); clients come back once it can be reached again.
  cluster?.link.onAvailability((available) => {
    if (available) return;
    sessions.dropAll?.();
    for (const connection of [...sockets.keys()]) connection.unavailable(cluster.link.unavailable());
  });

  const http = createHttpServer(
    {
      // Stated, not inherited from Node (60 s, checked every 30 s): an upgrade request that is not
      // complete within handshakeTimeoutMs gets 408 and is closed.
      headersTimeout: handshakeTimeoutMs,
      requestTimeout: handshakeTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(handshakeTimeoutMs / 4))),
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    },
    (_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
      response.end('This is a Tidewire WebSocket server: connect with a WebSocket client.\n');
    },
  );

  const socketIo =
    // Source 002 (the depth profile) is the Socket.IO system.
    resolved.socketIo && resolved.profiles.includes('depth')
      ? attachSocketIo(
          http,
          // The same handlers, store and sources; the WebSocket binding's faults stay on its side.
          new SocketIoBinding({
            ...deps,
            handlers,
            policies: seams.socketIo.policies,
            verifyToken: (token) => verifyToken(resolved.tokenSecret, token, seams.socketIo.token),
            decoratePeer: (peer) => decoratePeer(seams.socketIo.wire, peer),
          }),
          {
            pingIntervalMs: resolved.heartbeatIntervalMs,
            pingTimeoutMs: resolved.heartbeatTimeoutMs,
            maxPayloadBytes: resolved.maxMessageBytes,
            allowedOrigins: resolved.allowedOrigins,
            seams: seams.socketIo.server,
          },
        )
      : undefined;

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(request.url ?? '/', 'http://localhost');
    // Engine.IO answers the upgrades of the Socket.IO binding itself.
    if (socketIo && url.pathname.startsWith(SOCKETIO_PATH)) return;
    const spec = endpointForPath(url.pathname);
    const served =
      spec !== undefined &&
      servedEndpoints.has(spec.name) &&
      handlers[spec.name] !== undefined &&
      !seams.upgrade.refusedPaths.includes(spec.path);
    if (!served) return refuseUpgrade(socket, 404, 'Not Found');
    const offeredProtocols = parseProtocols(request.headers['sec-websocket-protocol']);
    const subprotocol = seams.policies.handshake.selectSubprotocol(offeredProtocols, spec);
    // The Origin comes second in the order of checks, before the subprotocol (HS-012).
    const originFirst = seams.upgrade.originBeforeSubprotocol || subprotocol.acceptable;
    if (
      seams.upgrade.checksOrigin &&
      originFirst &&
      !isOriginAllowed(request.headers.origin, resolved.allowedOrigins)
    ) {
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    // RFC 6455 only: earlier drafts (hybi-08 sends its Origin as Sec-WebSocket-Origin) are refused (HS-016).
    if (
      seams.upgrade.refusesOtherVersions &&
      request.headers['sec-websocket-version'] !== WEBSOCKET_VERSION
    ) {
      return refuseUpgrade(socket, 426, 'Upgrade Required', { 'Sec-WebSocket-Version': WEBSOCKET_VERSION });
    }
    if (shuttingDown || !admits('total', upgrades, connectionLimits.total)) {
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    const address = socket.remoteAddress ?? '';
    if (!admits('address', perAddress.get(address) ?? 0, connectionLimits.perAddress)) {
      return refuseUpgrade(socket, 429, 'Too Many Requests');
    }
    upgrades += 1;
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    socket.once('close', () => {
      upgrades -= 1;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    selections.set(request, subprotocol);
    const dialect = seams.dialects.filterFor(spec, offeredProtocols, resolved.profiles);
    wss.handleUpgrade(request, socket, head, (ws) => {
      // A client of a source system hears only what its system had (section 15.6), whatever the core or
      // a wire fault sends.
      const sent = wsTransport(ws, socket, seams.socket);
      const wire = decorateWire(seams.wire, dialect ? dialectTransport(sent, dialect) : sent, {
        spec,
        settings: resolved,
        clock,
      });
      const connection = new Connection(
        deps,
        {
          spec,
          query: firstValues(url.searchParams),
          authorization: request.headers.authorization,
          offeredProtocols,
          subprotocol,
          remoteAddress: address,
        },
        wire.transport,
        (closed) => {
          sockets.delete(closed);
          if (sockets.size === 0) onDrained?.();
        },
      );
      sockets.set(connection, ws);
      bindSocket(ws, wire.input(connection), {
        autoPong,
        onError: (error) => connection.fail(error),
      });
      void connection.start();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(resolved.port, resolved.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    stopSources();
    await cluster?.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    shuttingDown = true;
    const drained = new Promise<void>((resolve) => {
      if (sockets.size === 0) resolve();
      onDrained = resolve;
    });
    for (const connection of [...sockets.keys()]) connection.shutdown();
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      drained,
      new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(graceTimer);
    for (const ws of sockets.values()) ws.terminate();
    socketIo?.close();
    sessions.stop();
    stopSources();
    await cluster?.close();
    wss.close();
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  };

  return {
    url: `ws://${hostInUrl}:${port}`,
    port,
    options: resolved,
    bus,
    mintToken: (userId, opts) => mintToken(resolved.tokenSecret, userId, opts),
    close: () => (closing ??= close()),
    stats: () => ({ connections: sockets.size + (socketIo?.sockets() ?? 0), sessions: sessions.size }),
  };
}

function handlersFor(
  options: ServerOptions,
  resolved: ResolvedServerOptions,
  backend: SimulationBackend | undefined,
  timerFailed: (error: unknown) => void,
): {
  handlers: Partial<Record<EndpointName, EndpointHandler>>;
  stopSources: () => void;
  bus: Bus | undefined;
} {
  if (options.handlers) return { handlers: options.handlers, stopSources: () => {}, bus: undefined };
  const simulation = createSimulation({
    ...resolved.simulation,
    scheduler: guardedClock(systemScheduler, timerFailed),
    backend: backend ?? {
      bus: new InMemoryBus({
        onListenerError: (topic, error) =>
          resolved.logger(`a delivery on ${topic} failed: ${errorMessage(error)}`),
      }),
    },
    chatQuota: resolved.chatQuota,
  });
  return { handlers: simulation.handlers, stopSources: () => simulation.stop(), bus: simulation.bus };
}

/** Connects this server to its deployment's Redis (loaded only then). */
async function joinCluster(
  resolved: ResolvedServerOptions,
  seams: ReturnType<typeof serverSeams>,
  clock: Clock,
): Promise<Cluster> {
  const { connectCluster } = await import('./cluster/index.js');
  return connectCluster({
    url: resolved.redis!,
    instanceId: resolved.instanceId,
    seed: resolved.simulation.seed,
    clock,
    timers: resolved.cluster,
    behaviour: seams.cluster,
    chatQuota: resolved.chatQuota,
    logger: resolved.logger,
  });
}

function refuseUpgrade(
  socket: Socket,
  status: number,
  statusText: string,
  headers: Record<string, string> = {},
): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
}

function parseProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Query parameters, the first value winning when one is repeated. */
function firstValues(search: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of search) if (!(name in values)) values[name] = value;
  return values;
}
