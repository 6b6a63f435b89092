/**
 * What the probe gives the checks beyond sending and waiting: it judges invalid UTF-8 from the server and
 * frames that arrive while it closes (ENV-001), it can leave a close frame unanswered and tell when it
 * came (CL-007), it sends pongs and repeated query parameters (HB-011, HS-014).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { miniServerProbes } from './support/probe-context.js';
import { scaled } from '../support/timing.js';

/** Short enough for a test, long enough for a frame to cross loopback on a busy machine. */
const FRAME_MS = scaled(1_000);

const { setup, cleanUp } = miniServerProbes();
afterEach(cleanUp);

/** Resolves when `condition` holds, checked after every turn of the event loop, or rejects at `withinMs`. */
async function eventually(condition: () => boolean, what: string, withinMs = FRAME_MS): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`expected ${what} within ${withinMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the probe judges what the server sends', () => {
  it('records a text frame of invalid UTF-8 as an ENV-001 violation and closes with 1007 as its own doing', async () => {
    const { context, violations } = await setup({
      onConnection: (ws) => ws.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false }),
    });
    const conn = await context.connect('market_data');
    await eventually(() => violations.of('ENV-001', 0).total > 0, 'an ENV-001 violation');
    expect(violations.of('ENV-001', 0).violations[0].message).toBe('text frame with invalid UTF-8');
    // RFC 6455 §8.1: the client fails the connection; the close is the runner's, not the server's.
    const close = await conn.closed({ timeoutMs: FRAME_MS, expected: 'the runner’s close' });
    expect(close.clean).toBe(false);
    expect(close.byRunner).toMatch(/^the runner closed the connection with 1007/);
  });

  it('judges frames that arrive while a finished check closes its connection', async () => {
    const { context, violations } = await setup({
      onConnection: (ws) => ws.once('message', () => ws.send('not json')),
    });
    const conn = await context.connect('market_data');
    conn.send({ type: 'go' });
    context.dispose();
    await eventually(() => violations.of('ENV-001', 0).total > 0, 'the late frame judged');
    expect(violations.of('ENV-001', 0).violations[0].message).toBe('text frame is not JSON');
  });
});

describe('the probe does what some checks need', () => {
  it('leaves the server’s close frame unanswered when asked, and tells when it came', async () => {
    let serverSide: import('ws').WebSocket | undefined;
    const { context } = await setup({ onConnection: (ws) => (serverSide = ws) });
    const conn = await context.connect('market_data', { answerClose: false });
    serverSide?.close(4000, 'bye');
    await eventually(() => conn.closeFrameAt !== undefined, 'the close frame');
    // Unanswered: the server still waits for the client's close frame.
    expect(serverSide?.readyState).toBe(serverSide?.CLOSING);
    serverSide?.terminate();
    const close = await conn.closed({ timeoutMs: FRAME_MS, expected: 'the drop' });
    expect(close).toMatchObject({ code: 4000, clean: true });
  });

  it('sends RFC 6455 pongs with a payload of its choosing', async () => {
    const pongs: string[] = [];
    const { context } = await setup({
      onConnection: (ws) => ws.on('pong', (data) => pongs.push(data.toString())),
    });
    const conn = await context.connect('market_data');
    conn.pong(Buffer.from('any payload'));
    await eventually(() => pongs.length > 0, 'the pong');
    expect(pongs).toEqual(['any payload']);
  });

  it('appends repeated query parameters in order', async () => {
    const { context, server } = await setup();
    await context.connect('market_data', {
      extraQuery: [
        ['a', '1'],
        ['a', '2'],
      ],
    });
    expect(new URL(server.requests[0].url ?? '', 'http://x').searchParams.getAll('a')).toEqual(['1', '2']);
  });
});
