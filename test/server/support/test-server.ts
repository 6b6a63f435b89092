/**
 * Builder of reference servers for the tests: test endpoints, short timers, port 0, and a client
 * factory that knows where to put the token. Call `stopTestServers` in `afterEach`.
 */
import { createServer, type ReferenceServer, type ServerOptions } from '../../../src/server/index.js';
import type { MintOptions } from '../../../src/server/token.js';
import { createTestEndpoints, type TestEndpoints } from './test-endpoints.js';
import { openClient, type ConnectOptions, type TestClient } from './test-client.js';
import { until } from './wait.js';

export interface ClientOptions extends ConnectOptions {
  query?: Record<string, string>;
  /** A token for the `token` query parameter. */
  token?: string;
}

export interface TestServer {
  server: ReferenceServer;
  endpoints: TestEndpoints;
  url(path: string, query?: Record<string, string>): string;
  connect(path: string, options?: ClientOptions): Promise<TestClient>;
  /** Connects and waits for `connection_established`. */
  establish(
    path: string,
    options?: ClientOptions,
  ): Promise<{ client: TestClient; established: Record<string, unknown> }>;
  token(userId?: string, opts?: MintOptions): Promise<string>;
}

/** Timers short enough for tests, long enough not to fire unless a test waits for them. */
export const TEST_TIMERS = {
  heartbeatIntervalMs: 60_000,
  heartbeatTimeoutMs: 1_000,
  resumeWindowMs: 5_000,
  rateLimit: { maxMessages: 50, windowMs: 60_000 },
} as const;

export const CAMPAIGN = '/ws/campaigns';
export const MARKET = '/ws/market_data';
export const CHAT = '/ws/chat/';
/** Campaign 1 of user 1. */
export const OWN_CAMPAIGN = { campaignId: '1', userId: '1' };

const running: ReferenceServer[] = [];
const clients: TestClient[] = [];

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const endpoints = createTestEndpoints();
  const server = await createServer({ ...TEST_TIMERS, handlers: endpoints.handlers, ...options });
  running.push(server);
  const url = (path: string, query: Record<string, string> = {}) => {
    const search = new URLSearchParams(query).toString();
    return `${server.url}${path}${search ? `?${search}` : ''}`;
  };
  const connect = async (path: string, options: ClientOptions = {}) => {
    const query = { ...options.query, ...(options.token ? { token: options.token } : {}) };
    const client = await openClient(url(path, query), options);
    clients.push(client);
    return client;
  };
  return {
    server,
    endpoints,
    url,
    connect,
    async establish(path, options) {
      const client = await connect(path, options);
      return { client, established: await client.waitForMessage('connection_established') };
    },
    token: (userId = '1', opts) => server.mintToken(userId, opts),
  };
}

/** The query of a resume of `sessionId` after `lastSeq`. */
export const resumeQuery = (sessionId: unknown, lastSeq: number): Record<string, string> => ({
  resume: String(sessionId),
  lastSeq: String(lastSeq),
});

/** The server has seen a dropped connection once it has no connection left. */
export const waitForDetach = (test: TestServer): Promise<void> =>
  until(() => test.server.stats().connections === 0, 'the server to see the dropped connection');

/**
 * A market session that received `seen` data messages, then lost its connection (`terminate`) or was
 * closed by the client with 1000 (`close`); resolves with its session id once the server has seen it.
 */
export async function droppedMarketSession(
  test: TestServer,
  seen: number,
  how: 'terminate' | 'close' = 'terminate',
): Promise<string> {
  const { client, established } = await test.establish(MARKET);
  for (let i = 1; i <= seen; i++)
    test.endpoints.emit('market_data', { type: 'prices_snapshot', data: { prices: [] } });
  for (let i = 1; i <= seen; i++) await client.waitForMessage('prices_snapshot');
  if (how === 'close') client.close(1000);
  else client.terminate();
  await client.waitForClose();
  await waitForDetach(test);
  return established.sessionId as string;
}

/** A test server that breaks the one rule with requirement ID `id` (see src/server/faults/index.ts). */
export function startFaultyServer(id: string, options: ServerOptions = {}): Promise<TestServer> {
  return startTestServer({ faults: [id], ...options });
}

export async function stopTestServers(): Promise<void> {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(running.splice(0).map((server) => server.close()));
}
