/**
 * The client classes of the seeds, copied verbatim into test/fixtures/seed-clients, keep working against
 * the reference server (seed compatibility): they connect, receive their message types, live with the
 * heartbeats as they were written, and the chat manager stops for good after 4001.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import {
  Recording,
  seedEnvironment,
  type LogEntry,
  type SeedEnvironment,
} from '../fixtures/seed-clients/seed-harness.js';

interface CampaignWebSocket {
  socket: WebSocket | null;
  connect(): void;
  disconnect(): void;
}
interface WebSocketManager {
  isConnected: boolean;
  connect(): void;
  disconnect(): void;
  send(data: unknown): boolean;
  on(event: string, callback: (data: Record<string, unknown>) => void): void;
}
interface WebSocketClient {
  connect(): void;
  close(): void;
  send(data: unknown): void;
  handleMessage(data: Record<string, unknown>): void;
}
type Constructor<T> = new (...args: never[]) => T;

const WAIT_MS = 3_000;
const SERVER_OPTIONS = {
  auth: 'optional',
  heartbeatIntervalMs: 150,
  heartbeatTimeoutMs: 2_000,
  simulation: { seed: 1, speed: 20 },
} as const;

let server: ReferenceServer;
let env: SeedEnvironment;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  server = await createServer(SERVER_OPTIONS);
});
beforeEach(() => {
  env = seedEnvironment(server.url);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  env.clearTimers();
});
afterAll(async () => {
  await server.close();
});

const logged = (text: string) => (entry: LogEntry) => entry.text === text;
const loggedPrefix = (prefix: string) => (entry: LogEntry) => entry.text.startsWith(prefix);

async function load<T>(file: string, name: string): Promise<Constructor<T>> {
  return (await env.load(file))[name] as Constructor<T>;
}

/** A manager with every event it emits recorded. */
function recordedManager(
  Manager: Constructor<WebSocketManager>,
  url: string,
  token: string,
  events: string[],
) {
  const manager = new (Manager as unknown as new (url: string, token: string) => WebSocketManager)(
    url,
    token,
  );
  const recording = new Recording<{ event: string; data: Record<string, unknown> }>();
  for (const event of events) manager.on(event, (data) => recording.push({ event, data }));
  cleanups.push(() => manager.disconnect());
  const next = (event: string, count = 1) =>
    recording.waitFor((e) => e.event === event, `the manager's "${event}" event`, WAIT_MS, count);
  return { manager, recording, next };
}

describe('CampaignWebSocket (seed 001)', () => {
  it('follows a campaign run and stays connected through the text pings it cannot parse', async () => {
    const Campaign = await load<CampaignWebSocket>('./campaign-websocket.js', 'CampaignWebSocket');
    const client = new (Campaign as unknown as new (campaignId: number, userId: number) => CampaignWebSocket)(
      1,
      1,
    );
    client.connect();
    cleanups.push(async () => {
      client.disconnect();
      await env.logs.waitFor(loggedPrefix('WebSocket disconnected:'), 'the close', WAIT_MS);
    });
    const { logs } = env;
    await logs.waitFor(logged('WebSocket connected'), 'the open', WAIT_MS);
    expect(env.attempts.entries).toEqual(['ws://localhost:3000/ws/campaigns?campaignId=1&userId=1']);
    await logs.waitFor(
      logged('Unknown message type: connection_established'),
      'connection_established',
      WAIT_MS,
    );
    for (const text of [
      'Campaign updated:',
      'QR Code received',
      'Status updated: ready',
      'Progress updated:',
    ]) {
      await logs.waitFor(loggedPrefix(text), `"${text}"`, WAIT_MS);
    }
    await logs.waitFor(
      loggedPrefix('Campaign completed: {"status":"COMPLETED"'),
      'the completion',
      3 * WAIT_MS,
    );
    // The server's bare text `ping` is not JSON: handleMessage logs a parse error and carries on. It never
    // answers `pong`, and the server never closes it for that (HB-007).
    const parseError = (e: LogEntry) =>
      e.level === 'error' && e.text.startsWith('Error parsing message: SyntaxError');
    await logs.waitFor(parseError, 'two parse errors of text pings', WAIT_MS, 2);
    const progressSoFar = logs.entries.filter(loggedPrefix('Progress updated:')).length;
    await logs.waitFor(
      loggedPrefix('Progress updated:'),
      'progress after the pings',
      WAIT_MS,
      progressSoFar + 1,
    );
    expect(client.socket?.readyState).toBe(WebSocket.OPEN);
    expect(logs.entries.filter(loggedPrefix('WebSocket disconnected:'))).toEqual([]);
  });
});

