/**
 * The reference server's Socket.IO binding over the domain core it shares with the WebSocket endpoints:
 * messages cross between the bindings in one conversation, namespaces of one connection share its user,
 * the rate limit counts a user's events on every connection, a recovered session keeps its rooms and
 * disconnects the socket it was taken from, and the origin allow-list and shutdown apply to both bindings.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Manager, io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { Recording } from '../fixtures/seed-clients/seed-harness.js';
import { scaled } from '../support/timing.js';

const HEARTBEAT_MS = scaled(1_000);
const WAIT_MS = 3 * HEARTBEAT_MS;
const RATE_LIMIT = { maxMessages: 5, windowMs: 10 * HEARTBEAT_MS };
/** Conversation 12 belongs to user 2. */
const USER = '2';
const CONVERSATION = 12;

let server: ReferenceServer;
let token: string;
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  server = await createServer({
    heartbeatIntervalMs: HEARTBEAT_MS,
    heartbeatTimeoutMs: 2 * HEARTBEAT_MS,
    rateLimit: RATE_LIMIT,
    simulation: { seed: 1, speed: 100 },
  });
  token = await server.mintToken(USER);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await server.close();
});

type Event = { event: string; args: unknown[] };

/** A socket.io-client socket on `namespace` of its own connection, with every event it receives recorded. */
async function sioSocket(
  namespace: string,
  options: { token?: string | null; manager?: Manager; auth?: Record<string, unknown> } = {},
): Promise<{ socket: Socket; events: Recording<Event> }> {
  const manager =
    options.manager ??
    new Manager(`http://127.0.0.1:${server.port}`, { transports: ['websocket'], reconnection: false });
  const auth = options.auth ?? (options.token === null ? {} : { token: options.token ?? token });
  const socket = manager.socket(namespace, { auth });
  const events = new Recording<Event>();
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  const outcome = new Recording<Error | 'connect'>();
  socket.on('connect', () => outcome.push('connect'));
  socket.on('connect_error', (error) => outcome.push(error));
  socket.connect();
  cleanups.push(() => void socket.disconnect());
  const result = await outcome.waitFor(() => true, `CONNECT for ${namespace}`, WAIT_MS);
  if (result !== 'connect') throw result;
  return { socket, events };
}

/** `connection:established` of a namespace socket (its `sessionId` is the socket's `pid`). */
async function establishedOf(
  events: Recording<Event>,
): Promise<Record<string, unknown> & { sessionId: string }> {
  const event = await events.waitFor((e) => e.event === 'connection:established', 'established', WAIT_MS);
  return event.args[0] as Record<string, unknown> & { sessionId: string };
}

async function wsChat(
  query = `conversationId=${CONVERSATION}`,
): Promise<{ ws: WebSocket; messages: Recording<Record<string, unknown>> }> {
  const ws = new WebSocket(`${server.url}/ws/chat/?${query}&token=${token}`, ['tidewire.v1']);
  const messages = new Recording<Record<string, unknown>>();
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  cleanups.push(() => ws.close());
  await messages.waitFor((m) => m.type === 'connection_established', 'connection_established', WAIT_MS);
  return { ws, messages };
}

const carrying = (content: string) => (e: Event) =>
  (e.args[0] as { message?: { content?: string } } | undefined)?.message?.content === content;

