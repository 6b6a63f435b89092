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
import { SchemaRegistry } from '../protocol/schema-registry.js';
import { systemClock, type Clock } from './clock.js';
import type { Cluster, ClusterTimers } from './cluster/index.js';
import { isRedisUrl } from './cluster/redis-url.js';
import { Connection, type ClientMessageValidator, type CoreDependencies } from './core/connection.js';
import type { SubprotocolSelection } from './core/handshake.js';
import { TimedRequestMemory } from './core/request-memory.js';
import { InMemorySessionStore, type SessionStore } from './core/session-store.js';
import type { EndpointHandler } from './endpoint-handler.js';
import { createSimulation } from './endpoints/index.js';
import type { SimulationBackend } from './endpoints/simulation-sources.js';
import type { Bus } from './bus.js';
import { FORGETFUL_REQUEST_MEMORY, serverSeams } from './faults/index.js';
import { decorateWire } from './faults/wire.js';
import { DEFAULT_ALLOWED_ORIGINS, isOriginAllowed } from './origin.js';
import { mintToken, verifyToken } from './token.js';
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
  /** `optional` (default): campaign and market endpoints accept anonymous users; chat always needs a token. */
  auth?: 'required' | 'optional';
  /** HS256 secret of tokens; default `DEV_TOKEN_SECRET`. */
  tokenSecret?: string;
  /** Allowed Origins (`http://localhost:*` style entries) or `'*'`; default localhost and 127.0.0.1. */
  allowedOrigins?: string[] | '*';
  /** Seeded simulation; `speed` multiplies source cadences (default 1). */
  simulation?: { seed?: number; speed?: number };
  /** Families to serve (default all); upgrades on the others get 404. */
  families?: Family[];
  /** Requirement IDs to break on purpose (see faults/index.ts). */
  faults?: string[];
  /** Data messages kept per session for replay on resume. */
  resumeBufferMessages?: number;
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
  auth: 'required' | 'optional';
  tokenSecret: string;
  allowedOrigins: readonly string[] | '*';
  simulation: { seed: number; speed: number };
  families: Family[];
  faults: string[];
  resumeBufferMessages: number;
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
  mintToken(userId: string, opts?: { expiresInSeconds?: number }): Promise<string>;
  /** Closes every connection with 1001, ends every session and stops listening. */
  close(): Promise<void>;
  /** Live connections and kept sessions (resumable ones included), for leak checks. */
  stats(): { connections: number; sessions: number };
}

/** How long close() waits for clients to finish the close handshake before dropping them. */
const SHUTDOWN_GRACE_MS = 2_000;
const DEFAULT_SIMULATION_SEED = 1;

export function resolveOptions(options: ServerOptions = {}): ResolvedServerOptions {
  const resolved: ResolvedServerOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? Defaults.heartbeatIntervalMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? Defaults.heartbeatTimeoutMs,
    resumeWindowMs: options.resumeWindowMs ?? Defaults.resumeWindowMs,
    maxMessageBytes: options.maxMessageBytes ?? Defaults.maxMessageBytes,
    rateLimit: options.rateLimit ?? {
      maxMessages: Defaults.rateLimitMaxMessages,
      windowMs: Defaults.rateLimitWindowMs,
    },
    auth: options.auth ?? 'optional',
    tokenSecret: options.tokenSecret ?? DEV_TOKEN_SECRET,
    allowedOrigins: options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
    simulation: {
      seed: options.simulation?.seed ?? DEFAULT_SIMULATION_SEED,
      speed: options.simulation?.speed ?? 1,
    },
    families: options.families ?? [...FAMILIES],
    faults: options.faults ?? [],
    resumeBufferMessages: options.resumeBufferMessages ?? Defaults.resumeBufferMessages,
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
  if (resolved.families.length === 0)
    throw new Error(`families must name at least one of ${FAMILIES.join(', ')}`);
  for (const family of resolved.families) {
    if (!FAMILIES.includes(family))
      throw new Error(`unknown family "${family}"; families are ${FAMILIES.join(', ')}`);
  }
  if (resolved.tokenSecret === '') throw new Error('tokenSecret must not be empty');
  if (resolved.redis !== undefined && !isRedisUrl(resolved.redis)) {
    throw new Error(`redis must be a redis://, rediss:// or unix:// URL, got "${resolved.redis}"`);
  }
  if (resolved.instanceId === '') throw new Error('instanceId must not be empty');
  return resolved;
}

