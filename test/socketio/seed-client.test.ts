/**
 * The client code of seed 002, copied verbatim into test/fixtures/seed-clients (the `io(url, {auth,
 * reconnection…})` setup, its reconnect handlers, the chat, project and notification snippets and the
 * ChatClient class), runs unmodified against the reference server's Socket.IO binding: it connects, every
 * event it emits gets what the guide shows, it reconnects after the server drops it and re-joins, and it
 * stops on a bad token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { startDropProxy, type DropProxy } from '../client/support/drop-proxy.js';
import { Recording, type LogEntry } from '../fixtures/seed-clients/seed-harness.js';
import {
  socketIoSeedEnvironment,
  type SocketIoSeedEnvironment,
} from '../fixtures/seed-clients/socketio-harness.js';
import { scaled } from '../support/timing.js';

const HEARTBEAT_MS = scaled(1_000);
/** A reply, an echo or a delivery arrives within this (several heartbeats would be a broken server). */
const WAIT_MS = 3 * HEARTBEAT_MS;
/** The guide's reconnectionDelay (1 s) with socket.io-client's randomisation: up to 1.5 s. */
const FIRST_RETRY_MS = scaled(1_500);
const RECONNECT_WAIT_MS = FIRST_RETRY_MS + WAIT_MS;
/** Conversation 12 and its owner, user 2 (the reference data's ownership rule). */
const USER = '2';
const CONVERSATION = 12;
const PROJECT = 7;

const CONNECTION = 'socketio-connection.js';
const RECONNECT = 'socketio-reconnect.js';
const CHAT_EVENTS = 'socketio-chat-events.js';
const PROJECT_EVENTS = 'socketio-project-events.js';
const NOTIFICATION_EVENTS = 'socketio-notification-events.js';
const CHAT_CLIENT = 'socketio-chat-client.js';

let server: ReferenceServer;
let token: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  server = await createServer({
    heartbeatIntervalMs: HEARTBEAT_MS,
    heartbeatTimeoutMs: 2 * HEARTBEAT_MS,
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

/**
 * A seed environment reaching the server through a proxy of its own: each gets its own origin, as each
 * page load of the app would, so socket.io-client's cache of connections per origin starts empty.
 */
async function environment(
  withToken: string | null = token,
): Promise<SocketIoSeedEnvironment & { proxy: DropProxy }> {
  const proxy = await startDropProxy(server.port);
  cleanups.push(() => proxy.close());
  const env = socketIoSeedEnvironment(`http://127.0.0.1:${new URL(proxy.url).port}`, withToken);
  cleanups.push(() => env.close());
  return Object.assign(env, { proxy });
}

/** Every event a socket receives, recorded (listeners the snippets leave to the app). */
function recordEvents(socket: Socket): Recording<{ event: string; payload: Record<string, unknown> }> {
  const events = new Recording<{ event: string; payload: Record<string, unknown> }>();
  socket.onAny((event: string, payload: Record<string, unknown>) => events.push({ event, payload }));
  return events;
}

/** A WebSocket member of the conversation, for what the Socket.IO side sends to the room. */
async function webSocketMember(): Promise<{ messages: Recording<Record<string, unknown>>; ws: WebSocket }> {
  const ws = new WebSocket(`${server.url}/ws/chat/?conversationId=${CONVERSATION}&token=${token}`, [
    'tidewire.v1',
  ]);
  const messages = new Recording<Record<string, unknown>>();
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  cleanups.push(() => ws.close());
  await messages.waitFor((m) => m.type === 'connection_established', 'connection_established', WAIT_MS);
  return { messages, ws };
}

/** A promise the test waits for at most WAIT_MS. */
function withDeadline<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`expected a settled promise, got: nothing within ${WAIT_MS} ms`)),
      WAIT_MS,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const logged = (prefix: string) => (entry: LogEntry) => entry.text.startsWith(prefix);

async function connected(env: SocketIoSeedEnvironment): Promise<Socket> {
  const { socket } = await env.load([CONNECTION]);
  await env.logs.waitFor(logged('متصل بالخادم'), 'the setup to log its connection', WAIT_MS);
  return socket as Socket;
}

