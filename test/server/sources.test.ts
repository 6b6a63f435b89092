import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../src/protocol/constants.js';
import type { EndpointName } from '../../src/protocol/endpoints.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { InMemoryBus } from '../../src/server/bus.js';
import {
  RequestError,
  type IncomingRequest,
  type OutgoingData,
  type SessionContext,
} from '../../src/server/endpoint-handler.js';
import { createSimulation, ManualScheduler } from '../../src/server/endpoints/index.js';
import { repeatEvery } from '../../src/server/sources/scheduler.js';

interface FakeSession extends SessionContext {
  emitted: OutgoingData[];
  ofType(type: string): OutgoingData[];
}

/** A simulation on a hand-driven clock, and sessions that collect what handlers emit (no sockets). */
function buildSimulation(seed = 7, speed = 1) {
  const scheduler = new ManualScheduler();
  const simulation = createSimulation({ seed, speed, scheduler });
  let nextSession = 1;
  const open = async (
    endpoint: EndpointName,
    userId: string | null = '1',
    params: Record<string, string> = {},
  ) => {
    const emitted: OutgoingData[] = [];
    const session: FakeSession = {
      sessionId: `s${nextSession++}`,
      endpoint,
      userId,
      params,
      state: {},
      emit: (message) => emitted.push(message),
      emitted,
      ofType: (type) => emitted.filter((m) => m.type === type),
    };
    await simulation.handlers[endpoint].open(session);
    return session;
  };
  const send = async (session: FakeSession, request: IncomingRequest) =>
    simulation.handlers[session.endpoint].handle(session, request);
  const close = (session: FakeSession) => simulation.handlers[session.endpoint].close(session);
  return { scheduler, simulation, open, send, close };
}