describe('WebSocketManager (seed 003)', () => {
  it("reports connection_established as 'connected' and receives the conversation list", async () => {
    const Manager = await load<WebSocketManager>('./websocket-manager.js', 'default');
    const token = await server.mintToken('1');
    const { manager, next } = recordedManager(Manager, `${server.url}/ws/conversations/`, token, [
      'connected',
      'conversations_list',
    ]);
    manager.connect();
    const connected = await next('connected');
    expect(connected.data).toMatchObject({
      message: '✅ WebSocket connected successfully',
      sessionId: expect.any(String),
    });
    expect((await next('conversations_list')).data.conversations).toHaveLength(100);
    expect(manager.send({ type: 'refresh_conversations' })).toBe(true);
    await next('conversations_list', 2);
    expect(env.logs.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('sends a chat message and receives it back with the AI reply', async () => {
    const Manager = await load<WebSocketManager>('./websocket-manager.js', 'default');
    const token = await server.mintToken('3');
    const { manager, next } = recordedManager(Manager, `${server.url}/ws/chat/`, token, [
      'connected',
      'chat_message',
      'ai_message',
    ]);
    manager.connect();
    await next('connected');
    expect(
      manager.send({ type: 'chat_message', conversationId: 3, content: 'Is my order on its way?' }),
    ).toBe(true);
    expect((await next('chat_message')).data.message).toMatchObject({
      senderId: '3',
      content: 'Is my order on its way?',
    });
    expect((await next('ai_message')).data.message).toMatchObject({ senderId: 'ai', conversationId: 3 });
    expect(manager.isConnected).toBe(true);
  });

  it('stops for good after authentication_error and close 4001', async () => {
    const Manager = await load<WebSocketManager>('./websocket-manager.js', 'default');
    const { manager, next } = recordedManager(Manager, `${server.url}/ws/conversations/`, 'not-a-token', [
      'connected',
      'authError',
      'disconnected',
    ]);
    manager.connect();
    expect((await next('authError')).data).toMatchObject({
      type: 'authentication_error',
      error_code: 'AUTH_REQUIRED',
    });
    // The manager answers authentication_error with its own close(1000), but the server's 4001 is what it sees.
    expect((await next('disconnected')).data).toMatchObject({ code: 4001 });
    // Its first backoff would be 2 s, which the harness runs in 100 ms: half a second covers several.
    expect(await env.attempts.staysAbsent(() => true, 500, 2)).toBe(true);
    expect(env.pendingTimers()).toBe(0);
    expect(env.logs.entries.some(logged(' Authentication error - not reconnecting'))).toBe(true);
  });

  it('does reconnect, with its 2 s first backoff, when the server goes away with 1001', async () => {
    const leaving = await createServer(SERVER_OPTIONS);
    const Manager = await load<WebSocketManager>('./websocket-manager.js', 'default');
    const { manager, next } = recordedManager(
      Manager,
      `${leaving.url}/ws/customers/`,
      await leaving.mintToken('2'),
      ['connected', 'disconnected'],
    );
    manager.connect();
    await next('connected');
    await leaving.close();
    expect((await next('disconnected')).data).toMatchObject({ code: 1001 });
    await env.logs.waitFor(
      logged('Scheduling reconnect attempt 1 in 2000ms'),
      'a scheduled reconnect',
      WAIT_MS,
    );
    await env.attempts.waitFor(() => true, 'a second connection attempt', WAIT_MS, 2);
  });
});

describe('WebSocketClient and SystemMonitor (seed 004)', () => {
  /** A seed client on one market endpoint, with what it receives recorded. */
  async function marketClient(path: string) {
    const Client = await load<WebSocketClient>('./websocket-client.js', 'WebSocketClient');
    const client = new (Client as unknown as new (url: string) => WebSocketClient)(
      `ws://localhost:7860${path}`,
    );
    const received = new Recording<Record<string, unknown>>();
    client.handleMessage = (data) => received.push(data);
    client.connect();
    cleanups.push(async () => {
      client.close();
      await env.logs.waitFor(logged('⚠ Connection closed'), 'the close', WAIT_MS);
    });
    const next = (type: string, match: (m: Record<string, unknown>) => boolean = () => true) =>
      received.waitFor((m) => m.type === type && match(m), `a "${type}" message`, WAIT_MS);
    await next('connection_established');
    return { client, next };
  }

  it('SystemMonitor shows the system_status figures of the monitoring endpoint', async () => {
    const Monitor = await load<WebSocketClient>('./websocket-client.js', 'SystemMonitor');
    const monitor = new (Monitor as unknown as new () => WebSocketClient)();
    monitor.connect();
    cleanups.push(async () => {
      monitor.close();
      await env.logs.waitFor(logged('⚠ Connection closed'), 'the close', WAIT_MS);
    });
    await env.logs.waitFor(
      logged('✅ Connected to ws://localhost:7860/api/monitoring/ws'),
      'the open',
      WAIT_MS,
    );
    await env.writes.waitFor((w) => w.id === 'total-models', 'the figures on the page', WAIT_MS);
    const shown = Object.fromEntries(env.writes.entries.map(({ id, value }) => [id, value]));
    expect(shown).toEqual({ 'total-sources': 137, 'active-sources': expect.any(Number), 'total-models': 18 });
    expect(env.logs.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('subscribes with the action form and receives price updates, pongs and server pings', async () => {
    const { client, next } = await marketClient('/ws/market_data');
    client.send({ action: 'subscribe', symbols: ['BTC', 'ETH'] });
    const btc = await next('price_update', (m) => (m.data as { symbol: string }).symbol === 'BTC');
    expect(btc).toMatchObject({
      source: 'binance',
      data: { price: expect.any(Number), change_24h: expect.any(Number) },
    });
    await next('price_update', (m) => (m.data as { symbol: string }).symbol === 'ETH');
    client.send({ type: 'ping' });
    await next('pong');
    await next('ping');
    expect(env.logs.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('receives sentiment_update and models_status on their endpoints', async () => {
    const sentiment = await marketClient('/ws/sentiment');
    const sentimentUpdate = await sentiment.next('sentiment_update');
    expect(sentimentUpdate.data).toMatchObject({ fear_greed: { value: expect.any(Number) } });
    const models = await marketClient('/ws/huggingface');
    expect((await models.next('models_status')).data).toMatchObject({ total: 18 });
  });
});
