/**
 * Tokens are in force from `nbf` until `exp` and no longer: a connection ends when its token expires,
 * time claims that make no sense are refused with their own message, and a session opened with a token
 * stays its user's (AUTH-015 … AUTH-017, RES-016).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaled } from '../support/timing.js';
import {
  CAMPAIGN,
  MARKET,
  OWN_CAMPAIGN,
  resumeQuery,
  startTestServer,
  stopTestServers,
} from './support/test-server.js';

afterEach(stopTestServers);

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('token lifetime', () => {
  it('closes with authentication_error and 4001 when the token expires during the connection (AUTH-015)', async () => {
    const { establish, token } = await startTestServer();
    // exp is whole seconds: this token expires 1 to 2 s from now.
    const short = await token('1', { expiresInSeconds: 2 });
    const { client } = await establish(MARKET, { token: short });
    const notice = await client.waitForMessage('authentication_error', scaled(4_000));
    expect(notice).toMatchObject({ message: 'token expired', error_code: 'AUTH_REQUIRED', closeCode: 4001 });
    expect((await client.waitForClose(scaled(2_000))).code).toBe(4001);
  });

  it.each([
    ['exp', { exp: 1e300 }, 'token exp is not a valid NumericDate'],
    ['nbf', { nbf: nowSeconds() + 600 }, 'token not valid yet (nbf is in the future)'],
    ['iat', { iat: nowSeconds() + 600 }, 'token issued in the future (iat)'],
  ])(
    'refuses a token with a %s that makes no sense, saying so (AUTH-014, AUTH-016, AUTH-017)',
    async (_claim, claims, message) => {
      const { connect, server } = await startTestServer();
      const token = await server.mintToken('1', { claims });
      const client = await connect(MARKET, { token });
      expect(await client.waitForMessage('authentication_error')).toMatchObject({ message, closeCode: 4001 });
      expect((await client.waitForClose()).code).toBe(4001);
    },
  );
});

describe('a session opened with a token', () => {
  it('is not resumed, nor taken over, by a connection without a token naming the same user (RES-016)', async () => {
    const { establish, token } = await startTestServer({ auth: 'optional' });
    const { client: owner, established } = await establish(CAMPAIGN, {
      query: OWN_CAMPAIGN,
      token: await token('1'),
    });
    const { client: intruder } = await establish(CAMPAIGN, {
      query: { ...OWN_CAMPAIGN, ...resumeQuery(established.sessionId, 0) },
    });
    expect(await intruder.waitForMessage('resume_failed')).toMatchObject({ reason: 'user_mismatch' });
    expect(await owner.staysOpen(scaled(200))).toBe(true);
  });

  it('is resumed by a connection with a token of its user', async () => {
    const { establish, token } = await startTestServer({ auth: 'optional' });
    const { client: owner, established } = await establish(CAMPAIGN, {
      query: OWN_CAMPAIGN,
      token: await token('1'),
    });
    owner.terminate();
    const { client } = await establish(CAMPAIGN, {
      query: { ...OWN_CAMPAIGN, ...resumeQuery(established.sessionId, 0) },
      token: await token('1'),
    });
    expect(await client.waitForMessage('resumed')).toMatchObject({ sessionId: established.sessionId });
  });
});
