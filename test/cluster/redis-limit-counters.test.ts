/**
 * The limits per user counted in Redis (CLU-007), as two instances on one real redis-server count them:
 * one window for both, a gauge that forgets a dead instance's connections, bars that expire, and counters
 * that neither throw nor leak while Redis is away and write what they owe once it is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/server/clock.js';
import { RedisKeys } from '../../src/server/cluster/redis-keys.js';
import { RedisLimitCounters } from '../../src/server/cluster/redis-limit-counters.js';
import { RedisLink } from '../../src/server/cluster/redis-link.js';
import { StoreUnavailableError } from '../../src/server/core/session-store.js';
import { until } from '../server/support/wait.js';
import { scaled } from '../support/timing.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const RECONNECT_MS = scaled(100);
/** A window long enough to hold a test's counts on a busy machine, short enough to wait for its end. */
const WINDOW_MS = scaled(1_500);
/** Waits for Redis's answers and the other instance's news: many round trips and ticks. */
const SETTLE_MS = scaled(2_000);
const USER = 'user:alice';
const GAUGE = `connections:${USER}`;

interface Instance {
  id: string;
  link: RedisLink;
  counters: RedisLimitCounters;
}

let redis: RedisServer;
let instances: Instance[] = [];

async function startInstance(id: string, clock: Clock = systemClock): Promise<Instance> {
  const link = await RedisLink.connect({
    url: redis.url,
    reconnectMs: RECONNECT_MS,
    connectTimeoutMs: SETTLE_MS,
    logger: () => {},
  });
  const subscriber = await link.extraClient();
  const counters = new RedisLimitCounters({
    link,
    instanceId: id,
    clock,
    subscribe: (channel, listener) => subscriber.subscribe(channel, listener),
    logger: () => {},
  });
  await counters.listen();
  await announce(link, id);
  const instance = { id, link, counters };
  instances.push(instance);
  return instance;
}

/** What `connectCluster` keeps renewing while the instance lives. */
const announce = (link: RedisLink, id: string) =>
  link.send(['SET', RedisKeys.instance(id), '1', 'PX', 10 * SETTLE_MS]);

const countTimes = (instance: Instance, times: number) =>
  Array.from({ length: times }, () => instance.counters.countMessage(USER, WINDOW_MS)).at(-1)!;

beforeEach(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  for (const { counters, link } of instances.splice(0)) {
    counters.close();
    await link.close();
  }
  await redis.dispose();
});

describeWithRedis('limits per user counted in Redis', () => {
  it("counts one window for two instances: each hears the other's messages and both end it together", async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    expect(countTimes(a, 5).count).toBe(5);
    await a.counters.flush();
    await until(
      () => b.counters.counted(USER) === 5,
      "instance b to hear instance a's 5 messages",
      SETTLE_MS,
    );
    const onB = b.counters.countMessage(USER, WINDOW_MS);
    const endOnB = Date.now() + onB.retryAfterMs;
    expect(onB.count).toBe(6);
    await b.counters.flush();
    await until(() => a.counters.counted(USER) === 6, "instance a to hear instance b's message", SETTLE_MS);
    // The window is Redis's: it started with a's first count, and b ends it then too.
    const endOnA = Date.now() + a.counters.countMessage(USER, WINDOW_MS).retryAfterMs;
    expect(Math.abs(endOnA - endOnB)).toBeLessThan(WINDOW_MS / 10);
    await until(() => a.counters.counted(USER) === 0, 'the window to end on a', 2 * WINDOW_MS);
    await until(() => b.counters.counted(USER) === 0, 'the window to end on b', 2 * WINDOW_MS);
    expect(b.counters.countMessage(USER, WINDOW_MS).count).toBe(1);
  });

  it("sends the next window's messages when the last addition of the previous one is answered after it ended", async () => {
    let nowMs = Date.now();
    const a = await startInstance('a', { ...systemClock, now: () => nowMs });
    a.counters.countMessage(USER, WINDOW_MS);
    const answered = a.counters.flush();
    nowMs += WINDOW_MS;
    expect(a.counters.countMessage(USER, WINDOW_MS).count).toBe(1);
    await answered;
    await a.counters.flush();
    const counted = await a.link.send(['HGET', RedisKeys.limitWindow(USER), 'a']);
    expect(Number(counted)).toBe(2);
  });

  it('gives a new connection the window as Redis has it, before any news arrives', async () => {
    const a = await startInstance('a');
    countTimes(a, 7);
    await a.counters.flush();
    const b = await startInstance('b');
    expect(await b.counters.barredForMs(USER)).toBe(0);
    expect(b.counters.countMessage(USER, WINDOW_MS).count).toBe(8);
  });

  it("sums a user's connections over live instances and forgets those of an instance that died", async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    expect(await a.counters.add(GAUGE, 1)).toBe(1);
    expect(await a.counters.add(GAUGE, 1)).toBe(2);
    expect(await b.counters.add(GAUGE, 1)).toBe(3);
    // a dies: its key runs out, as connectCluster stops renewing it.
    await b.link.send(['DEL', RedisKeys.instance('a')]);
    expect(await b.counters.add(GAUGE, 1)).toBe(2);
    expect(await b.counters.add(GAUGE, -2)).toBe(0);
    expect(await b.link.send(['EXISTS', RedisKeys.limitGauge(GAUGE)])).toBe(0);
  });

  it('bars a key on every instance until its time runs out', async () => {
    const [a, b] = [await startInstance('a'), await startInstance('b')];
    const barMs = scaled(1_000);
    a.counters.bar(USER, barMs);
    await a.link.barrier();
    const left = await b.counters.barredForMs(USER);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(barMs);
    let barred = left;
    const deadline = Date.now() + 2 * barMs;
    while (barred > 0 && Date.now() < deadline) barred = await b.counters.barredForMs(USER);
    expect(barred).toBe(0);
  });

  it('neither throws nor leaks while Redis is away, and writes what it owes once Redis is back', async () => {
    const a = await startInstance('a');
    await a.counters.add(GAUGE, 1);
    await a.counters.add(GAUGE, 1);
    const away = new Promise<void>((resolve) => {
      const stop = a.link.onAvailability((available) => available || (stop(), resolve()));
    });
    await redis.stop();
    await away;

    expect(countTimes(a, 3).count).toBe(3);
    a.counters.bar(USER, WINDOW_MS);
    await expect(a.counters.add(GAUGE, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    // A connection that goes away meanwhile still closes, and counts no more.
    expect(await a.counters.add(GAUGE, -1)).toBe(1);
    await expect(a.counters.barredForMs(USER)).rejects.toBeInstanceOf(StoreUnavailableError);
    await a.counters.flush();

    await redis.start();
    await until(() => a.link.isAvailable, 'the link to reach Redis again', SETTLE_MS);
    // Redis came back empty: the one connection a still holds is written again.
    const gauge = async () => Number(await a.link.send(['HGET', RedisKeys.limitGauge(GAUGE), 'a']));
    const deadline = Date.now() + SETTLE_MS;
    let held = await gauge();
    while (held !== 1 && Date.now() < deadline) held = await gauge();
    expect(held).toBe(1);
    await a.counters.add(GAUGE, -1);
    await until(() => a.counters.counted(USER) === 0, 'the window to end', 2 * WINDOW_MS);
    countTimes(a, 1);
    expect(a.counters.size).toBeLessThanOrEqual(2);
  });
});
