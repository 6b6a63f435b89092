import { afterEach, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../src/server/sources/manual-scheduler.js';
import { MARKET, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

const LIMIT = { rateLimit: { maxMessages: 5, windowMs: 60_000 } };

describe('rate limit', () => {
  it('processes every message within the limit (RL-003)', async () => {
    const { establish } = await startTestServer(LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 5; i++) client.send({ type: 'ping', id: i });
    for (let i = 0; i < 5; i++) await client.waitForMessage('pong');
    expect(client.messages().some((m) => m.type === 'error')).toBe(false);
  });

  it('refuses a message over the limit with RATE_LIMITED, retryAfterMs and its id, and stays open (RL-001)', async () => {
    const { establish } = await startTestServer(LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 6; i++) client.send({ type: 'ping', id: i });
    const error = await client.waitForMessage('error');
    expect(error).toMatchObject({ id: 5, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    expect((error.error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await client.staysOpen(100)).toBe(true);
  });

  it('closes with 4429 after error RATE_LIMITED beyond twice the limit (RL-002)', async () => {
    const { establish } = await startTestServer(LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 11; i++) client.send('not json either');
    const last = await client.next(
      (f) => (f.json?.error as { closeCode?: number })?.closeCode === 4429,
      'error with closeCode 4429',
    );
    expect(last.json).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await client.waitForClose()).code).toBe(4429);
  });

  it('opens a fresh window once windowMs has passed', async () => {
    const clock = new ManualScheduler();
    const { establish } = await startTestServer({ rateLimit: { maxMessages: 2, windowMs: 100 }, clock });
    const { client } = await establish(MARKET);
    for (let i = 0; i < 3; i++) client.send({ type: 'ping', id: i });
    expect(await client.waitForMessage('error')).toMatchObject({ id: 2, error: { retryAfterMs: 100 } });
    clock.advance(100);
    client.send({ type: 'ping', id: 'later' });
    expect(await client.next((f) => f.json?.id === 'later', 'an answer to "later"')).toMatchObject({
      json: { type: 'pong' },
    });
  });
});
