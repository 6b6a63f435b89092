import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { openClient } from './support/test-client.js';
import { until } from './support/wait.js';

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('reference server with the simulated sources', () => {
  it('serves campaign snapshots and subscribed prices with gap-free seq', async () => {
    server = await createServer({ simulation: { seed: 7, speed: 20 }, resumeWindowMs: 1_000 });
    const campaign = await openClient(`${server.url}/ws/campaigns?campaignId=1&userId=1`, {
      protocols: ['campaign-updates'],
    });
    // campaign-updates alone is source 001's dialect: the snapshot comes first (SRC-001).
    expect((await campaign.next(() => true, 'the first message')).json).toMatchObject({
      type: 'campaign_update',
      campaignId: 1,
      seq: 1,
    });

    const market = await openClient(`${server.url}/ws/market_data`, { protocols: ['tidewire.v1'] });
    await market.waitForMessage('connection_established');
    market.send({ action: 'subscribe', id: 's', symbols: ['BTC', 'ETH'] });
    expect(await market.waitForMessage('ack')).toMatchObject({ data: { symbols: ['BTC', 'ETH'] } });
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) seqs.push((await market.waitForMessage('price_update', 3_000)).seq as number);
    expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2, seqs[0] + 3]);

    market.close(1000);
    campaign.close(1000);
    await until(() => server!.stats().sessions === 0, 'every session to end after client 1000 closes');
    expect(server.stats()).toEqual({ connections: 0, sessions: 0 });
  });

  it('mints tokens the chat endpoints accept', async () => {
    server = await createServer();
    const token = await server.mintToken('3');
    const chat = await openClient(`${server.url}/ws/conversations/`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await chat.waitForMessage('connection_established')).toMatchObject({ auth: { userId: '3' } });
    await chat.waitForMessage('conversations_list');
    chat.terminate();
  });
});
