import { afterEach, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../src/server/sources/manual-scheduler.js';
import {
  CAMPAIGN,
  CHAT,
  MARKET,
  OWN_CAMPAIGN,
  droppedMarketSession as drop,
  resumeQuery,
  startFaultyServer as faulty,
  stopTestServers,
  waitForDetach,
} from './support/test-server.js';

afterEach(stopTestServers);

const snapshot = { type: 'prices_snapshot', data: { prices: [] } };

describe('resume faults', () => {
  it('RES-001 skips the first missed message in the replay, though resumed counts it', async () => {
    const server = await faulty('RES-001');
    const sessionId = await drop(server, 2);
    for (let i = 0; i < 3; i++) server.endpoints.emit('market_data', snapshot);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 2) });
    expect(await client.waitForMessage('resumed')).toMatchObject({ replayed: 3, lastSeq: 5 });
    expect(
      client
        .messages()
        .filter((m) => m.type === 'prices_snapshot')
        .map((m) => m.seq),
    ).toEqual([4, 5]);
  });

  it('RES-002 gives the fresh session the requested id', async () => {
    const { establish } = await faulty('RES-002');
    const { client, established } = await establish(MARKET, { query: resumeQuery('mine', 0) });
    expect(established.sessionId).toBe('mine');
    expect(await client.waitForMessage('resume_failed')).toMatchObject({ reason: 'unknown_session' });
  });

  it('RES-003 treats a lastSeq ahead of the session as a resume', async () => {
    const server = await faulty('RES-003');
    const sessionId = await drop(server, 1);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 50) });
    expect(await client.waitForMessage('resumed')).toMatchObject({ replayed: 0 });
  });

  it("RES-004 resumes another user's session", async () => {
    const server = await faulty('RES-004');
    const { client: first, established } = await server.establish(CHAT, {
      token: await server.token('1'),
    });
    first.terminate();
    await waitForDetach(server);
    const { client } = await server.establish(CHAT, {
      query: resumeQuery(established.sessionId, 0),
      token: await server.token('2'),
    });
    await client.waitForMessage('resumed');
  });

  it('RES-005 lets both connections of a session live', async () => {
    const server = await faulty('RES-005');
    const { client: first, established } = await server.establish(MARKET);
    const { client: second } = await server.establish(MARKET, {
      query: resumeQuery(established.sessionId, 0),
    });
    await second.waitForMessage('resumed');
    first.send({ type: 'ping', id: 'still-here' });
    await first.waitForMessage('pong');
  });

  it('RES-006 keeps the session after a client 1000', async () => {
    const server = await faulty('RES-006');
    const sessionId = await drop(server, 1, 'close');
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 1) });
    await client.waitForMessage('resumed');
  });

  it('RES-007 forgets subscriptions on resume', async () => {
    const server = await faulty('RES-007');
    const { client: first, established } = await server.establish(MARKET);
    first.send({ type: 'subscribe', id: 1, symbols: ['BTC'] });
    await first.waitForMessage('ack');
    first.terminate();
    await waitForDetach(server);
    const { client } = await server.establish(MARKET, { query: resumeQuery(established.sessionId, 0) });
    await client.waitForMessage('resumed');
    client.send({ type: 'subscribe', id: 2, symbols: ['ETH'] });
    expect(await client.waitForMessage('ack')).toMatchObject({ data: { symbols: ['ETH'] } });
  });

  it('RES-008 sends no campaign snapshot after resume_failed, but does on a plain connect', async () => {
    const { establish } = await faulty('RES-008');
    const { client } = await establish(CAMPAIGN, { query: { ...OWN_CAMPAIGN, ...resumeQuery('gone', 0) } });
    await client.waitForMessage('resume_failed');
    client.send({ type: 'ping', id: 'marker' });
    await client.waitForMessage('pong');
    expect(client.messages().some((m) => m.type === 'campaign_update')).toBe(false);
    const { client: plain } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    await plain.waitForMessage('campaign_update');
  });

  it('RES-009 keeps sessions after the resume window', async () => {
    const clock = new ManualScheduler();
    const server = await faulty('RES-009', { resumeWindowMs: 30, clock });
    const sessionId = await drop(server, 1);
    clock.advance(60_000);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 1) });
    await client.waitForMessage('resumed');
  });
});
