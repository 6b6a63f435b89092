/**
 * The replay journal in Redis is bounded by characters as well as by count (`resumeBufferBytes`), as the
 * in-memory one is: the oldest messages go first, the newest always stays, and a resume that would need
 * an evicted message fails with `seq_unavailable` on any instance rather than replaying part of the gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lastSeqOf,
  MARKET,
  REPLY_MS,
  resumeQuery,
  startDeployment,
  type Deployment,
} from './support/deployment.js';
import { RedisServer } from '../support/redis-server.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;

let deployment: Deployment;
beforeAll(async () => {
  // Below the size of any data message: only the newest of a session's messages is kept.
  deployment = await startDeployment(3, { resumeBufferBytes: 1 });
});
afterAll(async () => {
  await deployment?.close();
});

describeWithRedis('a journal bounded by characters in Redis', () => {
  it('keeps only the newest message when the bound is below one message, on every instance', async () => {
    const { client, established } = await deployment.open(0, MARKET);
    for (let snapshots = 1; snapshots <= 3; snapshots++) {
      client.send({ type: 'get_all' });
      await client.waitForMessage('prices_snapshot', REPLY_MS);
    }
    const seen = lastSeqOf(client);
    expect(seen).toBe(3);
    client.terminate();
    await client.waitForClose(REPLY_MS);

    const late = await deployment.open(1, MARKET, resumeQuery(established.sessionId, seen - 2));
    expect(await late.client.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({
      reason: 'seq_unavailable',
    });
    const resumed = await deployment.open(2, MARKET, resumeQuery(established.sessionId, seen - 1));
    expect(await resumed.client.waitForMessage('resumed', REPLY_MS)).toMatchObject({
      sessionId: established.sessionId,
      replayed: 1,
      lastSeq: seen,
    });
  });
});
