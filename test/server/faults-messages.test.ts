import { afterEach, describe, expect, it } from 'vitest';
import {
  CAMPAIGN,
  CHAT,
  MARKET,
  OWN_CAMPAIGN,
  startFaultyServer as faulty,
  stopTestServers,
} from './support/test-server.js';

afterEach(stopTestServers);

const priceUpdate = { type: 'price_update', data: { symbol: 'BTC', price: 1.5 }, source: 'test' };

describe('envelope faults', () => {
  it('ENV-001 sends a non-JSON frame after connection_established on market and chat, not on campaign', async () => {
    const { establish } = await faulty('ENV-001');
    const { client } = await establish(MARKET);
    await client.waitForText('hello');
    const { client: campaign } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    await campaign.waitForMessage('campaign_update');
    expect(campaign.frames.some((f) => f.text === 'hello')).toBe(false);
  });

  it('ENV-002 sends price_update with a string price', async () => {
    const { establish, endpoints } = await faulty('ENV-002');
    const { client } = await establish(MARKET);
    endpoints.emit('market_data', priceUpdate);
    expect(await client.waitForMessage('price_update')).toMatchObject({ data: { price: '1.5' }, seq: 1 });
  });

  it('ENV-003 omits the top-level timestamp of data messages only', async () => {
    const { establish, endpoints } = await faulty('ENV-003');
    const { client, established } = await establish(MARKET);
    endpoints.emit('market_data', priceUpdate);
    expect(await client.waitForMessage('price_update')).not.toHaveProperty('timestamp');
    expect(established).toHaveProperty('timestamp');
  });

  it('ENV-004 skips seq 3', async () => {
    const { establish, endpoints } = await faulty('ENV-004');
    const { client } = await establish(MARKET);
    for (let i = 0; i < 3; i++) endpoints.emit('market_data', priceUpdate);
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await client.waitForMessage('price_update')).seq);
    expect(seqs).toEqual([1, 2, 4]);
  });

  it('ENV-005 carries an integer campaignId that is not the requested one', async () => {
    const { establish } = await faulty('ENV-005');
    const { client } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    expect(await client.waitForMessage('campaign_update')).toMatchObject({ campaignId: 2 });
  });

  it('ENV-006 refuses the legacy action form', async () => {
    const { establish } = await faulty('ENV-006');
    const { client } = await establish(MARKET);
    client.send({ action: 'subscribe', symbols: ['BTC'] });
    expect(await client.waitForMessage('error')).toMatchObject({ error: { code: 'INVALID_MESSAGE' } });
  });
});

describe('error, ack and rate-limit faults', () => {
  it('ERR-001 closes on invalid JSON (after an error naming the close code)', async () => {
    const { establish } = await faulty('ERR-001');
    const { client } = await establish(MARKET);
    client.send('{');
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'INVALID_JSON', closeCode: 4400 },
    });
    expect((await client.waitForClose()).code).toBe(4400);
  });

  it('ERR-002 ignores unknown types', async () => {
    const { establish } = await faulty('ERR-002');
    const { client } = await establish(MARKET);
    client.send({ type: 'nope', id: 1 });
    client.send({ type: 'ping', id: 2 });
    await client.waitForMessage('pong');
    expect(client.messages().some((m) => m.type === 'error')).toBe(false);
  });

  it('ERR-003 leaves details.path out of INVALID_MESSAGE', async () => {
    const { establish } = await faulty('ERR-003');
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', symbols: [1] });
    const error = (await client.waitForMessage('error')).error as { code: string; details: object };
    expect(error.code).toBe('INVALID_MESSAGE');
    expect(error.details).not.toHaveProperty('path');
  });

  it('ERR-004 leaves the id out of errors', async () => {
    const { establish } = await faulty('ERR-004');
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', id: 'e1', symbols: 'BTC' });
    expect(await client.waitForMessage('error')).not.toHaveProperty('id');
  });

  it('ACK-001 acks a request twice', async () => {
    const { establish } = await faulty('ACK-001');
    const { client } = await establish(MARKET);
    client.send({ type: 'subscribe', id: 'a1', symbols: ['BTC'] });
    const [first, second] = [await client.waitForMessage('ack'), await client.waitForMessage('ack')];
    expect(second).toEqual(first);
  });

  it('ACK-002 processes a repeated id again', async () => {
    const { establish, token, endpoints } = await faulty('ACK-002');
    const { client } = await establish(CHAT, { token: await token('1') });
    const request = { type: 'chat_message', id: 'm-1', conversationId: 1, content: 'hello' };
    client.send(request);
    await client.waitForMessage('ack');
    client.send(request);
    await client.waitForMessage('ack');
    expect(endpoints.handled).toHaveLength(2);
  });

  const LIMIT = { rateLimit: { maxMessages: 4, windowMs: 60_000 } };

  it('RL-001 refuses over the limit without retryAfterMs', async () => {
    const { establish } = await faulty('RL-001', LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 5; i++) client.send({ type: 'ping', id: i });
    const error = (await client.waitForMessage('error')).error as object;
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(error).not.toHaveProperty('retryAfterMs');
  });

  it('RL-002 never closes with 4429', async () => {
    const { establish } = await faulty('RL-002', LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 12; i++) client.send({ type: 'ping', id: i });
    await client.next((f) => f.json?.id === 11, 'the answer to message 11');
    expect(client.isOpen).toBe(true);
  });

  it('RL-003 refuses at half the advertised limit, and still closes only beyond twice the limit', async () => {
    const { establish } = await faulty('RL-003', LIMIT);
    const { client } = await establish(MARKET);
    for (let i = 0; i < 3; i++) client.send({ type: 'ping', id: i });
    expect(await client.next((f) => f.json?.id === 2, 'the answer to message 2')).toMatchObject({
      json: { type: 'error', error: { code: 'RATE_LIMITED' } },
    });
    for (let i = 3; i < 8; i++) client.send({ type: 'ping', id: i });
    await client.next((f) => f.json?.id === 7, 'the answer to message 7');
    expect(client.isOpen).toBe(true);
  });
});
