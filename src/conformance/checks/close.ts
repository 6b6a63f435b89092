/**
 * Close behaviour (CL-001 … CL-006): the notice before a 4xxx close, reason length, and the close codes
 * for frames the protocol does not carry.
 */
import { CloseCode, MAX_CLOSE_REASON_BYTES } from '../../protocol/constants.js';
import { describeClose } from '../probe.js';
import { MAX_SENT_MESSAGE_BYTES } from '../runner-limits.js';
import type { Check, CheckContext, ProbeConnection } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { ANY_ENDPOINT, choose } from './endpoint-choice.js';
import { isRefusalNotice, noticeCloseCode, provokeRefusals } from './refusal.js';

/** Invalid UTF-8: a lone continuation byte and bytes that never occur in UTF-8. */
const INVALID_UTF8 = Uint8Array.from([0x7b, 0x80, 0xfe, 0xff, 0x7d]);

const frameCloseBudget = () => 2 * REPLY_DEADLINE_MS;

async function expectClose(ctx: CheckContext, conn: ProbeConnection, code: number, after: string) {
  const expected = `close ${code} after ${after}`;
  const close = await conn.closed({ timeoutMs: REPLY_DEADLINE_MS, expected });
  if (!close.clean || close.code !== code) {
    ctx.fail(`expected ${expected}, got: ${describeClose(close)}`, {
      expected: `close ${code}`,
      actual: describeClose(close),
    });
  }
}

/** A JSON text message of exactly `bytes` bytes. */
function jsonOfSize(bytes: number): string {
  const shell = JSON.stringify({ type: 'ping', padding: '' });
  return JSON.stringify({ type: 'ping', padding: 'x'.repeat(Math.max(0, bytes - shell.length)) });
}

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
      for (const { label, conn, close } of closes) {
        if (!close.clean || close.code < 4000 || close.code > 4999) continue;
        const announced = conn.received.some((m) => isRefusalNotice(m) && noticeCloseCode(m) === close.code);
        ctx.note(`${label}: close ${close.code}${announced ? '' : ' without a notice naming it'}`);
        if (!announced) unannounced.push(`close ${close.code} after ${label}`);
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
        if (!close.clean) problems.push(`${label}: ${describeClose(close)} (an over-long close frame?)`);
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
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      conn.sendBytes(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
      await expectClose(ctx, conn, CloseCode.UNSUPPORTED_DATA, 'a binary frame');
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
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      conn.sendBytes(INVALID_UTF8, { binary: false });
      await expectClose(ctx, conn, CloseCode.INVALID_PAYLOAD, 'a text frame with invalid UTF-8');
    },
  },
  {
    id: 'CL-005',
    level: 'MUST',
    area: 'close',
    title: 'closes with 1009 on a message over maxMessageBytes',
    requirement: 'A message larger than `maxMessageBytes` gets close 1009.',
    families: [],
    budgetMs: frameCloseBudget,
    async run(ctx) {
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      const size = ctx.timers.maxMessageBytes + 1;
      if (size > MAX_SENT_MESSAGE_BYTES) {
        ctx.skip(
          `the server advertises maxMessageBytes ${ctx.timers.maxMessageBytes}; the runner builds no message over its cap of ${MAX_SENT_MESSAGE_BYTES} bytes`,
        );
      }
      conn.send(jsonOfSize(size));
      await expectClose(ctx, conn, CloseCode.MESSAGE_TOO_BIG, `a message of ${size} bytes`);
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
      const conn = await ctx.connect(await choose(ctx, ANY_ENDPOINT), { waitEstablished: false });
      conn.close(CloseCode.NORMAL, 'done');
      await expectClose(ctx, conn, CloseCode.NORMAL, 'the client closed with 1000');
    },
  },
];
