/**
 * The Socket.IO binding across the instances of a deployment: three instances in processes of their own
 * share a real redis-server, and real socket.io-client sockets reach them directly or through a
 * round-robin balancer. A namespace socket that drops comes back on another instance recovered, with
 * what it missed once and in order; the socket that still held its session is disconnected; a room's
 * events reach its members on every instance and binding.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Manager, type Socket } from 'socket.io-client';
import { DEV_TOKEN_SECRET } from '../../src/server/index.js';
import { mintToken } from '../../src/server/token.js';
import { Recording } from '../fixtures/seed-clients/seed-harness.js';
import { openClient } from '../server/support/test-client.js';
import { scaled } from '../support/timing.js';
import { RedisServer } from '../support/redis-server.js';
import { CHAT, REPLY_MS } from './support/deployment.js';
import { InstanceProcess, startInstances } from './support/instances.js';
import { RoundRobinBalancer } from './support/round-robin-balancer.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;

const PROGRESS = [10, 20, 30];
/** Between two reconnection attempts of socket.io-client: far below a reply deadline. */
const RECONNECT_DELAY_MS = scaled(50);

type Event = { event: string; args: unknown[] };

let redis: RedisServer;
let instances: InstanceProcess[];
let token: string;
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  instances = ['i1', 'i2', 'i3'].map((id) => new InstanceProcess(redis.url, id));
  await Promise.all(instances.map((instance) => instance.start()));
  token = await mintToken(DEV_TOKEN_SECRET, '1');
}, scaled(400_000));

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await Promise.all((instances ?? []).map((instance) => instance.stop()));
  await redis?.dispose();
}, scaled(60_000));

const httpUrl = (instance: InstanceProcess) => instance.url.replace(/^ws:/, 'http:');
const portOf = (instance: InstanceProcess) => Number(new URL(instance.url).port);

/** A socket.io-client socket on `namespace`, with every event it receives recorded, once connected. */
async function sioSocket(
  url: string,
  namespace: string,
  options: { reconnects?: boolean } = {},
): Promise<{ socket: Socket; events: Recording<Event>; disconnects: Recording<string> }> {
  const manager = new Manager(url, {
    transports: ['websocket'],
    reconnection: options.reconnects ?? false,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MS,
    autoConnect: false,
  });
  const socket = manager.socket(namespace, { auth: { token } });
  const events = new Recording<Event>();
  const connects = new Recording<Error | 'connect'>();
  const disconnects = new Recording<string>();
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  socket.on('connect', () => connects.push('connect'));
  socket.on('connect_error', (error) => connects.push(error));
  socket.on('disconnect', (reason) => disconnects.push(reason));
  socket.connect();
  cleanups.push(() => {
    socket.disconnect();
    manager.engine?.close();
  });
  const outcome = await connects.waitFor(() => true, `CONNECT for ${namespace} on ${url}`, REPLY_MS);
  if (outcome !== 'connect') throw outcome;
  return { socket, events, disconnects };
}

/** Emits with an acknowledgement callback and waits for it. */
async function request(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  return socket.timeout(REPLY_MS).emitWithAck(event, payload);
}

const offsetOf = (e: Event) => e.args.at(-1) as string;
const progressOf = (e: Event) =>
  (e.args[0] as { data?: { progress?: number } } | undefined)?.data?.progress ?? Number.NaN;
const isProgress = (value: number) => (e: Event) => e.event === 'project:update' && progressOf(e) === value;

