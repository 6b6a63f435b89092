/**
 * A queued WebSocket client for the server tests: every frame is kept in order, and each wait takes the
 * next matching one or fails with what it expected once its deadline passes.
 */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../../src/protocol/constants.js';

export interface Frame {
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface CloseEvent {
  code: number;
  reason: string;
}

export interface ConnectOptions {
  /** Subprotocols to offer; default `tidewire.v1` (without it, some endpoints speak a source dialect). */
  protocols?: string[];
  headers?: Record<string, string>;
  /** Answer RFC 6455 pings automatically (default true). */
  autoPong?: boolean;
}

const DEFAULT_TIMEOUT_MS = 2_000;

export class TestClient {
  readonly frames: Frame[] = [];
  readonly pingsAt: number[] = [];
  readonly pongs: Buffer[] = [];
  /** Frames not yet taken by a wait. */
  private readonly queue: Frame[] = [];
  private closeEvent: CloseEvent | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length} bytes>` : (data as Buffer).toString('utf8');
      const frame = { text, json: parseObject(text) };
      this.frames.push(frame);
      this.queue.push(frame);
      this.notify();
    });
    socket.on('ping', () => {
      this.pingsAt.push(Date.now());
      this.notify();
    });
    socket.on('pong', (payload) => {
      this.pongs.push(payload);
      this.notify();
    });
    socket.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString('utf8') };
      this.notify();
    });
    socket.on('error', () => {});
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the first frame not yet taken that matches; the others stay queued for later waits. */
  async next(
    match: (frame: Frame) => boolean,
    expected: string,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Frame> {
    return this.waitFor(
      () => {
        const index = this.queue.findIndex(match);
        return index === -1 ? undefined : this.queue.splice(index, 1)[0];
      },
      expected,
      timeoutMs,
    );
  }

  async waitForMessage(type: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Record<string, unknown>> {
    const frame = await this.next((f) => f.json?.type === type, `a "${type}" message`, timeoutMs);
    return frame.json as Record<string, unknown>;
  }

  async waitForText(text: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.next((f) => f.text === text, `text frame "${text}"`, timeoutMs);
  }

  async waitForClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CloseEvent> {
    return this.waitFor(() => this.closeEvent, 'a close', timeoutMs);
  }

  async waitForPing(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number[]> {
    return this.waitFor(
      () => (this.pingsAt.length >= count ? this.pingsAt.slice(0, count) : undefined),
      `${count} RFC pings`,
      timeoutMs,
    );
  }

  async waitForPong(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
    return this.waitFor(() => this.pongs[0], 'an RFC pong', timeoutMs);
  }

  /** True when the socket is still open after `ms` (a bounded wait for a close that must not come). */
  async staysOpen(ms: number): Promise<boolean> {
    try {
      await this.waitForClose(ms);
      return false;
    } catch {
      return true;
    }
  }

  /** JSON messages received so far, in order. */
  messages(): Record<string, unknown>[] {
    return this.frames.flatMap((f) => (f.json ? [f.json] : []));
  }

  close(code?: number): void {
    this.socket.close(code);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private waitFor<T>(probe: () => T | undefined, expected: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `expected ${expected}, got: nothing within ${timeoutMs} ms (frames: ${this.frames
              .map((f) => f.text)
              .join(' | ')
              .slice(0, 600)})`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a client; resolves once the socket is open (or rejects with the HTTP status of a refused upgrade). */
export function openClient(url: string, options: ConnectOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      headers: options.headers,
      autoPong: options.autoPong ?? true,
    });
    const client = new TestClient(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRefused(response.statusCode ?? 0));
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}
