/**
 * Runs one producer per key (a campaign, a symbol, a user) only while that key has subscribers: the first
 * subscriber starts it, the last one to leave stops it. Ten thousand idle sessions cost no timers, and ten
 * thousand sessions following one symbol cost one.
 */
export class OnDemand<K extends string | number> {
  private readonly running = new Map<K, { holders: number; stop: () => void }>();

  constructor(private readonly start: (key: K) => () => void) {}

  /** Holds the producer of `key` running until the returned release is called (once; later calls do nothing). */
  acquire(key: K): () => void {
    let entry = this.running.get(key);
    if (!entry) {
      entry = { holders: 0, stop: this.start(key) };
      this.running.set(key, entry);
    }
    entry.holders += 1;
    const held = entry;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders === 0 && this.running.get(key) === held) {
        this.running.delete(key);
        held.stop();
      }
    };
  }

  /** Producers currently running. */
  get size(): number {
    return this.running.size;
  }

  /** Stops every producer (simulation shutdown); outstanding releases become no-ops. */
  stopAll(): void {
    const entries = [...this.running.values()];
    this.running.clear();
    for (const entry of entries) entry.stop();
  }
}
