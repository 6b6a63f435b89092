/** A small typed event emitter that works the same in browsers and on Node (no `events` import). */

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  /**
   * The listeners of each event, in the order they were added, each at most once. The arrays are
   * copy-on-write: `on` and removal replace an event's array instead of changing it, so `emit` walks
   * the array it started with (a listener added or removed during an emit takes effect at the next
   * one) without copying it on every emit.
   */
  private readonly listeners = new Map<keyof Events, readonly Listener<never>[]>();

  /** Adds a listener (once: adding it again changes nothing); the returned function removes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const added = listener as Listener<never>;
    const current = this.listeners.get(name);
    if (!current) this.listeners.set(name, [added]);
    else if (!current.includes(added)) this.listeners.set(name, [...current, added]);
    return () => {
      const list = this.listeners.get(name);
      const index = list ? list.indexOf(added) : -1;
      if (!list || index < 0) return;
      if (list.length === 1) this.listeners.delete(name);
      else this.listeners.set(name, [...list.slice(0, index), ...list.slice(index + 1)]);
    };
  }

  /**
   * Calls every listener of `name`. A listener that throws does not stop the others; its error goes to
   * `onListenerError`, so one faulty handler never takes the connection down.
   */
  emit<K extends keyof Events>(
    name: K,
    payload: Events[K],
    onListenerError?: (error: unknown) => void,
  ): void {
    const list = this.listeners.get(name);
    if (!list) return;
    // `list` is never changed in place (see `listeners`): no copy needed to survive changes by listeners.
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as Listener<Events[K]>)(payload);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }

  listenerCount(name: keyof Events): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}
