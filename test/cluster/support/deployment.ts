/**
 * A deployment for the cluster tests: a real redis-server and in-process instances sharing it, plus the
 * client steps the tests repeat (open a session on one instance, drop it, resume it on another).
 */
import type { ReferenceServer, ServerOptions } from '../../../src/server/index.js';
import { openClient, type TestClient } from '../../server/support/test-client.js';
import { scaled } from '../../support/timing.js';
import { startInstances } from './instances.js';
import { RedisServer } from '../../support/redis-server.js';

/**
 * A user's message limit that takes fewer messages than the 65 connections of the default connection
 * limit: CLU-007's check then counts messages.
 */
export const SMALL_USER_LIMIT = { userRateLimit: { maxMessages: 20, windowMs: scaled(60_000) } };

export const MARKET = '/ws/market_data';
export const CHAT = '/ws/chat/';

/** Waits for replies and deliveries: one reply deadline, stretched by the suite's scale. */
export const REPLY_MS = scaled(3_000);

export interface Deployment {
  redis: RedisServer;
  instances: ReferenceServer[];
  /** Opens a connection to instance `index` (wrapping around) and waits for `connection_established`. */
  open(
    index: number,
    path: string,
    query?: Record<string, string>,
  ): Promise<{ client: TestClient; established: Record<string, unknown> }>;
  /** Opens a connection and waits for its first message, whatever it is (a refusal too). */
  attempt(
    index: number,
    path: string,
    query?: Record<string, string>,
  ): Promise<{ client: TestClient; first: Record<string, unknown> }>;
  token(userId?: string): Promise<string>;
  close(): Promise<void>;
}

const clients: TestClient[] = [];

export async function startDeployment(
  count: number,
  options: ServerOptions & { shared?: boolean } = {},
): Promise<Deployment> {
  const { shared = true, ...serverOptions } = options;
  const redis = await RedisServer.start();
  let instances: ReferenceServer[];
  try {
    instances = await startInstances(count, shared ? redis.url : undefined, serverOptions);
  } catch (error) {
    await redis.dispose();
    throw error;
  }
  const attempt = async (index: number, path: string, query: Record<string, string> = {}) => {
    const server = instances[index % instances.length];
    const search = new URLSearchParams(query).toString();
    const client = await openClient(`${server.url}${path}${search ? `?${search}` : ''}`, {
      protocols: ['tidewire.v1'],
    });
    clients.push(client);
    const first = await client.next((f) => f.json !== undefined, 'a first message', REPLY_MS);
    return { client, first: first.json! };
  };
  return {
    redis,
    instances,
    attempt,
    async open(index, path, query = {}) {
      const { client, first } = await attempt(index, path, query);
      if (first.type !== 'connection_established') {
        throw new Error(`expected connection_established, got: ${JSON.stringify(first)}`);
      }
      return { client, established: first };
    },
    token: (userId = '1') => instances[0].mintToken(userId),
    async close() {
      for (const client of clients.splice(0)) client.terminate();
      await Promise.all(instances.map((server) => server.close()));
      await redis.dispose();
    },
  };
}

/** Data messages (those with `seq`) received so far. */
export function dataOf(client: TestClient): Record<string, unknown>[] {
  return client.messages().filter((m) => typeof m.seq === 'number');
}

/** The last `seq` received (0 when none). */
export function lastSeqOf(client: TestClient): number {
  return (dataOf(client).at(-1)?.seq as number | undefined) ?? 0;
}

/** Resume query of a session after `lastSeq`. */
export const resumeQuery = (sessionId: unknown, lastSeq: number, extra: Record<string, string> = {}) => ({
  ...extra,
  resume: String(sessionId),
  lastSeq: String(lastSeq),
});
