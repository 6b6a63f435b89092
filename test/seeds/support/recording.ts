/** Entries appended over time, and waits (each with a deadline) for the ones that match. */
export class Recording<T> {
  readonly entries: T[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly observers: Array<(entry: T) => void> = [];

  push(entry: T): void {
    this.entries.push(entry);
    for (const observer of this.observers) observer(entry);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Calls `observer` with each later entry, synchronously, as it is pushed. */
  observe(observer: (entry: T) => void): void {
    this.observers.push(observer);
  }

  /** Entries that match, so far. */
  count(match: (entry: T) => boolean): number {
    return this.entries.filter(match).length;
  }

  /** Resolves with the `count`-th matching entry, or rejects saying what was expected once `timeoutMs` passes. */
  waitFor(match: (entry: T) => boolean, expected: string, timeoutMs: number, count = 1): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.entries.filter(match);
        if (found.length < count) return;
        finish();
        resolve(found[count - 1]);
      };
      const timer = setTimeout(() => {
        finish();
        const seen = this.entries.filter(match).length;
        reject(new Error(`expected ${expected}, got: ${seen} of ${count} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves with the next matching entry after the ones seen so far. */
  next(match: (entry: T) => boolean, expected: string, timeoutMs: number): Promise<T> {
    return this.waitFor(match, expected, timeoutMs, this.count(match) + 1);
  }

  /** True when no further matching entry arrives within `timeoutMs` (a bounded wait for what must not come). */
  async staysQuiet(match: (entry: T) => boolean, timeoutMs: number): Promise<boolean> {
    try {
      await this.next(match, 'nothing', timeoutMs);
      return false;
    } catch {
      return true;
    }
  }
}
