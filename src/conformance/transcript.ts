/**
 * A check's timestamped log of frames and events, bounded so that a server flooding megabytes cannot
 * exhaust the runner's memory: the first entries (the handshake) and the most recent ones (where a failure
 * usually is) are kept, frames are truncated, and the number of dropped entries is reported.
 */
import type { TranscriptEntry } from './types.js';

/** Entries kept from the start of a check (the handshake part). */
export const TRANSCRIPT_HEAD_ENTRIES = 60;
/** Most recent entries kept. */
export const TRANSCRIPT_TAIL_ENTRIES = 240;
/** Characters of one frame kept in the transcript. */
export const TRANSCRIPT_MAX_FRAME_CHARS = 2048;

export class Transcript {
  private readonly head: TranscriptEntry[] = [];
  private readonly tail: TranscriptEntry[] = [];
  private tailStart = 0;
  private dropped = 0;
  private readonly startedAt: number;

  constructor(startedAt = performance.now()) {
    this.startedAt = startedAt;
  }

  /** Milliseconds since the check started. */
  now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  add(connection: number, direction: TranscriptEntry['direction'], kind: string, data: string): number {
    const at = this.now();
    const entry: TranscriptEntry = { at, connection, direction, kind, data: truncate(data) };
    if (this.head.length < TRANSCRIPT_HEAD_ENTRIES) {
      this.head.push(entry);
    } else if (this.tail.length < TRANSCRIPT_TAIL_ENTRIES) {
      this.tail.push(entry);
    } else {
      // Ring buffer: overwrite the oldest tail entry.
      this.tail[this.tailStart] = entry;
      this.tailStart = (this.tailStart + 1) % TRANSCRIPT_TAIL_ENTRIES;
      this.dropped++;
    }
    return at;
  }

  note(text: string, connection = 0): void {
    this.add(connection, 'event', 'note', text);
  }

  /** The kept entries in order, with a note where entries were dropped. */
  entries(): TranscriptEntry[] {
    const tail = [...this.tail.slice(this.tailStart), ...this.tail.slice(0, this.tailStart)];
    if (this.dropped === 0) return [...this.head, ...tail];
    const gap: TranscriptEntry = {
      at: tail[0]?.at ?? 0,
      connection: 0,
      direction: 'event',
      kind: 'note',
      data: `${this.dropped} transcript entries omitted`,
    };
    return [...this.head, gap, ...tail];
  }
}

export function truncate(text: string, maxChars = TRANSCRIPT_MAX_FRAME_CHARS): string {
  if (text.length <= maxChars) return text;
  // A slice can keep its whole parent string alive (V8 sliced strings): copy it, so that keeping the
  // start of a megabyte frame does not keep the megabyte.
  const head = Buffer.from(text.slice(0, maxChars), 'utf8').toString('utf8');
  return `${head}… (${text.length - maxChars} more chars)`;
}

/** A printable form of binary data: hex for short payloads, a length otherwise. */
export function describeBytes(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 64)).toString('hex');
  return bytes.length > 64 ? `${bytes.length} bytes: ${shown}…` : `${bytes.length} bytes: ${shown}`;
}
