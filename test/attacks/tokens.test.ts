/**
 * Token lifetime (issue 11, attack 5): a token that expired during a connection kept being served, `exp`
 * of 1e300 was accepted, a future `nbf` was refused with the wrong message and a future `iat` accepted;
 * in auth-optional mode a request without a token could resume (and take over) a session opened with one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../src/protocol/constants.js';
import { scaled } from '../support/timing.js';
import { Peer } from '../robustness/support/peer.js';
import { startTarget, stopTargets, survives, track } from './support/target.js';

afterEach(stopTargets);

const WAIT_MS = scaled(4_000);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Connects to `url` and resolves with the `authentication_error` message text and the close code. */
function refusal(url: string): Promise<{ message: unknown; code: number }> {
  return new Promise((resolve, reject) => {
    const socket = track(new WebSocket(url, [SUBPROTOCOL]));
    let message: unknown;
    socket.on('message', (data: Buffer) => {
      const json = JSON.parse(data.toString('utf8')) as { type: string; message?: unknown };
      if (json.type === 'authentication_error') message = json.message;
    });
    socket.on('close', (code) => resolve({ message, code }));
    setTimeout(
      () => reject(new Error(`expected authentication_error and a close within ${WAIT_MS} ms`)),
      WAIT_MS,
    ).unref();
  });
}

describe('token lifetime', () => {
  it(
    'ends a connection when its token expires, and refuses exp 1e300, a future nbf and a future iat',
    async () => {
      const target = await startTarget();
      const outcomes = await survives(target, 'tokens with bad lifetimes', async () => {
        const expiring = refusal(
          target.url('/ws/market_data', { token: await target.token('3', { expiresInSeconds: 2 }) }),
        );
        const claims = [{ exp: 1e300 }, { nbf: nowSeconds() + 3_600 }, { iat: nowSeconds() + 3_600 }];
        const bad = await Promise.all(
          claims.map(async (c) =>
            refusal(target.url('/ws/market_data', { token: await target.token('3', { claims: c }) })),
          ),
        );
        return [await expiring, ...bad];
      });
      expect(outcomes).toEqual([
        { message: 'token expired', code: 4001 },
        { message: 'token exp is not a valid NumericDate', code: 4001 },
        { message: 'token not valid yet (nbf is in the future)', code: 4001 },
        { message: 'token issued in the future (iat)', code: 4001 },
      ]);
    },
    scaled(30_000),
  );

  it(
    'keeps a session opened with a token from a request without one, in auth-optional mode',
    async () => {
      const target = await startTarget({ auth: 'optional' });
      const scope = { campaignId: '1', userId: '1' };
      const outcome = await survives(target, 'a tokenless resume of a token session', async () => {
        const { peer: owner, established } = await Peer.connect(
          target.url('/ws/campaigns', { ...scope, token: await target.token('1') }),
          WAIT_MS,
        );
        track(owner.socket);
        const { peer: intruder } = await Peer.connect(
          target.url('/ws/campaigns', { ...scope, resume: String(established.sessionId), lastSeq: '0' }),
          WAIT_MS,
        );
        track(intruder.socket);
        const failed = await intruder.next((m) => m.type === 'resume_failed', 'resume_failed', WAIT_MS);
        const ownerOpen = owner.isOpen;
        owner.socket.close(1000);
        intruder.socket.close(1000);
        return { reason: failed.reason, ownerOpen };
      });
      expect(outcome).toEqual({ reason: 'user_mismatch', ownerOpen: true });
    },
    scaled(30_000),
  );
});
