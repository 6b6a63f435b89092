/** Claims read from a token without verifying it, to know what a token stands for (never to trust it). */
import { decodeJwt } from 'jose';

/** The `sub` claim, or undefined when the token is not a readable JWT with one. */
export function subjectOf(token: string): string | undefined {
  try {
    const sub = decodeJwt(token).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** When the token expires (ms since the epoch), or undefined when it is not a readable JWT with `exp`. */
export function expiryOf(token: string): number | undefined {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