/** Timers of a deployment's instances (docs/cluster.md). */
export const DEFAULT_CLUSTER_TIMERS: ClusterTimers = { leaseMs: 3_000, reconnectMs: 1_000 };

export async function createServer(options: ServerOptions = {}): Promise<ReferenceServer> {
  const resolved = resolveOptions(options);
  // The one place where deliberate faults (if any) choose the server's seams.
  const seams = serverSeams(resolved.faults);
  const clock = options.clock ?? systemClock;
  const cluster = resolved.redis === undefined ? undefined : await joinCluster(resolved, seams, clock);
  const { handlers, stopSources, bus } = handlersFor(options, resolved, cluster?.backend);
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
  const sessions: SessionStore & { dropAll?(): void } = cluster
    ? await cluster.sessionStore({
        resumeWindowMs,
        replyTtlMs: resolved.resumeWindowMs,
        bufferLimit: resolved.resumeBufferMessages,
        handlers: decoratedHandlers,
        nextSeq: seams.policies.resume.nextSeq,
        remembersRequests: !forgetful,
        forgetfulMemory: FORGETFUL_REQUEST_MEMORY,
      })
    : new InMemorySessionStore({
        clock,
        resumeWindowMs,
        newRequestMemory: () =>
          forgetful ? FORGETFUL_REQUEST_MEMORY : new TimedRequestMemory(resolved.resumeWindowMs, clock),
        logger: resolved.logger,
      });
  const deps: CoreDependencies = {
    settings: resolved,
    policies: seams.policies,
    clock,
    handlers: decoratedHandlers,
    validator: options.validator ?? SchemaRegistry.shared(),
    sessions,
    verifyToken: (token) => verifyToken(resolved.tokenSecret, token, seams.token),
    newSessionId: () => randomUUID(),
    logger: resolved.logger,
  };

  const { autoPong } = seams.socket;
  const selections = new WeakMap<IncomingMessage, SubprotocolSelection>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // 0 is unlimited in `ws`.
    maxPayload: seams.socket.enforceMaxPayload ? resolved.maxMessageBytes : 0,
    skipUTF8Validation: !seams.socket.validateUtf8,
    autoPong,
    handleProtocols: (_offered, request) => selections.get(request)?.selected ?? false,
  });
  const sockets = new Map<Connection, WebSocket>();
  let shuttingDown = false;
  let onDrained: (() => void) | undefined;
  // Redis out of reach: live connections are closed with 1013 (new ones are refused the same way by the
  // store); clients come back once it can be reached again.
  cluster?.link.onAvailability((available) => {
    if (available) return;
    sessions.dropAll?.();
    for (const connection of [...sockets.keys()]) connection.unavailable(cluster.link.unavailable());
  });

  const http = createHttpServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end('This is a Tidewire WebSocket server: connect with a WebSocket client.\n');
  });

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(request.url ?? '/', 'http://localhost');
    const spec = endpointForPath(url.pathname);
    const served =
      spec !== undefined &&
      resolved.families.includes(spec.family) &&
      handlers[spec.name] !== undefined &&
      !seams.upgrade.refusedPaths.includes(spec.path);
    if (!served) return refuseUpgrade(socket, 404, 'Not Found');
    if (seams.upgrade.checksOrigin && !isOriginAllowed(request.headers.origin, resolved.allowedOrigins)) {
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (shuttingDown) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const offeredProtocols = parseProtocols(request.headers['sec-websocket-protocol']);
    const subprotocol = seams.policies.handshake.selectSubprotocol(offeredProtocols, spec);
    selections.set(request, subprotocol);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const wire = decorateWire(seams.wire, wsTransport(ws, socket, seams.socket), {
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
        },
        wire.transport,
        (closed) => {
          sockets.delete(closed);
          if (sockets.size === 0) onDrained?.();
        },
      );
      sockets.set(connection, ws);
      bindSocket(ws, wire.input(connection), { autoPong });
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
    stats: () => ({ connections: sockets.size, sessions: sessions.size }),
  };
}

function handlersFor(
  options: ServerOptions,
  resolved: ResolvedServerOptions,
  backend: SimulationBackend | undefined,
): {
  handlers: Partial<Record<EndpointName, EndpointHandler>>;
  stopSources: () => void;
  bus: Bus | undefined;
} {
  if (options.handlers) return { handlers: options.handlers, stopSources: () => {}, bus: undefined };
  const simulation = createSimulation({ ...resolved.simulation, backend });
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
    logger: resolved.logger,
  });
}

function refuseUpgrade(socket: Socket, status: number, statusText: string): void {
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