/** Lets what a timer or a request started in the store finish (in memory: a few microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function requestError(request: () => unknown): Promise<RequestError> {
  try {
    await request();
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('expected a RequestError');
}

const data = (message: OutgoingData) => message.data as Record<string, unknown>;

describe('campaign source', () => {
  it('runs a campaign through QR code, ready, RUNNING, progress, completion and a restart', async () => {
    const { scheduler, open } = buildSimulation();
    const session = await open('campaigns', '1', { campaignId: '1', userId: '1' });
    scheduler.advance(200_000);
    await settle();
    const types = session.emitted.map((m) => m.type);
    expect(types.slice(0, 4)).toEqual(['campaign_update', 'qr_code', 'status_update', 'campaign_update']);
    expect(data(session.emitted[0])).toMatchObject({ id: 1, status: 'PENDING', startedAt: null });
    expect(data(session.emitted[2])).toMatchObject({
      status: 'ready',
      message: 'WhatsApp connected successfully',
    });
    expect(data(session.emitted[3])).toMatchObject({ status: 'RUNNING' });
    const completion = session.ofType('completion_update')[0];
    const report = data(completion).report as Record<string, unknown>;
    expect(report).toMatchObject({ status: 'COMPLETED', reportUrl: '/api/campaigns/1/report' });
    const beforeCompletion = session.emitted.slice(0, session.emitted.indexOf(completion));
    const last = data(beforeCompletion.filter((m) => m.type === 'progress_update').at(-1)!)
      .progress as Record<string, number>;
    expect(Number(report.totalSent) + Number(report.totalFailed)).toBe(last.total);
    expect(session.ofType('campaign_update').some((m) => data(m).status === 'COMPLETED')).toBe(true);
    expect(session.ofType('qr_code').length).toBeGreaterThan(1);
    for (const message of session.emitted) {
      expect(message.campaignId).toBe(1);
      expect(data(message).timestamp).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    }
  });

  it('reports failed sends as error_update naming the phone number', async () => {
    const { scheduler, open } = buildSimulation();
    const session = await open('campaigns', '3', { campaignId: '3', userId: '3' });
    scheduler.advance(1_000_000);
    await settle();
    const error = data(session.ofType('error_update')[0]);
    expect(error.error).toMatch(/^Failed to send message to 09\d{9}: /);
    expect(String(error.error)).toContain(String(error.phone));
  });

  it('produces the same messages for the same seed and different ones for another seed', async () => {
    const transcripts = [];
    for (const seed of [1, 1, 2]) {
      const { scheduler, open, send } = buildSimulation(seed);
      const campaign = await open('campaigns', '1', { campaignId: '1', userId: '1' });
      const market = await open('market_data');
      await send(market, { type: 'subscribe', symbols: ['BTC', 'DOGE'] });
      scheduler.advance(90_000);
      await settle();
      transcripts.push(JSON.stringify([campaign.emitted, market.emitted]));
    }
    expect(transcripts[0]).toBe(transcripts[1]);
    expect(transcripts[0]).not.toBe(transcripts[2]);
  });

  it('refuses malformed, unknown and foreign campaigns with 4400, 4404 and 4403', async () => {
    const { simulation } = buildSimulation();
    const check = (params: Record<string, string>, user: string | null) =>
      simulation.handlers.campaigns.checkScope?.(params, user) as
        { closeCode: number; code: string } | undefined;
    expect(check({ userId: '1' }, null)?.closeCode).toBe(CloseCode.BAD_REQUEST);
    expect(check({ campaignId: 'abc', userId: '1' }, null)?.code).toBe(ErrorCode.BAD_REQUEST);
    expect(check({ campaignId: '0', userId: '1' }, null)?.closeCode).toBe(CloseCode.BAD_REQUEST);
    expect(check({ campaignId: '1' }, null)?.closeCode).toBe(CloseCode.BAD_REQUEST);
    expect(check({ campaignId: '999999999', userId: '1' }, '1')?.closeCode).toBe(CloseCode.NOT_FOUND);
    expect(check({ campaignId: '2', userId: '1' }, '1')?.closeCode).toBe(CloseCode.FORBIDDEN);
    expect(check({ campaignId: '2', userId: '1' }, null)?.code).toBe(ErrorCode.FORBIDDEN);
    expect(check({ campaignId: '11', userId: '1' }, null)).toBeUndefined();
    expect(check({ campaignId: '12', userId: '2' }, '2')).toBeUndefined();
  });

  it('answers get_campaign with a fresh snapshot', async () => {
    const { open, send } = buildSimulation();
    const session = await open('campaigns', '1', { campaignId: '21', userId: '1' });
    expect(await send(session, { type: 'get_campaign', id: 'a' })).toBeUndefined();
    expect(session.ofType('campaign_update')).toHaveLength(2);
  });
});

describe('chat handlers', () => {
  it('sends a chat message to every room member including the sender, then an AI reply', async () => {
    const { scheduler, open, send } = buildSimulation();
    const sender = await open('chat', '1', { conversationId: '1' });
    const other = await open('chat', '1');
    const outsider = await open('chat', '1');
    await send(other, { type: 'chat_join', conversationId: 1 });
    const ack = await send(sender, { type: 'chat_message', id: 'm1', conversationId: 1, content: 'hello' });
    expect(ack).toEqual({ messageId: expect.any(Number) });
    for (const member of [sender, other]) {
      const message = member.ofType('chat_message')[0].message as Record<string, unknown>;
      expect(message).toMatchObject({
        conversationId: 1,
        senderId: '1',
        content: 'hello',
        clientMessageId: 'm1',
      });
    }
    expect(outsider.emitted).toEqual([]);
    scheduler.advance(1_500);
    await settle();
    expect(sender.emitted.slice(-2).map((m) => m.type)).toEqual(['message_updated', 'ai_message']);
    expect(sender.ofType('message_updated')[0].message).toMatchObject({ content: 'hello', status: 'read' });
    expect(sender.ofType('ai_message')).toHaveLength(1);
    expect(other.ofType('ai_message')).toHaveLength(1);
    expect(sender.ofType('user_joined').map((m) => m.userId)).toEqual(['1']);
  });

  it('sends typing and read receipts only to the other members', async () => {
    const { open, send } = buildSimulation();
    const a = await open('chat', '1', { conversationId: '1' });
    const b = await open('chat', '1', { conversationId: '1' });
    const { messageId } = (await send(a, { type: 'chat_message', conversationId: 1, content: 'hi' })) as {
      messageId: number;
    };
    await send(a, { type: 'chat_typing', conversationId: 1, isTyping: true });
    await send(a, { type: 'chat_read', conversationId: 1, messageId });
    expect(a.ofType('user_typing')).toEqual([]);
    expect(a.ofType('message_read')).toEqual([]);
    expect(b.ofType('user_typing')[0]).toMatchObject({ conversationId: 1, userId: '1', isTyping: true });
    expect(b.ofType('message_read')[0]).toMatchObject({ conversationId: 1, messageId, userId: '1' });
  });

  it("refuses another user's conversation with FORBIDDEN and an unknown one with NOT_FOUND", async () => {
    const { open, send, simulation } = buildSimulation();
    const session = await open('chat', '1');
    const foreign = await requestError(() => send(session, { type: 'chat_join', conversationId: 2 }));
    expect(foreign.code).toBe(ErrorCode.FORBIDDEN);
    const unknown = await requestError(() =>
      send(session, { type: 'chat_message', conversationId: 5000, content: 'x' }),
    );
    expect(unknown.code).toBe(ErrorCode.NOT_FOUND);
    const scope = simulation.handlers.chat.checkScope!;
    expect(await scope({}, '1')).toBeUndefined();
    expect((await scope({ conversationId: 'x' }, '1'))?.closeCode).toBe(CloseCode.BAD_REQUEST);
    expect((await scope({ conversationId: '1001' }, '1'))?.closeCode).toBe(CloseCode.NOT_FOUND);
    expect((await scope({ conversationId: '2' }, '1'))?.closeCode).toBe(CloseCode.FORBIDDEN);
  });

  it("lists the user's conversations and customers and announces changes to them", async () => {
    const { open, send } = buildSimulation();
    const conversations = await open('conversations', '4');
    const customers = await open('customers', '4');
    const list = conversations.ofType('conversations_list')[0].conversations as Array<{ id: number }>;
    expect(list).toHaveLength(100);
    expect(list.every(({ id }) => (id - 1) % 10 === 3)).toBe(true);
    expect(customers.ofType('customers_list')[0].customers).toHaveLength(100);
    await send(await open('chat', '4'), { type: 'chat_message', conversationId: 14, content: 'new' });
    expect(conversations.ofType('conversation_updated')[0].conversation).toMatchObject({
      id: 14,
      lastMessage: 'new',
    });
    expect(customers.ofType('customer_updated')[0].customer).toMatchObject({ id: 14, conversationId: 14 });
    await send(conversations, { type: 'refresh_conversations' });
    expect(conversations.ofType('conversations_list')).toHaveLength(2);
  });

  it('confirms project joins and sends project updates to every member', async () => {
    const { open, send } = buildSimulation();
    const a = await open('projects', '1');
    const b = await open('projects', '2');
    await send(a, { type: 'project_join', projectId: 7 });
    await send(b, { type: 'project_join', projectId: 7 });
    expect(a.ofType('project_joined')).toEqual([{ type: 'project_joined', projectId: 7 }]);
    expect(a.ofType('user_joined')).toEqual([{ type: 'user_joined', userId: '2', projectId: 7 }]);
    await send(b, { type: 'project_progress', projectId: 7, progress: 75, milestone: 'shoot done' });
    for (const member of [a, b]) {
      expect(member.ofType('project_update')[0]).toMatchObject({
        projectId: 7,
        kind: 'progress',
        userId: '2',
        data: { progress: 75, milestone: 'shoot done' },
      });
    }
    await send(b, { type: 'project_leave', projectId: 7 });
    expect(a.ofType('user_left')).toEqual([{ type: 'user_left', userId: '2', projectId: 7 }]);
    expect(b.ofType('project_left')).toHaveLength(1);
  });

  it('delivers periodic notifications and marks them read', async () => {
    const { scheduler, open, send } = buildSimulation();
    const session = await open('notifications', '5');
    scheduler.advance(20_000);
    await settle();
    const notification = session.ofType('notification_new')[0].notification as { id: number; read: boolean };
    expect(notification.read).toBe(false);
    expect(await send(session, { type: 'notification_read', notificationId: notification.id })).toEqual({
      notificationId: notification.id,
    });
    expect(session.ofType('notification_updated')[0].notification).toMatchObject({
      id: notification.id,
      read: true,
    });
    expect(
      (await requestError(() => send(session, { type: 'notification_read', notificationId: 999 }))).code,
    ).toBe(ErrorCode.NOT_FOUND);
    await send(session, { type: 'notifications_unsubscribe' });
    scheduler.advance(60_000);
    await settle();
    expect(session.ofType('notification_new')).toHaveLength(1);
  });
});

describe('market handlers', () => {
  it('sends a price_update per subscribed symbol every second, in the seed shape', async () => {
    const { scheduler, open, send } = buildSimulation();
    const session = await open('market_data', null);
    expect(await send(session, { type: 'subscribe', id: 1, symbols: ['BTC', 'ETH'] })).toEqual({
      symbols: ['BTC', 'ETH'],
    });
    scheduler.advance(3_000);
    await settle();
    const updates = session.ofType('price_update');
    expect(updates).toHaveLength(8);
    expect(updates[0]).toMatchObject({ source: 'binance', data: { symbol: 'BTC', price: 43_250.5 } });
    expect(Object.keys(data(updates[0])).sort()).toEqual(
      ['change_24h', 'change_7d', 'market_cap', 'price', 'symbol', 'timestamp', 'volume_24h'].sort(),
    );
    expect(await send(session, { action: 'unsubscribe', symbols: ['BTC'] } as never)).toEqual({
      symbols: ['ETH'],
    });
    scheduler.advance(2_000);
    await settle();
    expect(session.ofType('price_update').filter((m) => data(m).symbol === 'BTC')).toHaveLength(4);
  });

  it('refuses unknown symbols with NOT_FOUND naming them, subscribing to none', async () => {
    const { open, send } = buildSimulation();
    const session = await open('market_data', null);
    const error = await requestError(() => send(session, { type: 'subscribe', symbols: ['BTC', 'NOPE'] }));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.details).toEqual({ symbols: ['NOPE'] });
    expect(session.emitted).toEqual([]);
    await send(session, { type: 'get_all' });
    expect((data(session.ofType('prices_snapshot')[0]).prices as unknown[]).length).toBe(10);
  });

  it('filters news by keyword, case-insensitively, in title or description', async () => {
    const { scheduler, open, send } = buildSimulation();
    const everything = await open('news', null);
    const bitcoin = await open('news', null);
    await send(bitcoin, { type: 'filter', keywords: ['BITCOIN', ' '] });
    scheduler.advance(600_000);
    await settle();
    const all = everything.ofType('news');
    expect(all.length).toBeGreaterThan(20);
    const matching = all.filter((m) => /bitcoin/i.test(`${data(m).title} ${data(m).description}`));
    expect(bitcoin.ofType('news')).toEqual(matching);
  });

  it('sends the status endpoints their snapshot at once, then at the seed cadences divided by speed', async () => {
    const { scheduler, open } = buildSimulation(7, 10);
    const system = await open('monitoring', null);
    const sentiment = await open('sentiment', null);
    const models = await open('huggingface', null);
    expect(system.emitted[0]).toMatchObject({ type: 'system_status', agent_running: true });
    expect(system.emitted[0].stats).toMatchObject({ total_sources: 137 });
    expect(data(sentiment.emitted[0]).fear_greed).toMatchObject({ value: expect.any(Number) });
    expect(data(models.emitted[0])).toMatchObject({ total: 18 });
    scheduler.advance(6_000);
    await settle();
    expect(system.emitted).toHaveLength(1 + 12);
    expect(sentiment.emitted).toHaveLength(1 + 1);
    expect(models.emitted).toHaveLength(1 + 6);
  });
});

describe('lifecycle', () => {
  it('runs no timer for idle sessions and one per followed topic however many sessions follow it', async () => {
    const { scheduler, open, send, simulation } = buildSimulation();
    const idle = await Promise.all(Array.from({ length: 1_000 }, () => open('market_data', null)));
    expect(scheduler.pendingTimers).toBe(0);
    for (const session of idle) await send(session, { type: 'subscribe', symbols: ['SOL'] });
    await Promise.all(Array.from({ length: 1_000 }, () => open('monitoring', null)));
    expect(scheduler.pendingTimers).toBe(2);
    expect(simulation.producers()).toBe(2);
  });

  it('leaves no subscriber, producer or timer behind once every session has closed', async () => {
    const { scheduler, open, send, close, simulation } = buildSimulation();
    const sessions = [
      await open('campaigns', '1', { campaignId: '1', userId: '1' }),
      await open('chat', '1', { conversationId: '1' }),
      await open('conversations', '1'),
      await open('customers', '1'),
      await open('notifications', '1'),
      await open('projects', '1'),
      await open('monitoring', null),
      await open('market_data', null),
      await open('news', null),
      await open('sentiment', null),
      await open('huggingface', null),
    ];
    await send(sessions[5], { type: 'project_join', projectId: 3 });
    await send(sessions[7], { type: 'subscribe', symbols: ['BTC', 'ETH', 'LINK'] });
    await send(sessions[1], { type: 'chat_message', conversationId: 1, content: 'bye' });
    expect(simulation.bus.subscriberCount()).toBeGreaterThan(10);
    for (const session of sessions) close(session);
    expect(simulation.bus.subscriberCount()).toBe(0);
    expect(simulation.producers()).toBe(0);
    scheduler.advance(10_000);
    await settle();
    expect(scheduler.pendingTimers).toBe(0);
    expect(sessions.every((s) => s.emitted.at(-1)?.type !== 'ai_message')).toBe(true);
  });

  it('serves a session again when the core opens it anew after closing it', async () => {
    const { scheduler, open, send, close, simulation } = buildSimulation();
    const session = await open('market_data', null);
    await send(session, { type: 'subscribe', symbols: ['ADA'] });
    close(session);
    session.state = {};
    await simulation.handlers.market_data.open(session);
    await send(session, { type: 'subscribe', symbols: ['ADA'] });
    const before = session.ofType('price_update').length;
    scheduler.advance(2_000);
    await settle();
    expect(session.ofType('price_update').length).toBe(before + 2);
  });

  it('keeps ticks on schedule and skips the ones missed during a stall instead of bursting', async () => {
    let nowMs = 0;
    let pending: { callback: () => void; delayMs: number } | undefined;
    const scheduler = {
      now: () => nowMs,
      setTimeout: (callback: () => void, delayMs: number) => {
        pending = { callback, delayMs };
        return {};
      },
      clearTimeout: () => {
        pending = undefined;
      },
    };
    const ticks: number[] = [];
    const stop = repeatEvery(scheduler, 1_000, () => ticks.push(nowMs));
    const fire = (atMs: number) => {
      nowMs = atMs;
      pending!.callback();
      return pending!.delayMs;
    };
    expect(fire(1_010)).toBe(990); // a little late: the next tick keeps to the 1 s grid
    expect(fire(4_500)).toBe(1_000); // 2.5 s late: the missed ticks are dropped, not fired at once
    stop();
    expect(pending).toBeUndefined();
    expect(ticks).toEqual([1_010, 4_500]);
  });

  it('stops every source and pending reply when the simulation stops', async () => {
    const { scheduler, open, send, simulation } = buildSimulation();
    await send(await open('chat', '1', { conversationId: '1' }), {
      type: 'chat_message',
      conversationId: 1,
      content: 'x',
    });
    await open('monitoring', null);
    simulation.stop();
    expect(scheduler.pendingTimers).toBe(0);
  });
});

describe('message shapes', () => {
  it("emits only messages that validate against their endpoint's server schemas", async () => {
    const { scheduler, open, send } = buildSimulation(3, 5);
    const sessions = [
      await open('campaigns', '1', { campaignId: '1', userId: '1' }),
      await open('chat', '1', { conversationId: '1' }),
      await open('chat', '1', { conversationId: '1' }),
      await open('conversations', '1'),
      await open('customers', '1'),
      await open('notifications', '1'),
      await open('projects', '1'),
      await open('projects', '2'),
      await open('monitoring', null),
      await open('market_data', null),
      await open('news', null),
      await open('sentiment', null),
      await open('huggingface', null),
    ];
    await send(sessions[1], {
      type: 'chat_message',
      id: 7,
      conversationId: 1,
      content: 'hi',
      metadata: { a: 1 },
    });
    await send(sessions[1], { type: 'chat_typing', conversationId: 1, isTyping: true });
    await send(sessions[1], { type: 'chat_read', conversationId: 1, messageId: 1 });
    await send(sessions[6], { type: 'project_join', projectId: 2 });
    await send(sessions[7], { type: 'project_join', projectId: 2 });
    await send(sessions[7], { type: 'project_comment', projectId: 2, comment: 'nice', attachments: [] });
    await send(sessions[7], { type: 'project_leave', projectId: 2 });
    await send(sessions[9], { type: 'subscribe', symbols: ['BTC', 'XRP'] });
    await send(sessions[9], { type: 'get_all' });
    scheduler.advance(120_000);
    await settle();
    const registry = SchemaRegistry.shared();
    const seen = new Set<string>();
    for (const session of sessions) {
      session.emitted.forEach((message, index) => {
        seen.add(message.type);
        const stamped = { ...message, seq: index + 1, timestamp: new Date().toISOString() };
        const result = registry.validate(session.endpoint, 'server', stamped);
        expect(result, `${session.endpoint} ${message.type}: ${JSON.stringify(result)}`).toEqual({
          ok: true,
        });
      });
    }
    expect(seen.size).toBeGreaterThanOrEqual(25);
  });
});

describe('InMemoryBus', () => {
  it('keeps delivering to the others when one subscriber throws or unsubscribes during delivery', async () => {
    const failures: string[] = [];
    const bus = new InMemoryBus({ onListenerError: (topic) => failures.push(topic) });
    const received: string[] = [];
    const offFirst = bus.subscribe('t', () => {
      received.push('first');
      offFirst();
    });
    bus.subscribe('t', () => {
      throw new Error('boom');
    });
    bus.subscribe('t', (m: string) => received.push(m));
    bus.publish('t', 'a');
    bus.publish('t', 'b');
    expect(received).toEqual(['first', 'a', 'b']);
    expect(failures).toEqual(['t', 't']);
    expect(bus.subscriberCount('t')).toBe(2);
  });
});
