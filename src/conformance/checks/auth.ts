/**
 * Authentication (AUTH-001 … AUTH-017): where a token may be presented and which placement wins, how bad,
 * expired, unsigned, incomplete, not-yet-valid, missing and mismatched tokens are refused, who may connect
 * without one in each auth mode, and how long a token stays in force.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  AUTH_REQUIRED,
  BEARER_SUBPROTOCOL_PREFIX,
  CloseCode,
  ErrorCode,
  SUBPROTOCOL,
  TOKEN_LEEWAY_SECONDS,
} from '../../protocol/constants.js';
import type { EndpointName } from '../../protocol/endpoints.js';
import { describeClose } from '../probe.js';
import { answerAppPings } from './app-pings.js';
import { CheckFailure } from '../check-failure.js';
import type {
  Check,
  CheckContext,
  ConnectOptions,
  ProbeConnection,
  ReceivedMessage,
  TokenOptions,
} from '../types.js';
import { endpointsOfProfiles } from '../../protocol/profiles.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose, chooseOnePerFamily, onEach, usable } from './endpoint-choice.js';
import { expiryOf, subjectOf } from './jwt-claims.js';
import { expectRefusedConnection, isRefusalNotice, type ExpectedRefusal } from './refusal.js';

const AUTH_REFUSAL: ExpectedRefusal = {
  closeCode: CloseCode.UNAUTHORIZED,
  notice: 'authentication_error',
  code: AUTH_REQUIRED,
};

/**
 * Endpoints for acceptance checks: chat first, because chat refuses anonymous connections in every auth
 * mode, so a token the server ignored shows up as a refusal there.
 */
const TOKEN_ENDPOINTS: readonly EndpointName[] = ['conversations', 'monitoring', 'campaigns'];

const refusalBudget = () => 2 * REPLY_DEADLINE_MS;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function userOf(ctx: CheckContext): string {
  return ctx.param('userId') ?? '1';
}

