/**
 * The glue a source document's browser code runs in: a page whose `WebSocket` is `ws` behind the browser's
 * event-handler API, with the documents' hosts (`ws://localhost:3000`, `ws://localhost:7860`,
 * `wss://api.pilito.com`) sent to the test's network, `console` recorded, timers compressed by
 * `timeFactor`, and small `document`, `window` and `localStorage` stubs. As in a browser, an exception
 * thrown by a handler or timer is reported (recorded in `uncaught`) and the page goes on.
 */
import { transformSync } from 'esbuild';
import WebSocket from 'ws';
import { Recording } from './recording.js';

export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error';
  /** The arguments as one line, the way a console prints them. */
  text: string;
}

/** One WebSocket the page's code opened. */
export interface PageSocket {
  /** The URL as the code wrote it. */
  url: string;
  /** Text frames the code sent. */
  sent: Recording<string>;
  /** Text frames received, each recorded before the page's handlers see it. */
  received: Recording<string>;
  /** `open`, `ping` (each RFC 6455 ping, answered by `ws`), `error <message>`, `close <code>`. */
  events: Recording<string>;
  readonly readyState: number;
  /** The subprotocol the server selected ('' for none). */
  readonly protocol: string;
}

/** The hosts the source documents hard-code. */
const DOCUMENT_HOSTS = ['ws://localhost:3000', 'ws://localhost:7860', 'wss://api.pilito.com'];

type Handler = ((this: unknown, event: Record<string, unknown>) => unknown) | null;

export class Page {
  readonly logs = new Recording<LogEntry>();
  /** What the browser would report as "Uncaught …": exceptions out of handlers, timers and renders. */
  readonly uncaught = new Recording<string>();
  readonly sockets = new Recording<PageSocket>();
  /** Every `textContent` written to an element of the `document` stub. */
  readonly writes = new Recording<{ id: string; value: unknown }>();
  readonly window: {
    location: { href: string };
    addEventListener(type: string, listener: () => void): void;
    removeEventListener(type: string, listener: () => void): void;
  };
  readonly document: {
    hidden: boolean;
    getElementById(id: string): { textContent: unknown };
    addEventListener(type: string, listener: () => void): void;
    removeEventListener(type: string, listener: () => void): void;
  };
  readonly localStorage = new StorageStub();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly intervals = new Set<ReturnType<typeof setInterval>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly live = new Set<WebSocket>();
  readonly WebSocket: unknown;

  /**
   * @param networkUrl `ws://127.0.0.1:<port>` that the documents' hosts are sent to.
   * @param timeFactor what a document's timer delay is multiplied by.
   */
  constructor(
    private readonly networkUrl: string,
    private readonly timeFactor: number,
  ) {
    const elements = new Map<string, { textContent: unknown }>();
    const on = (scope: string) => (type: string, listener: () => void) => this.listen(scope, type, listener);
    const off = (scope: string) => (type: string, listener: () => void) =>
      this.listeners.get(`${scope}:${type}`)?.delete(listener);
    this.window = {
      location: { href: '' },
      addEventListener: on('window'),
      removeEventListener: off('window'),
    };
    const writes = this.writes;
    this.document = {
      hidden: false,
      getElementById(id) {
        let element = elements.get(id);
        if (!element) {
          let textContent: unknown = '';
          element = {
            get textContent() {
              return textContent;
            },
            set textContent(value: unknown) {
              textContent = value;
              writes.push({ id, value });
            },
          };
          elements.set(id, element);
        }
        return element;
      },
      addEventListener: on('document'),
      removeEventListener: off('document'),
    };
    this.WebSocket = browserWebSocket(this);
  }

  /** The names a document's code finds as globals. */
  globals(): Record<string, unknown> {
    const record =
      (level: LogEntry['level']) =>
      (...args: unknown[]) =>
        this.logs.push({ level, text: args.map(printable).join(' ') });
    return {
      WebSocket: this.WebSocket,
      console: { log: record('log'), info: record('info'), warn: record('warn'), error: record('error') },
      setTimeout: (callback: () => void, delayMs = 0) => this.setTimer(callback, delayMs, false),
      clearTimeout: (handle: ReturnType<typeof setTimeout>) => this.clearTimer(handle),
      setInterval: (callback: () => void, delayMs = 0) => this.setTimer(callback, delayMs, true),
      clearInterval: (handle: ReturnType<typeof setInterval>) => this.clearTimer(handle),
      document: this.document,
      window: this.window,
      localStorage: this.localStorage,
    };
  }

  /**
   * Runs classic scripts (the documents' blocks and the glue between them) as one page script, and
   * returns the top-level names asked for.
   */
  script(parts: readonly string[], names: readonly string[] = [], extra: Record<string, unknown> = {}) {
    const scope = { ...this.globals(), ...extra };
    const body = `${parts.join('\n')}\n;return { ${names.join(', ')} };`;
    return new Function(...Object.keys(scope), body)(...Object.values(scope)) as Record<string, unknown>;
  }

