import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { MAX_NUMERIC_DATE, TOKEN_LEEWAY_SECONDS } from '../../src/protocol/constants.js';
import { mintToken, mintUnsignedToken, verifyToken } from '../../src/server/token.js';
import { tamper } from './support/tokens.js';

const SECRET = 'test-secret';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const user7 = { userId: '7', expiresAtMs: expect.any(Number) };

describe('tokens', () => {
  it('verifies a token it minted and yields its user and expiry', async () => {
    const token = await mintToken(SECRET, '7', { expiresInSeconds: 600 });
    const verified = await verifyToken(SECRET, token);
    expect(verified).toEqual(user7);
    const expiresAtMs = (verified as { expiresAtMs: number }).expiresAtMs;
    expect(Math.abs(expiresAtMs - (Date.now() + 600_000))).toBeLessThanOrEqual(2_000);
  });

  it('refuses expired, tampered, unsigned and malformed tokens', async () => {
    expect(await verifyToken(SECRET, await mintToken(SECRET, '7', { expiresInSeconds: -1 }))).toEqual({
      error: 'token expired',
    });
    expect(await verifyToken(SECRET, tamper(await mintToken(SECRET, '7')))).toEqual({
      error: 'invalid token signature',
    });
    expect(await verifyToken(SECRET, mintUnsignedToken('7'))).toMatchObject({
      error: expect.stringContaining('alg none'),
    });
    expect(await verifyToken(SECRET, 'abc')).toEqual({ error: 'malformed token' });
  });

  it('refuses a correctly signed token without exp, which would never expire', async () => {
    const forever = await new SignJWT({ sub: '7' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, forever)).toEqual({ error: 'token has no exp claim' });
  });

  it.each([
    ['exp', 1e300],
    ['exp', -5],
    ['exp', '2099-01-01'],
    ['exp', MAX_NUMERIC_DATE + 1],
    ['nbf', Number.MAX_VALUE],
    ['iat', 'yesterday'],
  ])('refuses a token whose %s is %s, which is not a NumericDate', async (claim, value) => {
    const token = await mintToken(SECRET, '7', { claims: { [claim]: value } });
    expect(await verifyToken(SECRET, token)).toEqual({ error: `token ${claim} is not a valid NumericDate` });
  });

  it('refuses a token not valid yet, or issued in the future, beyond the leeway', async () => {
    const later = nowSeconds() + TOKEN_LEEWAY_SECONDS + 60;
    expect(await verifyToken(SECRET, await mintToken(SECRET, '7', { claims: { nbf: later } }))).toEqual({
      error: 'token not valid yet (nbf is in the future)',
    });
    expect(await verifyToken(SECRET, await mintToken(SECRET, '7', { claims: { iat: later } }))).toEqual({
      error: 'token issued in the future (iat)',
    });
  });

  it('accepts nbf and iat within the leeway, for clocks a little ahead of the server', async () => {
    const skewed = nowSeconds() + TOKEN_LEEWAY_SECONDS - 5;
    const token = await mintToken(SECRET, '7', { claims: { nbf: skewed, iat: skewed } });
    expect(await verifyToken(SECRET, token)).toEqual(user7);
  });

  it('skips only the check a leniency names', async () => {
    const expired = await mintToken(SECRET, '7', { expiresInSeconds: -1 });
    expect(await verifyToken(SECRET, expired, { skipExpiry: true })).toEqual(user7);
    expect(await verifyToken(SECRET, tamper(await mintToken(SECRET, '7')), { skipSignature: true })).toEqual(
      user7,
    );
    expect(await verifyToken(SECRET, tamper(expired), { skipSignature: true })).toEqual({
      error: 'token expired',
    });
    expect(await verifyToken(SECRET, mintUnsignedToken('7'), { skipSignature: true })).toMatchObject({
      error: expect.any(String),
    });
    expect(await verifyToken(SECRET, mintUnsignedToken('7'), { allowAlgNone: true })).toEqual(user7);
    expect(await verifyToken(SECRET, await mintToken(SECRET, '7'), { forgetExpiry: true })).toEqual({
      userId: '7',
      expiresAtMs: Number.POSITIVE_INFINITY,
    });
    const future = await mintToken(SECRET, '7', { claims: { nbf: nowSeconds() + 3600 } });
    expect(await verifyToken(SECRET, future, { ignoreNotBefore: true })).toEqual(user7);
    const huge = await mintToken(SECRET, '7', { claims: { exp: 1e300 } });
    expect(await verifyToken(SECRET, huge, { anyNumericDate: true })).toEqual(user7);
  });
});
