/**
 * A session kept in Redis fails as one kept in memory does: a data message that cannot be made (it does not
 * serialise) ends that session alone, its connection closes with 1011, and the instance serves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointHandler } from '../../src/server/index.js';
import { RedisServer } from '../support/redis-server.js';
import { MARKET, REPLY_MS, startDeployment, type Deployment } from './support/deployment.js';

const describeWithRedis = RedisServer.available() ? describe : describe.skip;

/** Market data whose `get_all` emits a message JSON cannot serialise (a cycle); `ping` is answered. */
const unserialisable: EndpointHandler = {
  open() {},
  handle(session, request) {
    if (request.type !== 'get_all') return undefined;
    const data: Record<string, unknown> = {};
    data.self = data;
    session.emit({ type: 'prices_snapshot', data });
    return undefined;
  },
  close() {},
};

let deployment: Deployment;
beforeAll(async () => {
  deployment = await startDeployment(2, { handlers: { market_data: unserialisable } });
});
afterAll(async () => {
  await deployment?.close();
});

describeWithRedis('a session in Redis whose data message cannot be made', () => {
  it('ends alone, closing its connection with 1011, and the instance serves the others', async () => {
    const victim = await deployment.open(0, MARKET);
    const other = await deployment.open(0, MARKET);
    victim.client.send({ type: 'get_all', id: 'snapshot' });
    expect((await victim.client.waitForClose(REPLY_MS)).code).toBe(1011);
    other.client.send({ type: 'ping', id: 'still' });
    expect(await other.client.waitForMessage('pong', REPLY_MS)).toMatchObject({ id: 'still' });
    const resumed = await deployment.open(1, MARKET, {
      resume: String(victim.established.sessionId),
      lastSeq: '0',
    });
    expect(await resumed.client.waitForMessage('resume_failed', REPLY_MS)).toMatchObject({
      reason: 'unknown_session',
    });
  });
});
