/** What the instances of a deployment do together; the deliberate faults of src/server/faults turn parts off. */
export interface ClusterBehaviour {
  /** Chat rooms reach their members on every instance (not only where a message was posted). */
  sharesRooms: boolean;
  /** A session resumed on another instance gets its replay. */
  replaysAcrossInstances: boolean;
  /** The instance that holds a session hears that another one took it over (and closes its connection). */
  notifiesHolder: boolean;
  /** A session resumed on another instance goes on with the next `seq`. */
  continuesSeq: boolean;
  /** A session resumed on another instance brings its remembered replies along. */
  sharesRequestMemory: boolean;
  /** The limits per user (messages, connections, bars) are counted in Redis, not by each instance alone. */
  sharesLimits: boolean;
  /**
   * A session taken over is served by the handler that served it (a Socket.IO namespace's), not by its
   * endpoint's WebSocket handler.
   */
  recoversNamespaces: boolean;
}

export const CLUSTER_AS_SPECIFIED: ClusterBehaviour = {
  sharesRooms: true,
  replaysAcrossInstances: true,
  notifiesHolder: true,
  continuesSeq: true,
  sharesRequestMemory: true,
  sharesLimits: true,
  recoversNamespaces: true,
};
