/**
 * A session outlives its connections (RES-001..009): it numbers data messages (`seq`, ENV-004), keeps the
 * last of them for replay, remembers replies by request `id` (ACK-002) and holds the endpoint handler's
 * state. The connection currently delivering it is its `sink`; without one, messages are only buffered.
 */
import type { EndpointName, EndpointSpec } from '../../protocol/endpoints.js';
import type { EndpointHandler, OutgoingData, SessionContext } from '../endpoint-handler.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { RequestMemory } from './request-memory.js';

export interface SessionSink {
  deliver(frame: string): void;
}

export interface BufferedMessage {
  seq: number;
  frame: string;
}

export type ReplayResult =
  { ok: true; messages: BufferedMessage[] } | { ok: false; reason: 'seq_ahead' | 'seq_unavailable' };

export interface SessionInit {
  id: string;
  spec: EndpointSpec;
  userId: string | null;
  params: Record<string, string>;
  handler: EndpointHandler;
  bufferLimit: number;
  clock: Clock;
  /** The `seq` that follows `seq` (one more, by the protocol). */
  nextSeq(seq: number): number;
  /** Replies remembered by request id. */
  requests: RequestMemory;
}

/**
 * One resume-buffer entry: either a whole frame (`stamp` undefined), or a message body shared by every
 * session the message reached (`text`, its JSON up to the closing brace) plus this session's timestamp,
 * from which the frame is rebuilt on replay. A fan-out then costs each session a small object, not a copy.
 */
class BufferEntry {
  constructor(
    readonly seq: number,
    readonly text: string,
    readonly stamp: string | undefined,
  ) {}

  get frame(): string {
    return this.stamp === undefined ? this.text : stampedFrame(this.text, this.seq, this.stamp);
  }
}

/** `{...body, seq, timestamp}` as `JSON.stringify` writes it, from the body's JSON up to its closing brace. */
function stampedFrame(head: string, seq: number, timestamp: string): string {
  return head + `"seq":${seq},"timestamp":"${timestamp}"}`;
}

let isoMs = Number.NaN;
let isoText = '';

/** `new Date(ms).toISOString()`, computed once per millisecond (a fan-out stamps many sessions in one). */
function isoTimestamp(ms: number): string {
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

let headOf: OutgoingData | undefined;
let head: string | null = null;

/**
 * The JSON of `message` without its closing brace, ready for `stampedFrame`, or null when splicing would
 * not give what `JSON.stringify({...message, seq, timestamp})` gives (the message has its own `seq` or
 * `timestamp`, or a `toJSON`). Kept for the last message only, and only until the current job ends: a
 * fan-out emits the same object to every session in one go, and an object changed later is serialised anew.
 */
function bodyHead(message: OutgoingData): string | null {
  if (message === headOf) return head;
  if (headOf === undefined) queueMicrotask(forgetBodyHead);
  headOf = message;
  if (Object.hasOwn(message, 'seq') || Object.hasOwn(message, 'timestamp') || 'toJSON' in message) {
    head = null;
  } else {
    const body = JSON.stringify(message);
    head = body.length > 2 ? `${body.slice(0, -1)},` : '{';
  }
  return head;
}

function forgetBodyHead(): void {
  headOf = undefined;
  head = null;
}

export class Session {
  readonly id: string;
  readonly spec: EndpointSpec;
  readonly userId: string | null;
  readonly params: Record<string, string>;
  readonly handler: EndpointHandler;
  readonly context: SessionContext;
  seq = 0;
  sink: SessionSink | undefined;
  expiryTimer: TimerHandle | undefined;
  /** Replies remembered by request id (ACK-002); they survive a resume. */
  readonly requests: RequestMemory;
  /** Set once the session has ended for good; late emits from its handler are dropped. */
  ended = false;
  /** The last `bufferLimit` data messages, as a ring once full: the oldest is at `oldestIndex`. */
  private readonly buffer: BufferEntry[] = [];
  private oldestIndex = 0;

  constructor(private readonly init: SessionInit) {
    this.id = init.id;
    this.spec = init.spec;
    this.userId = init.userId;
    this.params = init.params;
    this.handler = init.handler;
    this.requests = init.requests;
    const session = this;
    this.context = {
      sessionId: init.id,
      endpoint: init.spec.name as EndpointName,
      userId: init.userId,
      params: init.params,
      state: {},
      emit: (message) => session.emit(message),
    };
  }

  /** Stamps a data message with seq and timestamp, buffers it for resume and delivers it if attached. */
  emit(message: OutgoingData): void {
    if (this.ended) return;
    const seq = (this.seq = this.init.nextSeq(this.seq));
    const timestamp = isoTimestamp(this.init.clock.now());
    const shared = bodyHead(message);
    const entry =
      shared !== null
        ? new BufferEntry(seq, shared, timestamp)
        : new BufferEntry(seq, JSON.stringify({ ...message, seq, timestamp }), undefined);
    this.remember(entry);
    this.sink?.deliver(entry.frame);
  }

  private remember(entry: BufferEntry): void {
    const { buffer } = this;
    if (buffer.length < this.init.bufferLimit) {
      buffer.push(entry);
      return;
    }
    buffer[this.oldestIndex] = entry;
    this.oldestIndex = (this.oldestIndex + 1) % buffer.length;
  }

  /** The buffered data messages after `lastSeq`, or why they cannot all be replayed. */
  messagesAfter(lastSeq: number): ReplayResult {
    if (lastSeq > this.seq) return { ok: false, reason: 'seq_ahead' };
    const { buffer } = this;
    const oldest = buffer[this.oldestIndex]?.seq ?? this.seq + 1;
    // A gap between lastSeq and the oldest buffered message means some were evicted: never a partial replay.
    if (lastSeq < this.seq && lastSeq < oldest - 1) return { ok: false, reason: 'seq_unavailable' };
    const messages: BufferedMessage[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const entry = buffer[(this.oldestIndex + i) % buffer.length];
      if (entry.seq > lastSeq) messages.push({ seq: entry.seq, frame: entry.frame });
    }
    return { ok: true, messages };
  }
}
