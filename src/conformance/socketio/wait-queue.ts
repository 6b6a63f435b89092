/**
 * What a Socket.IO probe has received, in order, and the waits of a check on it: each wait has a deadline
 * (scaled by --timeout-scale), ends at once when the check's deadline passes, and fails with what happened
 * instead when the connection ends ("expected ack 3, got: transport closed"). Bounded like the WebSocket
 * probe's queue, so a flooding server cannot exhaust the runner's memory.
 */
import { waitAnsweredBy, waitTimedOut } from '../check-failure.js';

const MAX_QUEUED = 2_000;

interface Waiter {
  poll(): void;
  end(actual: string): void;
  timeout(): void;
}

export class WaitQueue<T> {
  private items: T[] = [];
  private consumed: boolean[] = [];
  private endedBy: string | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly onAbort = () => {
    for (const waiter of [...this.waiters]) waiter.timeout();
  };

  constructor(
    private readonly signal: AbortSignal,
    private readonly timeoutScale: number,
  ) {
    signal.addEventListener('abort', this.onAbort);
  }

  get all(): readonly T[] {
    return this.items;
  }

  get ended(): string | undefined {
    return this.endedBy;
  }

  push(item: T): void {
    this.items.push(item);
    this.consumed.push(false);
    if (this.items.length > MAX_QUEUED) {
      this.items.shift();
      this.consumed.shift();
    }
    for (const waiter of [...this.waiters]) waiter.poll();
  }

  /** No more items will come; pending and later waits fail with `actual` (items already queued still count). */
  end(actual: string): void {
    this.endedBy ??= actual;
    for (const waiter of [...this.waiters]) waiter.end(this.endedBy);
    this.signal.removeEventListener('abort', this.onAbort);
  }

  /** The next unconsumed item that matches, within `timeoutMs` (before scaling). */
  next(match: (item: T) => boolean, timeoutMs: number, expected: string): Promise<T> {
    const take = (): { value: T } | undefined => {
      for (let i = 0; i < this.items.length; i++) {
        if (!this.consumed[i] && match(this.items[i])) {
          this.consumed[i] = true;
          return { value: this.items[i] };
        }
      }
      return undefined;
    };
    const waitMs = timeoutMs * this.timeoutScale;
    const ready = take();
    if (ready) return Promise.resolve(ready.value);
    if (this.signal.aborted) return Promise.reject(waitTimedOut(expected, 0));
    if (this.endedBy !== undefined) return Promise.reject(waitAnsweredBy(expected, this.endedBy));
    return new Promise<T>((resolve, reject) => {
      const startedAt = performance.now();
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        poll: () => {
          const found = take();
          if (!found) return;
          finish();
          resolve(found.value);
        },
        end: (actual) => {
          finish();
          reject(waitAnsweredBy(expected, actual));
        },
        timeout: () => {
          finish();
          reject(waitTimedOut(expected, performance.now() - startedAt));
        },
      };
      const timer = setTimeout(() => waiter.timeout(), Math.max(0, waitMs));
      this.waiters.add(waiter);
    });
  }

  /** True when nothing matching arrives within `timeoutMs` (a bounded wait for what must not come). */
  async absent(match: (item: T) => boolean, timeoutMs: number): Promise<boolean> {
    try {
      await this.next(match, timeoutMs, 'nothing');
      return false;
    } catch (error) {
      if (this.signal.aborted) throw error;
      return true;
    }
  }

  dispose(): void {
    this.items = [];
    this.consumed = [];
    this.end('the check ended');
  }
}
