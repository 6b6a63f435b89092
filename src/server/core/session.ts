/**
 * A session outlives its connections (RES-001..009): it numbers data messages (`seq`, ENV-004), keeps the
 * last of them for replay, remembers replies by request `id` (ACK-002) and holds the endpoint handler's
 * state. The connection currently delivering it is its `sink`; without one, messages are only buffered.
 */
import type { EndpointName, EndpointSpec } from '../../protocol/endpoints.js';
import type { EndpointHandler, OutgoingData, SessionContext } from '../endpoint-handler.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Faults } from '../faults.js';

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
  replyTtlMs: number;
  clock: Clock;
  faults: Faults;
  /** Serialises a stamped data message (the one place outgoing messages are bent by faults). */
  serialize(message: Record<string, unknown>): string;
}

interface CachedReply {
  frames: Promise<string[]>;
  expiresAt: number;
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
  /** Data types never sent to this session (only the RES-008 fault sets it). */
  droppedTypes: ReadonlySet<string> | undefined;
  /** Set once the session has ended for good; late emits from its handler are dropped. */
  ended = false;
  private readonly buffer: BufferedMessage[] = [];
  private readonly replies = new Map<string, CachedReply>();

  constructor(private readonly init: SessionInit) {
    this.id = init.id;
    this.spec = init.spec;
    this.userId = init.userId;
    this.params = init.params;
    this.handler = init.handler;
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
    if (this.ended || this.droppedTypes?.has(message.type)) return;
    this.seq = this.init.faults.seqAfter(this.seq);
    const stamped = {
      ...message,
      seq: this.seq,
      timestamp: new Date(this.init.clock.now()).toISOString(),
    };
    const frame = this.init.serialize(stamped);
    this.buffer.push({ seq: this.seq, frame });
    if (this.buffer.length > this.init.bufferLimit) this.buffer.shift();
    this.sink?.deliver(frame);
  }

  /** The buffered data messages after `lastSeq`, or why they cannot all be replayed. */
  messagesAfter(lastSeq: number): ReplayResult {
    if (lastSeq > this.seq) return { ok: false, reason: 'seq_ahead' };
    const oldest = this.buffer[0]?.seq ?? this.seq + 1;
    // A gap between lastSeq and the oldest buffered message means some were evicted: never a partial replay.
    if (lastSeq < this.seq && lastSeq < oldest - 1) return { ok: false, reason: 'seq_unavailable' };
    return { ok: true, messages: this.buffer.filter((m) => m.seq > lastSeq) };
  }

  /** The reply recorded for a request id, if still within its time to live. */
  cachedReply(key: string): Promise<string[]> | undefined {
    const cached = this.replies.get(key);
    if (!cached) return undefined;
    if (cached.expiresAt <= this.init.clock.now()) {
      this.replies.delete(key);
      return undefined;
    }
    return cached.frames;
  }

  rememberReply(key: string, frames: Promise<string[]>): void {
    const now = this.init.clock.now();
    // Entries are in insertion order, so the expired ones are at the front.
    for (const [oldKey, cached] of this.replies) {
      if (cached.expiresAt > now) break;
      this.replies.delete(oldKey);
    }
    this.replies.set(key, { frames, expiresAt: now + this.init.replyTtlMs });
  }
}
