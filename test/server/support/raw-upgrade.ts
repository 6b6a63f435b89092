/**
 * A bare-socket WebSocket upgrade for cases a `ws` client cannot observe: an answer that selects no
 * subprotocol after some were offered, and close frames longer than RFC 6455 allows.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  protocol: string | undefined;
  /** Text frames received after the upgrade. */
  texts: string[];
  closeCode: number | undefined;
  /** Raw payload length of the close frame (code + reason), as the frame header states it. */
  closePayloadLength: number | undefined;
  closeReason: Buffer | undefined;
}

export function rawUpgrade(
  url: string,
  options: {
    protocols?: string[];
    timeoutMs?: number;
    /** Resolve after this many text frames instead of at the close. */ texts?: number;
  } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    let buffer = Buffer.alloc(0);
    let answer: RawAnswer | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `expected a close frame within ${timeoutMs} ms, got: ${answer ? answer.texts.join(' | ') : 'no upgrade answer'}`,
        ),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer!);
    };
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('connect', () => {
      const lines = [
        `GET ${target.pathname}${target.search} HTTP/1.1`,
        `Host: ${target.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...(options.protocols?.length ? [`Sec-WebSocket-Protocol: ${options.protocols.join(', ')}`] : []),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!answer) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const protocolLine = head.find((line) => /^sec-websocket-protocol:/i.test(line));
        answer = {
          status: Number(head[0].split(' ')[1]),
          protocol: protocolLine?.split(':')[1].trim(),
          texts: [],
          closeCode: undefined,
          closePayloadLength: undefined,
          closeReason: undefined,
        };
        buffer = buffer.subarray(end + 4);
        if (answer.status !== 101) return finish();
      }
      while (buffer.length >= 2) {
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) answer.texts.push(payload.toString('utf8'));
        if (options.texts !== undefined && answer.texts.length >= options.texts) return finish();
        if (opcode === 0x8) {
          answer.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
          answer.closePayloadLength = length;
          answer.closeReason = payload.subarray(2);
          return finish();
        }
      }
    });
  });
}
