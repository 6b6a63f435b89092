/**
 * The limits per user across the instances of a deployment (CLU-007), with two instances in processes of
 * their own: a user's connections count together wherever they are, its messages fill one window for
 * both, a flood bars it on both, and the connections of an instance killed with SIGKILL stop counting
 * once its key in Redis runs out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLink } from '../../src/server/cluster/redis-link.js';
import { RedisKeys } from '../../src/server/cluster/redis-keys.js';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { mintToken } from '../../src/server/token.js';
import { openClient, type TestClient } from '../server/support/test-client.js';
import { scaled } from '../support/timing.js';
import { CLUSTER_TEST_OPTIONS, InstanceProcess } from './support/instances.js';
import { MARKET, REPLY_MS } from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const PER_USER = 4;
const USER_MESSAGES = 20;
/** A killed instance's key runs out within three leases (docs/cluster.md); twice that is the deadline. */
const INSTANCE_GONE_MS = 2 * 3 * CLUSTER_TEST_OPTIONS.cluster.leaseMs;

let redis: RedisServer;
let link: RedisLink;
let instances: InstanceProcess[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  const flags = [
    ...['--connections-per-user', String(PER_USER), '--user-rate-limit-max', String(USER_MESSAGES)],
    // One window for the whole file: no test waits for one to end.
    ...['--user-rate-limit-window-ms', String(scaled(600_000))],
  ];
  instances = [new InstanceProcess(redis.url, 'p1', flags), new InstanceProcess(redis.url, 'p2', flags)];
  await Promise.all(instances.map((instance) => instance.start()));
  link = await RedisLink.connect({
    url: redis.url,
    reconnectMs: REPLY_MS,
    connectTimeoutMs: REPLY_MS,
    logger: () => {},
  });
}, scaled(300_000));

afterAll(async () => {
  for (const client of clients) client.terminate();
  await link?.close();
  await Promise.all(instances.map((instance) => instance.stop()));
  await redis?.dispose();
}, scaled(60_000));

/** Opens a market connection of `user` on `instance` and returns it with its first message. */
async function attempt(instance: InstanceProcess, user: string) {
  const token = await mintToken(DEV_TOKEN_SECRET, user);
  const client = await openClient(`${instance.url}${MARKET}?token=${token}`, { protocols: ['tidewire.v1'] });
  clients.push(client);
  const first = await client.next((f) => f.json !== undefined, 'a first message', REPLY_MS);
  return { client, first: first.json! };
}

async function open(instance: InstanceProcess, user: string): Promise<TestClient> {
  const { client, first } = await attempt(instance, user);
  expect(first.type).toBe('connection_established');
  return client;
}

async function expectRefused(instance: InstanceProcess, user: string, code: string): Promise<void> {
  const { client, first } = await attempt(instance, user);
  expect(first).toMatchObject({ type: 'error', error: { code } });
  expect((await client.waitForClose(REPLY_MS)).code).toBe(1013);
}

/** Sends `count` pings and returns what answers each: `pong` or the error's code. */
async function pings(client: TestClient, count: number): Promise<string[]> {
  for (let i = 0; i < count; i++) client.send({ type: 'ping', id: `p${i}` });
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    const frame = await client.next(
      (f) => f.json?.id === `p${i}` || (f.json?.type === 'error' && f.json.id === `p${i}`),
      `the answer to ping p${i}`,
      REPLY_MS,
    );
    answers.push(frame.json!.type === 'pong' ? 'pong' : String((frame.json!.error as { code: string }).code));
  }
  return answers;
}

/** Messages of `user` counted in Redis in its current window, all instances together. */
async function countedInRedis(user: string): Promise<number> {
  const values = (await link.send(['HVALS', RedisKeys.limitWindow(`user:${user}`)])) as string[];
  return values.reduce((sum, value) => sum + Number(value), 0);
}

describeWithRedis('limits per user across instances in processes of their own', () => {
  it("refuses a user's connection over connectionLimits.perUser counted on both instances", async () => {
    const [p1, p2] = instances;
    for (let i = 0; i < PER_USER; i++) await open(instances[i % 2], 'conn-user');
    await expectRefused(p2, 'conn-user', 'TOO_MANY_CONNECTIONS');
    await expectRefused(p1, 'conn-user', 'TOO_MANY_CONNECTIONS');
  });

  it("refuses a user's messages over userRateLimit counted on both instances, then bars it on both", async () => {
    const [p1, p2] = instances;
    const first = await open(p1, 'flood-user');
    expect(await pings(first, USER_MESSAGES)).toEqual(Array(USER_MESSAGES).fill('pong'));
    const deadline = Date.now() + REPLY_MS;
    while ((await countedInRedis('flood-user')) < USER_MESSAGES && Date.now() < deadline);
    expect(await countedInRedis('flood-user')).toBe(USER_MESSAGES);
    // A connection that starts after the window filled elsewhere starts from the deployment's count.
    const second = await open(p2, 'flood-user');
    expect(await pings(second, USER_MESSAGES)).toEqual(Array(USER_MESSAGES).fill('RATE_LIMITED'));
    second.send({ type: 'ping', id: 'over' });
    expect((await second.waitForClose(REPLY_MS)).code).toBe(4429);
    await expectRefused(p1, 'flood-user', 'RATE_LIMITED');
  });

  it("counts a killed instance's connections no more once its key in Redis runs out", async () => {
    const [p1, p2] = instances;
    for (let i = 0; i < PER_USER; i++) await open(p1, 'killed-user');
    await expectRefused(p2, 'killed-user', 'TOO_MANY_CONNECTIONS');
    await p1.kill();
    const deadline = Date.now() + INSTANCE_GONE_MS;
    while ((await link.send(['EXISTS', RedisKeys.instance('p1')])) === 1 && Date.now() < deadline);
    expect(await link.send(['EXISTS', RedisKeys.instance('p1')])).toBe(0);
    for (let i = 0; i < PER_USER; i++) await open(p2, 'killed-user');
    await expectRefused(p2, 'killed-user', 'TOO_MANY_CONNECTIONS');
  });
});
