import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/protocol/endpoints.js';
import { CAMPAIGN, OWN_CAMPAIGN, startTestServer, stopTestServers } from './support/test-server.js';
import { UpgradeRefused, openClient } from './support/test-client.js';
import { rawUpgrade } from './support/raw-upgrade.js';

afterEach(stopTestServers);

describe('handshake', () => {
  it('accepts an upgrade on every endpoint path it serves and sends connection_established first (HS-001, HS-002)', async () => {
    const { establish, token, server } = await startTestServer();
    const served = ENDPOINTS.filter((e) =>
      ['campaigns', 'chat', 'conversations', 'market_data', 'news', 'monitoring'].includes(e.name),
    );
    for (const spec of served) {
      const { client } = await establish(spec.path, { query: OWN_CAMPAIGN, token: await token('1') });
      const first = client.frames[0].json!;
      expect(first.type).toBe('connection_established');
      expect(first).toMatchObject({
        protocolVersion: '1.0',
        endpoint: spec.name,
        heartbeatIntervalMs: server.options.heartbeatIntervalMs,
        heartbeatTimeoutMs: server.options.heartbeatTimeoutMs,
        resumeWindowMs: server.options.resumeWindowMs,
        maxMessageBytes: server.options.maxMessageBytes,
        rateLimit: server.options.rateLimit,
        auth: { mode: 'optional', userId: '1' },
        message: '✅ WebSocket connected successfully',
      });
      expect(first.sessionId).toEqual(expect.any(String));
      expect(first.timestamp).toMatch(/Z$/);
    }
  });

  it('answers 404 to unknown paths and to families it does not serve', async () => {
    const { url } = await startTestServer({ families: ['campaign'] });
    await expect(openClient(url('/ws/nowhere'))).rejects.toMatchObject({ status: 404 });
    await expect(openClient(url('/ws/market_data'))).rejects.toMatchObject({ status: 404 });
  });

  it('tolerates a missing trailing slash on chat paths', async () => {
    const { establish, token } = await startTestServer();
    const { established } = await establish('/ws/chat', { token: await token('1') });
    expect(established.endpoint).toBe('chat');
  });

  it('selects tidewire.v1 when offered (HS-003)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, {
      query: OWN_CAMPAIGN,
      protocols: ['campaign-updates', 'tidewire.v1'],
    });
    expect(client.protocol).toBe('tidewire.v1');
  });

  it('selects campaign-updates on the campaign endpoint (HS-004)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: ['campaign-updates'] });
    expect(client.protocol).toBe('campaign-updates');
  });

  it('sends error SUBPROTOCOL_NOT_ACCEPTABLE and closes 4406 when no offered subprotocol is supported (HS-005)', async () => {
    const { url } = await startTestServer();
    // `ws` clients refuse an answer without a subprotocol, so this reads the frames of the raw upgrade.
    const answer = await rawUpgrade(url(CAMPAIGN, OWN_CAMPAIGN), { protocols: ['graphql-ws'] });
    expect(answer.status).toBe(101);
    expect(answer.protocol).toBeUndefined();
    expect(JSON.parse(answer.texts[0])).toMatchObject({
      type: 'error',
      error: { code: 'SUBPROTOCOL_NOT_ACCEPTABLE', closeCode: 4406 },
    });
    expect(answer.closeCode).toBe(4406);
  });

  it('accepts a connection that offers no subprotocol, in its source dialect (HS-006, SRC-001)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: [] });
    expect(client.protocol).toBe('');
    expect((await client.next(() => true, 'the first message')).json?.type).toBe('campaign_update');
  });

  it.each([
    ['a missing campaignId', { userId: '1' }],
    ['a malformed campaignId', { campaignId: '01', userId: '1' }],
    ['a non-numeric userId', { campaignId: '1', userId: 'me' }],
    ['resume without lastSeq', { ...OWN_CAMPAIGN, resume: 'abc' }],
    ['a negative lastSeq', { ...OWN_CAMPAIGN, resume: 'abc', lastSeq: '-1' }],
  ])('closes with 4400 after error BAD_REQUEST for %s (HS-007)', async (_what, query) => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'BAD_REQUEST', closeCode: 4400 },
    });
    expect((await client.waitForClose()).code).toBe(4400);
    expect(client.messages().some((m) => m.type === 'connection_established')).toBe(false);
  });

  it('closes with 4404 after error NOT_FOUND for an unknown campaign (HS-008)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: { campaignId: '999999', userId: '1' } });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'NOT_FOUND', closeCode: 4404 },
    });
    expect((await client.waitForClose()).code).toBe(4404);
  });

  it("closes with 4403 when a valid user asks for another user's campaign (SEC-002)", async () => {
    const { connect, token } = await startTestServer();
    const client = await connect(CAMPAIGN, {
      query: { campaignId: '2', userId: '1' },
      token: await token('1'),
    });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'FORBIDDEN', closeCode: 4403 },
    });
    expect((await client.waitForClose()).code).toBe(4403);
  });

  it('answers 403 before the upgrade to an Origin that is not allowed, and accepts allowed ones (SEC-001)', async () => {
    const { url } = await startTestServer();
    const target = url(CAMPAIGN, OWN_CAMPAIGN);
    await expect(openClient(target, { headers: { Origin: 'https://evil.example' } })).rejects.toBeInstanceOf(
      UpgradeRefused,
    );
    await expect(openClient(target, { headers: { Origin: 'https://evil.example' } })).rejects.toMatchObject({
      status: 403,
    });
    const local = await openClient(target, { headers: { Origin: 'http://localhost:5173' } });
    await local.waitForMessage('connection_established');
    local.terminate();
  });

  it('accepts any Origin when allowedOrigins is *', async () => {
    const { url } = await startTestServer({ allowedOrigins: '*' });
    const client = await openClient(url(CAMPAIGN, OWN_CAMPAIGN), {
      headers: { Origin: 'https://evil.example' },
    });
    await client.waitForMessage('connection_established');
    client.terminate();
  });
});
