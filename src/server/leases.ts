/**
 * Which instance runs each simulated source. In one process every source runs here; the instances of one
 * deployment (src/server/cluster) hold a lease per source, so that exactly one of them produces it and
 * another takes over within a bounded time when that one dies.
 */
export interface Leases {
  /**
   * Runs `start` while this instance holds the lease `name` (at once, when nothing is shared) and calls
   * the function `start` returned when the lease is lost. The returned function gives the lease up.
   */
  hold(name: string, start: () => () => void): () => void;
}

/** Every lease is held here: the sources of one process. */
export const LOCAL_LEASES: Leases = { hold: (_name, start) => start() };
