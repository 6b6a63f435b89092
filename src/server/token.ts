/**
 * Tokens of the reference server: JWT HS256 with `sub` = user id and `exp` (AUTH-001..003).
 * The conformance runner mints its tokens with the same functions.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, base64url, compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { MAX_NUMERIC_DATE, TOKEN_LEEWAY_SECONDS } from '../protocol/constants.js';

export interface MintOptions {
  /** Lifetime in seconds; negative values mint an already expired token (for tests). Default 3600. */
  expiresInSeconds?: number;
  /**
   * Claims set as given, over the defaults: time claims (`iat`, `nbf`, `exp`, even values no server should
   * accept, for tests) and others (the conformance runner adds source 002's `userId`).
   */
  claims?: Record<string, unknown>;
}

/** A token's user, and when the token expires (ms since the epoch; `Infinity` when nothing is enforced). */
export type VerifiedToken = { userId: string; expiresAtMs: number } | { error: string };

/**
 * Checks a token can skip, each one used only by the matching deliberate fault of the reference server
 * (AUTH-001 signature, AUTH-002 expiry, AUTH-003 `alg: none`, AUTH-013 `exp` required, AUTH-014 `nbf`,
 * AUTH-015 expiry during the connection, AUTH-016 NumericDate sanity, AUTH-017 `iat`). Default: nothing skipped.
 */
export interface TokenLeniency {
  skipSignature?: boolean;
  skipExpiry?: boolean;
  allowAlgNone?: boolean;
  /** Accepts a token without `exp` (AUTH-013). */
  allowNoExpiry?: boolean;
  /** Accepts a token whose `nbf` is still ahead (AUTH-014). */
  ignoreNotBefore?: boolean;
  /** The token's `exp` is not reported, so nothing ends the connection when it passes. */
  forgetExpiry?: boolean;
  anyNumericDate?: boolean;
  ignoreIssuedAt?: boolean;
}

const ALGORITHM = 'HS256';
const DEFAULT_LIFETIME_SECONDS = 3600;
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

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

/** `iat` (now), `exp`, and any claims given, of a token minted now. */
function timeClaims(options: MintOptions): JWTPayload {
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    iat,
    exp: iat + (options.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS),
    ...options.claims,
  };
  return claims as JWTPayload;
}

export async function mintToken(secret: string, userId: string, options: MintOptions = {}): Promise<string> {
  return new SignJWT({ sub: userId, ...timeClaims(options) })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .sign(keyFor(secret));
}

/** Mints an unsigned `alg: none` token (what AUTH-003 refuses). */
export function mintUnsignedToken(userId: string, options: MintOptions = {}): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  const claims = { sub: userId, ...timeClaims(options) };
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

export async function verifyToken(
  secret: string,
  token: string,
  leniency: TokenLeniency = {},
  nowMs: number = Date.now(),
): Promise<VerifiedToken> {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { error: 'malformed token' };
  }
  if (alg === 'none' && !leniency.allowAlgNone) return { error: 'unsigned tokens (alg none) are refused' };
  if (alg !== 'none' && alg !== ALGORITHM) return { error: `token algorithm ${String(alg)} is not accepted` };
  if (alg !== 'none' && !leniency.skipSignature) {
    try {
      await compactVerify(token, keyFor(secret), { algorithms: [ALGORITHM] });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { error: 'invalid token signature' };
      return { error: 'invalid token' };
    }
  }
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { error: 'malformed token' };
  }
  const problem = timeProblem(claims, leniency, nowMs / 1000);
  if (problem) return { error: problem };
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) return { error: 'token has no subject' };
  const expiresAtMs =
    leniency.forgetExpiry || leniency.skipExpiry || typeof claims.exp !== 'number'
      ? Number.POSITIVE_INFINITY
      : claims.exp * 1000;
  return { userId: sub, expiresAtMs };
}

/** RFC 7519 NumericDate, within what a date can be: 1970 to the end of year 9999. */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE;
}

/** Why the token's time claims refuse it now (seconds since the epoch), if they do. */
function timeProblem(
  claims: Record<string, unknown>,
  leniency: TokenLeniency,
  nowSeconds: number,
): string | undefined {
  if (claims.exp === undefined && !leniency.allowNoExpiry) return 'token has no exp claim';
  if (!leniency.anyNumericDate) {
    const bad = TIME_CLAIMS.find((name) => claims[name] !== undefined && !isNumericDate(claims[name]));
    if (bad) return `token ${bad} is not a valid NumericDate`;
  } else if (claims.exp !== undefined && typeof claims.exp !== 'number') {
    return 'token exp is not a number';
  }
  const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
  if (!leniency.skipExpiry && exp !== undefined && exp <= nowSeconds) return 'token expired';
  if (!leniency.ignoreNotBefore && typeof nbf === 'number' && nbf > nowSeconds + TOKEN_LEEWAY_SECONDS) {
    return 'token not valid yet (nbf is in the future)';
  }
  if (!leniency.ignoreIssuedAt && typeof iat === 'number' && iat > nowSeconds + TOKEN_LEEWAY_SECONDS) {
    return 'token issued in the future (iat)';
  }
  return undefined;
}
