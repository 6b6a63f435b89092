import { afterEach, describe, expect, it } from 'vitest';
import { mintUnsignedToken } from '../../src/server/token.js';
import { tamper } from './support/tokens.js';
import { CAMPAIGN, CHAT, OWN_CAMPAIGN, startTestServer, stopTestServers } from './support/test-server.js';

afterEach(stopTestServers);

describe('authentication', () => {
  it('refuses a malformed token with authentication_error AUTH_REQUIRED and 4001 (AUTH-001)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CHAT, { token: 'not-a-jwt' });
    expect(await client.waitForMessage('authentication_error')).toMatchObject({
      error_code: 'AUTH_REQUIRED',
      closeCode: 4001,
    });
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('refuses a token with a tampered signature with authentication_error and 4001 (AUTH-001)', async () => {
    const { connect, token } = await startTestServer();
    const client = await connect(CHAT, { token: tamper(await token('1')) });
    expect(await client.waitForMessage('authentication_error')).toMatchObject({
      error_code: 'AUTH_REQUIRED',
    });
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('refuses an expired token with authentication_error and 4001 (AUTH-002)', async () => {
    const { connect, token } = await startTestServer();
    const client = await connect(CAMPAIGN, {
      query: OWN_CAMPAIGN,
      token: await token('1', { expiresInSeconds: -10 }),
    });
    expect(await client.waitForMessage('authentication_error')).toMatchObject({ message: 'token expired' });
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('refuses an alg none token with authentication_error and 4001 (AUTH-003)', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CHAT, { token: mintUnsignedToken('1') });
    await client.waitForMessage('authentication_error');
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('accepts a token in the Authorization header (AUTH-004)', async () => {
    const { establish, token } = await startTestServer({ auth: 'required' });
    const { established } = await establish(CHAT, {
      headers: { Authorization: `Bearer ${await token('3')}` },
    });
    expect(established.auth).toEqual({ mode: 'required', userId: '3' });
  });

  it('accepts a token in a bearer subprotocol entry and never selects that entry (AUTH-005)', async () => {
    const { establish, token } = await startTestServer({ auth: 'required' });
    const entry = `bearer.${Buffer.from(await token('4')).toString('base64url')}`;
    const { client, established } = await establish(CHAT, { protocols: ['tidewire.v1', entry] });
    expect(client.protocol).toBe('tidewire.v1');
    expect(established.auth).toMatchObject({ userId: '4' });
  });

  it('accepts a token in the token query parameter (AUTH-006)', async () => {
    const { establish, token } = await startTestServer({ auth: 'required' });
    const { established } = await establish(CHAT, { token: await token('5') });
    expect(established.auth).toMatchObject({ userId: '5' });
  });

  it('refuses a connection without a token in required mode (AUTH-007)', async () => {
    const { connect } = await startTestServer({ auth: 'required' });
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN });
    expect(await client.waitForMessage('authentication_error')).toMatchObject({ closeCode: 4001 });
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('accepts an anonymous campaign connection in optional mode, identified by userId', async () => {
    const { establish } = await startTestServer();
    const { established } = await establish(CAMPAIGN, { query: OWN_CAMPAIGN });
    expect(established.auth).toEqual({ mode: 'optional', userId: '1' });
  });

  it('always refuses anonymous chat connections', async () => {
    const { connect } = await startTestServer();
    const client = await connect(CHAT);
    await client.waitForMessage('authentication_error');
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('closes with 4403 after error FORBIDDEN when the token user differs from userId (AUTH-008)', async () => {
    const { connect, token } = await startTestServer();
    const client = await connect(CAMPAIGN, { query: OWN_CAMPAIGN, token: await token('2') });
    expect(await client.waitForMessage('error')).toMatchObject({
      error: { code: 'FORBIDDEN', closeCode: 4403 },
    });
    expect((await client.waitForClose()).code).toBe(4403);
  });

  it('refuses tokens signed with another secret', async () => {
    const { connect } = await startTestServer();
    const other = await startTestServer({ tokenSecret: 'another-secret' });
    const client = await connect(CHAT, { token: await other.token('1') });
    expect(await client.waitForMessage('authentication_error')).toMatchObject({
      message: 'invalid token signature',
    });
  });
});
