import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintToken, mintUnsignedToken, verifyToken } from '../../src/server/token.js';
import { tamper } from './support/tokens.js';

const SECRET = 'test-secret';

describe('tokens', () => {
  it('verifies a token it minted and yields its user', async () => {
    expect(await verifyToken(SECRET, await mintToken(SECRET, '7'))).toEqual({ userId: '7' });
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

  it('skips only the check a leniency names', async () => {
    const expired = await mintToken(SECRET, '7', { expiresInSeconds: -1 });
    expect(await verifyToken(SECRET, expired, { skipExpiry: true })).toEqual({ userId: '7' });
    expect(await verifyToken(SECRET, tamper(await mintToken(SECRET, '7')), { skipSignature: true })).toEqual({
      userId: '7',
    });
    expect(await verifyToken(SECRET, tamper(expired), { skipSignature: true })).toEqual({
      error: 'token expired',
    });
    expect(await verifyToken(SECRET, mintUnsignedToken('7'), { skipSignature: true })).toMatchObject({
      error: expect.any(String),
    });
    expect(await verifyToken(SECRET, mintUnsignedToken('7'), { allowAlgNone: true })).toEqual({
      userId: '7',
    });
  });
});