  /**
   * Evaluates an ES module (JSX allowed), compiled to CommonJS by esbuild as a bundler would (JSX with
   * React's automatic runtime, `react/jsx-runtime`, the default of current React tooling); `modules`
   * answers its imports. `exposing` names top-level declarations the glue exports from a block that
   * declares them without `export`.
   */
  module(
    code: string,
    modules: Record<string, unknown>,
    exposing: readonly string[] = [],
  ): Record<string, unknown> {
    const glue = exposing.length > 0 ? `\nexport { ${exposing.join(', ')} };\n` : '';
    const { code: compiled } = transformSync(code + glue, { loader: 'jsx', format: 'cjs', jsx: 'automatic' });
    const module = { exports: {} as Record<string, unknown> };
    const require = (name: string) => {
      if (!(name in modules)) throw new Error(`the glue has no module "${name}"`);
      return modules[name];
    };
    const scope = { ...this.globals(), require, module, exports: module.exports };
    new Function(...Object.keys(scope), compiled)(...Object.values(scope));
    return module.exports;
  }

  /** Fires a `document` or `window` event at the listeners the code added. */
  dispatch(target: 'document' | 'window', type: string): void {
    for (const listener of [...(this.listeners.get(`${target}:${type}`) ?? [])]) this.guard(listener);
  }

  /** Runs `fn`, reporting what it throws as the browser would. */
  guard(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      this.uncaught.push(printable(error));
    }
  }

  rewrite(url: string): string {
    const host = DOCUMENT_HOSTS.find((candidate) => url.startsWith(candidate));
    return host ? this.networkUrl + url.slice(host.length) : url;
  }

  /** Timers the code set and that have not run or been cleared (intervals included). */
  pendingTimers(): number {
    return this.timers.size + this.intervals.size;
  }

  /** Stops every timer and drops every socket, so nothing outlives the test. */
  dispose(): void {
    for (const handle of this.timers) clearTimeout(handle);
    for (const handle of this.intervals) clearInterval(handle);
    this.timers.clear();
    this.intervals.clear();
    for (const ws of this.live) ws.terminate();
  }

  track(ws: WebSocket): void {
    this.live.add(ws);
    ws.once('close', () => this.live.delete(ws));
  }

  private listen(scope: string, type: string, listener: () => void): void {
    const key = `${scope}:${type}`;
    if (!this.listeners.has(key)) this.listeners.set(key, new Set());
    this.listeners.get(key)!.add(listener);
  }

  private setTimer(callback: () => void, delayMs: number, repeat: boolean) {
    const ms = Math.max(0, Number(delayMs) || 0) * this.timeFactor;
    if (repeat) {
      const handle = setInterval(() => this.guard(callback), ms);
      this.intervals.add(handle);
      return handle;
    }
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      this.guard(callback);
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private clearTimer(handle: ReturnType<typeof setTimeout>): void {
    clearTimeout(handle);
    this.timers.delete(handle);
    this.intervals.delete(handle);
  }
}

class StorageStub {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/**
 * The page's `WebSocket` class: `ws`'s client (its constructor takes what the code passes, as in Node)
 * with the browser's `on…` properties, `addEventListener` and constants, and handler exceptions reported
 * instead of thrown into the socket.
 */
function browserWebSocket(page: Page) {
  return class PageWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    onopen: Handler = null;
    onmessage: Handler = null;
    onerror: Handler = null;
    onclose: Handler = null;
    readonly url: string;
    private readonly ws: WebSocket;
    private readonly listeners = new Map<string, Set<Handler>>();

    constructor(url: string | URL, protocols?: unknown) {
      this.url = String(url);
      this.ws = new WebSocket(page.rewrite(this.url), protocols as string[]);
      page.track(this.ws);
      const record: PageSocket = {
        url: this.url,
        sent: new Recording(),
        received: new Recording(),
        events: new Recording(),
        get readyState() {
          return ws.readyState;
        },
        get protocol() {
          return ws.protocol;
        },
      };
      const ws = this.ws;
      this.record = record;
      ws.on('open', () => {
        record.events.push('open');
        this.fire('open', { type: 'open' });
      });
      ws.on('ping', () => record.events.push('ping'));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        const text = isBinary ? data : data.toString('utf8');
        if (typeof text === 'string') record.received.push(text);
        this.fire('message', { type: 'message', data: text });
      });
      ws.on('error', (error: Error) => {
        record.events.push(`error ${error.message}`);
        this.fire('error', { type: 'error', message: error.message, error });
      });
      ws.on('close', (code: number, reason: Buffer) => {
        record.events.push(`close ${code}`);
        this.fire('close', { type: 'close', code, reason: reason.toString(), wasClean: code !== 1006 });
      });
      page.sockets.push(record);
    }

    private readonly record: PageSocket;

    get readyState(): number {
      return this.ws.readyState;
    }

    get protocol(): string {
      return this.ws.protocol;
    }

    send(data: string): void {
      this.ws.send(data);
      this.record.sent.push(String(data));
    }

    close(code?: number, reason?: string): void {
      this.ws.close(code, reason);
    }

    addEventListener(type: string, listener: Handler): void {
      if (!this.listeners.has(type)) this.listeners.set(type, new Set());
      this.listeners.get(type)!.add(listener);
    }

    removeEventListener(type: string, listener: Handler): void {
      this.listeners.get(type)?.delete(listener);
    }

    private fire(type: 'open' | 'message' | 'error' | 'close', event: Record<string, unknown>): void {
      const property = this[`on${type}`];
      const listeners = [...(this.listeners.get(type) ?? [])];
      for (const handler of [property, ...listeners]) {
        if (typeof handler === 'function') page.guard(() => handler.call(this, event));
      }
    }
  };
}

export function printable(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
