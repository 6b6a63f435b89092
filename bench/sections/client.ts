/**
 * Section 5 — the generated client's receive path: frames from the socket to typed handlers
 * (`MarketDataClient.on('price_update', …)`), with and without the validating mode, against a raw `ws`
 * client doing `JSON.parse` and a `switch` on `type`. The server runs in another process and writes
 * pre-framed bursts, so the receiving client is the bottleneck; all variants read the same bytes, in
 * interleaved rounds, in this process.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { BenchChild } from '../lib/child.js';
import { median, type Rate } from '../lib/measure.js';
import { notAvailable, SectionBuilder, type SectionResult } from '../lib/report.js';
import type { WebSocketConstructor } from '../../src/client/index.js';

const TITLE = 'generated client receive path (one connection, loopback)';
const TARGET_RATIO = 0.9;
const RECEIVE_TIMEOUT_MS = 60_000;
const PONG = JSON.stringify({ type: 'pong' });

type Generated = typeof import('../../generated/client/index.js');
type CreateValidator = typeof import('../../generated/validation/index.js').createValidator;

/** Counts the messages a client dispatches to its handlers, with the time of the first and the latest. */
class Counter {
  received = 0;
  firstAt = 0;
  lastAt = 0;
  onCount: (() => void) | undefined;

  count(): void {
    const now = performance.now();
    if (this.received === 0) this.firstAt = now;
    this.lastAt = now;
    this.received++;
    this.onCount?.();
  }
}

/** A client under test, connected and ready to receive. */
interface Receiver {
  counter: Counter;
  close(): Promise<void>;
}

async function rawReceiver(url: string): Promise<Receiver> {
  const counter = new Counter();
  const socket = new WebSocket(`${url}/ws/market_data`, ['tidewire.v1']);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string };
      switch (message.type) {
        case 'connection_established':
          resolve();
          break;
        case 'ping':
          // What the generated client does too: answer the application ping.
          socket.send(PONG);
          counter.count();
          break;
        case 'price_update':
          counter.count();
          break;
      }
    });
  });
  return {
    counter,
    close: async () => {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close(1000);
      await closed;
    },
  };
}

async function generatedReceiver(
  url: string,
  generated: Generated,
  createValidator: CreateValidator | undefined,
): Promise<Receiver> {
  const counter = new Counter();
  const client = new generated.MarketDataClient({
    url,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: false,
    ...(createValidator ? { validator: createValidator(), validate: true } : {}),
  });
  client.on('price_update', () => counter.count());
  client.on('ping', () => counter.count());
  await client.connect();
  return { counter, close: () => client.close() };
}

/** How fast one receiver dispatches while the server bursts `count` frames at it (wall: first to last message). */
async function measure(server: BenchChild, receiver: Receiver, count: number): Promise<Rate> {
  const { counter } = receiver;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`received ${counter.received} of ${count} within ${RECEIVE_TIMEOUT_MS} ms`)),
      RECEIVE_TIMEOUT_MS,
    );
    counter.onCount = () => {
      if (counter.received < count) return;
      clearTimeout(timer);
      resolve();
    };
  });
  const cpuBefore = process.cpuUsage();
  try {
    await server.call('burst', { count }, RECEIVE_TIMEOUT_MS);
    await done;
  } finally {
    await receiver.close();
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wall: ((count - 1) / (counter.lastAt - counter.firstAt)) * 1000,
    cpu: (count / (cpu.user + cpu.system)) * 1e6,
  };
}

export async function clientSection(options: { quick: boolean }): Promise<SectionResult> {
  let generated: Generated;
  let createValidator: CreateValidator;
  try {
    generated = await import('../../generated/client/index.js');
    ({ createValidator } = await import('../../generated/validation/index.js'));
  } catch (error) {
    return notAvailable(
      TITLE,
      `the generated client cannot be loaded: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const count = options.quick ? 20_000 : 300_000;
  const rounds = options.quick ? 1 : 5;
  const server = await BenchChild.start({ script: 'bench/processes/burst-server.ts' });
  const url = String(server.info.url);
  const variants: Record<string, () => Promise<Receiver>> = {
    raw: () => rawReceiver(url),
    generated: () => generatedReceiver(url, generated, undefined),
    'generated+validation': () => generatedReceiver(url, generated, createValidator),
  };
  const samples: Record<string, { wall: number[]; cpu: number[] }> = {};
  try {
    // Round 0 warms every variant up and is not counted.
    for (let round = 0; round <= rounds; round++) {
      for (const [name, open] of Object.entries(variants)) {
        const rates = await measure(server, await open(), round === 0 ? count / 4 : count);
        if (round === 0) continue;
        samples[name] ??= { wall: [], cpu: [] };
        samples[name].wall.push(rates.wall);
        samples[name].cpu.push(rates.cpu);
      }
    }
  } finally {
    await server.stop();
  }
  const section = new SectionBuilder(TITLE);
  const labels: Record<string, string> = {
    raw: 'raw ws (JSON.parse + switch, pong to pings)',
    generated: 'generated client',
    'generated+validation': 'generated client, validating mode',
  };
  for (const [name, label] of Object.entries(labels)) {
    section.figure(`${label}, per CPU second`, median(samples[name].cpu), 'msg/s');
    section.figure(`${label}, wall clock`, median(samples[name].wall), 'msg/s');
  }
  const raw = median(samples.raw.cpu);
  const plain = median(samples.generated.cpu) / raw;
  const validating = median(samples['generated+validation'].cpu) / raw;
  section
    .ratio('generated / raw', plain)
    .ratio('generated+validation / raw', validating)
    .atLeast('generated / raw (no validation), per CPU second', plain, TARGET_RATIO);
  section.note(
    `${count.toLocaleString('en-US')} frames per round (price_update, a JSON ping every 300), median of ${rounds} ` +
      'rounds; ratios use messages per CPU second of the receiving process, which a busy machine does not skew',
  );
  return section.build();
}
