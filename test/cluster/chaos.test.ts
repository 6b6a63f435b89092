/**
 * Chaos: three instances in processes of their own share a real redis-server. A client follows a market
 * stream and a chat room while another posts to the room; the client's connections are cut a hundred
 * times at random, each reconnect (a resume) going to a random instance, and one instance is killed with
 * SIGKILL halfway and started again. Every `seq` of both sessions arrives exactly once and in order, and
 * every chat message posted arrives exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { mintToken } from '../../src/server/token.js';
import { openClient, type TestClient } from '../server/support/test-client.js';
import { scaled } from '../support/timing.js';
import { InstanceProcess } from './support/instances.js';
import { CHAT, MARKET, REPLY_MS } from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;

const CUTS = 100;
/** The cut at which one instance is killed (it is started again at once, in the background). */
const KILL_AT_CUT = 50;
/** A cut comes after up to this long on a connection. */
const MAX_CONNECTED_MS = scaled(80);
const POST_EVERY_MS = scaled(25);
/** A resume may have to wait out a dead instance's presence and its lease. */
const RESUME_MS = scaled(8_000);

let redis: RedisServer;
let instances: InstanceProcess[];

beforeAll(async () => {
  redis = await RedisServer.start();
  instances = ['i1', 'i2', 'i3'].map((id) => new InstanceProcess(redis.url, id));
  await Promise.all(instances.map((instance) => instance.start()));
}, scaled(400_000));

afterAll(async () => {
  await Promise.all((instances ?? []).map((instance) => instance.stop()));
  await redis?.dispose();
}, scaled(60_000));

/** One session the client follows across its connections, with everything it received, in order. */
class FollowedSession {
  sessionId = '';
  /** The data messages of the connections already cut. */
  private readonly before: Record<string, unknown>[] = [];
  private client: TestClient | undefined;

  constructor(
    readonly path: string,
    private readonly query: Record<string, string>,
  ) {}

  /** Every data message received, on every connection, in order. */
  get data(): Record<string, unknown>[] {
    return [...this.before, ...(this.client ? dataFrames(this.client) : [])];
  }

  get lastSeq(): number {
    return (this.data.at(-1)?.seq as number | undefined) ?? 0;
  }

  /** Connects to `url` (resuming once the session exists) and waits until it is served. */
  async connect(url: string): Promise<void> {
    const resume: Record<string, string> = this.sessionId
      ? { resume: this.sessionId, lastSeq: String(this.lastSeq) }
      : {};
    const search = new URLSearchParams({ ...this.query, ...resume }).toString();
    const client = await openClient(`${url}${this.path}?${search}`, { protocols: ['tidewire.v1'] });
    this.client = client;
    const established = await client.waitForMessage('connection_established', RESUME_MS);
    if (!this.sessionId) {
      this.sessionId = established.sessionId as string;
      return;
    }
    const outcome = await client.next(
      (f) => f.json?.type === 'resumed' || f.json?.type === 'resume_failed',
      `resumed on ${url}`,
      RESUME_MS,
    );
    if (outcome.json?.type !== 'resumed') throw new Error(`expected resumed, got: ${outcome.text}`);
  }

  send(message: Record<string, unknown>): void {
    this.client?.send(message);
  }

  /** Drops the connection as a network failure would; nothing it still had in flight is read. */
  cut(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.terminate();
    this.before.push(...dataFrames(client));
  }
}

/** The data messages (with `seq`) a connection received. */
function dataFrames(client: TestClient): Record<string, unknown>[] {
  return client.messages().filter((m) => typeof m.seq === 'number');
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/** Where a list of seq numbers is not 1, 2, 3 …: each place with what came before and after it. */
function outOfOrder(seqs: readonly number[]): string[] {
  return seqs
    .flatMap((seq, i) =>
      seq === i + 1 ? [] : [`at ${i}: ${seqs.slice(Math.max(0, i - 2), i + 3).join(', ')}`],
    )
    .slice(0, 5);
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithRedis('chaos across a deployment of three instances', () => {
  it(
    'delivers every seq once and in order, and every chat message once, through 100 cuts and a killed instance',
    async () => {
      const token = await mintToken(DEV_TOKEN_SECRET, '1');
      const running = () => instances.filter((instance) => instance.url !== '').map((i) => i.url);

      const market = new FollowedSession(MARKET, {});
      const chat = new FollowedSession(CHAT, { token, conversationId: '1' });
      await market.connect(pick(running()));
      market.send({ type: 'subscribe', symbols: ['BTC', 'ETH', 'SOL'] });
      await chat.connect(pick(running()));

      // The poster stays on the first instance, which is never killed.
      const poster = await openClient(`${instances[0].url}${CHAT}?token=${token}`, {
        protocols: ['tidewire.v1'],
      });
      await poster.waitForMessage('connection_established', REPLY_MS);
      const posted: string[] = [];
      let posting = true;
      const postingDone = (async () => {
        while (posting) {
          const content = `chaos ${posted.length}`;
          posted.push(content);
          poster.send({ type: 'chat_message', conversationId: 1, content });
          await pause(POST_EVERY_MS);
        }
      })();

      let restarted: Promise<void> = Promise.resolve();
      for (let cut = 1; cut <= CUTS; cut++) {
        await pause(Math.random() * MAX_CONNECTED_MS);
        market.cut();
        chat.cut();
        if (cut === KILL_AT_CUT) {
          const victim = instances[2];
          await victim.kill();
          victim.url = '';
          restarted = victim.start();
        }
        await Promise.all([market.connect(pick(running())), chat.connect(pick(running()))]);
      }
      posting = false;
      await postingDone;
      await restarted;

      const contents = () =>
        chat.data
          .filter((m) => m.type === 'chat_message')
          .map((m) => (m.message as { content: string }).content);
      const deadline = Date.now() + RESUME_MS;
      while (posted.some((content) => !contents().includes(content)) && Date.now() < deadline)
        await pause(20);

      for (const session of [market, chat]) {
        const seqs = session.data.map((m) => m.seq as number);
        expect(seqs.length).toBeGreaterThan(CUTS);
        expect(outOfOrder(seqs), `${session.path}: seq not 1, 2, 3 …`).toEqual([]);
      }
      const received = contents().filter((content) => content.startsWith('chaos '));
      expect(received.length).toBe(posted.length);
      expect(new Set(received)).toEqual(new Set(posted));
      poster.terminate();
    },
    scaled(240_000),
  );
});
