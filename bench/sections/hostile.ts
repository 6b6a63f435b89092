/**
 * Section 6 — hostile messages: the reference server's CPU per message for the messages of issue 11's
 * attacks (64 kB of wrongness: 32,000 numbers for symbols, 6,000 undeclared properties, 32,000 levels of
 * nesting, a 60 kB unknown type, metadata nested 6,000 levels) against valid messages, the largest valid
 * one (a 60 kB chat message) as the yardstick. The server runs alone in its process; every kind is sent
 * in the same rounds, interleaved, over one connection, and measured by the server's own CPU time.
 */
import WebSocket from 'ws';
import { median } from '../lib/measure.js';
import { BenchChild } from '../lib/child.js';
import { notAvailable, SectionBuilder, type SectionContext, type SectionResult } from '../lib/report.js';

const TITLE = 'CPU per hostile message, against a valid one (server process)';
/** A hostile message costs the server at most this many times the largest valid message (issue 11). */
const TARGET_RATIO = 5;
const YARDSTICK = 'valid chat_message, 60 kB metadata';

/** Every kind of message measured: the text sent, and how its answer is recognised (by its `id`). */
function messageKinds(): Record<string, (id: string) => string> {
  const deep = (levels: number, inner: string) => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;
  const metadata = JSON.stringify({ attachment: 'x'.repeat(60_000) });
  return {
    'valid ping': (id) => JSON.stringify({ type: 'ping', id }),
    'valid filter, 50 keywords': (id) =>
      JSON.stringify({
        type: 'filter',
        id,
        keywords: Array.from({ length: 50 }, (_, i) => `k${i}`.padEnd(100, 'k')),
      }),
    [YARDSTICK]: (id) =>
      `{"type":"chat_message","id":"${id}","conversationId":1,"content":"hi","metadata":${metadata}}`,
    'subscribe, 32,000 numbers (64 kB)': (id) =>
      JSON.stringify({ type: 'subscribe', id, symbols: new Array(32_000).fill(1) }),
    'get_all, 6,000 undeclared properties': (id) =>
      JSON.stringify({
        type: 'get_all',
        id,
        ...Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`p${i}`, 0])),
      }),
    'nesting 32,000 levels (64 kB)': () =>
      `{"type":"ping","deep":${'['.repeat(32_000)}${']'.repeat(32_000)}}`,
    'unknown type of 60 kB': (id) => JSON.stringify({ type: 'x'.repeat(60_000), id }),
    'chat_message, metadata nested 6,000 levels': (id) =>
      `{"type":"chat_message","id":"${id}","conversationId":1,"content":"hi","metadata":${deep(6_000, '1')}}`,
  };
}

/** The endpoint each kind goes to: chat messages need the chat endpoint, the rest go to market and news. */
function pathOf(kind: string): string {
  if (kind.includes('chat_message')) return '/ws/chat/';
  return kind.includes('filter') ? '/ws/news' : '/ws/market_data';
}

/** One connection per endpoint, answering in order: `send` resolves once `count` answers have come. */
class Channel {
  private waiting: { left: number; resolve: () => void } | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      // Answers are ack, pong or error (a chat_message is also echoed to its sender, which is not one).
      const text = data.toString('utf8', 0, 40);
      if (!/"type":"(ack|pong|error)"/.test(text)) return;
      if (this.waiting && --this.waiting.left === 0) this.waiting.resolve();
    });
  }

  static open(url: string): Promise<Channel> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, ['tidewire.v1']);
      socket.once('message', () => resolve(new Channel(socket)));
      socket.once('error', reject);
    });
  }

  send(texts: readonly string[], timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to ${texts.length} messages within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting = {
        left: texts.length,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      for (const text of texts) this.socket.send(text);
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

export async function hostileSection(options: SectionContext): Promise<SectionResult> {
  const perRound = options.quick ? 10 : 100;
  const rounds = options.quick ? 1 : 3;
  let token: string;
  try {
    const { mintToken } = await import('../../src/server/token.js');
    const { DEV_TOKEN_SECRET } = await import('../../src/server/index.js');
    token = await mintToken(DEV_TOKEN_SECRET, '1');
  } catch (error) {
    return notAvailable(
      TITLE,
      `the reference server cannot be loaded: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const server = await BenchChild.start({
    script: 'bench/processes/server.ts',
    profile: true,
    args: [
      'tidewire',
      JSON.stringify({
        // Every message of the run is answered: no rate limit or quota stands in the way, and the
        // simulated AI replies come long after the run.
        rateLimit: { maxMessages: 1_000_000, windowMs: 60_000 },
        simulation: { seed: 1, speed: 0.001 },
      }),
    ],
  });
  const channels = new Map<string, Channel>();
  try {
    const kinds = messageKinds();
    const url = server.info.url as string;
    for (const path of new Set(Object.keys(kinds).map(pathOf))) {
      channels.set(path, await Channel.open(`${url}${path}?token=${token}`));
    }
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
    // Round 0 warms the server up (compilation, caches) and is not counted.
    for (let round = 0; round <= rounds; round++) {
      for (const [kind, make] of Object.entries(kinds)) {
        const texts = Array.from({ length: perRound }, (_, i) => make(`r${round}-${i}`));
        await server.call('cpuStart');
        await channels.get(pathOf(kind))!.send(texts, 120_000);
        const { cpuMs } = await server.call<{ cpuMs: number }>('cpuStop');
        if (round > 0) samples[kind].push((cpuMs * 1000) / perRound);
      }
      options.log(`hostile: round ${round} of ${rounds}`);
    }
    const section = new SectionBuilder(TITLE);
    const yardstick = median(samples[YARDSTICK]);
    for (const [kind, values] of Object.entries(samples)) section.figure(kind, median(values), 'µs CPU');
    for (const kind of Object.keys(kinds).filter((k) => !k.startsWith('valid'))) {
      const ratio = median(samples[kind]) / yardstick;
      section.ratio(`${kind} / ${YARDSTICK}`, ratio);
      section.atMost(`${kind} / valid 60 kB`, ratio, TARGET_RATIO, true);
    }
    section.note(
      `${perRound} messages of each kind per round, ${rounds} rounds, medians; server CPU time (user + system)`,
    );
    section.note(
      'each hostile message gets one small error (at most 4 096 bytes) and the connection stays open',
    );
    return section.build();
  } finally {
    for (const channel of channels.values()) channel.close();
    await server.stop();
  }
}
