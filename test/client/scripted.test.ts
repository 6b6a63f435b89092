import { afterEach, describe, expect, it } from 'vitest';
import { CampaignsClient, NewsClient } from '../../generated/client/index.js';
import { nodeClientOptions } from './support/reference.js';
import { established, startScripted, type ScriptedServer } from './support/scripted-server.js';
import { nextEvent } from './support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function scripted(script: Parameters<typeof startScripted>[0]): Promise<ScriptedServer> {
  const server = await startScripted(script);
  cleanup.push(() => server.close());
  return server;
}

function newsClient(url: string, extra = {}): NewsClient {
  const client = new NewsClient(nodeClientOptions(url, extra));
  cleanup.push(() => client.close());
  return client;
}

const news = (seq: number) =>
  JSON.stringify({ type: 'news', seq, timestamp: new Date().toISOString(), data: {} });

describe('heartbeat answers', () => {
  it('answers a JSON ping with a JSON pong (HB-006)', async () => {
    const server = await scripted(({ socket }) => {
      socket.send(established('s1'));
      socket.send(JSON.stringify({ type: 'ping', timestamp: new Date().toISOString() }));
    });
    const pong = server.nextFrame((frame) => frame.startsWith('{'));
    await newsClient(server.url).connect();
    expect(JSON.parse(await pong)).toMatchObject({ type: 'pong' });
  });

  it('answers the campaign endpoint text ping with a text pong (HB-004)', async () => {
    const server = await scripted(({ socket }) => {
      socket.send(established('s1'));
      socket.send('ping');
    });
    const pong = server.nextFrame((frame) => frame === 'pong');
    const client = new CampaignsClient(
      nodeClientOptions(server.url, { query: { campaignId: 1, userId: 1 } }),
    );
    cleanup.push(() => client.close());
    await client.connect();
    expect(await pong).toBe('pong');
    expect(server.connections[0].target).toBe('/ws/campaigns?campaignId=1&userId=1');
  });
});

describe('reconnect rules with a scripted server', () => {
  it('makes the first attempt after 1012 within 1 s (CR-009)', async () => {
    const server = await scripted(({ socket, index }) => {
      socket.send(established(`s${index}`));
      if (index === 0) socket.close(1012, 'restart');
    });
    const client = newsClient(server.url, { delayScale: 1, random: () => 0.999 });
    const reconnecting = nextEvent(client, 'reconnecting');
    await client.connect();
    const { attempt, delayMs, closeCode } = await reconnecting;
    expect({ attempt, closeCode }).toEqual({ attempt: 1, closeCode: 1012 });
    expect(delayMs).toBeLessThanOrEqual(1_000);
    await nextEvent(client, 'established', undefined, 2_000);
  });

  it('does not reconnect after 4409 (CR-004)', async () => {
    const server = await scripted(({ socket }) => {
      socket.send(established('s1'));
      socket.close(4409, 'taken over');
    });
    const client = newsClient(server.url);
    const closed = nextEvent(client, 'close');
    await client.connect();
    expect(await closed).toMatchObject({ code: 4409, willReconnect: false });
    expect(client.state).toBe('closed');
  });

  it('stays connected while frames come within the liveness window, and is dead one window after the last', async () => {
    // Window 100 + 100 ms; ten frames 50 ms apart span 500 ms, more than two windows.
    const server = await scripted(({ socket }) => {
      socket.send(established('s1', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 100 }));
      let seq = 0;
      const timer = setInterval(() => {
        socket.send(news(++seq));
        if (seq === 10) clearInterval(timer);
      }, 50);
      socket.once('close', () => clearInterval(timer));
    });
    const client = newsClient(server.url, { reconnect: false });
    const seqs: number[] = [];
    let lastAt = 0;
    client.on('news', (message) => {
      seqs.push(message.seq ?? -1);
      lastAt = performance.now();
    });
    const closed = nextEvent(client, 'close');
    await client.connect();
    expect(await closed).toMatchObject({ code: 4408, willReconnect: false });
    const silentMs = performance.now() - lastAt;
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(silentMs).toBeGreaterThanOrEqual(195);
    expect(silentMs).toBeLessThan(1_000);
  });

  it('treats a silent server as dead, resumes with the last seq and re-sends nothing', async () => {
    const server = await scripted(({ socket, index }) => {
      socket.send(established('s1', { heartbeatIntervalMs: 60, heartbeatTimeoutMs: 60 }));
      if (index === 0) [1, 2, 2, 1, 3].forEach((seq) => socket.send(news(seq)));
      else socket.send(JSON.stringify({ type: 'resumed', sessionId: 's1', replayed: 0, lastSeq: 3 }));
    });
    const client = newsClient(server.url);
    const seqs: number[] = [];
    client.on('news', (message) => seqs.push(message.seq ?? -1));
    const closed = nextEvent(client, 'close');
    const resumed = nextEvent(client, 'resumed');
    await client.connect();
    client.send({ type: 'filter', keywords: ['btc'] });
    expect(await closed).toMatchObject({ code: 4408, willReconnect: true });
    await resumed;
    expect(seqs).toEqual([1, 2, 3]);
    expect(server.connections[1].target).toBe('/ws/news?resume=s1&lastSeq=3');
    // A resumed session keeps its subscriptions on the server (RES-007): nothing is re-sent. The ping
    // marks the end: frames arrive in order, so anything re-sent would come before it.
    const marker = server.nextFrame((frame) => frame.includes('"marker"'));
    client.send({ type: 'ping', id: 'marker' });
    await marker;
    expect(server.connections[1].received.map((frame) => JSON.parse(frame).type)).toEqual(['ping']);
  });

  it('keeps one connection however often connect() is called (CR-010)', async () => {
    const server = await scripted(({ socket }) => socket.send(established('s1')));
    const client = newsClient(server.url);
    await Promise.all([client.connect(), client.connect(), client.connect()]);
    await client.connect();
    expect(server.connections).toHaveLength(1);
  });
});
