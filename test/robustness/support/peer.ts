/**
 * A WebSocket peer for the robustness tests: keeps every JSON message it receives, and waits for the next
 * matching one (after those already taken) with a deadline that names what was expected.
 */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../../src/protocol/constants.js';

export type Json = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 3_000;

export class Peer {
  readonly received: Json[] = [];
  closeCode: number | undefined;
  private cursor = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const json = parseObject(data.toString('utf8'));
      if (json) this.received.push(json);
      this.notify();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
    socket.on('error', () => {});
  }

  /** Opens a connection offering `tidewire.v1`; resolves once `connection_established` arrives. */
  static async connect(
    url: string,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<{ peer: Peer; established: Json }> {
    const peer = new Peer(new WebSocket(url, [SUBPROTOCOL]));
    const established = await peer.next(
      (m) => m.type === 'connection_established',
      'connection_established',
      timeoutMs,
    );
    return { peer, established };
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Json): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Takes the next message, after the ones already taken, that matches. */
  next(match: (message: Json) => boolean, expected: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Json> {
    return this.waitFor(
      () => {
        for (let i = this.cursor; i < this.received.length; i++) {
          if (match(this.received[i])) {
            this.cursor = i + 1;
            return this.received[i];
          }
        }
        return undefined;
      },
      expected,
      timeoutMs,
    );
  }

  /** Resolves with the close code once the connection has closed. */
  closed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    return this.waitFor(() => this.closeCode, 'the connection to close', timeoutMs);
  }

  /** Ends the connection with a 1000 close and waits for it to be closed. */
  async close(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    if (this.closeCode !== undefined) return;
    this.socket.close(1000);
    await this.closed(timeoutMs);
  }

  /** Calls `condition` on every received frame or close until it returns a value or the deadline passes. */
  waitFor<T>(condition: () => T | undefined, expected: string, timeoutMs: number): Promise<T> {
    const now = condition();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = condition();
        if (value === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`expected ${expected}, got nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves once `condition()` holds, checking every `everyMs`; rejects with `expected` at the deadline. */
export async function eventually(
  condition: () => boolean,
  expected: string,
  timeoutMs: number,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`expected ${expected} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
