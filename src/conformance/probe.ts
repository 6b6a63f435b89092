/**
 * The runner's test client: one WebSocket connection to the server under test, with a queue of received
 * messages that checks wait on with deadlines. Everything sent and received goes into the check's
 * transcript; every received frame is handed to the envelope validator. A connection that dies never
 * throws into the run: waits on it fail with what happened instead ("expected pong, got: close 1006").
 * What the probe accepts and keeps is bounded by the runner's own limits (runner-limits.ts), and a close
 * the probe itself caused is reported as the runner's, never as the server's.
 */
import WebSocket from 'ws';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { EndpointName } from '../protocol/endpoints.js';
import { BEARER_SUBPROTOCOL_PREFIX, CloseCode } from '../protocol/constants.js';
import { CheckFailure, waitAnsweredBy, waitTimedOut } from './check-failure.js';
import {
  jsonDepthWithin,
  MAX_JSON_DEPTH,
  MAX_SENT_MESSAGE_BYTES,
  PROBE_MAX_BUFFERED_BYTES,
  PROBE_MAX_CONTROL_FRAMES,
  PROBE_MAX_PAYLOAD_BYTES,
  PROBE_MAX_PENDING_AUTO_PONGS,
  PROBE_MAX_QUEUED_BYTES,
  PROBE_MAX_QUEUED_MESSAGES,
  RunnerLimitReached,
} from './runner-limits.js';
import { describeBytes, TRANSCRIPT_MAX_FRAME_CHARS, truncate, type Transcript } from './transcript.js';
import type { CloseInfo, ProbeConnection, ReceivedMessage, TargetTransport, WaitOptions } from './types.js';

/** Time for the upgrade and `connection_established`, before --timeout-scale. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long a closing handshake may take before the socket is destroyed (a half-open peer never answers). */
export const PROBE_CLOSE_TIMEOUT_MS = 2_000;
/** RFC 6455 §7.1.5: the code reported when the connection ended without a close frame. */
const NO_CLOSE_FRAME_CODE = 1006;
/** How much of an unexpected first message a one-line failure shows. */
const FIRST_FRAME_CHARS = 120;

/** What the runner's `ws` client refused in a server's frames, by its error code. */
const REFUSED_FRAMES: Record<string, { code: number; why: string }> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: {
    code: CloseCode.MESSAGE_TOO_BIG,
    why: `a frame over its cap of ${PROBE_MAX_PAYLOAD_BYTES} bytes`,
  },
  WS_ERR_INVALID_UTF8: { code: CloseCode.INVALID_PAYLOAD, why: 'a text frame with invalid UTF-8' },
};
const INVALID_FRAME = { code: 1002, why: 'an invalid WebSocket frame' };

/** What a probe needs from the check it belongs to. */
export interface ProbeEnvironment {
  readonly transcript: Transcript;
  readonly timeoutScale: number;
  /** Aborted at the check's deadline: every pending wait fails at once. */
  readonly signal: AbortSignal;
  nextConnectionNumber(): number;
  /** Called with every frame received (for ENV-001..003). */
  inspect(endpoint: EndpointName, frame: InspectedFrame): void;
}

/**
 * A received frame as the envelope validator sees it: text with its parse, binary, or a frame the runner
 * did not judge (nested beyond its cap, or refused by its client) with the reason.
 */
export type InspectedFrame =
  { text: string; json: unknown } | { binary: Uint8Array } | { unjudged: string; invalidUtf8?: boolean };

export interface ProbeRequest {
  endpoint: EndpointName;
  /** Full ws:// URL including the query. */
  url: string;
  /** The URL as shown in the transcript (tokens redacted). */
  displayUrl: string;
  protocols: string[];
  headers: Record<string, string>;
  autoPong: boolean;
  protocolVersion?: 8 | 13;
  localAddress?: string;
  /** TLS trust for wss:// (`--ca`, `--insecure`). */
  tls: Pick<TargetTransport, 'ca' | 'insecure'>;
  /** Answer the server's close frame (false: leave it unanswered, CL-007). */
  answerClose: boolean;
}

export type HandshakeOutcome = { status: 101; protocol: string } | { status: number; protocol: '' };

