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
  /** Something failed on behalf of the session: end it (the connection closes with 1011). */
  fail(error: unknown): void;
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
  /**
   * What serves the session: its endpoint's handler, or a Socket.IO namespace's. A connection resumes only
   * a session served as it would serve it (a WebSocket connection does not take over a namespace socket's).
   */
  handler: EndpointHandler;
  params: Readonly<Record<string, string>>;
  userId: string | null;
  /** Whether a token vouched for the user that opened the session (RES-016). */
  authenticated: boolean;
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
  /** Whether a token vouched for the user (then a resume needs a token of that user too). */
  authenticated: boolean;
  params: Record<string, string>;
  handler: EndpointHandler;
  /** Data messages kept for replay, at most; and at most this many characters of them. */
  bufferLimit: number;
  bufferBytes: number;
  clock: Clock;
  /** The `seq` that follows `seq` (one more, by the protocol). */
  nextSeq(seq: number): number;
  /** Replies remembered by request id. */
  requests: RequestMemory;
  /** A data message could not be made (serialised, buffered or delivered): end the session. */
  onFailure(session: Session, error: unknown): void;
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

  /** Characters this entry keeps alive (a shared body counts in full for every session holding it). */
  get size(): number {
    return this.text.length + (this.stamp === undefined ? 0 : STAMP_CHARS);
  }
}

/** `"seq":N,"timestamp":"…"}` added to a shared body, about. */
const STAMP_CHARS = 56;

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
  let made: string | null = null;
  if (!(Object.hasOwn(message, 'seq') || Object.hasOwn(message, 'timestamp') || 'toJSON' in message)) {
    // May throw (a cycle, or nesting too deep to serialise): then nothing is cached for this message.
    const body = JSON.stringify(message);
    made = body.length > 2 ? `${body.slice(0, -1)},` : '{';
  }
  if (headOf === undefined) queueMicrotask(forgetBodyHead);
  headOf = message;
  head = made;
  return head;
}

function forgetBodyHead(): void {
  headOf = undefined;
  head = null;
}

/**
 * The last entries of one session, in memory: at most `limit` of them and `maxChars` characters, the
 * newest always kept.
 */
export class InMemoryJournal implements SessionJournal {
  /** Oldest first from `oldestIndex`; the slots before it are spent and dropped now and then. */
  private buffer: (JournalEntry | undefined)[] = [];
  private oldestIndex = 0;
  private keptChars = 0;

  constructor(
    private readonly limit: number,
    private readonly maxChars: number,
  ) {}

  record(entry: JournalEntry): boolean {
    this.buffer.push(entry);
    this.keptChars += entry.size;
    while (
      this.buffer.length - this.oldestIndex > 1 &&
      (this.buffer.length - this.oldestIndex > this.limit || this.keptChars > this.maxChars)
    ) {
      this.keptChars -= this.buffer[this.oldestIndex]!.size;
      this.buffer[this.oldestIndex++] = undefined;
    }
    // Spent slots are dropped once they are the larger part of the array: amortised O(1) per message.
    if (this.oldestIndex > 64 && this.oldestIndex * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.oldestIndex);
      this.oldestIndex = 0;
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
    const messages: BufferedMessage[] = [];
    for (let i = this.oldestIndex; i < this.buffer.length; i++) {
      const entry = this.buffer[i]!;
      if (entry.seq > lastSeq) messages.push({ seq: entry.seq, frame: entry.frame });
    }
    return messages;
  }
}

export class Session {
  readonly id: string;
  readonly spec: EndpointSpec;
  readonly userId: string | null;
  readonly authenticated: boolean;
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
    readonly journal: SessionJournal = new InMemoryJournal(init.bufferLimit, init.bufferBytes),
  ) {
    this.id = init.id;
    this.spec = init.spec;
    this.userId = init.userId;
    this.authenticated = init.authenticated;
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

  /**
   * Stamps a data message with seq and timestamp, journals it for resume and delivers it if attached. A
   * message that cannot be made (it does not serialise) ends the session instead of reaching the caller.
   */
  emit(message: OutgoingData, at?: TopicPosition): void {
    if (this.ended) return;
    try {
      const seq = this.init.nextSeq(this.seq);
      const timestamp = isoTimestamp(this.init.clock.now());
      const shared = bodyHead(message);
      const entry =
        shared !== null
          ? new JournalEntry(seq, shared, timestamp)
          : new JournalEntry(seq, JSON.stringify({ ...message, seq, timestamp }), undefined);
      this.seq = seq;
      if (this.journal.record(entry, at)) this.sink?.deliver(entry);
    } catch (error) {
      this.init.onFailure(this, error);
    }
  }
}
