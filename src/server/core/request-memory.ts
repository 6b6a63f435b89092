/**
 * The replies a session remembers by request `id` (§9): a request resent with a remembered `id` is not
 * processed again and gets the remembered reply. Entries live for the resume window, counted from the
 * request's arrival, and belong to the session, so they survive a resume.
 */
import type { Clock } from '../clock.js';

export interface RequestMemory {
  /** The reply remembered for `key` (the request id with its JSON type), if still within its lifetime. */
  recall(key: string): Promise<string[]> | undefined;
  /**
   * Remembers the frames answering the request `key`, and returns the frames to send: a memory shared by
   * several instances resolves them once they are remembered there too, so that a client never holds a
   * reply that another instance would not give again.
   */
  remember(key: string, frames: Promise<string[]>): Promise<string[]>;
}

interface Remembered {
  frames: Promise<string[]>;
  expiresAt: number;
}

/** Replies held in memory for `ttlMs`, oldest first, so expired ones are dropped from the front. */
export class TimedRequestMemory implements RequestMemory {
  private readonly replies = new Map<string, Remembered>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  recall(key: string): Promise<string[]> | undefined {
    const remembered = this.replies.get(key);
    if (!remembered) return undefined;
    if (remembered.expiresAt <= this.clock.now()) {
      this.replies.delete(key);
      return undefined;
    }
    return remembered.frames;
  }

  remember(key: string, frames: Promise<string[]>): Promise<string[]> {
    const now = this.clock.now();
    for (const [oldKey, remembered] of this.replies) {
      if (remembered.expiresAt > now) break;
      this.replies.delete(oldKey);
    }
    this.replies.set(key, { frames, expiresAt: now + this.ttlMs });
    return frames;
  }
}