interface Waiter {
  expected: string;
  startedAt: number;
  /** Returns true when it was satisfied (and removes itself). */
  poll(): boolean;
  /** Ends the wait because the connection closed or failed. */
  end(actual: string): void;
  /** Ends the wait because its time ran out (after `waitedMs`; measured when not given). */
  timeout(waitedMs?: number): void;
}

export class Probe implements ProbeConnection {
  readonly id: number;
  readonly endpoint: EndpointName;
  /** Resolves with the HTTP answer to the upgrade; rejects (CheckFailure) on a network error or timeout. */
  readonly handshake: Promise<HandshakeOutcome>;

  private readonly ws: WebSocket;
  /** Resolves once the connection is closed, however it ended (or never opened). */
  readonly ended: Promise<void>;
  private markEnded!: () => void;
  private readonly env: ProbeEnvironment;
  private messages: ReceivedMessage[] = [];
  private consumed: boolean[] = [];
  private queuedBytes = 0;
  /** Messages dropped from the front of `messages` so far (the queue is bounded). */
  private droppedMessages = 0;
  private readonly pings: number[] = [];
  private pingCursor = 0;
  private readonly pongs: Uint8Array[] = [];
  private pongCursor = 0;
  private closeInfo: CloseInfo | undefined;
  /** Why waits can no longer succeed (closed, refused, failed), once that is known. */
  private endedBy: string | undefined;
  private readonly waiters = new Set<Waiter>();
  private establishedMessage: Record<string, unknown> | undefined;
  /** Why the runner ended the connection itself, once it has. */
  private endedByRunner: string | undefined;
  /** Set when that was one of the runner's own limits: the check could not be judged. */
  private limitReached: string | undefined;
  /** The check closed or dropped the connection itself. */
  private closedByCheck = false;
  private selectedProtocol = '';
  private openedAtMs: number | undefined;
  private closeFrameAtMs: number | undefined;
  private disposed = false;
  private readonly onAbort = () => {
    for (const waiter of [...this.waiters]) waiter.timeout();
  };