describeWithRedis('the Socket.IO binding across the instances of a deployment', () => {
  // `/` carries chat, projects and notifications, each endpoint's state apart; `/projects` one of them.
  // A project of each: an instance that starts to read a topic delivers a moment of its past too.
  it.each([
    ['/projects', 31],
    ['/', 32],
  ])(
    'recovers a dropped socket of %s on another instance with the events it missed, once and in order',
    async (namespace, projectId) => {
      const balancer = await RoundRobinBalancer.start(instances.map(portOf));
      cleanups.push(() => balancer.close());
      const follower = await sioSocket(balancer.url, namespace, { reconnects: true });
      await request(follower.socket, 'project:join', { projectId });
      const poster = await sioSocket(httpUrl(instances[2]), namespace);
      await request(poster.socket, 'project:join', { projectId });

      balancer.hold();
      balancer.cut();
      await follower.disconnects.waitFor((reason) => reason === 'transport close', 'the drop', REPLY_MS);
      for (const progress of PROGRESS) {
        await request(poster.socket, 'project:progress', { projectId, progress });
      }
      const reconnected = new Recording<boolean>();
      follower.socket.once('connect', () => reconnected.push(follower.socket.recovered));
      balancer.release();

      expect(await reconnected.waitFor(() => true, 'the reconnection', REPLY_MS)).toBe(true);
      expect(balancer.routed).toEqual([0, 1]);
      const missed = await follower.events.waitFor(
        isProgress(PROGRESS[2]),
        'the last missed update',
        REPLY_MS,
      );
      const updates = follower.events.entries.filter((e) => e.event === 'project:update');
      expect(updates.map(progressOf)).toEqual(PROGRESS);
      const offsets = updates.map((e) => Number(offsetOf(e)));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      expect(await follower.events.staysAbsent(isProgress(PROGRESS[0]), REPLY_MS / 4, 2)).toBe(true);
      expect(offsetOf(missed)).toBe(offsetOf(updates.at(-1)!));

      // Recovered with its room: what is posted now reaches it live, on its new instance.
      await request(poster.socket, 'project:progress', { projectId, progress: 99 });
      await follower.events.waitFor(isProgress(99), 'a live update after the recovery', REPLY_MS);
    },
  );

  it('disconnects the socket that still holds a session recovered on another instance', async () => {
    const held = await sioSocket(httpUrl(instances[0]), '/chat');
    const pid = (held.socket as unknown as { _pid: string })._pid;
    const manager = new Manager(httpUrl(instances[1]), { transports: ['websocket'], reconnection: false });
    const recovering = manager.socket('/chat', { auth: { token, pid } });
    cleanups.push(() => void recovering.disconnect());
    const connected = new Recording<string | undefined>();
    recovering.on('connect', () => connected.push((recovering as unknown as { _pid?: string })._pid));
    recovering.connect();

    expect(await connected.waitFor(() => true, 'CONNECT on instance 2', REPLY_MS)).toBe(pid);
    expect(await held.disconnects.waitFor(() => true, 'the old socket disconnected', REPLY_MS)).toBe(
      'io server disconnect',
    );
  });

  it('treats a namespace session as unknown on an instance that does not serve its namespace', async () => {
    const [plain] = await startInstances(1, redis.url, { socketIo: false, instanceId: 'plain' });
    cleanups.push(() => plain.close());
    const { socket } = await sioSocket(httpUrl(instances[0]), '/projects');
    const pid = (socket as unknown as { _pid: string })._pid;
    const client = await openClient(`${plain.url}/ws/projects/?token=${token}&resume=${pid}&lastSeq=0`, {
      protocols: ['tidewire.v1'],
    });
    cleanups.push(() => client.terminate());
    expect(await client.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({
      reason: 'unknown_session',
    });
  });

  it('refuses on another instance a WebSocket resume of a namespace session, which keeps its socket', async () => {
    const held = await sioSocket(httpUrl(instances[0]), '/projects');
    const pid = (held.socket as unknown as { _pid: string })._pid;
    const client = await openClient(
      `${instances[1].url}/ws/projects/?token=${token}&resume=${pid}&lastSeq=0`,
      {
        protocols: ['tidewire.v1'],
      },
    );
    cleanups.push(() => client.terminate());
    expect(await client.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({
      reason: 'invalid_request',
    });
    // The socket still holds its session: an event of its own is answered on instance 1.
    await expect(request(held.socket, 'project:join', { projectId: 7 })).resolves.toBeDefined();
    expect(held.socket.connected).toBe(true);
    expect(held.disconnects.entries).toEqual([]);
  });

  it('delivers a chat message posted through one instance to members on the others, over both bindings', async () => {
    const conversationId = 1;
    const sioMember = await sioSocket(httpUrl(instances[0]), '/chat');
    await request(sioMember.socket, 'chat:join', { conversationId });
    const sender = await sioSocket(httpUrl(instances[1]), '/chat');
    await request(sender.socket, 'chat:join', { conversationId });
    const wsMember = await openClient(`${instances[2].url}${CHAT}?token=${token}`, {
      protocols: ['tidewire.v1'],
    });
    cleanups.push(() => wsMember.terminate());
    await wsMember.waitForMessage('connection_established', REPLY_MS);
    wsMember.send({ type: 'chat_join', conversationId, id: 'join' });
    await wsMember.next((f) => f.json?.type === 'ack', 'ack of chat_join', REPLY_MS);

    const content = `across instances ${Date.now()}`;
    await request(sender.socket, 'chat:message', { conversationId, content, type: 'text', metadata: {} });
    const carries = (e: Event) =>
      (e.args[0] as { message?: { content?: string } } | undefined)?.message?.content === content;
    await sioMember.events.waitFor(
      (e) => e.event === 'message:new' && carries(e),
      'message:new on i1',
      REPLY_MS,
    );
    const frame = await wsMember.next(
      (f) => f.json?.type === 'chat_message' && JSON.stringify(f.json).includes(content),
      'chat_message on i3',
      REPLY_MS,
    );
    expect(frame.json).toMatchObject({ type: 'chat_message', conversationId });
  });
});
