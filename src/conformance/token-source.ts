/**
 * Where the runner's tokens come from: a fixed `--token` (only for its own user), or minted with
 * `--token-secret` (HS256, `sub` = user id) for any user and lifetime, which AUTH and SEC checks need.
 */
import { SignJWT } from 'jose';
import { mintToken } from '../server/token.js';
import type { TokenOptions } from './types.js';

export interface TokenSourceOptions {
  token?: string;
  tokenSecret?: string;
  /** The run's user (`--user`, default "1"). */
  user: string;
}

export class TokenSource {
  private readonly minted = new Map<string, Promise<string>>();

  constructor(private readonly options: TokenSourceOptions) {}

  /** A token for `userId` (default: the run's user), or undefined when none can be had. */
  async tokenFor(userId = this.options.user, opts: TokenOptions = {}): Promise<string | undefined> {
    const secret = this.options.tokenSecret;
    const custom = opts.expiresInSeconds !== undefined || opts.claims !== undefined;
    if (secret !== undefined) {
      // Servers written after source 002 read the user from a `userId` claim; Tidewire reads `sub`.
      const claims = { userId };
      if (custom) return mintToken(secret, userId, { ...opts, claims: { ...claims, ...opts.claims } });
      let token = this.minted.get(userId);
      if (!token) {
        token = mintToken(secret, userId, { claims });
        this.minted.set(userId, token);
      }
      return token;
    }
    // A fixed token belongs to the run's user and has whatever lifetime it was given.
    if (this.options.token !== undefined && userId === this.options.user && !custom) {
      return this.options.token;
    }
    return undefined;
  }

  /** A token with exactly `claims`, signed HS256 with the token secret; undefined without one. */
  async signed(claims: Record<string, unknown>): Promise<string | undefined> {
    const secret = this.options.tokenSecret;
    if (secret === undefined) return undefined;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(secret));
  }
}

/** Shows enough of a token to tell two apart in a transcript, never enough to reuse it. */
export function redactToken(token: string): string {
  return token.length <= 8 ? '<token>' : `<token …${token.slice(-6)}>`;
}