  constructor(env: ProbeEnvironment, request: ProbeRequest) {
    this.ended = new Promise<void>((resolve) => (this.markEnded = resolve));
    this.env = env;
    this.id = env.nextConnectionNumber();
    this.endpoint = request.endpoint;
    const offered = request.protocols.map((p) =>
      p.startsWith(BEARER_SUBPROTOCOL_PREFIX) ? `${BEARER_SUBPROTOCOL_PREFIX}<token>` : p,
    );
    const protocols = offered.length > 0 ? ` protocols: ${offered.join(', ')}` : '';
    const headerNames = Object.keys(request.headers);
    const headers = headerNames.length > 0 ? ` headers: ${headerNames.join(', ')}` : '';
    this.log('sent', 'http', `GET ${request.displayUrl}${protocols}${headers}`);

    let settle: (outcome: HandshakeOutcome) => void = () => {};
    let refuse: (error: CheckFailure) => void = () => {};
    this.handshake = new Promise<HandshakeOutcome>((resolve, reject) => {
      settle = resolve;
      refuse = reject;
    });
    // A caller that only waits for messages may never look at the handshake promise.
    this.handshake.catch(() => {});

    let ws: WebSocket;
    try {
      // `closeTimeout` and `maxPendingAutoPongs` are supported by ws 8 though missing from its types.
      const options: WebSocket.ClientOptions & { closeTimeout: number; maxPendingAutoPongs: number } = {
        headers: request.headers,
        autoPong: request.autoPong,
        maxPayload: PROBE_MAX_PAYLOAD_BYTES,
        closeTimeout: PROBE_CLOSE_TIMEOUT_MS,
        followRedirects: false,
        ...(request.protocolVersion !== undefined ? { protocolVersion: request.protocolVersion } : {}),
        ...(request.localAddress !== undefined ? { localAddress: request.localAddress } : {}),
        // The protocol never compresses: the runner offers no extension.
        perMessageDeflate: false,
        maxPendingAutoPongs: PROBE_MAX_PENDING_AUTO_PONGS,
        ...(request.tls.ca !== undefined ? { ca: request.tls.ca } : {}),
        rejectUnauthorized: !request.tls.insecure,
      };
      ws = new WebSocket(request.url, request.protocols, options);
    } catch (error) {
      // ws refuses some inputs synchronously (an invalid subprotocol name): that is the check's mistake.
      throw new Error(`cannot open ${request.displayUrl}: ${(error as Error).message}`);
    }
    this.ws = ws;
    this.watchCloseFrame(request.answerClose);

    const handshakeMs = CONNECT_TIMEOUT_MS * env.timeoutScale;
    const handshakeTimer = setTimeout(() => {
      const actual = `no answer to the upgrade within ${Math.round(handshakeMs)} ms`;
      this.log('event', 'error', actual);
      refuse(waitAnsweredBy(`an HTTP answer to the upgrade of ${request.displayUrl}`, actual));
      this.endWaits(actual);
      ws.terminate();
    }, handshakeMs);

    ws.on('upgrade', (res: IncomingMessage) => {
      clearTimeout(handshakeTimer);
      const selected = res.headers['sec-websocket-protocol'];
      this.selectedProtocol = selected ?? '';
      this.log(
        'received',
        'http',
        `${res.statusCode} ${res.statusMessage ?? ''} protocol: ${selected ?? '(none)'}`,
      );
      // RFC 6455 lets a server select no subprotocol (HS-005 refusals, bearer-only offers); ws would abort
      // such a handshake, so it is shown one it offered. `protocol` reports what the server really sent.
      if (selected === undefined && request.protocols.length > 0) {
        res.headers['sec-websocket-protocol'] = request.protocols[0];
      }
    });
    ws.on('unexpected-response', (_request: ClientRequest, res: IncomingMessage) => {
      clearTimeout(handshakeTimer);
      this.log('received', 'http', `${res.statusCode} ${res.statusMessage ?? ''}`.trim());
      this.endedBy = `HTTP ${res.statusCode} instead of 101`;
      settle({ status: res.statusCode ?? 0, protocol: '' });
      res.resume();
      this.endWaits(this.endedBy);
      // Aborts the request; ws then reports an error and a close, which end nothing new.
      ws.terminate();
    });
    ws.on('open', () => {
      clearTimeout(handshakeTimer);
      this.openedAtMs = this.log('event', 'open', '');
      settle({ status: 101, protocol: this.selectedProtocol });
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) =>
      this.onMessage(toBuffer(data), isBinary),
    );
    ws.on('ping', (payload: Buffer) => {
      this.log('received', 'ping', describeBytes(payload));
      pushBounded(
        this.pings,
        this.env.transcript.now(),
        () => (this.pingCursor = Math.max(0, this.pingCursor - 1)),
      );
      // Each ping queues a pong; ws drops a peer that leaves too many of them unread (and still reports
      // the ping), which is the runner's doing, not the server's.
      if (request.autoPong && ws.readyState !== WebSocket.OPEN && !this.closedByCheck) {
        this.dropForLimit(
          `the server sent pings without reading the pongs (${PROBE_MAX_PENDING_AUTO_PONGS} unanswered, the runner's cap)`,
        );
        return;
      }
      this.pollWaiters();
    });
    ws.on('pong', (payload: Buffer) => {
      this.log('received', 'pong', describeBytes(payload));
      pushBounded(
        this.pongs,
        new Uint8Array(payload),
        () => (this.pongCursor = Math.max(0, this.pongCursor - 1)),
      );
      this.pollWaiters();
    });
    ws.on('error', (error: Error & { code?: string }) => {
      clearTimeout(handshakeTimer);
      this.log('event', 'error', error.message);
      if (error.code?.startsWith('WS_ERR_') && this.openedAtMs !== undefined) {
        this.refusedFrame(error as Error & { code: string });
        return;
      }
      const actual = `connection error: ${error.message}`;
      refuse(waitAnsweredBy(`HTTP 101 on ${request.displayUrl}`, actual));
      this.endedBy ??= actual;
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.markEnded();
      clearTimeout(handshakeTimer);
      const clean = code !== NO_CLOSE_FRAME_CODE && this.endedByRunner === undefined;
      this.closeInfo = {
        code,
        reason: reason.toString('utf8'),
        clean,
        ...(this.endedByRunner !== undefined ? { byRunner: this.endedByRunner } : {}),
      };
      if (this.endedByRunner !== undefined) this.log('event', 'close', `${code} (${this.endedByRunner})`);
      else if (clean) this.log('received', 'close', `${code} ${JSON.stringify(this.closeInfo.reason)}`);
      else this.log('event', 'close', `${code} (connection ended without a close frame)`);
      refuse(waitAnsweredBy(`HTTP 101 on ${request.displayUrl}`, describeClose(this.closeInfo)));
      // Waiters registered before the close see it; messages already queued still satisfy later waits.
      this.pollWaiters();
      this.endWaits(this.endedBy ?? describeClose(this.closeInfo));
      env.signal.removeEventListener('abort', this.onAbort);
    });
    env.signal.addEventListener('abort', this.onAbort);
  }

