import { afterEach, describe, expect, it } from 'vitest';
import { MarketDataClient } from '../../generated/client/index.js';
import type { ReferenceServer } from '../../src/server/index.js';
import { startDropProxy, type DropProxy } from './support/drop-proxy.js';
import { nodeClientOptions, startReference } from './support/reference.js';
import { nextEvent, untilMessage } from './support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function referenceBehindProxy(options = {}): Promise<{ server: ReferenceServer; proxy: DropProxy }> {
  const server = await startReference(options);
  cleanup.push(() => server.close());
  const proxy = await startDropProxy(server.port);
  cleanup.push(() => proxy.close());
  return { server, proxy };
}

function marketClient(url: string, extra = {}): { client: MarketDataClient; seqs: number[] } {
  const client = new MarketDataClient(nodeClientOptions(url, extra));
  cleanup.push(() => client.close());
  const seqs: number[] = [];
  client.on('price_update', (message) => seqs.push(message.seq ?? -1));
  return { client, seqs };
}

describe('reconnect and resume against the reference server', () => {
  it('resumes after a server-side drop with resume and lastSeq, without gaps or duplicates (CR-006)', async () => {
    const { proxy } = await referenceBehindProxy();
    const { client, seqs } = marketClient(proxy.url);
    await client.connect();
    await client.request({ type: 'subscribe', symbols: ['BTC', 'ETH'] });
    await untilMessage(client, () => seqs.length >= 3, 'three price updates');
    const sessionId = client.sessionId;
    const resumed = nextEvent(client, 'resumed');
    proxy.dropAll();
    await resumed;
    const countAtResume = seqs.length;
    await untilMessage(client, () => seqs.length >= countAtResume + 3, 'price updates after the resume');
    expect(client.sessionId).toBe(sessionId);
    expect(proxy.requests[1]).toMatch(new RegExp(`resume=${sessionId}&lastSeq=\\d+`));
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
  });

  it('re-sends its subscriptions after resume_failed (CR-007)', async () => {
    const { proxy } = await referenceBehindProxy();
    const other = await startReference();
    cleanup.push(() => other.close());
    const { client, seqs } = marketClient(proxy.url);
    await client.connect();
    await client.request({ type: 'subscribe', symbols: ['SOL'] });
    await untilMessage(client, () => seqs.length >= 1, 'a price update');
    proxy.retarget(other.port);
    const failed = nextEvent(client, 'resume_failed');
    proxy.dropAll();
    expect((await failed).reason).toBe('unknown_session');
    const fresh = client.nextMessage('price_update');
    expect((await fresh).data.symbol).toBe('SOL');
  });

  it('emits reconnect_failed after maxAttempts attempts on the schedule (CR-002)', async () => {
    const { server, proxy } = await referenceBehindProxy();
    const { client } = marketClient(proxy.url, { delayScale: 0.001, random: () => 0 });
    const attempts: { attempt: number; delayMs: number }[] = [];
    client.onEvent('reconnecting', ({ attempt, delayMs }) => attempts.push({ attempt, delayMs }));
    await client.connect();
    const failed = nextEvent(client, 'reconnect_failed');
    await server.close();
    expect(await failed).toEqual({ attempts: 5 });
    expect(attempts).toEqual([
      { attempt: 1, delayMs: 2 },
      { attempt: 2, delayMs: 3 },
      { attempt: 3, delayMs: 6 },
      { attempt: 4, delayMs: 13 },
      { attempt: 5, delayMs: 24 },
    ]);
    expect(client.state).toBe('closed');
  });

  it('does not reconnect after 4001 until it gets a new token (CR-003)', async () => {
    const { server, proxy } = await referenceBehindProxy({ auth: 'required' });
    const { client } = marketClient(proxy.url, { token: 'not-a-jwt' });
    const closed = nextEvent(client, 'close');
    await expect(client.connect()).rejects.toThrow(/closed with 4001/);
    expect(await closed).toMatchObject({ code: 4001, willReconnect: false });
    expect(client.state).toBe('closed');
    const established = nextEvent(client, 'established');
    client.setToken(await server.mintToken('1'));
    await established;
    expect(proxy.requests).toHaveLength(2);
  });

  it('waits at least the retryAfterMs of the last error before reconnecting (CR-005)', async () => {
    const { proxy } = await referenceBehindProxy({ rateLimit: { maxMessages: 3, windowMs: 400 } });
    const { client } = marketClient(proxy.url);
    await client.connect();
    const limited = client.nextMessage('error');
    for (let i = 0; i < 4; i++) client.send({ type: 'ping' });
    const retryAfterMs = (await limited).error.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    const reconnecting = nextEvent(client, 'reconnecting');
    proxy.dropAll();
    const droppedAt = Date.now();
    expect((await reconnecting).delayMs).toBeGreaterThanOrEqual(retryAfterMs);
    await nextEvent(client, 'established');
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(retryAfterMs - 50);
  });

  it('ignores the retryAfterMs of an error that other messages followed (CR-005)', async () => {
    const { proxy } = await referenceBehindProxy({ rateLimit: { maxMessages: 3, windowMs: 10_000 } });
    const { client, seqs } = marketClient(proxy.url);
    await client.connect();
    await client.request({ type: 'subscribe', symbols: ['BTC'] });
    const limited = client.nextMessage('error');
    for (let i = 0; i < 3; i++) client.send({ type: 'ping' });
    const retryAfterMs = (await limited).error.retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(1_000);
    const seqsAtError = seqs.length;
    await untilMessage(client, () => seqs.length > seqsAtError, 'a price update after the error');
    const reconnecting = nextEvent(client, 'reconnecting');
    proxy.dropAll();
    // The drop is not the close the error announced: the plain backoff applies (20 ms × jitter here).
    expect((await reconnecting).delayMs).toBeLessThan(retryAfterMs);
  });

  it('reports an unparseable server message as an error event and keeps the connection (ENV-001 fault)', async () => {
    const { proxy } = await referenceBehindProxy({ faults: ['ENV-001'] });
    const { client } = marketClient(proxy.url);
    const error = nextEvent(client, 'error');
    await client.connect();
    expect((await error).message).toMatch(/market_data: unparseable server message/);
    await expect(client.request({ type: 'get_all' })).resolves.toMatchObject({ ok: true });
  });
});
