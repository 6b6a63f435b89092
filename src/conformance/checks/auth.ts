/**
 * Authentication (AUTH-001 … AUTH-008, AUTH-015 … AUTH-017): where a token may be presented, how bad,
 * expired, unsigned, missing and mismatched tokens are refused, and how long a token stays in force.
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
import type { Check, CheckContext, ConnectOptions, ProbeConnection, TokenOptions } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose } from './endpoint-choice.js';
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
  return conn;
}

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
      await expectRefusedConnection(
        ctx,
        name,
        { token },
        { closeCode: CloseCode.UNAUTHORIZED, notice: 'authentication_error' },
      );
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
      await expectRefusedConnection(
        ctx,
        name,
        { token: unsignedToken(userOf(ctx)) },
        { closeCode: CloseCode.UNAUTHORIZED, notice: 'authentication_error' },
      );
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
      const name = await choose(ctx, ['monitoring', 'campaigns', 'conversations'] as const);
      await expectRefusedConnection(
        ctx,
        name,
        { token: null },
        { closeCode: CloseCode.UNAUTHORIZED, notice: 'authentication_error' },
      );
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
      const notice = await conn.next(isRefusalNotice, {
        timeoutMs: leftMs / ctx.timeoutScale + REPLY_DEADLINE_MS,
        expected,
      });
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