describe("seed 002's client code against the Socket.IO binding", () => {
  it('connects with the guide setup and its token', async () => {
    const env = await environment();
    const socket = await connected(env);
    expect(socket.connected).toBe(true);
    expect(env.connections.entries).toEqual(['wss://api.depth.so']);
  });

  it('joins, sends, types and reads with the chat snippet, and the message comes back on chat:message', async () => {
    const member = await webSocketMember();
    member.ws.send(
      JSON.stringify({ type: 'chat_message', id: 'm', conversationId: CONVERSATION, content: 'hi' }),
    );
    const ack = await member.messages.waitFor((m) => m.type === 'ack' && m.id === 'm', 'ack', WAIT_MS);
    const messageId = (ack.data as { messageId: number }).messageId;
    const env = await environment();
    const names = { conversationId: CONVERSATION, content: 'مرحبا', messageId };
    // The guide's `type: 'text|image|file'` names the choices; the snippet runs with one of them.
    await env.load([CONNECTION, CHAT_EVENTS], names, { "'text|image|file'": "'image'" });
    const echoed = await env.logs.waitFor(logged('رسالة جديدة:'), 'the message on chat:message', WAIT_MS);
    expect(echoed.args[1]).toMatchObject({
      type: 'chat_message',
      conversationId: CONVERSATION,
      message: { content: 'مرحبا', contentType: 'image', senderId: USER },
    });
    const seen = (type: string) => (m: Record<string, unknown>) => m.type === type;
    await member.messages.waitFor(
      (m) => seen('chat_message')(m) && (m.message as { content: string }).content === 'مرحبا',
      'the message on the WebSocket side',
      WAIT_MS,
    );
    await member.messages.waitFor(
      (m) => seen('user_typing')(m) && m.isTyping === true,
      'user_typing',
      WAIT_MS,
    );
    await member.messages.waitFor(
      (m) => seen('message_read')(m) && m.messageId === messageId,
      'message_read',
      WAIT_MS,
    );
    expect(env.logs.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it("refuses the guide's literal 'text|image|file' with an error event that its error listener logs", async () => {
    const env = await environment();
    await env.load([CONNECTION, CHAT_EVENTS], { conversationId: CONVERSATION, content: 'x', messageId: 1 });
    const error = await env.logs.waitFor(logged('خطأ في Socket:'), 'the error listener', WAIT_MS);
    expect(error.args[1]).toMatchObject({
      code: 'INVALID_MESSAGE',
      details: { path: '/type' },
      event: 'chat:message',
    });
  });

  it('joins a project and gets project:joined and a project:update for each of its snippet events', async () => {
    const env = await environment();
    const { socket } = await env.load([CONNECTION, PROJECT_EVENTS], { projectId: PROJECT, userId: USER });
    const events = recordEvents(socket as Socket);
    const joined = await events.waitFor((e) => e.event === 'project:joined', 'project:joined', WAIT_MS);
    expect(joined.payload).toMatchObject({ projectId: PROJECT });
    const update = (kind: string) => (e: { event: string; payload: Record<string, unknown> }) =>
      e.event === 'project:update' && e.payload.kind === kind;
    expect((await events.waitFor(update('status'), 'status update', WAIT_MS)).payload.data).toEqual({
      status: 'in_progress',
      updatedBy: USER,
    });
    expect((await events.waitFor(update('progress'), 'progress update', WAIT_MS)).payload.data).toEqual({
      progress: 75,
      milestone: 'تصوير مكتمل',
    });
    expect((await events.waitFor(update('comment'), 'comment', WAIT_MS)).payload.data).toEqual({
      comment: 'عمل رائع!',
      attachments: [],
    });
  });

  it('subscribes, marks a notification read and unsubscribes with the notification snippet', async () => {
    const watcher = recordEvents(await connected(await environment()));
    const isNew = (e: { event: string }) => e.event === 'notification:new';
    const { payload } = await watcher.waitFor(isNew, 'a notification', WAIT_MS);
    const notificationId = (payload.notification as { id: number }).id;
    const shown = new Recording<Record<string, unknown>>();
    const env = await environment();
    const { socket } = (await env.load([CONNECTION, NOTIFICATION_EVENTS], {
      userId: USER,
      notificationId,
      showNotification: (notification: Record<string, unknown>) => shown.push(notification),
    })) as { socket: Socket };
    const events = recordEvents(socket);
    const read = await events.waitFor(
      (e) => e.event === 'notification:updated',
      'notification:updated',
      WAIT_MS,
    );
    expect(read.payload.notification).toMatchObject({ id: notificationId, read: true });
    // The snippet ends with notifications:unsubscribe: new ones stop while the user's other socket gets them.
    const seenBy = (recording: typeof watcher) => recording.entries.filter(isNew).length;
    await watcher.waitFor(isNew, 'a notification after the read', WAIT_MS, seenBy(watcher) + 1);
    const unsubscribedAt = seenBy(events);
    await watcher.waitFor(isNew, 'two more notifications on the other socket', WAIT_MS, seenBy(watcher) + 2);
    expect(seenBy(events)).toBe(unsubscribedAt);
    // Subscribing again, the snippet's listener shows the next one.
    socket.emit('notifications:subscribe', { userId: USER });
    const next = await shown.waitFor(() => true, 'showNotification with a new notification', WAIT_MS);
    expect(next).toMatchObject({ type: 'notification_new', notification: { read: false } });
    expect(env.logs.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('ChatClient joins over the authenticated connection, sends with acknowledgements and receives message:new', async () => {
    const env = await environment();
    const { ChatClient } = await env.load([CONNECTION, CHAT_CLIENT]);
    await env.logs.waitFor(logged('متصل بالخادم'), 'the setup to connect', WAIT_MS);
    const received = new Recording<Record<string, unknown>>();
    const Base = ChatClient as new () => {
      socket: Socket;
      joinConversation(id: number): void;
      sendMessage(id: number, content: string): Promise<unknown>;
    };
    // The handlers the guide's class calls but leaves to the application.
    class App extends Base {
      handleNewMessage(message: Record<string, unknown>) {
        received.push(message);
      }
      updateMessage() {}
      showTypingIndicator() {}
    }
    const client = new App();
    cleanups.push(() => void client.socket.disconnect());
    client.joinConversation(CONVERSATION);
    await expect(withDeadline(client.sendMessage(CONVERSATION, 'from ChatClient'))).resolves.toEqual({
      messageId: expect.any(Number),
    });
    const message = await received.waitFor(
      (m) => (m.message as { content?: string } | undefined)?.content === 'from ChatClient',
      'message:new',
      WAIT_MS,
    );
    expect(message).toMatchObject({ type: 'chat_message', conversationId: CONVERSATION });
    // Conversation 13 belongs to user 3: the acknowledgement's error rejects the promise.
    await expect(withDeadline(client.sendMessage(13, 'not mine'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(env.connections.entries).toEqual(['wss://api.depth.so', '/chat']);
  });

  it('reconnects after the server drops it, re-joins its rooms and gets what it missed once', async () => {
    const member = await webSocketMember();
    const env = await environment();
    let socket: Socket | undefined;
    const rejoined = new Recording<number>();
    const names = {
      conversationId: CONVERSATION,
      content: 'before the drop',
      messageId: 1,
      rejoinRooms: () => {
        rejoined.push(Date.now());
        socket?.emit('chat:join', { conversationId: CONVERSATION });
      },
    };
    ({ socket } = (await env.load([CONNECTION, RECONNECT, CHAT_EVENTS], names, {
      "'text|image|file'": "'text'",
    })) as { socket: Socket });
    const received = recordEvents(socket);
    const connects = new Recording<boolean>();
    socket.on('connect', () => connects.push(socket!.recovered));
    const content = (text: string) => (e: { event: string; payload: Record<string, unknown> }) =>
      e.event === 'chat:message' && (e.payload.message as { content: string }).content === text;
    await received.waitFor(content('before the drop'), 'the first message', WAIT_MS);

    env.proxy.dropAll();
    await env.logs.waitFor(logged('انقطع الاتصال:'), 'the disconnect', WAIT_MS);
    member.ws.send(
      JSON.stringify({ type: 'chat_message', conversationId: CONVERSATION, content: 'while away' }),
    );
    await env.logs.waitFor(logged('إعادة الاتصال نجحت بعد'), 'the reconnection', RECONNECT_WAIT_MS);
    await rejoined.waitFor(() => true, 'rejoinRooms after the reconnection', WAIT_MS);
    // socket.io-client recovered the session: its rooms were kept, and re-joining changes nothing.
    expect(await connects.waitFor(() => true, 'the socket connected again', WAIT_MS, 2)).toBe(true);
    await received.waitFor(content('while away'), 'the message sent while it was away', WAIT_MS);
    member.ws.send(JSON.stringify({ type: 'chat_message', conversationId: CONVERSATION, content: 'after' }));
    await received.waitFor(content('after'), 'a message after the reconnection', WAIT_MS);
    expect(received.entries.filter(content('while away'))).toHaveLength(1);
  });

  it('stops after CONNECT_ERROR for a bad token and never tries again', async () => {
    const env = await environment('not-a-token');
    const { socket } = (await env.load([CONNECTION])) as { socket: Socket };
    const attempts = new Recording<number>();
    socket.io.on('reconnect_attempt', (attempt) => attempts.push(attempt));
    const refusals = new Recording<Error & { data?: unknown }>();
    socket.on('connect_error', (error) => refusals.push(error));
    const error = await refusals.waitFor(() => true, 'connect_error', WAIT_MS);
    expect(error.data).toMatchObject({
      type: 'authentication_error',
      error_code: 'AUTH_REQUIRED',
      closeCode: 4001,
    });
    expect(await attempts.staysAbsent(() => true, FIRST_RETRY_MS + HEARTBEAT_MS)).toBe(true);
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(false);
    expect(env.logs.entries.filter(logged('متصل بالخادم'))).toEqual([]);
  });
});