/** An HS256 token signed with a random key: well-formed, with a signature no server can verify. */
async function tokenWithBadSignature(userId: string): Promise<string> {
  return new SignJWT({ sub: userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(randomBytes(32));
}

/** An unsecured JWT (`alg: none`, empty signature). */
function unsignedToken(userId: string): string {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: userId, iat: nowSeconds, exp: nowSeconds + 600 })}.`;
}

async function requireToken(ctx: CheckContext): Promise<string> {
  const token = await ctx.token(userOf(ctx));
  return token ?? ctx.skip('no token available (pass --token or --token-secret)');
}

/** Connects with a valid token presented one way and checks that the server took it. */
async function expectAccepted(ctx: CheckContext, options: ConnectOptions, how: string) {
  const token = await requireToken(ctx);
  const name = await choose(ctx, TOKEN_ENDPOINTS);
  const conn = await ctx.connect(name, options);
  const auth = conn.established?.auth as Record<string, unknown> | undefined;
  const subject = subjectOf(token);
  // When the server reports who it authenticated, that must be the token's user, not an anonymous session.
  if (subject !== undefined && auth && 'userId' in auth && auth.userId !== subject) {
    ctx.fail(
      `expected the token ${how} to authenticate user ${subject}, got: auth.userId ${JSON.stringify(auth.userId)}`,
      {
        expected: `auth.userId "${subject}"`,
        actual: JSON.stringify(auth),
      },
    );
  }
  const who = auth && 'userId' in auth ? `, auth.userId ${JSON.stringify(auth.userId)}` : '';
  ctx.observe(`a token ${how} accepted on ${name}${who}`);
  return conn;
}

/** The user a connection was authenticated as (`auth.userId`), or why it was not accepted. */
async function authenticatedAs(
  ctx: CheckContext,
  name: EndpointName,
  options: ConnectOptions,
): Promise<{ userId?: unknown; refused?: string }> {
  const conn = await ctx.connect(name, { ...options, waitEstablished: false });
  try {
    await conn.next((m) => m.type === 'connection_established' || isRefusalNotice(m), {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `connection_established on ${name}`,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
  }
  const auth = conn.established?.auth as Record<string, unknown> | undefined;
  if (conn.established === undefined) {
    const notice = conn.received.find(isRefusalNotice);
    return { refused: notice?.text ?? 'no connection_established' };
  }
  return { userId: auth?.userId };
}

/** Tokens of two different users (the run's user and another), or skips the check. */
async function twoUsersTokens(
  ctx: CheckContext,
): Promise<{ mine: string; theirs: string; me: string; other: string }> {
  const me = userOf(ctx);
  const other = ctx.param('otherUser') ?? (me === '1' ? '2' : '1');
  const cannot = () => ctx.skip(`needs tokens for users ${me} and ${other} (pass --token-secret)`);
  const mine = (await ctx.token(me)) ?? cannot();
  const theirs = (await ctx.token(other)) ?? cannot();
  if (subjectOf(mine) === undefined || subjectOf(mine) === subjectOf(theirs)) cannot();
  return { mine, theirs, me, other };
}

/** The connection options that present `token` in one placement. */
function placed(token: string, via: Placement): ConnectOptions {
  if (via === 'header') return { token: null, headers: { Authorization: `Bearer ${token}` } };
  if (via === 'subprotocol') return { token: null, protocols: [SUBPROTOCOL, bearerEntry(token)] };
  return { token: null, query: { token } };
}

type Placement = 'header' | 'subprotocol' | 'query';

function bearerEntry(token: string): string {
  return `${BEARER_SUBPROTOCOL_PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}`;
}

/** Merges the options of two placements (headers, protocols and query of both). */
function together(a: ConnectOptions, b: ConnectOptions): ConnectOptions {
  const protocols = [...new Set([...(a.protocols ?? []), ...(b.protocols ?? [])])];
  return {
    token: null,
    headers: { ...a.headers, ...b.headers },
    query: { ...a.query, ...b.query },
    ...(protocols.length > 0 ? { protocols } : {}),
  };
}

/** A refusal with `authentication_error` and close 4001, as every token refusal is. */
const TOKEN_REFUSAL: ExpectedRefusal = { closeCode: CloseCode.UNAUTHORIZED, notice: 'authentication_error' };

/** Lifetime of the token AUTH-015 waits out, before --timeout-scale. */
const SHORT_TOKEN_SECONDS = 3;
/** How far in the future AUTH-017 puts `iat`: well past the clock skew a server may allow. */
const FUTURE_SECONDS = 600;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Each set of time claims, minted into a token of the run's user, gets `authentication_error` and 4001. */
async function expectClaimsRefused(ctx: CheckContext, claimSets: NonNullable<TokenOptions['claims']>[]) {
  const name = await choose(ctx, ANY_ENDPOINT);
  await Promise.all(
    claimSets.map(async (claims) => {
      const token = await ctx.token(userOf(ctx), { claims });
      if (token === undefined) ctx.skip('cannot mint a token with chosen claims (pass --token-secret)');
      await expectRefusedConnection(ctx, name, { token }, AUTH_REFUSAL);
      ctx.observe(`a token with ${JSON.stringify(claims)}: authentication_error, then close 4001`);
    }),
  );
}

/**
 * A server that serves a connection whose token expired long ago does not check `exp` at all (AUTH-002's
 * rule): that it also lets a token expire during a connection unnoticed follows from it.
 */
async function blockedIfExpiredTokensServed(ctx: CheckContext, name: EndpointName): Promise<void> {
  const expired = await ctx.token(userOf(ctx), { expiresInSeconds: -60 });
  if (expired === undefined) return;
  const conn = await ctx.connect(name, { token: expired, waitEstablished: false });
  try {
    await conn.next((m) => m.type === 'connection_established' || isRefusalNotice(m), {
      timeoutMs: REPLY_DEADLINE_MS,
      expected: `connection_established or a refusal for an expired token on ${name}`,
    });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    return;
  }
  if (conn.established !== undefined && (await conn.staysOpen(QUIET_AFTER_ESTABLISHED_MS))) {
    ctx.blocked('AUTH-002', `a token expired 60 s ago is served on ${name}`);
  }
}

/** How long a connection with an expired token is watched for a late refusal. */
const QUIET_AFTER_ESTABLISHED_MS = 500;

export const AUTH_CHECKS: readonly Check[] = [
  {
    id: 'AUTH-001',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a malformed token or a bad signature with 4001',
    requirement:
      'An invalid token (malformed or bad signature) gets `authentication_error` with `error_code: AUTH_REQUIRED`, then close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const badSignature = await tokenWithBadSignature(userOf(ctx));
      await Promise.all([
        expectRefusedConnection(ctx, name, { token: 'not-a-jwt' }, AUTH_REFUSAL),
        expectRefusedConnection(ctx, name, { token: badSignature }, AUTH_REFUSAL),
      ]);
      ctx.observe(
        `a malformed token and a bad signature on ${name}: authentication_error AUTH_REQUIRED, then close 4001`,
      );
    },
  },
  {
    id: 'AUTH-002',
    level: 'MUST',
    area: 'auth',
    title: 'refuses an expired token with 4001',
    requirement: 'An expired token gets `authentication_error`, then close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      // A fixed --token cannot be made to expire: only a minted one is known to be expired.
      const cannot = () => ctx.skip('cannot mint an expired token (pass --token-secret)');
      const token = (await ctx.token(userOf(ctx), { expiresInSeconds: -60 })) ?? cannot();
      if ((expiryOf(token) ?? Infinity) > Date.now()) cannot();
      const name = await choose(ctx, ANY_ENDPOINT);
      await expectRefusedConnection(ctx, name, { token }, TOKEN_REFUSAL);
      ctx.observe(`a token expired 60 s ago on ${name}: authentication_error, then close 4001`);
    },
  },
  {
    id: 'AUTH-003',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token with alg none with 4001',
    requirement:
      'A token whose header says `alg: none` is refused with `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      await expectRefusedConnection(ctx, name, { token: unsignedToken(userOf(ctx)) }, TOKEN_REFUSAL);
      ctx.observe(`an alg none token on ${name}: authentication_error, then close 4001`);
    },
  },
  {
    id: 'AUTH-004',
    level: 'MUST',
    area: 'auth',
    title: 'accepts a valid token in the Authorization header',
    requirement: 'A valid token in the `Authorization: Bearer` header is accepted.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      await expectAccepted(ctx, { tokenVia: 'header' }, 'in the Authorization header');
    },
  },
  {
    id: 'AUTH-005',
    level: 'MUST',
    area: 'auth',
    title: 'accepts a token in a bearer subprotocol entry and never selects that entry',
    requirement:
      'A valid token in a `bearer.<base64url>` subprotocol entry is accepted, and that entry is never selected as the subprotocol.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      const conn = await expectAccepted(
        ctx,
        { tokenVia: 'subprotocol', protocols: [SUBPROTOCOL] },
        'in a bearer subprotocol entry',
      );
      if (conn.protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX)) {
        ctx.fail(`expected subprotocol ${SUBPROTOCOL}, got: the token entry ${conn.protocol.slice(0, 20)}…`, {
          expected: SUBPROTOCOL,
          actual: `${conn.protocol.slice(0, 20)}…`,
        });
      }
    },
  },
  {
    id: 'AUTH-006',
    level: 'MUST',
    area: 'auth',
    title: 'accepts a valid token in the token query parameter',
    requirement: 'A valid token in the `token` query parameter is accepted.',
    families: [],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      await expectAccepted(ctx, { tokenVia: 'query' }, 'in the token query parameter');
    },
  },
  {
    id: 'AUTH-007',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a connection without a token when auth is required',
    requirement:
      'When the server advertises `auth.mode: required`, a connection without a token gets `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      if (ctx.timers.authMode !== 'required') {
        ctx.skip(`the server advertises auth.mode ${ctx.timers.authMode}, not required`);
      }
      // Market and campaign endpoints accept anonymous connections when auth is optional; chat never does.
      const name = await choose(ctx, ['monitoring', 'campaigns'] as const);
      await expectRefusedConnection(ctx, name, { token: null }, TOKEN_REFUSAL);
      ctx.observe(`no token on ${name} (auth.mode required): authentication_error, then close 4001`);
    },
  },
  {
    id: 'AUTH-008',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token whose user differs from the userId parameter with 4403',
    requirement:
      'A valid token whose user differs from the `userId` query parameter gets `error` (FORBIDDEN) and close 4403.',
    families: ['campaign'],
    budgetMs: refusalBudget,
    async run(ctx) {
      await requireToken(ctx);
      const user = userOf(ctx);
      const other = ctx.param('otherUser') ?? (user === '1' ? '2' : '1');
      const refusal = { closeCode: CloseCode.FORBIDDEN, notice: 'error', code: ErrorCode.FORBIDDEN } as const;
      // A server that ignores the mismatch acts either as the token's user or as the userId parameter:
      // the first case is the token user's own campaign, the second (when the run names them) the
      // foreignCampaignId that belongs to otherUser. Only the mismatch itself can justify refusing both.
      const cases = [expectRefusedConnection(ctx, 'campaigns', { query: { userId: other } }, refusal)];
      const foreign = ctx.param('foreignCampaignId');
      if (foreign !== undefined && ctx.param('otherUser') !== undefined) {
        cases.push(
          expectRefusedConnection(
            ctx,
            'campaigns',
            { query: { userId: other, campaignId: foreign } },
            refusal,
          ),
        );
      }
      await Promise.all(cases);
      ctx.observe(`a token of user ${user} with userId=${other}: error FORBIDDEN, then close 4403`);
    },
  },
  {
    id: 'AUTH-009',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a chat connection without a token in every auth mode',
    requirement:
      'A connection to a chat endpoint without a token gets `authentication_error` and close 4001, whatever the auth mode.',
    families: ['chat'],
    budgetMs: refusalBudget,
    async run(ctx) {
      // The chat endpoints of the profiles the server offers (Pilito has /ws/conversations/, Depth /ws/chat/).
      const offered = endpointsOfProfiles(ctx.profiles);
      const names = (['conversations', 'chat'] as const).filter((name) => offered.includes(name));
      if (names.length === 0) ctx.skip('needs /ws/conversations/ or /ws/chat/');
      await Promise.all(
        names.map((name) => expectRefusedConnection(ctx, name, { token: null }, TOKEN_REFUSAL)),
      );
      ctx.observe(
        `no token on ${names.join(' and ')} (auth.mode ${ctx.timers.authMode}): authentication_error, then close 4001`,
      );
    },
  },
  {
    id: 'AUTH-010',
    level: 'MUST',
    area: 'auth',
    title: 'accepts campaign and market connections without a token when auth is optional',
    requirement:
      'When the server advertises `auth.mode: optional`, campaign and market endpoints accept a connection without a token, with `auth.userId` the `userId` parameter on the campaign endpoint and `null` elsewhere.',
    families: ['campaign', 'market'],
    budgetMs: () => REPLY_DEADLINE_MS,
    async run(ctx) {
      if (ctx.timers.authMode !== 'optional') {
        ctx.skip(`the server advertises auth.mode ${ctx.timers.authMode}, not optional`);
      }
      const names = await chooseOnePerFamily(ctx, ['monitoring', 'campaigns'] as const);
      await onEach(ctx, names, async (name) => {
        const expected = name === 'campaigns' ? (ctx.param('userId') ?? '1') : null;
        const who = await authenticatedAs(ctx, name, { token: null });
        if (who.refused !== undefined) {
          ctx.fail(`expected ${name} to accept a connection without a token, got: ${who.refused}`, {
            expected: 'connection_established',
            actual: who.refused,
          });
        }
        if (who.userId !== expected) {
          ctx.fail(
            `expected auth.userId ${JSON.stringify(expected)} without a token on ${name}, got: ${JSON.stringify(who.userId)}`,
            { expected: JSON.stringify(expected), actual: JSON.stringify(who.userId) },
          );
        }
        ctx.observe(`no token on ${name}: accepted, auth.userId ${JSON.stringify(expected)}`);
      });
    },
  },
  {
    id: 'AUTH-011',
    level: 'MUST',
    area: 'auth',
    title: 'uses the first token present in the order header, subprotocol entry, query',
    requirement:
      'When tokens come in several placements, the server uses the first present of the `Authorization: Bearer` header, the `bearer.` subprotocol entry and the `token` query parameter, and ignores the others.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const { mine, theirs, me } = await twoUsersTokens(ctx);
      const name = await choose(ctx, TOKEN_ENDPOINTS);
      const placements: Placement[] = ['header', 'subprotocol', 'query'];
      // Each placement alone must authenticate its user, or a pair with it tells nothing (AUTH-004 … 006).
      const owners: Record<Placement, string> = {
        header: 'AUTH-004',
        subprotocol: 'AUTH-005',
        query: 'AUTH-006',
      };
      const alone = await Promise.all(placements.map((via) => authenticatedAs(ctx, name, placed(mine, via))));
      if (alone.every((who) => who.userId === undefined)) {
        ctx.skip(`${name} reports no auth.userId, which tells whose token it used`);
      }
      const working = placements.filter((via, i) => {
        const who = alone[i];
        const works = who.userId === me;
        if (!works)
          ctx.note(`a token in the ${via} alone was not taken; pairs with it are ${owners[via]}'s to judge`);
        return works;
      });
      const pairs = working.flatMap((first, i) =>
        working.slice(i + 1).map((second) => [first, second] as const),
      );
      if (pairs.length === 0)
        ctx.blocked(
          owners[placements.find((p) => !working.includes(p)) ?? 'header'],
          'fewer than two placements work alone',
        );
      await Promise.all(
        pairs.map(async ([first, second]) => {
          const who = await authenticatedAs(ctx, name, together(placed(mine, first), placed(theirs, second)));
          const got = who.refused ?? `auth.userId ${JSON.stringify(who.userId)}`;
          if (who.userId !== me) {
            ctx.fail(
              `expected the ${first} token (user ${me}) to win over the ${second} token on ${name}, got: ${got}`,
              { expected: `auth.userId "${me}"`, actual: got },
            );
          }
          ctx.observe(`${first} and ${second} on ${name}: the ${first} token's user`);
        }),
      );
    },
  },
  {
    id: 'AUTH-012',
    level: 'MUST',
    area: 'auth',
    title: 'matches Bearer in any case and treats empty tokens as absent',
    requirement:
      'The `Bearer` scheme is matched without regard to case, and an empty token in any placement, like an `Authorization` header with another scheme, counts as absent.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const token = await requireToken(ctx);
      const me = userOf(ctx);
      const name = await choose(ctx, TOKEN_ENDPOINTS);
      const query = placed(token, 'query');
      // The query token must work alone (AUTH-006), or nothing below tells absent from invalid.
      const [queryAlone, headerAlone] = await Promise.all([
        authenticatedAs(ctx, name, query),
        authenticatedAs(ctx, name, placed(token, 'header')),
      ]);
      if (queryAlone.refused !== undefined)
        ctx.blocked('AUTH-006', `a token in the query alone was refused on ${name}`);
      const cases: [string, ConnectOptions][] = [];
      // The lower-case scheme tells something only when `Bearer` itself works (AUTH-004).
      if (headerAlone.refused === undefined) {
        cases.push([
          'Authorization: bearer <token> (lower case)',
          { token: null, headers: { Authorization: `bearer ${token}` } },
        ]);
      } else
        ctx.note(`a token in the Authorization header alone was refused on ${name}: AUTH-004's to judge`);
      cases.push(
        [
          'an empty Bearer header and a token in the query',
          together({ headers: { Authorization: 'Bearer ' } }, query),
        ],
        [
          'a Basic Authorization header and a token in the query',
          together({ headers: { Authorization: 'Basic dXNlcjpwYXNz' } }, query),
        ],
        [
          'an empty bearer. entry and a token in the query',
          together({ protocols: [SUBPROTOCOL, BEARER_SUBPROTOCOL_PREFIX] }, query),
        ],
      );
      await Promise.all(
        cases.map(async ([label, options]) => {
          const who = await authenticatedAs(ctx, name, options);
          if (who.refused !== undefined) {
            ctx.fail(`expected ${label} on ${name} to be accepted, got: ${who.refused}`, {
              expected: 'connection_established',
              actual: who.refused,
            });
          }
          if (who.userId !== undefined && who.userId !== me) {
            ctx.fail(
              `expected ${label} on ${name} to authenticate user ${me}, got: ${JSON.stringify(who.userId)}`,
            );
          }
          ctx.observe(`${label} on ${name}: accepted`);
        }),
      );
      // Without a token at all, only a server in optional mode accepts a market or campaign connection.
      if (ctx.timers.authMode === 'optional' && (await usable(ctx, 'monitoring'))) {
        // Only if the server accepts no token at all there (AUTH-010's rule).
        const anonymous = await authenticatedAs(ctx, 'monitoring', { token: null });
        if (anonymous.refused !== undefined) {
          ctx.note('monitoring refuses a connection without any token: AUTH-010 judges that');
          return;
        }
        const who = await authenticatedAs(ctx, 'monitoring', { token: null, query: { token: '' } });
        if (who.refused !== undefined) {
          ctx.fail(
            `expected an empty token parameter to count as absent on monitoring (auth optional), got: ${who.refused}`,
          );
        }
        ctx.observe('an empty token parameter on monitoring (auth optional): accepted as anonymous');
      }
    },
  },
  {
    id: 'AUTH-013',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token without sub or without exp with 4001',
    requirement:
      'A token without a non-empty `sub` claim, or without an `exp` claim, gets `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      const now = Math.floor(Date.now() / 1000);
      const claims: [string, Record<string, unknown>][] = [
        ['no sub', { iat: now, exp: now + 600 }],
        ['an empty sub', { sub: '', iat: now, exp: now + 600 }],
        ['no exp', { sub: userOf(ctx), iat: now }],
      ];
      const name = await choose(ctx, ANY_ENDPOINT);
      await Promise.all(
        claims.map(async ([label, body]) => {
          const token =
            (await ctx.signedToken(body)) ??
            ctx.skip('cannot sign tokens with chosen claims (pass --token-secret)');
          await expectRefusedConnection(ctx, name, { token }, TOKEN_REFUSAL);
          ctx.observe(`a token with ${label} on ${name}: authentication_error, then close 4001`);
        }),
      );
    },
  },
  {
    id: 'AUTH-014',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token that is not valid yet (nbf beyond 30 s) with 4001',
    requirement:
      'A token whose `nbf` is more than 30 s in the future gets `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      const now = Math.floor(Date.now() / 1000);
      const body = { sub: userOf(ctx), iat: now, nbf: now + NOT_BEFORE_AHEAD_SECONDS, exp: now + 3600 };
      const token =
        (await ctx.signedToken(body)) ??
        ctx.skip('cannot sign tokens with chosen claims (pass --token-secret)');
      const name = await choose(ctx, ANY_ENDPOINT);
      await expectRefusedConnection(ctx, name, { token }, TOKEN_REFUSAL);
      ctx.observe(
        `a token with nbf ${NOT_BEFORE_AHEAD_SECONDS} s ahead on ${name}: authentication_error, then close 4001`,
      );
    },
  },
  {
    id: 'AUTH-015',
    level: 'MUST',
    area: 'auth',
    title: 'closes with authentication_error and 4001 when the token expires during the connection',
    requirement:
      "When the token's `exp` passes while the connection is open, the server sends `authentication_error` and closes with 4001, no more than 30 s later.",
    families: [],
    budgetMs: () => (SHORT_TOKEN_SECONDS + TOKEN_LEEWAY_SECONDS) * 1000 + 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      // Long enough to connect on a slow run, short enough to wait out.
      const lifetimeSeconds = Math.ceil(SHORT_TOKEN_SECONDS * ctx.timeoutScale);
      const cannot = () => ctx.skip('cannot mint a short-lived token (pass --token-secret)');
      const token = (await ctx.token(userOf(ctx), { expiresInSeconds: lifetimeSeconds })) ?? cannot();
      const expiresAt = expiryOf(token) ?? cannot();
      const name = await choose(ctx, ANY_ENDPOINT);
      let conn: ProbeConnection;
      try {
        conn = await ctx.connect(name, { token });
      } catch (error) {
        if (Date.now() >= expiresAt && error instanceof CheckFailure) {
          ctx.skip('the token expired before the connection opened: raise --timeout-scale');
        }
        throw error;
      }
      // Held across heartbeats: it answers application pings, as a well-behaved client may.
      answerAppPings(conn);
      const expected = `authentication_error and close 4001 once the token expires (within ${TOKEN_LEEWAY_SECONDS} s)`;
      // The server may allow its clock skew past `exp`, as at the handshake.
      const leftMs = Math.max(0, expiresAt + TOKEN_LEEWAY_SECONDS * 1000 - Date.now());
      let notice: ReceivedMessage;
      try {
        notice = await conn.next(isRefusalNotice, {
          timeoutMs: leftMs / ctx.timeoutScale + REPLY_DEADLINE_MS,
          expected,
        });
      } catch (error) {
        if (error instanceof CheckFailure && conn.isOpen) await blockedIfExpiredTokensServed(ctx, name);
        throw error;
      }
      const lateMs = Math.max(0, Date.now() - expiresAt);
      if (notice.type !== 'authentication_error') {
        ctx.fail(`expected ${expected}, got: ${notice.text}`, { expected, actual: notice.text });
      }
      const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
      if (!close.clean || close.code !== CloseCode.UNAUTHORIZED) {
        ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
          expected,
          actual: describeClose(close),
        });
      }
      ctx.observe(
        `token expiring ${lifetimeSeconds} s after minting: authentication_error ${lateMs} ms after exp, then close 4001`,
      );
    },
  },
  {
    id: 'AUTH-016',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token whose exp, nbf or iat is not a NumericDate with 4001',
    requirement:
      'A token whose `exp`, `nbf` or `iat` is not a NumericDate from 0 to 253402300799 gets `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      await expectClaimsRefused(ctx, [{ exp: 1e300 }, { nbf: 'tomorrow' }]);
    },
  },
  {
    id: 'AUTH-017',
    level: 'MUST',
    area: 'auth',
    title: 'refuses a token issued in the future (iat) with 4001',
    requirement:
      'A token whose `iat` is more than 30 s in the future gets `authentication_error` and close 4001.',
    families: [],
    budgetMs: refusalBudget,
    async run(ctx) {
      await expectClaimsRefused(ctx, [{ iat: nowSeconds() + FUTURE_SECONDS }]);
    },
  },
];

/** How far ahead AUTH-014 puts `nbf`: well past the 30 s of clock skew a server may allow. */
const NOT_BEFORE_AHEAD_SECONDS = 120;
