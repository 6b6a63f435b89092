import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  CampaignsClient,
  MarketDataClient,
  MessageValidationError,
  RequestError,
} from '../../generated/client/index.js';
import type { MarketDataClientMessage } from '../../generated/types/index.js';
import { createValidator } from '../../generated/validation/index.js';
import type { ReferenceServer } from '../../src/server/index.js';
import { nodeClientOptions, startReference } from './support/reference.js';

let server: ReferenceServer;
const clients: { close(): Promise<void> }[] = [];
const track = <T extends { close(): Promise<void> }>(client: T): T => (clients.push(client), client);

beforeAll(async () => {
  server = await startReference();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await server.close();
});

describe('typed messages against the reference server', () => {
  it('receives connection_established and a typed campaign_update snapshot', async () => {
    const client = track(
      new CampaignsClient(nodeClientOptions(server.url, { query: { campaignId: 1, userId: 1 } })),
    );
    const snapshot = client.nextMessage('campaign_update');
    await client.connect();
    const update = await snapshot;
    expect(update.campaignId).toBe(1);
    expect(update.data.progress.total).toBeGreaterThan(0);
    expect(client.sessionId).toMatch(/.+/);
  });

  it('resolves a request with its ack and delivers subscribed prices', async () => {
    const client = track(new MarketDataClient(nodeClientOptions(server.url)));
    await client.connect();
    const ack = await client.request({ type: 'subscribe', symbols: ['BTC'] });
    expect(ack).toMatchObject({ type: 'ack', ok: true, data: { symbols: ['BTC'] } });
    const price = await client.nextMessage('price_update');
    expect(price.data.symbol).toBe('BTC');
    expect(typeof price.data.price).toBe('number');
  });

  it('rejects a request answered by error with a RequestError carrying the code', async () => {
    const client = track(new MarketDataClient(nodeClientOptions(server.url)));
    await client.connect();
    const failure = await client
      .request({ type: 'subscribe', symbols: ['NOPE'] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestError);
    expect((failure as RequestError).code).toBe('NOT_FOUND');
  });
});

describe('validating mode', () => {
  it('refuses a message that violates its schema with the failing path', async () => {
    const client = track(
      new MarketDataClient(nodeClientOptions(server.url, { validator: createValidator() })),
    );
    await client.connect();
    const invalid: MarketDataClientMessage = { type: 'subscribe', symbols: ['btc lowercase'] };
    expect(() => client.send(invalid)).toThrow(MessageValidationError);
    expect(() => client.send(invalid)).toThrow(/market_data: subscribe violates its schema: \/symbols\/0/);
    await expect(client.request({ type: 'subscribe', symbols: ['ETH'] })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('needs a validator when validate is true', () => {
    expect(() => new MarketDataClient(nodeClientOptions(server.url, { validate: true }))).toThrow(
      /needs a "validator"/,
    );
  });
});
