/** A small typed event emitter that works the same in browsers and on Node (no `events` import). */

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Adds a listener; the returned function removes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
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
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }

  listenerCount(name: keyof Events): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}
