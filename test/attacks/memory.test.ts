/**
 * Unbounded memory (issue 11, attack 3): the chat store kept 200 messages per conversation across 1,000
 * conversations with metadata of up to 64 kB (+460 MB for 2,700 messages of one user), and sessions of
 * dropped connections kept buffering for the whole resume window. Now both are capped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { scaled } from '../support/timing.js';
import { MIB } from '../robustness/support/heap.js';
import { openSocket, startTarget, stopTargets, survives } from './support/target.js';

afterEach(stopTargets);

const MESSAGES = 1_000;
const METADATA_CHARS = 48_000;
const DROPPED_SESSIONS = 5;

/** Sends `count` chat messages to conversation 1 and resolves once each is acknowledged. */
function chatter(socket: WebSocket, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let acked = 0;
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; id?: unknown; error?: unknown };
      if (message.type === 'error' && message.id !== undefined)
        reject(new Error(`expected acks, got: ${data.toString('utf8').slice(0, 200)}`));
      if (message.type === 'ack' && ++acked === count) resolve();
    });
    const metadata = { attachment: 'x'.repeat(METADATA_CHARS) };
    for (let i = 0; i < count; i++) {
      socket.send(
        JSON.stringify({ type: 'chat_message', id: i, conversationId: 1, content: `#${i}`, metadata }),
      );
    }
  });
}

describe('memory a client can make the server keep', () => {
  it(
    `stays bounded after one user sends ${MESSAGES} messages of 48 kB to a room with ${DROPPED_SESSIONS} dropped sessions`,
    async () => {
      const target = await startTarget({
        resumeWindowMs: scaled(60_000),
        rateLimit: { maxMessages: 2 * MESSAGES, windowMs: 60_000 },
      });
      const token = await target.token('1');
      await survives(
        target,
        `${MESSAGES} chat messages of 48 kB`,
        async () => {
          // Room members whose connections dropped: their sessions stay, and keep buffering the room.
          const members = await Promise.all(
            Array.from({ length: DROPPED_SESSIONS }, () =>
              openSocket(target.url('/ws/chat/', { conversationId: '1', token })),
            ),
          );
          for (const member of members) member.terminate();
          const sender = await openSocket(target.url('/ws/chat/', { token }));
          await chatter(sender, MESSAGES);
          sender.close(1000);
        },
        // The dropped sessions stay (the resume window is long): what they hold is what is measured.
        // Uncapped, the store alone would keep 48 MB and every dropped session as much again.
        { heapSlackBytes: 16 * MIB, settled: () => true },
      );
      expect(target.server.stats().sessions).toBeGreaterThanOrEqual(DROPPED_SESSIONS);
    },
    scaled(90_000),
  );
});
