import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../src/server/index.js';
import { ManualClock } from './support/manual-clock.js';
import { until } from './support/wait.js';
import {
  CAMPAIGN,
  OWN_CAMPAIGN,
  startTestServer,
  stopTestServers,
  type TestServer,
} from './support/test-server.js';

afterEach(stopTestServers);

const MARKET = '/ws/market_data';
const snapshot = { type: 'prices_snapshot', data: { prices: [] } };
const resumeQuery = (sessionId: unknown, lastSeq: number) => ({
  resume: String(sessionId),
  lastSeq: String(lastSeq),
});

async function faulty(id: string, options: ServerOptions = {}) {
  return startTestServer({ faults: [id], ...options });
}

/** Drops a market connection after `seen` data messages; returns its session id. */
async function drop(server: TestServer, seen: number, how: 'terminate' | 'close' = 'terminate') {
  const { client, established } = await server.establish(MARKET);
  for (let i = 0; i < seen; i++) server.endpoints.emit('market_data', snapshot);
  for (let i = 0; i < seen; i++) await client.waitForMessage('prices_snapshot');
  if (how === 'close') client.close(1000);
  else client.terminate();
  await client.waitForClose();
  await until(() => server.server.stats().connections === 0, 'the server to see the drop');
  return established.sessionId;
}

describe('resume faults', () => {
  it('RES-001 skips the first missed message in the replay', async () => {
    const server = await faulty('RES-001');
    const sessionId = await drop(server, 2);
    for (let i = 0; i < 3; i++) server.endpoints.emit('market_data', snapshot);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 2) });
    expect(await client.waitForMessage('resumed')).toMatchObject({ replayed: 2 });
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
    const { client: first, established } = await server.establish('/ws/chat/', {
      token: await server.token('1'),
    });
    first.terminate();
    await until(() => server.server.stats().connections === 0, 'the server to see the drop');
    const { client } = await server.establish('/ws/chat/', {
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
    await until(() => server.server.stats().connections === 0, 'the server to see the drop');
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
    const clock = new ManualClock();
    const server = await faulty('RES-009', { resumeWindowMs: 30, clock });
    const sessionId = await drop(server, 1);
    clock.advance(60_000);
    const { client } = await server.establish(MARKET, { query: resumeQuery(sessionId, 1) });
    await client.waitForMessage('resumed');
  });
});
