import { afterEach, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../src/server/sources/manual-scheduler.js';
import type { TestClient } from './support/test-client.js';
import {
  CAMPAIGN,
  CHAT,
  MARKET,
  OWN_CAMPAIGN,
  droppedMarketSession as droppedSession,
  resumeQuery,
  startTestServer,
  stopTestServers,
  waitForDetach,
} from './support/test-server.js';

afterEach(stopTestServers);

const price = (n: number) => ({ type: 'prices_snapshot', data: { prices: [], n } });

async function dataSeqs(client: TestClient, count: number) {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) seqs.push((await client.waitForMessage('prices_snapshot')).seq as number);
  return seqs;
}

describe('resume', () => {
  it('replays every data message after lastSeq in order, then sends resumed (RES-001)', async () => {
    const server = await startTestServer();
    const sessionId = await droppedSession(server, 2);
    for (let i = 3; i <= 5; i++) server.endpoints.emit('market_data', price(i));
    const { client, established } = await server.establish(MARKET, { query: resumeQuery(sessionId, 2) });
    expect(established).toMatchObject({ sessionId, resumed: true });
    expect(await dataSeqs(client, 3)).toEqual([3, 4, 5]);
    expect(await client.waitForMessage('resumed')).toMatchObject({ sessionId, replayed: 3, lastSeq: 5 });
    const order = client.messages().map((m) => m.type);
    expect(order.indexOf('resumed')).toBeGreaterThan(order.lastIndexOf('prices_snapshot'));
  });

  it('answers a resume of an unknown session with resume_failed and a fresh session (RES-002)', async () => {
    const { establish } = await startTestServer();
    const { client, established } = await establish(MARKET, { query: resumeQuery('no-such-session', 0) });
    const failed = await client.waitForMessage('resume_failed');
    expect(failed).toMatchObject({ reason: 'unknown_session', sessionId: established.sessionId });
    expect(established.sessionId).not.toBe('no-such-session');
    expect(established.resumed).toBeUndefined();
  });

  it('answers a lastSeq ahead of the session with resume_failed seq_ahead (RES-003)', async () => {
    const server = await startTestServer();
    const sessionId = await droppedSession(server, 1);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 9) });
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'seq_ahead' });
  });

  it('answers a resume by another user with resume_failed user_mismatch (RES-004)', async () => {
    const server = await startTestServer();
    const { client: first, established } = await server.establish(CHAT, {
      token: await server.token('1'),
    });
    first.terminate();
    await waitForDetach(server);
    const query = resumeQuery(established.sessionId as string, 0);
    const { client } = await server.establish(CHAT, { query, token: await server.token('2') });
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'user_mismatch' });
  });

  it('closes the first connection with 4409 when a second one resumes its live session (RES-005)', async () => {
    const server = await startTestServer();
    const { client: first, established } = await server.establish(MARKET);
    const { client: second } = await server.establish(MARKET, {
      query: resumeQuery(established.sessionId as string, 0),
    });
    expect(await first.waitForMessage('error')).toMatchObject({
      error: { code: 'SESSION_TAKEN_OVER', closeCode: 4409 },
    });
    expect((await first.waitForClose()).code).toBe(4409);
    await second.waitForMessage('resumed');
    server.endpoints.emit('market_data', price(1));
    expect(await dataSeqs(second, 1)).toEqual([1]);
  });

  it('ends the session when the client closes with 1000 (RES-006)', async () => {
    const server = await startTestServer();
    const { client: first, established } = await server.establish(MARKET);
    first.close(1000);
    await first.waitForClose();
    await waitForDetach(server);
    const { client } = await server.establish(MARKET, {
      query: resumeQuery(established.sessionId as string, 0),
    });
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'unknown_session' });
  });

  it('keeps subscriptions across a resume (RES-007)', async () => {
    const server = await startTestServer();
    const { client: first, established } = await server.establish(MARKET);
    first.send({ type: 'subscribe', id: 1, symbols: ['BTC'] });
    await first.waitForMessage('ack');
    first.terminate();
    await waitForDetach(server);
    const { client } = await server.establish(MARKET, {
      query: resumeQuery(established.sessionId as string, 0),
    });
    await client.waitForMessage('resumed');
    client.send({ type: 'subscribe', id: 2, symbols: ['ETH'] });
    expect(await client.waitForMessage('ack')).toMatchObject({ data: { symbols: ['BTC', 'ETH'] } });
  });

  it('follows resume_failed with a campaign_update snapshot on the campaign endpoint (RES-008)', async () => {
    const { establish } = await startTestServer();
    const { client } = await establish(CAMPAIGN, { query: { ...OWN_CAMPAIGN, ...resumeQuery('gone', 3) } });
    await client.waitForMessage('resume_failed');
    expect(await client.waitForMessage('campaign_update')).toMatchObject({ seq: 1, campaignId: 1 });
    const order = client.messages().map((m) => m.type);
    expect(order.slice(0, 3)).toEqual(['connection_established', 'resume_failed', 'campaign_update']);
  });

  it('answers a resume after resumeWindowMs with resume_failed and frees the session (RES-009)', async () => {
    const clock = new ManualScheduler();
    const server = await startTestServer({ resumeWindowMs: 1_000, clock });
    const sessionId = await droppedSession(server, 1);
    clock.advance(999);
    expect(server.server.stats()).toEqual({ connections: 0, sessions: 1 });
    clock.advance(1);
    expect(server.server.stats()).toEqual({ connections: 0, sessions: 0 });
    expect(server.endpoints.sessions.size).toBe(0);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 1) });
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'window_expired' });
  });

  it('answers a lastSeq older than the replay buffer with resume_failed seq_unavailable', async () => {
    const server = await startTestServer({ resumeBufferMessages: 2 });
    const sessionId = await droppedSession(server, 5);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 1) });
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'seq_unavailable' });
  });
});
