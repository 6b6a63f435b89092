/**
 * Close behaviour (CL-001 … CL-007): the notice before a 4xxx close, reason length, the close codes for
 * frames the protocol does not carry (at the exact size limit), the answer to a client's close, and the
 * end of a close the client never answers.
 */
import { CloseCode, Defaults, MAX_CLOSE_REASON_BYTES } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import { MAX_SENT_MESSAGE_BYTES } from '../runner-limits.js';
import type { Check, CheckContext, ProbeConnection, ReceivedMessage } from '../types.js';
import { expectStillOpen } from './app-pings.js';
import { REPLY_DEADLINE_MS, timeoutLatenessMs } from './deadlines.js';
import { ANY_ENDPOINT, choose, connectSettled, onEveryFamily } from './endpoint-choice.js';
import { isRefusalNotice, LONG_MALFORMED_VALUE, noticeCloseCode, provokeRefusals } from './refusal.js';

/** Invalid UTF-8: a lone continuation byte and bytes that never occur in UTF-8. */
const INVALID_UTF8 = Uint8Array.from([0x7b, 0x80, 0xfe, 0xff, 0x7d]);

const frameCloseBudget = () => 2 * REPLY_DEADLINE_MS;

async function expectClose(ctx: CheckContext, conn: ProbeConnection, code: number, after: string) {
  const expected = `close ${code} after ${after} on ${conn.endpoint}`;
  const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
  if (!close.clean || close.code !== code) {
    ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
      expected: `close ${code}`,
      actual: describeClose(close),
    });
  }
  ctx.observe(`${after} on ${conn.endpoint}: close ${code}`);
}

/** A JSON text message of exactly `bytes` bytes. */
function jsonOfSize(bytes: number): string {
  const shell = JSON.stringify({ type: 'ping', padding: '' });
  return JSON.stringify({ type: 'ping', padding: 'x'.repeat(Math.max(0, bytes - shell.length)) });
}

/**
 * The message CL-008 sends: 20 kB in more fragments than the 16 384 that some libraries allow by
 * default (about one byte each), a message a server must accept.
 */
const FRAGMENTED_MESSAGE_BYTES = 20_000;
const FRAGMENTS = 16_500;

