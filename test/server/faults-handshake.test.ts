import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { mintUnsignedToken } from '../../src/server/token.js';
import { rawUpgrade } from './support/raw-upgrade.js';
import { openClient } from './support/test-client.js';
import {
  CAMPAIGN,
  CHAT,
  MARKET,
  OWN_CAMPAIGN,
  startFaultyServer as faulty,
  stopTestServers,
} from './support/test-server.js';
import { tamper } from './support/tokens.js';

afterEach(stopTestServers);

describe('handshake faults', () => {
  it('refuses an unknown fault id', async () => {
    await expect(createServer({ faults: ['HB-999'] })).rejects.toThrow(/unknown fault HB-999/);
  });

  it('HS-001 answers 404 on /ws/news only', async () => {
    const { url, establish } = await faulty('HS-001');
    await expect(openClient(url('/ws/news'))).rejects.toMatchObject({ status: 404 });
    await establish(MARKET);
  });

  it('HS-002 omits heartbeatIntervalMs from connection_established only', async () => {
    const { establish } = await faulty('HS-002');
    const { established } = await establish(MARKET);
    expect(established).not.toHaveProperty('heartbeatIntervalMs');
    expect(established).toHaveProperty('heartbeatTimeoutMs');
  });

  it.each([
    ['HS-003', ['tidewire.v1'], 'connection_established'],
    // campaign-updates alone is source 001's dialect, which starts with the snapshot (SRC-001).
    ['HS-004', ['campaign-updates'], 'campaign_update'],
  ])('%s selects no subprotocol when offered %s, yet serves it', async (id, protocols, first) => {
    const { url } = await faulty(id);
    const answer = await rawUpgrade(url(CAMPAIGN, OWN_CAMPAIGN), { protocols, texts: 1 });
    expect(answer.protocol).toBeUndefined();
    expect(JSON.parse(answer.texts[0]).type).toBe(first);
  });

  it('HS-005 selects an unsupported subprotocol instead of closing 4406', async () => {
    const { establish } = await faulty('HS-005');
    const { client } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: ['graphql-ws'] });
    expect(client.protocol).toBe('graphql-ws');
  });

  it('HS-006 closes 4406 when no subprotocol is offered, and still accepts tidewire.v1', async () => {
    const { connect, establish } = await faulty('HS-006');
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: [] });
    expect((await client.waitForClose()).code).toBe(4406);
    await establish(CAMPAIGN, { query: OWN_CAMPAIGN, protocols: ['tidewire.v1'] });
  });

  it('HS-007 answers a malformed campaignId with 4404, a missing one still with 4400', async () => {
    const { connect } = await faulty('HS-007');
    const malformed = await connect(CAMPAIGN, { query: { campaignId: 'abc', userId: '1' } });
    expect((await malformed.waitForClose()).code).toBe(4404);
    const missing = await connect(CAMPAIGN, { query: { userId: '1' } });
    expect((await missing.waitForClose()).code).toBe(4400);
  });

  it('HS-008 answers an unknown campaign with 4400', async () => {
    const { connect } = await faulty('HS-008');
    const client = await connect(CAMPAIGN, { query: { campaignId: '5000', userId: '1' } });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'BAD_REQUEST', closeCode: 4400 },
    });
  });

  it('AUTH-001 accepts a bad signature but still refuses alg none and expiry', async () => {
    const { establish, connect, token } = await faulty('AUTH-001');
    await establish(CHAT, { token: tamper(await token('1')) });
    const unsigned = await connect(CHAT, { token: mintUnsignedToken('1') });
    expect((await unsigned.waitForClose()).code).toBe(4001);
    const expired = await connect(CHAT, { token: tamper(await token('1', { expiresInSeconds: -5 })) });
    expect((await expired.waitForClose()).code).toBe(4001);
  });

  it('AUTH-002 accepts an expired token but not a tampered one', async () => {
    const { establish, connect, token } = await faulty('AUTH-002');
    await establish(CHAT, { token: await token('1', { expiresInSeconds: -5 }) });
    const tampered = await connect(CHAT, { token: tamper(await token('1')) });
    expect((await tampered.waitForClose()).code).toBe(4001);
  });

  it('AUTH-003 accepts an alg none token', async () => {
    const { establish } = await faulty('AUTH-003');
    const { established } = await establish(CHAT, { token: mintUnsignedToken('1') });
    expect(established.auth).toMatchObject({ userId: '1' });
  });

  it.each([
    ['AUTH-004', (t: string) => ({ headers: { Authorization: `Bearer ${t}` } })],
    ['AUTH-006', (t: string) => ({ token: t })],
  ])('%s ignores its token source, so the chat endpoint answers 4001', async (id, where) => {
    const { connect, token } = await faulty(id);
    const client = await connect(CHAT, where(await token('1')));
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('AUTH-005 selects the bearer entry as the subprotocol', async () => {
    const { connect, token } = await faulty('AUTH-005');
    const entry = `bearer.${Buffer.from(await token('1')).toString('base64url')}`;
    const client = await connect(CHAT, { protocols: ['tidewire.v1', entry] });
    expect(client.protocol).toBe(entry);
  });

  it('AUTH-007 accepts a campaign connection without a token in required mode', async () => {
    const { establish } = await faulty('AUTH-007', { auth: 'required' });
    const { established } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    expect(established.auth).toEqual({ mode: 'required', userId: '1' });
  });

  it('AUTH-008 trusts the userId parameter over the token user', async () => {
    const { establish, token } = await faulty('AUTH-008');
    const { established } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN, token: await token('2') });
    expect(established.auth).toMatchObject({ userId: '1' });
  });

  it('SEC-001 accepts any Origin', async () => {
    const { url } = await faulty('SEC-001');
    const client = await openClient(url(CAMPAIGN, OWN_CAMPAIGN), {
      headers: { Origin: 'https://evil.example' },
    });
    await client.waitForMessage('connection_established');
    client.terminate();
  });

  it("SEC-002 serves another user's campaign, while a token/userId mismatch still gets 4403", async () => {
    const { establish, connect, token } = await faulty('SEC-002');
    await establish(CAMPAIGN, { query: { campaignId: '2', userId: '1' }, token: await token('1') });
    const mismatch = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, token: await token('2') });
    expect((await mismatch.waitForClose()).code).toBe(4403);
  });
});
