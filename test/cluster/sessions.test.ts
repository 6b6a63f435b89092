/**
 * Three reference server instances sharing one real redis-server: any instance resumes any session with
 * its full replay, rooms reach members on every instance, takeovers close the old connection wherever it
 * is, request memory and stores follow the session, and every simulated source has one producer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_CAMPAIGN } from '../server/support/test-server.js';
import { until } from '../server/support/wait.js';
import { scaled } from '../support/timing.js';
import {
  CHAT,
  dataOf,
  lastSeqOf,
  MARKET,
  REPLY_MS,
  resumeQuery,
  startDeployment,
  type Deployment,
} from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;
const CAMPAIGN = '/ws/campaigns';

let deployment: Deployment;
beforeAll(async () => {
  deployment = await startDeployment(3);
});
afterAll(async () => {
  await deployment?.close();
});

const seqs = (messages: Record<string, unknown>[]) => messages.map((m) => m.seq as number);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeWithRedis('sessions shared through Redis', () => {
  it('replays on another instance everything kept while detached, in order, once, then goes on live', async () => {
    const { client, established } = await deployment.open(0, MARKET);
    client.send({ type: 'subscribe', id: 'sub', symbols: ['BTC'] });
    await until(() => lastSeqOf(client) >= 3, 'three price updates on i1', REPLY_MS);
    const seen = lastSeqOf(client);
    client.terminate();
    await client.waitForClose(REPLY_MS);
    // The session is still followed on i1 while detached: ticks keep being kept for it.
    await new Promise((resolve) => setTimeout(resolve, scaled(300)));

    const resumed = await deployment.open(1, MARKET, resumeQuery(established.sessionId, seen));
    expect(resumed.established).toMatchObject({
      sessionId: established.sessionId,
      resumed: true,
      instanceId: 'i2',
    });
    const done = await resumed.client.waitForMessage('resumed', REPLY_MS);
    const replayed = dataOf(resumed.client);
    expect(done.replayed).toBe(replayed.length);
    expect(replayed.length).toBeGreaterThan(0);
    await until(
      () => lastSeqOf(resumed.client) >= seen + replayed.length + 3,
      'live updates on i2',
      REPLY_MS,
    );
    const after = seqs(dataOf(resumed.client));
    expect(after).toEqual(range(seen + 1, after.at(-1)!));
  });

  it('delivers a chat message posted through one instance to the room members on the others', async () => {
    const token = await deployment.token('1');
    const members = await Promise.all(
      [0, 1, 2].map((i) => deployment.open(i, CHAT, { token, conversationId: '1' })),
    );
    const poster = await deployment.open(2, CHAT, { token });
    const content = `across ${Date.now()}`;
    poster.client.send({ type: 'chat_message', id: 'p1', conversationId: 1, content });
    for (const { client } of members) {
      const frame = await client.next(
        (f) =>
          f.json?.type === 'chat_message' && (f.json.message as { content?: string })?.content === content,
        `the chat_message "${content}"`,
        REPLY_MS,
      );
      expect(frame.json?.conversationId).toBe(1);
    }
  });

  it('gives a member who joins a room on another instance only what is posted after it joined, once', async () => {
    // User 1 owns conversation 21; no session follows it yet, so instance i2 starts reading its room.
    const token = await deployment.token('1');
    const poster = await deployment.open(0, CHAT, { token });
    const tag = `join ${Date.now()}`;
    const post = async (id: string) => {
      poster.client.send({ type: 'chat_message', id, conversationId: 21, content: `${tag} ${id}` });
      await poster.client.next((f) => f.json?.type === 'ack' && f.json.id === id, `ack of ${id}`, REPLY_MS);
    };
    const contents = (client: typeof poster.client) =>
      client.frames
        .filter((f) => f.json?.type === 'chat_message')
        .map((f) => (f.json!.message as { content: string }).content)
        .filter((content) => content.startsWith(tag));
    const heard = (client: typeof poster.client, id: string) =>
      client.next(
        (f) =>
          f.json?.type === 'chat_message' &&
          (f.json.message as { content?: string }).content === `${tag} ${id}`,
        `the chat_message "${tag} ${id}"`,
        REPLY_MS,
      );

    await post('before');
    const member = await deployment.open(1, CHAT, { token, conversationId: '21' });
    await post('first');
    await heard(member.client, 'first');
    member.client.send({ type: 'chat_leave', id: 'leave', conversationId: 21 });
    await member.client.next((f) => f.json?.id === 'leave', 'the reply to chat_leave', REPLY_MS);
    member.client.send({ type: 'chat_join', id: 'join', conversationId: 21 });
    await member.client.next((f) => f.json?.id === 'join', 'the reply to chat_join', REPLY_MS);
    await post('second');
    await heard(member.client, 'second');
    expect(contents(member.client)).toEqual([`${tag} first`, `${tag} second`]);
  });

  it('closes the connection on the old instance with 4409 when the session is resumed on another', async () => {
    const { client, established } = await deployment.open(0, MARKET);
    client.send({ type: 'get_all' });
    await client.waitForMessage('prices_snapshot', REPLY_MS);
    const second = await deployment.open(2, MARKET, resumeQuery(established.sessionId, 1));
    await second.client.waitForMessage('resumed', REPLY_MS);
    const error = await client.waitForMessage('error', REPLY_MS);
    expect(error.error).toMatchObject({ code: 'SESSION_TAKEN_OVER', closeCode: 4409 });
    expect((await client.waitForClose(REPLY_MS)).code).toBe(4409);
  });

  it('refuses on another instance a resume without a token of a session opened with one (RES-016)', async () => {
    const token = await deployment.token('1');
    const owner = await deployment.open(0, CAMPAIGN, { ...OWN_CAMPAIGN, token });
    const sessionId = owner.established.sessionId;
    const intruder = await deployment.open(1, CAMPAIGN, { ...OWN_CAMPAIGN, ...resumeQuery(sessionId, 0) });
    expect(await intruder.client.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({
      reason: 'user_mismatch',
    });
    const resumed = await deployment.open(2, CAMPAIGN, {
      ...OWN_CAMPAIGN,
      token,
      ...resumeQuery(sessionId, 0),
    });
    expect(await resumed.client.waitForMessage('resumed', REPLY_MS)).toMatchObject({ sessionId });
  });

  it('answers a request resent on another instance with the remembered reply and no second effect', async () => {
    const { client, established } = await deployment.open(1, MARKET);
    client.send({ type: 'get_all', id: 'once' });
    const ack = await client.waitForMessage('ack', REPLY_MS);
    const seen = lastSeqOf(client);
    client.terminate();
    await client.waitForClose(REPLY_MS);
    const resumed = await deployment.open(2, MARKET, resumeQuery(established.sessionId, seen));
    await resumed.client.waitForMessage('resumed', REPLY_MS);
    resumed.client.send({ type: 'get_all', id: 'once' });
    const again = await resumed.client.waitForMessage('ack', REPLY_MS);
    expect({ ...again, timestamp: undefined }).toEqual({ ...ack, timestamp: undefined });
    resumed.client.send({ type: 'ping', id: 'after' });
    await resumed.client.next((f) => f.json?.type === 'pong', 'the pong', REPLY_MS);
    expect(dataOf(resumed.client)).toEqual([]);
  });

  it('keeps seq gap-free when successive resumes land on different instances', async () => {
    const first = await deployment.open(0, MARKET);
    const sessionId = first.established.sessionId;
    let client = first.client;
    const seen: number[] = [];
    for (const next of [1, 2, 0, 2, 1]) {
      client.send({ type: 'get_all' });
      await client.waitForMessage('prices_snapshot', REPLY_MS);
      seen.push(...seqs(dataOf(client)));
      client.terminate();
      await client.waitForClose(REPLY_MS);
      ({ client } = await deployment.open(next, MARKET, resumeQuery(sessionId, seen.at(-1)!)));
      await client.waitForMessage('resumed', REPLY_MS);
    }
    expect(seen).toEqual(range(1, 5));
  });

  it('serves the chat data written through one instance from every other', async () => {
    const token = await deployment.token('4');
    const writer = await deployment.open(0, CHAT, { token });
    const content = `stored ${Date.now()}`;
    writer.client.send({ type: 'chat_message', id: 'w', conversationId: 14, content });
    const ack = await writer.client.next((f) => f.json?.type === 'ack', 'the ack', REPLY_MS);
    const { messageId } = ack.json?.data as { messageId: number };

    const lists = await deployment.open(1, '/ws/conversations/', { token });
    const list = await lists.client.waitForMessage('conversations_list', REPLY_MS);
    const conversation = (list.conversations as Array<{ id: number; lastMessage?: string }>).find(
      (c) => c.id === 14,
    );
    expect(conversation?.lastMessage).toBe(content);

    const reader = await deployment.open(2, CHAT, { token });
    reader.client.send({ type: 'chat_read', id: 'r', conversationId: 14, messageId });
    const read = await reader.client.next((f) => f.json?.id === 'r', 'the reply to chat_read', REPLY_MS);
    expect(read.json?.type).toBe('ack');
  });

  it('produces each price on one instance only, however many instances follow it', async () => {
    const followers = await Promise.all([0, 1, 2].map((i) => deployment.open(i, MARKET)));
    for (const { client } of followers) client.send({ type: 'subscribe', symbols: ['ETH'] });
    // 20 ticks per second at speed 20: one producer gives about that many, three would give three times it.
    const windowMs = scaled(1_000);
    await new Promise((resolve) => setTimeout(resolve, windowMs + scaled(300)));
    const counts = followers.map(({ client }) => dataOf(client).length);
    expect(Math.max(...counts)).toBeLessThan(1.5 * 20 * ((windowMs + scaled(300)) / 1_000) + 2);
  });
});