export const CLOSE_CHECKS: readonly Check[] = [
  {
    id: 'CL-001',
    level: 'MUST',
    area: 'close',
    title: 'announces every 4xxx close with an error naming the code',
    requirement:
      'Every close with a 4xxx code is preceded by an `error` (or `authentication_error`) message whose `closeCode` is that code.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const closes = await provokeRefusals(ctx);
      const unannounced: string[] = [];
      const announcedCodes: number[] = [];
      for (const { label, conn, close } of closes) {
        if (!close.clean || close.code < 4000 || close.code > 4999) continue;
        const announced = conn.received.some((m) => isRefusalNotice(m) && noticeCloseCode(m) === close.code);
        ctx.note(`${label}: close ${close.code}${announced ? '' : ' without a notice naming it'}`);
        if (announced) announcedCodes.push(close.code);
        else unannounced.push(`close ${close.code} after ${label}`);
      }
      if (announcedCodes.length + unannounced.length === 0) {
        ctx.blocked(closes[0].owner, `none of ${closes.length} refused handshakes closed with a 4xxx code`);
      }
      if (unannounced.length > 0) {
        ctx.fail(
          `expected an error with closeCode before each 4xxx close, got none before: ${unannounced.join('; ')}`,
          {
            expected: 'error {error:{closeCode}} then the close',
            actual: unannounced.join('; '),
          },
        );
      }
      ctx.observe(
        `${announcedCodes.length} closes 4xxx seen (${[...new Set(announcedCodes)].join(', ')}), each preceded by a notice with the same closeCode`,
      );
    },
  },
  {
    id: 'CL-002',
    level: 'MUST',
    area: 'close',
    title: 'keeps close reasons within 123 bytes',
    requirement: 'A close reason is at most 123 bytes of UTF-8.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const closes = await provokeRefusals(ctx);
      const problems: string[] = [];
      for (const { label, close } of closes) {
        // A close frame over 125 bytes is a protocol error: the probe drops the connection without
        // reading it, so an unclean end of a refusal is reported here.
        if (!close.clean) {
          const why = close.byRunner !== undefined ? '' : ' (an over-long close frame?)';
          problems.push(`${label}: ${describeClose(close)}${why}`);
        }
        const bytes = Buffer.byteLength(close.reason, 'utf8');
        if (bytes > MAX_CLOSE_REASON_BYTES) problems.push(`${label}: reason of ${bytes} bytes`);
      }
      if (problems.length > 0) {
        ctx.fail(
          `expected close reasons of at most ${MAX_CLOSE_REASON_BYTES} bytes, got: ${problems.join('; ')}`,
          {
            expected: `≤ ${MAX_CLOSE_REASON_BYTES} bytes`,
            actual: problems.join('; '),
          },
        );
      }
      const lengths = closes.map(({ close }) => Buffer.byteLength(close.reason, 'utf8'));
      const long = closes.filter(({ label }) => label.includes('long malformed')).length;
      ctx.observe(
        `${closes.length} closes (${closes.map(({ close }) => close.code).join(', ')}), ${lengths.filter((n) => n > 0).length} with a reason of valid UTF-8, the longest ${Math.max(...lengths)} bytes; ${long} of them provoked by values of ${Buffer.byteLength(LONG_MALFORMED_VALUE)} bytes`,
      );
    },
  },
  {
    id: 'CL-003',
    level: 'MUST',
    area: 'close',
    title: 'closes with 1003 on a binary frame',
    requirement: 'A binary frame from the client gets close 1003.',
    families: [],
    budgetMs: frameCloseBudget,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        const conn = await ctx.connect(name, { waitEstablished: false });
        conn.sendBytes(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
        await expectClose(ctx, conn, CloseCode.UNSUPPORTED_DATA, 'a binary frame');
      });
    },
  },
  {
    id: 'CL-004',
    level: 'MUST',
    area: 'close',
    title: 'closes with 1007 on a text frame with invalid UTF-8',
    requirement: 'A text frame with invalid UTF-8 gets close 1007.',
    families: [],
    budgetMs: frameCloseBudget,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        const conn = await ctx.connect(name, { waitEstablished: false });
        conn.sendBytes(INVALID_UTF8, { binary: false });
        await expectClose(ctx, conn, CloseCode.INVALID_PAYLOAD, 'a text frame with invalid UTF-8');
      });
    },
  },
  {
    id: 'CL-005',
    level: 'MUST',
    area: 'close',
    title: 'closes with 1009 on a message over maxMessageBytes',
    requirement: 'A message larger than `maxMessageBytes` gets close 1009.',
    families: [],
    // Two connections, each waiting for a first message, then the close, then a pong.
    budgetMs: () => 4 * REPLY_DEADLINE_MS + Defaults.pongDeadlineMs,
    async run(ctx) {
      const limit = ctx.timers.maxMessageBytes;
      if (limit + 1 > MAX_SENT_MESSAGE_BYTES) {
        ctx.skip(
          `the server advertises maxMessageBytes ${limit}; the runner builds no message over its cap of ${MAX_SENT_MESSAGE_BYTES} bytes`,
        );
      }
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        // The boundary exactly: one byte over maxMessageBytes is refused, a message of exactly
        // maxMessageBytes is taken (the connection still answers a ping after it).
        const over = await connectSettled(ctx, name);
        over.send(jsonOfSize(limit + 1));
        await expectClose(ctx, over, CloseCode.MESSAGE_TOO_BIG, `a message of ${limit + 1} bytes`);
        const atLimit = await connectSettled(ctx, name);
        atLimit.send(jsonOfSize(limit));
        await expectStillOpen(ctx, atLimit, `a message of exactly maxMessageBytes (${limit} bytes)`);
        ctx.observe(
          `${name}: a message of exactly ${limit} bytes taken, the connection answered a ping after it`,
        );
      });
    },
  },
  {
    id: 'CL-006',
    level: 'MUST',
    area: 'close',
    title: "answers the client's close 1000 with close 1000",
    requirement: "The server answers a client's close frame 1000 with a close frame 1000.",
    families: [],
    budgetMs: frameCloseBudget,
    async run(ctx) {
      await onEveryFamily(ctx, ANY_ENDPOINT, async (name) => {
        const conn = await ctx.connect(name, { waitEstablished: false });
        conn.close(CloseCode.NORMAL, 'done');
        await expectClose(ctx, conn, CloseCode.NORMAL, 'the client closed with 1000');
      });
    },
  },
  {
    id: 'CL-007',
    level: 'MUST',
    area: 'close',
    title: 'drops the connection when its close frame goes unanswered for heartbeatTimeoutMs',
    requirement:
      'A server that sent a close frame drops the TCP connection when the client has not answered it within `heartbeatTimeoutMs`.',
    families: [],
    budgetMs: (t) => REPLY_DEADLINE_MS + t.heartbeatTimeoutMs + timeoutLatenessMs(t.heartbeatTimeoutMs),
    async run(ctx) {
      const name = await choose(ctx, ANY_ENDPOINT);
      const conn = await ctx.connect(name, { answerClose: false, waitEstablished: false });
      // A binary frame makes the server close (1003, CL-003's rule); its close frame is left unanswered.
      conn.sendBytes(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
      const { heartbeatTimeoutMs } = ctx.timers;
      const dropWithinMs = heartbeatTimeoutMs + timeoutLatenessMs(heartbeatTimeoutMs);
      let close;
      try {
        close = await conn.closed({
          timeoutMs: REPLY_DEADLINE_MS + dropWithinMs,
          expected: `the connection dropped within ${dropWithinMs} ms of an unanswered close frame`,
        });
      } catch (error) {
        if (conn.closeFrameAt === undefined)
          ctx.blocked('CL-003', `no close frame after a binary frame on ${name}`);
        throw error;
      }
      const closeFrameAt =
        conn.closeFrameAt ??
        ctx.blocked(
          'CL-003',
          `the connection on ${name} ended without a close frame: ${describeClose(close)}`,
        );
      const droppedAfterMs = Math.round(ctx.now() - closeFrameAt);
      if (droppedAfterMs > dropWithinMs * ctx.timeoutScale) {
        ctx.fail(
          `expected the connection dropped within ${dropWithinMs} ms of the unanswered close frame, got: ${droppedAfterMs} ms`,
          {
            expected: `≤ ${dropWithinMs} ms (heartbeatTimeoutMs ${heartbeatTimeoutMs})`,
            actual: `${droppedAfterMs} ms`,
          },
        );
      }
      ctx.observe(
        `${name}: close ${close.code} left unanswered; connection dropped ${droppedAfterMs} ms later (heartbeatTimeoutMs ${heartbeatTimeoutMs})`,
      );
    },
  },
  {
    id: 'CL-008',
    level: 'MUST',
    area: 'close',
    title: 'accepts a message within maxMessageBytes in 16 500 fragments',
    requirement:
      'A text message within `maxMessageBytes` is accepted whatever the number of fragments it arrives in.',
    families: [],
    budgetMs: () => 2 * REPLY_DEADLINE_MS,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT));
      const bytes = Math.min(FRAGMENTED_MESSAGE_BYTES, ctx.timers.maxMessageBytes);
      // Valid JSON: the server answers it (a pong, or an error for the padding), either way it took it.
      const shell = { type: 'ping', id: 'fragmented', padding: '' };
      const padding = 'x'.repeat(Math.max(0, bytes - JSON.stringify(shell).length));
      const fragments = Math.min(FRAGMENTS, bytes);
      conn.sendFragmented(JSON.stringify({ ...shell, padding }), fragments);
      const expected = `an answer to a ${bytes}-byte message sent in ${fragments} fragments`;
      // The answer: its pong (with the id, or without, from a server that does not echo ids), or an
      // error for the padding; a close for too many fragments ends the wait.
      const answer = (m: ReceivedMessage) =>
        m.json?.id === 'fragmented' || m.type === 'pong' || m.type === 'error';
      await conn.next(answer, { timeoutMs: 2 * REPLY_DEADLINE_MS, expected });
      ctx.observe(`a ${bytes}-byte message in ${fragments} fragments was answered`);
    },
  },
];
