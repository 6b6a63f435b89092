/**
 * RES-001 under churn: a market client whose TCP connection is cut again and again, at random points
 * (before, during and after the replay), still sees every data message exactly once and in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../src/protocol/constants.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';

const CUTS = 100;
/** A cut comes after 1..MAX_FRAMES_BEFORE_CUT frames on a connection: sometimes inside the replay. */
const MAX_FRAMES_BEFORE_CUT = 25;
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOGE', 'DOT', 'AVAX', 'LINK'];
const STEP_TIMEOUT_MS = 3_000;

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Deterministic choice of cut points, so that a failure can be replayed. */
function cutPoints(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 1 + (state % MAX_FRAMES_BEFORE_CUT);
  };
}

class SeqRecorder {
  readonly seqs: number[] = [];
  readonly problems: string[] = [];
  readonly sessionIds = new Set<string>();

  get last(): number {
    return this.seqs.length === 0 ? 0 : this.seqs[this.seqs.length - 1];
  }

  record(message: Record<string, unknown>): void {
    if (message.type === 'connection_established') this.sessionIds.add(String(message.sessionId));
    if (message.type === 'resume_failed') this.problems.push(`resume_failed: ${String(message.reason)}`);
    if (typeof message.seq !== 'number') return;
    if (message.seq !== this.last + 1) this.problems.push(`seq ${message.seq} after ${this.last}`);
    else this.seqs.push(message.seq);
  }
}

interface Leg {
  url: string;
  /** Sent once `connection_established` arrives. */
  onEstablished?: Record<string, unknown>;
  /** Ends the leg (dropping TCP, or a clean 1000 close) once it holds for the frames of this connection. */
  until: (frames: number, message: Record<string, unknown>) => boolean;
  end: 'terminate' | 'close';
}

/** One connection of the client: every frame goes to the recorder, in order, until the leg ends. */
function runLeg(leg: Leg, recorder: SeqRecorder): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(leg.url, [SUBPROTOCOL]);
    let frames = 0;
    let ending = false;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`expected the leg to end, got ${frames} frames within ${STEP_TIMEOUT_MS} ms`));
    }, STEP_TIMEOUT_MS);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      recorder.record(message);
      frames++;
      if (message.type === 'connection_established' && leg.onEstablished)
        socket.send(JSON.stringify(leg.onEstablished));
      if (ending || !leg.until(frames, message)) return;
      ending = true;
      if (leg.end === 'terminate') socket.terminate();
      else socket.close(1000);
    });
    // Frames already received before the cut are still delivered before `close`.
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => {});
  });
}

describe('resume under repeated connection cuts', () => {
  it('delivers every seq exactly once and in order across 100 cuts', async () => {
    server = await createServer({
      resumeWindowMs: 10_000,
      heartbeatIntervalMs: 60_000,
      rateLimit: { maxMessages: 1_000, windowMs: 60_000 },
      // Each symbol ticks every 20 ms: ~500 data messages per second for ten symbols.
      simulation: { seed: 7, speed: 50 },
    });
    const endpoint = `${server.url}/ws/market_data`;
    const recorder = new SeqRecorder();
    const resumeUrl = () =>
      `${endpoint}?${new URLSearchParams({ resume: [...recorder.sessionIds][0], lastSeq: String(recorder.last) })}`;

    await runLeg(
      {
        url: endpoint,
        onEstablished: { type: 'subscribe', id: 'all', symbols: SYMBOLS },
        until: (_frames, message) => message.type === 'ack',
        end: 'terminate',
      },
      recorder,
    );
    const nextCut = cutPoints(20_260_115);
    for (let cut = 0; cut < CUTS; cut++) {
      const framesBeforeCut = nextCut();
      await runLeg(
        { url: resumeUrl(), until: (frames) => frames >= framesBeforeCut, end: 'terminate' },
        recorder,
      );
    }
    // A last, clean leg: the replay catches up and live messages follow the last replayed one.
    const target = recorder.last + 50;
    await runLeg({ url: resumeUrl(), until: () => recorder.last >= target, end: 'close' }, recorder);

    expect(recorder.problems).toEqual([]);
    expect(recorder.sessionIds.size).toBe(1);
    expect(recorder.seqs.length).toBe(recorder.last);
    expect(recorder.seqs.length).toBeGreaterThan(CUTS * 10);
  }, 45_000);
});
