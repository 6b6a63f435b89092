import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedServer, type ConnectionStep } from '../../src/conformance/client-mode/scripted-server.js';

const WAIT_MS = 2_000;

interface Received {
  messages: Record<string, unknown>[];
  close: { code: number } | undefined;
}

/** Connects to a scenario's endpoint and collects what arrives until the connection closes. */
function connect(url: string): { ws: WebSocket; received: Received; closed: Promise<Received> } {
  const ws = new WebSocket(url, ['tidewire.v1']);
  const received: Received = { messages: [], close: undefined };
  ws.on('message', (data) => received.messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  ws.on('error', () => undefined);
  const closed = new Promise<Received>((resolve) =>
    ws.on('close', (code) => {
      received.close = { code };
      resolve(received);
    }),
  );
  return { ws, received, closed };
}

/** Resolves once `count` messages have arrived; fails after WAIT_MS. */
function messageCount(ws: WebSocket, received: Received, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`expected ${count} messages within ${WAIT_MS} ms`)),
      WAIT_MS,
    );
    const check = (): void => {
      if (received.messages.length < count) return;
      clearTimeout(timer);
      ws.off('message', check);
      resolve();
    };
    ws.on('message', check);
    check();
  });
}

describe('scripted server', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  function scenario(name: string, steps: ConnectionStep[]) {
    return server.open({ name, steps, clockStart: performance.now() });
  }

  it('replays the data after lastSeq, then sends resumed, on a resume of a known session', async () => {
    const s = scenario('resume', [
      { dataMessages: 3, end: { kind: 'drop' } },
      { resume: 'resumed', end: { kind: 'stay' } },
    ]);
    const first = await connect(`${s.url}/ws/market_data`).closed;
    const sessionId = first.messages[0].sessionId as string;
    const second = connect(`${s.url}/ws/market_data?resume=${sessionId}&lastSeq=1`);
    await messageCount(second.ws, second.received, 4);
    expect(second.received.messages.map((m) => [m.type, m.seq ?? m.replayed])).toEqual([
      ['connection_established', undefined],
      ['price_update', 2],
      ['price_update', 3],
      ['resumed', 2],
    ]);
    expect(s.attempts[1].query).toMatchObject({ resume: sessionId, lastSeq: '1' });
    second.ws.close();
  });

  it('sends an error naming the close code before a 4xxx close', async () => {
    const s = scenario('forbidden', [{ establish: false, end: { kind: 'close', code: 4403 } }]);
    const received = await connect(`${s.url}/ws/market_data`).closed;
    expect(received.close?.code).toBe(4403);
    expect(received.messages).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ code: 'FORBIDDEN', closeCode: 4403 }),
      }),
    ]);
  });

  it('answers the upgrade with the scripted status and records the refused attempt', async () => {
    const s = scenario('refused', [{ refuseStatus: 503, end: { kind: 'stay' } }]);
    const ws = new WebSocket(`${s.url}/ws/news?token=t1`);
    const status = await new Promise<number | undefined>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    ws.on('error', () => undefined);
    expect(status).toBe(503);
    expect(s.attempts[0]).toMatchObject({
      path: '/ws/news',
      endpoint: 'news',
      token: 't1',
      refusedStatus: 503,
    });
  });

  it('counts two live connections to one endpoint as an overlap', async () => {
    const s = scenario('overlap', []);
    const a = connect(`${s.url}/ws/news`);
    const b = connect(`${s.url}/ws/news`);
    await s.waitFor(() => (s.overlaps.length > 0 ? true : undefined), {
      timeoutMs: WAIT_MS,
      expected: 'an overlap',
    });
    expect(s.maxLive).toBe(2);
    a.ws.close();
    b.ws.close();
  });
});