describe('the Socket.IO binding of the reference server', () => {
  it('delivers a chat:message sent over Socket.IO to a WebSocket member of the conversation, and the reverse', async () => {
    const { messages, ws } = await wsChat();
    const { socket, events } = await sioSocket('/chat');
    await socket.timeout(WAIT_MS).emitWithAck('chat:join', { conversationId: CONVERSATION });

    socket.emit('chat:message', { conversationId: CONVERSATION, content: 'from socket.io', type: 'text' });
    const received = await messages.waitFor(
      (m) => m.type === 'chat_message' && (m.message as { content: string }).content === 'from socket.io',
      'the Socket.IO message on the WebSocket',
      WAIT_MS,
    );
    expect(received).toMatchObject({
      conversationId: CONVERSATION,
      message: { senderId: USER, contentType: 'text' },
    });

    ws.send(
      JSON.stringify({ type: 'chat_message', conversationId: CONVERSATION, content: 'from websocket' }),
    );
    const event = await events.waitFor(
      (e) => e.event === 'message:new' && carrying('from websocket')(e),
      'the WebSocket message on Socket.IO',
      WAIT_MS,
    );
    // The same message, the same schema: the WebSocket binding's chat_message, with its offset.
    expect(event.args).toEqual([
      expect.objectContaining({ type: 'chat_message', seq: expect.any(Number) }),
      expect.any(String),
    ]);
    await events.waitFor(
      (e) => e.event === 'chat:message' && carrying('from websocket')(e),
      'chat:message',
      WAIT_MS,
    );
  });

  it('accepts a namespace without a token for the user of its connection, and refuses it on a fresh connection', async () => {
    const manager = new Manager(`http://127.0.0.1:${server.port}`, {
      transports: ['websocket'],
      reconnection: false,
    });
    await sioSocket('/projects', { manager });
    const { events } = await sioSocket('/chat', { manager, token: null });
    expect(await establishedOf(events)).toMatchObject({
      namespace: '/chat',
      auth: { mode: 'required', userId: USER },
    });
    await expect(sioSocket('/chat', { token: null })).rejects.toMatchObject({
      data: { type: 'authentication_error', error_code: 'AUTH_REQUIRED', closeCode: 4001 },
    });
  });

  it('counts the events of a user on all of their connections against one rate limit', async () => {
    const first = await sioSocket('/projects');
    const second = await sioSocket('/notifications');
    const replies: unknown[] = [];
    for (let i = 0; i < RATE_LIMIT.maxMessages; i++) {
      const { socket } = i % 2 === 0 ? first : second;
      const event = i % 2 === 0 ? 'project:join' : 'notifications:subscribe';
      replies.push(await socket.timeout(WAIT_MS).emitWithAck(event, i % 2 === 0 ? { projectId: 1 } : {}));
    }
    expect(replies.every((reply) => (reply as { type: string }).type === 'ack')).toBe(true);
    const refused = await second.socket.timeout(WAIT_MS).emitWithAck('notifications:subscribe', {});
    expect(refused).toMatchObject({
      type: 'error',
      error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
    });
    expect(first.socket.connected && second.socket.connected).toBe(true);
  });

  it('recovers a session on a new connection, keeps its rooms and disconnects the socket it replaces', async () => {
    const old = await sioSocket('/chat');
    await old.socket.timeout(WAIT_MS).emitWithAck('chat:join', { conversationId: CONVERSATION });
    const pid = (await establishedOf(old.events)).sessionId;
    const disconnected = new Recording<string>();
    old.socket.on('disconnect', (reason) => disconnected.push(reason));

    const recovered = await sioSocket('/chat', { auth: { token, pid } });
    expect(await establishedOf(recovered.events)).toMatchObject({ sessionId: pid, resumed: true });
    expect(await disconnected.waitFor(() => true, 'the older socket disconnected', WAIT_MS)).toBe(
      'io server disconnect',
    );

    const { ws } = await wsChat();
    ws.send(JSON.stringify({ type: 'chat_message', conversationId: CONVERSATION, content: 'to the room' }));
    await recovered.events.waitFor(
      (e) => e.event === 'message:new' && carrying('to the room')(e),
      'a room message',
      WAIT_MS,
    );
  });

  it("keeps each binding's sessions to itself: neither resumes nor recovers a session of the other", async () => {
    // A namespace socket's session, dropped (recoverable), then named by a WebSocket resume of its endpoint.
    const sio = await sioSocket('/chat');
    const pid = (await establishedOf(sio.events)).sessionId;
    const gone = new Recording<string>();
    sio.socket.on('disconnect', (reason) => gone.push(reason));
    (sio.socket.io as unknown as { engine: { close(): void } }).engine.close();
    await gone.waitFor(() => true, 'the socket gone', WAIT_MS);
    const { ws, messages } = await wsChat(`resume=${pid}&lastSeq=0`);
    const opened = messages.entries.find((m) => m.type === 'connection_established')!;
    expect(opened.sessionId).not.toBe(pid);
    expect(await messages.waitFor((m) => m.type === 'resume_failed', 'resume_failed', WAIT_MS)).toMatchObject(
      {
        reason: 'invalid_request',
      },
    );
    // The fresh session serves requests as any other (the namespace's handler would not).
    ws.send(
      JSON.stringify({ type: 'chat_message', id: 'm1', conversationId: CONVERSATION, content: 'fresh' }),
    );
    expect(await messages.waitFor((m) => m.id === 'm1', 'the reply to m1', WAIT_MS)).toMatchObject({
      type: 'ack',
      ok: true,
    });
    // The namespace socket's session is still there for its own binding.
    const recovered = await sioSocket('/chat', { auth: { token, pid } });
    expect(await establishedOf(recovered.events)).toMatchObject({ sessionId: pid, resumed: true });

    // A live WebSocket session named in a CONNECT: a fresh namespace session, and the WebSocket one goes on.
    const live = await wsChat();
    const sessionId = (
      live.messages.entries.find((m) => m.type === 'connection_established') as { sessionId: string }
    ).sessionId;
    const intruder = await sioSocket('/chat', { auth: { token, pid: sessionId, offset: '0' } });
    expect((await establishedOf(intruder.events)).sessionId).not.toBe(sessionId);
    live.ws.send(JSON.stringify({ type: 'ping', id: 'still' }));
    expect(await live.messages.waitFor((m) => m.id === 'still', 'the pong', WAIT_MS)).toMatchObject({
      type: 'pong',
    });
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('ends the session when the client disconnects, and keeps it recoverable when the connection drops', async () => {
    const pidOf = async (events: Recording<Event>) => (await establishedOf(events)).sessionId;
    const left = await sioSocket('/projects');
    const dropped = await sioSocket('/projects');
    const [leftPid, droppedPid] = [await pidOf(left.events), await pidOf(dropped.events)];
    const gone = new Recording<string>();
    for (const { socket } of [left, dropped]) socket.on('disconnect', (reason) => gone.push(reason));
    left.socket.disconnect();
    (dropped.socket.io as unknown as { engine: { close(): void } }).engine.close();
    await gone.waitFor(() => true, 'both sockets gone', WAIT_MS, 2);
    // A new connection needs a handshake first: the server has seen the client's DISCONNECT by then. A drop
    // it has not seen yet is recovered all the same (the older socket is taken over).
    const retry = async (pid: string) =>
      pidOf((await sioSocket('/projects', { auth: { token, pid } })).events);
    expect(await retry(droppedPid)).toBe(droppedPid);
    expect(await retry(leftPid)).not.toBe(leftPid);
  });

  it('refuses Engine.IO handshakes from an origin that is not allowed, with HTTP 403', async () => {
    const url = `http://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=polling`;
    const allowed = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
    const refused = await fetch(url, { headers: { origin: 'https://evil.example' } });
    await Promise.all([allowed.text(), refused.text()]);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect([allowed.status, refused.status]).toEqual([200, 403]);
  });

  it('answers the WebSocket endpoints and the Socket.IO binding on one port, and neither when turned off', async () => {
    const plain = await createServer({ socketIo: false });
    cleanups.push(() => plain.close());
    const probe = (port: number) =>
      fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`).then(async (r) => {
        await r.text();
        return r.status;
      });
    expect(await probe(server.port)).toBe(200);
    expect(await probe(plain.port)).toBe(426);
    const socket = io(`http://127.0.0.1:${plain.port}/chat`, {
      auth: { token },
      reconnection: false,
      transports: ['websocket'],
    });
    cleanups.push(() => void socket.disconnect());
    const failures = new Recording<Error>();
    socket.on('connect_error', (error) => failures.push(error));
    await failures.waitFor(() => true, 'the WebSocket upgrade to /socket.io/ refused', WAIT_MS);
  });
});
