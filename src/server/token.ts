/**
 * Tokens of the reference server: JWT HS256 with `sub` = user id and `exp` (AUTH-001..003).
 * The conformance runner mints its tokens with the same functions.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';

export interface MintOptions {
  /** Lifetime in seconds; negative values mint an already expired token (for tests). Default 3600. */
  expiresInSeconds?: number;
  /** Claims besides `sub`, `iat` and `exp` (the conformance runner adds source 002's `userId`). */
  claims?: Record<string, string>;
}

export type VerifiedToken = { userId: string } | { error: string };

/**
 * Checks a token can skip, each one used only by the matching deliberate fault of the reference server
 * (AUTH-001 signature, AUTH-002 expiry, AUTH-003 `alg: none`). Default: nothing skipped.
 */
export interface TokenLeniency {
  skipSignature?: boolean;
  skipExpiry?: boolean;
  allowAlgNone?: boolean;
  /** Accepts a token without `exp` (AUTH-013). */
  allowNoExpiry?: boolean;
  /** Accepts a token whose `nbf` is still ahead (AUTH-014). */
  ignoreNotBefore?: boolean;
}

const ALGORITHM = 'HS256';
const DEFAULT_LIFETIME_SECONDS = 3600;

const keys = new Map<string, KeyObject>();

/** The HMAC key of a secret, made once: importing it anew for every token costs each handshake. */
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** `iat` (now) and `exp` of a token minted now, in seconds since the epoch. */
function lifetimeClaims(options: MintOptions): { iat: number; exp: number } {
  const iat = Math.floor(Date.now() / 1000);
  return { iat, exp: iat + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS) };
}

export async function mintToken(secret: string, userId: string, options: MintOptions = {}): Promise<string> {
  const { iat, exp } = lifetimeClaims(options);
  return new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keyFor(secret));
}

/** Mints an unsigned `alg: none` token (what AUTH-003 refuses). */
export function mintUnsignedToken(userId: string, options: MintOptions = {}): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  const claims = { sub: userId, ...lifetimeClaims(options) };
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

export async function verifyToken(
  secret: string,
  token: string,
  leniency: TokenLeniency = {},
): Promise<VerifiedToken> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { error: 'malformed token' };
  }
  if (alg === 'none' && !leniency.allowAlgNone) return { error: 'unsigned tokens (alg none) are refused' };
  if (alg !== 'none' && alg !== ALGORITHM) return { error: `token algorithm ${String(alg)} is not accepted` };
  if (alg === 'none' || leniency.skipSignature) return checkClaims(token, leniency);
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: [ALGORITHM],
      // A token that never expires is refused: a leaked one would be valid forever.
      requiredClaims: leniency.allowNoExpiry ? [] : ['exp'],
      clockTolerance: 0,
    });
    return userFrom(payload.sub);
  } catch (error) {
    const { code, claim } = error as { code?: string; claim?: string };
    // jose checks `exp` last, after the signature and the other claims (`nbf` among them).
    if (code === 'ERR_JWT_EXPIRED') {
      return leniency.skipExpiry ? userFrom(decodeJwt(token).sub) : { error: 'token expired' };
    }
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { error: 'invalid token signature' };
    // jose checks the claims only once the signature holds.
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') {
      return leniency.ignoreNotBefore ? checkClaims(token, leniency) : { error: 'token not valid yet' };
    }
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      return {
        error: claim === 'exp' ? 'token has no exp claim' : `token claim ${claim ?? '?'} is not valid`,
      };
    }
    return { error: 'invalid token' };
  }
}

function checkClaims(token: string, leniency: TokenLeniency): VerifiedToken {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { error: 'malformed token' };
  }
  if (typeof claims.exp !== 'number') {
    return leniency.allowNoExpiry ? userFrom(claims.sub) : { error: 'token has no exp claim' };
  }
  if (!leniency.skipExpiry && claims.exp * 1000 <= Date.now()) {
    return { error: 'token expired' };
  }
  if (!leniency.ignoreNotBefore && typeof claims.nbf === 'number' && claims.nbf * 1000 > Date.now()) {
    return { error: 'token not valid yet' };
  }
  return userFrom(claims.sub);
}

function userFrom(sub: unknown): VerifiedToken {
  return typeof sub === 'string' && sub.length > 0 ? { userId: sub } : { error: 'token has no subject' };
}
