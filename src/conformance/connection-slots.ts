/**
 * Bounds the connections the run's checks hold open at once, below the per-user limit the server
 * advertises (`connectionLimits.perUser`, SEC-004): checks run side by side as the same user, and their
 * own connections must not make the server refuse one of them as over that user's limit. Checks that
 * fill a limit on purpose (`exclusive`) run alone and take no slot. A connection that waits too long for
 * a slot opens anyway, so that no check waits for ever on the connections of others.
 */
export class ConnectionSlots {
  private open = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /**
   * The slots for a server that advertises `established.connectionLimits.perUser`: half of it, leaving
   * room for connections the server still counts after the run closed them (a close relayed late);
   * unbounded when nothing is advertised.
   */
  static forServer(established: Record<string, unknown> | undefined): ConnectionSlots {
    const limits = established?.connectionLimits as Record<string, unknown> | undefined;
    const perUser = limits?.perUser;
    const bounded = typeof perUser === 'number' && Number.isSafeInteger(perUser) && perUser > 0;
    return new ConnectionSlots(bounded ? Math.max(1, Math.floor(perUser / 2)) : Number.POSITIVE_INFINITY);
  }

  /** Resolves with the function that gives the slot back, once one is free or `maxWaitMs` has passed. */
  async acquire(maxWaitMs: number): Promise<() => void> {
    if (this.open >= this.limit) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve();
        }, maxWaitMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiting.push(wake);
      });
    }
    this.open += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.open -= 1;
      this.waiting.shift()?.();
    };
  }
}
