import { afterEach, describe, expect, it } from 'vitest';
import { TRANSCRIPT_HEAD_ENTRIES, TRANSCRIPT_TAIL_ENTRIES } from '../../src/conformance/transcript.js';
import { PROBE_MAX_QUEUED_MESSAGES } from '../../src/conformance/runner-limits.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { startMiniServer, type MiniServer, type MiniServerOptions } from './support/mini-server.js';
import { probeContext } from './support/probe-context.js';

let server: MiniServer | undefined;
const contexts: Array<{ dispose(): void }> = [];

async function setup(
  options: MiniServerOptions = {},
  contextOptions: Parameters<typeof probeContext>[1] = {},
) {
  server = await startMiniServer(options);
  const built = probeContext(server.url, contextOptions);
  contexts.push(built.context);
  return { server, ...built };
}

afterEach(async () => {
  for (const context of contexts.splice(0)) context.dispose();
  await server?.close();
  server = undefined;
});

const wait = (expected: string, timeoutMs = 1_000) => ({ expected, timeoutMs });

describe('probe connection', () => {
  it('resolves connect after connection_established and queues later messages for next()', async () => {
    const { context } = await setup({
      onConnection: (ws) => ['a', 'b', 'c'].forEach((type) => ws.send(JSON.stringify({ type }))),
    });
    const conn = await context.connect('market_data');
    expect(conn.established?.type).toBe('connection_established');
    expect(conn.protocol).toBe('tidewire.v1');
    expect((await conn.next((m) => m.type === 'b', wait('b'))).type).toBe('b');
    // An earlier message that did not match stays available to the next wait.
    expect((await conn.next(() => true, wait('anything'))).type).toBe('a');
    expect((await conn.next(() => true, wait('anything'))).type).toBe('c');
  });

  it('asks the matcher of a wait about each message once, queued before the wait or arriving during it', async () => {
    const { context } = await setup({
      onConnection: (ws) => {
        ['a', 'b'].forEach((type) => ws.send(JSON.stringify({ type })));
        ws.on('message', () => ['c', 'd'].forEach((type) => ws.send(JSON.stringify({ type }))));
      },
    });
    const conn = await context.connect('market_data');
    const asked: unknown[] = [];
    const found = conn.next((m) => {
      asked.push(m.type);
      return m.type === 'd';
    }, wait('d'));
    conn.send({ type: 'go' });
    expect((await found).type).toBe('d');
    expect(asked).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails a wait that runs out of time with what was expected, scaled by the timeout scale', async () => {
    const { context } = await setup({}, { timeoutScale: 0.5 });
    const conn = await context.connect('news');
    await expect(conn.next((m) => m.type === 'never', wait('a never message', 200))).rejects.toThrow(
      /^expected a never message, got: nothing within 1\d\d ms$/,
    );
  });

  it('fails a pending wait at once when the server closes, naming the close', async () => {
    const { context } = await setup({
      onConnection: (ws) => setTimeout(() => ws.close(4001, 'bad token'), 20),
    });
    const conn = await context.connect('news');
    const started = performance.now();
    await expect(conn.next((m) => m.type === 'pong', wait('pong', 5_000))).rejects.toThrow(
      'expected pong, got: close 4001 "bad token"',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await conn.closed(wait('close'))).toEqual({ code: 4001, reason: 'bad token', clean: true });
  });

  it('reports RFC 6455 pings and echoes pong payloads, and can leave pings unanswered', async () => {
    let pongs = 0;
    const { context } = await setup({
      onConnection: (ws) => {
        ws.on('pong', () => pongs++);
        ws.ping(Buffer.from('hb'));
      },
    });
    const conn = await context.connect('news', { autoPong: false });
    expect(await conn.nextPing(wait('an RFC ping'))).toBeGreaterThan(0);
    conn.ping(new Uint8Array([1, 2, 3]));
    expect([...(await conn.nextPong(wait('an RFC pong')))]).toEqual([1, 2, 3]);
    expect(pongs).toBe(0);
  });

  it('sends raw bytes as a text frame so that invalid UTF-8 reaches the server', async () => {
    const { context } = await setup();
    const conn = await context.connect('news');
    conn.sendBytes(new Uint8Array([0xc3, 0x28]), { binary: false });
    expect(await conn.closed(wait('close 1007'))).toMatchObject({ code: 1007, clean: true });
    expect(await conn.staysOpen(10)).toBe(false);
  });

  it('places the token in the query, the Authorization header or a bearer subprotocol entry', async () => {
    const { context, server, transcript } = await setup({}, { token: 'header.payload.signature' });
    await context.connect('campaigns');
    await context.connect('news', { tokenVia: 'header' });
    await context.connect('news', { tokenVia: 'subprotocol', protocols: [] });
    const [query, header, subprotocol] = server.requests;
    expect(query.url).toBe('/ws/campaigns?campaignId=1&userId=1&token=header.payload.signature');
    expect(header.headers.authorization).toBe('Bearer header.payload.signature');
    expect(subprotocol.headers['sec-websocket-protocol']).toBe(
      `bearer.${Buffer.from('header.payload.signature').toString('base64url')}`,
    );
    expect(JSON.stringify(transcript.entries())).not.toContain('header.payload.signature');
  });

  it('reports the HTTP status of a refused upgrade and fails connect with it', async () => {
    const { context } = await setup({ notFound: ['/ws/news'] });
    expect(await context.upgrade('news')).toEqual({ status: 404, protocol: '' });
    expect(await context.upgrade('sentiment')).toEqual({ status: 101, protocol: 'tidewire.v1' });
    await expect(context.connect('news')).rejects.toThrow('expected HTTP 101 on /ws/news, got: HTTP 404');
  });

  it('keeps transcript and queue bounded when the server floods messages', async () => {
    const total = PROBE_MAX_QUEUED_MESSAGES + 500;
    const { context, transcript } = await setup({
      onConnection: (ws) => {
        for (let i = 0; i < total; i++)
          ws.send(JSON.stringify({ type: 'n', i, pad: 'x'.repeat(i === 0 ? 10_000 : 10) }));
      },
    });
    const conn = await context.connect('news');
    await conn.next((m) => m.json?.i === total - 1, wait('the last message', 5_000));
    expect(conn.received.length).toBeLessThanOrEqual(PROBE_MAX_QUEUED_MESSAGES);
    const entries = transcript.entries();
    expect(entries.length).toBeLessThanOrEqual(TRANSCRIPT_HEAD_ENTRIES + TRANSCRIPT_TAIL_ENTRIES + 1);
    expect(entries.some((e) => /transcript entries omitted/.test(e.data))).toBe(true);
    expect(Math.max(...entries.map((e) => e.data.length))).toBeLessThan(2_200);
  });

  it('records envelope violations of every received frame', async () => {
    const { context, violations } = await setup(
      {
        onConnection: (ws) => {
          ws.send('hello');
          ws.send(JSON.stringify({ type: 'pong' }));
          ws.send(Buffer.from([1, 2]), { binary: true });
        },
      },
      { schemas: SchemaRegistry.shared() },
    );
    const conn = await context.connect('news');
    await conn.next(() => true, wait('hello'));
    await conn.next((m) => m.type === 'pong', wait('pong'));
    await conn.staysOpen(100);
    expect(violations.of('ENV-001', 0).total).toBe(2);
    expect(violations.of('ENV-003', 0).violations[0]).toMatchObject({
      checkId: 'TEST-001',
      type: 'pong',
      path: '/timestamp',
    });
  });
});