  get protocol(): string {
    return this.selectedProtocol;
  }

  get established(): Record<string, unknown> | undefined {
    return this.establishedMessage;
  }

  get received(): readonly ReceivedMessage[] {
    return this.messages;
  }

  get pingsAt(): readonly number[] {
    return this.pings;
  }

  get openedAt(): number | undefined {
    return this.openedAtMs;
  }

  get closeFrameAt(): number | undefined {
    return this.closeFrameAtMs;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** How the connection ended, when it did (for messages such as "got: close 4001"). */
  get closeDetails(): CloseInfo | undefined {
    return this.closeInfo;
  }

  send(message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (!this.isOpen) {
      this.log('event', 'note', `not sent (connection not open): ${text}`);
      return;
    }
    this.assertSendable(Buffer.byteLength(text));
    this.log('sent', 'text', text);
    this.ws.send(text, (error) => {
      if (error) this.log('event', 'error', `send failed: ${error.message}`);
    });
  }

  sendBytes(bytes: Uint8Array, opts: { binary: boolean }): void {
    const kind = opts.binary ? 'binary' : 'text';
    if (!this.isOpen) {
      this.log('event', 'note', `not sent (connection not open): ${kind} ${describeBytes(bytes)}`);
      return;
    }
    this.assertSendable(bytes.length);
    this.log('sent', kind, describeBytes(bytes));
    // ws does not validate outgoing UTF-8, which is how a check sends a malformed text frame (CL-004).
    this.ws.send(Buffer.from(bytes), { binary: opts.binary }, (error) => {
      if (error) this.log('event', 'error', `send failed: ${error.message}`);
    });
  }

  ping(payload: Uint8Array): void {
    if (!this.isOpen) {
      this.log('event', 'note', `ping not sent (connection not open)`);
      return;
    }
    this.log('sent', 'ping', describeBytes(payload));
    this.ws.ping(Buffer.from(payload));
  }

  pong(payload: Uint8Array): void {
    if (!this.isOpen) {
      this.log('event', 'note', `pong not sent (connection not open)`);
      return;
    }
    this.log('sent', 'pong', describeBytes(payload));
    this.ws.pong(Buffer.from(payload));
  }

  sendFragmented(text: string, fragments: number): void {
    const bytes = Buffer.from(text, 'utf8');
    const count = Math.max(1, Math.min(fragments, bytes.length));
    if (!this.isOpen) {
      this.log('event', 'note', `not sent (connection not open): text in ${count} fragments`);
      return;
    }
    this.log('sent', 'text', `${text} (in ${count} fragments)`);
    for (let i = 0; i < count; i++) {
      const part = bytes.subarray(
        Math.floor((i * bytes.length) / count),
        Math.floor(((i + 1) * bytes.length) / count),
      );
      this.ws.send(part, { binary: false, fin: i === count - 1 }, (error) => {
        if (error) this.log('event', 'error', `send failed: ${error.message}`);
      });
    }
  }

  next(match: (m: ReceivedMessage) => boolean, wait: WaitOptions): Promise<ReceivedMessage> {
    return this.nextWithin(match, wait.timeoutMs * this.env.timeoutScale, wait.expected);
  }

  /** `next` with a deadline that is already scaled. */
  nextWithin(
    match: (m: ReceivedMessage) => boolean,
    waitMs: number,
    expected: string,
  ): Promise<ReceivedMessage> {
    // A message the matcher turned down is not offered to it again: each poll looks only at what arrived
    // since the last one. Positions count from the first message ever received, so drops do not shift them.
    let tried = this.droppedMessages;
    return this.waitFor(expected, waitMs, () => {
      for (let i = Math.max(0, tried - this.droppedMessages); i < this.messages.length; i++) {
        if (this.consumed[i]) continue;
        const message = this.messages[i];
        if (match(message)) {
          this.consumed[i] = true;
          return { value: message };
        }
      }
      tried = this.droppedMessages + this.messages.length;
      return undefined;
    });
  }

  nextPong(wait: WaitOptions): Promise<Uint8Array> {
    return this.waitFor(wait.expected, wait.timeoutMs * this.env.timeoutScale, () =>
      this.pongCursor < this.pongs.length ? { value: this.pongs[this.pongCursor++] } : undefined,
    );
  }

  nextPing(wait: WaitOptions): Promise<number> {
    return this.waitFor(wait.expected, wait.timeoutMs * this.env.timeoutScale, () =>
      this.pingCursor < this.pings.length ? { value: this.pings[this.pingCursor++] } : undefined,
    );
  }

  closed(wait: WaitOptions): Promise<CloseInfo> {
    return this.closedWithin(wait.timeoutMs * this.env.timeoutScale, wait.expected);
  }

  closedWithin(waitMs: number, expected: string): Promise<CloseInfo> {
    return this.waitFor(expected, waitMs, () => (this.closeInfo ? { value: this.closeInfo } : undefined), {
      endsOnClose: false,
    }).then((close) => {
      // A close the runner caused for its own limits says nothing about the server.
      if (this.limitReached !== undefined) throw this.limitError(expected);
      return close;
    });
  }

  async staysOpen(ms: number): Promise<boolean> {
    if (!this.isOpen) return false;
    const waitMs = ms * this.env.timeoutScale;
    try {
      await this.closedWithin(waitMs, `the connection to stay open for ${Math.round(waitMs)} ms`);
      return false;
    } catch (error) {
      // Running out of time without a close is what "stays open" means — unless the check's deadline hit.
      if (this.env.signal.aborted) throw error;
      return this.isOpen;
    }
  }

  close(code: number = CloseCode.NORMAL, reason = ''): void {
    if (this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) return;
    this.closedByCheck = true;
    this.log('sent', 'close', `${code} ${JSON.stringify(reason)}`);
    try {
      this.ws.close(code, reason);
    } catch (error) {
      // ws refuses invalid codes or long reasons: the check asked for something impossible.
      this.log('event', 'error', `close not sent: ${(error as Error).message}`);
      this.ws.terminate();
    }
  }

  terminate(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.closedByCheck = true;
    this.log('sent', 'close', 'TCP connection dropped without a close frame');
    this.ws.terminate();
  }

  /**
   * Ends the probe with its check: closes politely, drops the socket if the server does not finish the
   * closing handshake, and lets go of what it received (a flooding server may still be sending).
   * Resolves once the socket is closed.
   */
  dispose(): Promise<void> {
    const closed =
      this.ws.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.disposed = true;
    this.env.signal.removeEventListener('abort', this.onAbort);
    this.messages = [];
    this.consumed = [];
    this.queuedBytes = 0;
    const ws = this.ws;
    if (ws.readyState === WebSocket.OPEN) {
      this.close(CloseCode.NORMAL, '');
      setTimeout(() => ws.terminate(), PROBE_CLOSE_TIMEOUT_MS).unref();
    } else if (ws.readyState === WebSocket.CLOSING) {
      // A close left unanswered on purpose (CL-007), or a server that never finishes its own.
      setTimeout(() => ws.terminate(), PROBE_CLOSE_TIMEOUT_MS).unref();
    } else if (ws.readyState === WebSocket.CONNECTING) {
      this.closedByCheck = true;
      ws.terminate();
    }
    return closed;
  }

  /**
   * Resolves once `connection_established` arrives as the first message (HS-002); fails with what came
   * instead: another first message at once, or the close that follows a refusal notice.
   */
  async awaitEstablished(waitMs: number, expected: string): Promise<void> {
    const startedAt = performance.now();
    const first = await this.nextWithin(() => true, waitMs, expected);
    if (first.type === 'connection_established') {
      this.establishedMessage = first.json;
      return;
    }
    if (first.type === 'error' || first.type === 'authentication_error') {
      const leftMs = waitMs - (performance.now() - startedAt);
      const close = await this.closedWithin(leftMs, expected).catch(() => undefined);
      if (close !== undefined) throw waitAnsweredBy(expected, describeClose(close));
    }
    throw waitAnsweredBy(expected, `${truncate(first.text, FIRST_FRAME_CHARS)} first`);
  }

  private log(direction: 'sent' | 'received' | 'event', kind: string, data: string): number {
    return this.env.transcript.add(this.id, direction, kind, data);
  }

  /**
   * `ws` answers a close frame by calling `close()` on the socket from its receiver. Noting the frame's
   * arrival there (and, when asked, not answering it) needs no change to `ws` itself.
   */
  private watchCloseFrame(answerClose: boolean): void {
    const ws = this.ws;
    const close = ws.close.bind(ws);
    const internals = ws as unknown as { _closeFrameReceived: boolean; _closeFrameSent: boolean };
    ws.close = ((code?: number, reason?: string | Buffer) => {
      if (internals._closeFrameReceived && this.closeFrameAtMs === undefined) {
        this.closeFrameAtMs = this.env.transcript.now();
        if (!answerClose && !internals._closeFrameSent) {
          this.log('event', 'note', 'close frame left unanswered');
          return;
        }
      }
      close(code, reason);
    }) as WebSocket['close'];
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    // Frames that arrive while a finished check's connection closes are still judged (ENV-001..003),
    // but nobody waits for them any more.
    if (this.disposed) {
      this.inspectFrame(data, isBinary);
      return;
    }
    if (isBinary) {
      this.log('received', 'binary', describeBytes(data));
      this.env.inspect(this.endpoint, { binary: data });
      return;
    }
    const text = data.toString('utf8');
    // The transcript keeps a separately decoded start of a long frame, never a slice of the frame.
    const shown =
      data.length > TRANSCRIPT_MAX_FRAME_CHARS
        ? `${data.toString('utf8', 0, TRANSCRIPT_MAX_FRAME_CHARS - 32)}… (${data.length} bytes)`
        : text;
    const at = this.log('received', 'text', shown);
    const parsed = this.inspectFrame(data, false, text);
    const json =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    const type = typeof json?.type === 'string' ? json.type : undefined;
    const message: ReceivedMessage = { at, text, json, type };
    if (type === 'connection_established' && this.establishedMessage === undefined)
      this.establishedMessage = json;
    this.messages.push(message);
    this.consumed.push(false);
    this.queuedBytes += text.length;
    while (
      this.messages.length > 1 &&
      (this.messages.length > PROBE_MAX_QUEUED_MESSAGES || this.queuedBytes > PROBE_MAX_QUEUED_BYTES)
    ) {
      const dropped = this.messages.shift();
      this.consumed.shift();
      this.droppedMessages++;
      this.queuedBytes -= dropped?.text.length ?? 0;
    }
    this.pollWaiters();
  }

  /** Hands a received frame to the envelope validator; returns the text frame's JSON, if it parsed. */
  private inspectFrame(data: Buffer, isBinary: boolean, text = data.toString('utf8')): unknown {
    if (isBinary) {
      this.env.inspect(this.endpoint, { binary: data });
      return undefined;
    }
    if (jsonDepthWithin(text) === Infinity) {
      // Parsing it would stall every check running now; the frame stays text and is not judged.
      const why = `nested deeper than ${MAX_JSON_DEPTH} levels, the runner's cap: not parsed`;
      this.log('event', 'note', `frame of ${data.length} bytes ${why}`);
      this.env.inspect(this.endpoint, { unjudged: why });
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    this.env.inspect(this.endpoint, { text, json: parsed });
    return parsed;
  }

  private pollWaiters(): void {
    for (const waiter of [...this.waiters]) waiter.poll();
  }

  private endWaits(actual: string): void {
    for (const waiter of [...this.waiters]) waiter.end(actual);
  }

  private waitFor<T>(
    expected: string,
    waitMs: number,
    take: () => { value: T } | undefined,
    options: { endsOnClose: boolean } = { endsOnClose: true },
  ): Promise<T> {
    const ready = take();
    if (ready) return Promise.resolve(ready.value);
    const startedAt = performance.now();
    if (this.env.signal.aborted) return Promise.reject(waitTimedOut(expected, 0));
    const over = options.endsOnClose ? this.endedByNow() : undefined;
    if (over) {
      return Promise.reject(
        this.limitReached !== undefined ? this.limitError(expected) : waitAnsweredBy(expected, over),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        expected,
        startedAt,
        poll: () => {
          const found = take();
          if (!found) return false;
          finish();
          resolve(found.value);
          return true;
        },
        end: (actual) => {
          if (!options.endsOnClose) return;
          finish();
          reject(
            this.limitReached !== undefined ? this.limitError(expected) : waitAnsweredBy(expected, actual),
          );
        },
        timeout: (waitedMs) => {
          finish();
          reject(waitTimedOut(expected, waitedMs ?? performance.now() - startedAt));
        },
      };
      const timer = setTimeout(() => waiter.timeout(waitMs), Math.max(0, waitMs));
      this.waiters.add(waiter);
    });
  }

  /** Refuses to build a message over the runner's cap, or to queue one on a peer that reads nothing. */
  private assertSendable(bytes: number): void {
    if (bytes > MAX_SENT_MESSAGE_BYTES) {
      throw new RunnerLimitReached(
        `a message of ${bytes} bytes is over the runner's cap of ${MAX_SENT_MESSAGE_BYTES} bytes for what it sends`,
      );
    }
    if (this.ws.bufferedAmount > PROBE_MAX_BUFFERED_BYTES) {
      this.dropForLimit(
        `the server reads nothing: ${this.ws.bufferedAmount} bytes unsent, the runner's cap is ${PROBE_MAX_BUFFERED_BYTES}`,
      );
      throw new RunnerLimitReached(this.limitReached ?? 'the runner dropped the connection');
    }
  }

  /** The runner's client refused a frame of the server's and closed (ws sends the close code itself). */
  private refusedFrame(error: Error & { code: string }): void {
    const refused = REFUSED_FRAMES[error.code] ?? INVALID_FRAME;
    const why = `the runner closed the connection with ${refused.code}: the server sent ${refused.why} (${error.message})`;
    this.endedByRunner = why;
    this.endedBy = why;
    if (refused.code === CloseCode.MESSAGE_TOO_BIG) this.limitReached = why;
    else {
      this.env.inspect(this.endpoint, {
        unjudged: `${refused.why} (${error.message})`,
        invalidUtf8: refused.code === CloseCode.INVALID_PAYLOAD,
      });
    }
    this.endWaits(why);
  }

  /** Drops a peer that pushes the runner past one of its limits, saying so in every wait it ends. */
  private dropForLimit(why: string): void {
    if (this.limitReached !== undefined) return;
    const said = `the runner dropped the connection: ${why}`;
    this.log('event', 'note', said);
    this.endedByRunner = said;
    this.endedBy = said;
    this.limitReached = said;
    this.endWaits(said);
    this.ws.terminate();
  }

  private limitError(expected: string): RunnerLimitReached {
    return new RunnerLimitReached(`${expected} not judged: ${this.limitReached}`);
  }

  private endedByNow(): string | undefined {
    if (this.closeInfo) return this.endedBy ?? describeClose(this.closeInfo);
    return this.endedBy;
  }
}

export function describeClose(info: CloseInfo): string {
  if (info.byRunner !== undefined) return info.byRunner;
  if (!info.clean) return `connection dropped without a close frame (${info.code})`;
  return info.reason === '' ? `close ${info.code}` : `close ${info.code} ${JSON.stringify(info.reason)}`;
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function pushBounded<T>(list: T[], value: T, onDrop: () => void): void {
  list.push(value);
  if (list.length > PROBE_MAX_CONTROL_FRAMES) {
    list.shift();
    onDrop();
  }
}
