/**
 * A session outlives its connections (RES-001..009): it numbers data messages (`seq`, ENV-004), keeps the
 * last of them for replay in its journal, remembers replies by request `id` (ACK-002) and holds the
 * endpoint handler's state. The connection currently delivering it is its `sink`; without one, messages
 * are only kept.
 */
import type { EndpointName, EndpointSpec } from '../../protocol/endpoints.js';
import type { EndpointHandler, OutgoingData, SessionContext, TopicPosition } from '../endpoint-handler.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { RequestMemory } from './request-memory.js';

export interface SessionSink {
  /** Sends one of the session's data messages (`entry.frame`). */
  deliver(entry: JournalEntry): void;
  /** A newer connection resumed the session: this one is closed (RES-005). */
  takeOver(): void;
}

export interface BufferedMessage {
  seq: number;
  frame: string;
}

/**
 * Where a session keeps its data messages for replay. The in-memory journal keeps them in a ring and lets
 * the session deliver each one at once; a journal shared by several server instances delivers a message
 * itself once it is kept, so that a client never holds a message that another instance could not replay.
 */
export interface SessionJournal {
  /**
   * Keeps `entry`. True when the session may deliver it now; false when the journal delivers it (through
   * the session's sink of that moment) once it is kept, or drops it when the session is no longer this
   * instance's. `at` is where a message from a bus topic came from.
   */
  record(entry: JournalEntry, at: TopicPosition | undefined): boolean;
  /** Resolves once everything recorded so far is kept (rejects when it cannot be); undefined: already. */
  settled(): Promise<void> | undefined;
}

/** What a resume needs to know about a session before it is moved to a new connection (§11). */
export interface SessionRecord {
  endpoint: EndpointName;
  params: Readonly<Record<string, string>>;
  userId: string | null;
  /** The last `seq` given out. */
  seq: number;
  /** The oldest `seq` still kept for replay (`seq + 1` when none is). */
  oldestSeq: number;
}

/** Whether the messages after `lastSeq` can all be replayed, given the session's `seq` and oldest kept. */
export function replayability(
  lastSeq: number,
  record: Pick<SessionRecord, 'seq' | 'oldestSeq'>,
): 'ok' | 'seq_ahead' | 'seq_unavailable' {
  if (lastSeq > record.seq) return 'seq_ahead';
  // A gap between lastSeq and the oldest kept message means some were evicted: never a partial replay.
  if (lastSeq < record.seq && lastSeq < record.oldestSeq - 1) return 'seq_unavailable';
  return 'ok';
}

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
 * One journal entry: either a whole frame (`stamp` undefined), or a message body shared by every session
 * the message reached (`text`, its JSON up to the closing brace) plus this session's timestamp, from which
 * the frame is rebuilt on replay. A fan-out then costs each session a small object, not a copy.
 */
export class JournalEntry {
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
  return head + stampTail(seq, timestamp);
}

/** What follows a body's head in a stamped frame: its `seq`, its `timestamp` and the closing brace (ASCII). */
export function stampTail(seq: number, timestamp: string): string {
  return `"seq":${seq},"timestamp":"${timestamp}"}`;
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

/** The last `limit` entries of one session, in memory, as a ring once full. */
export class InMemoryJournal implements SessionJournal {
  private readonly buffer: JournalEntry[] = [];
  /** Where the oldest entry is once the ring is full. */
  private oldestIndex = 0;

  constructor(private readonly limit: number) {}

  record(entry: JournalEntry): boolean {
    const { buffer } = this;
    if (buffer.length < this.limit) buffer.push(entry);
    else {
      buffer[this.oldestIndex] = entry;
      this.oldestIndex = (this.oldestIndex + 1) % buffer.length;
    }
    return true;
  }

  settled(): undefined {
    return undefined;
  }

  /** The oldest `seq` kept, or undefined when nothing is. */
  oldestSeq(): number | undefined {
    return this.buffer[this.oldestIndex]?.seq;
  }

  /** The kept messages after `lastSeq`, in order. */
  after(lastSeq: number): BufferedMessage[] {
    const { buffer } = this;
    const messages: BufferedMessage[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const entry = buffer[(this.oldestIndex + i) % buffer.length];
      if (entry.seq > lastSeq) messages.push({ seq: entry.seq, frame: entry.frame });
    }
    return messages;
  }
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
  /** Set once the session has ended for good (or moved away); late emits from its handler are dropped. */
  ended = false;

  constructor(
    private readonly init: SessionInit,
    readonly journal: SessionJournal = new InMemoryJournal(init.bufferLimit),
  ) {
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
      emit: (message, at) => session.emit(message, at),
    };
  }

  /** Stamps a data message with seq and timestamp, journals it for resume and delivers it if attached. */
  emit(message: OutgoingData, at?: TopicPosition): void {
    if (this.ended) return;
    const seq = (this.seq = this.init.nextSeq(this.seq));
    const timestamp = isoTimestamp(this.init.clock.now());
    const shared = bodyHead(message);
    const entry =
      shared !== null
        ? new JournalEntry(seq, shared, timestamp)
        : new JournalEntry(seq, JSON.stringify({ ...message, seq, timestamp }), undefined);
    if (this.journal.record(entry, at)) this.sink?.deliver(entry);
  }
}
