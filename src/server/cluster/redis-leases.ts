/**
 * Leases in Redis (`SET NX PX`): the one instance that holds a source's lease produces it. The holder
 * renews it every third of its time to live; an instance that wants it tries as often, so when the
 * holder dies another one takes over within the lease time plus a third of it.
 */
import type { Leases } from '../leases.js';
import { RedisKeys } from './redis-keys.js';
import type { RedisLink } from './redis-link.js';
import { DROP_LEASE, RENEW_LEASE } from './redis-scripts.js';

export interface RedisLeasesOptions {
  link: RedisLink;
  instanceId: string;
  /** A lease's time to live. */
  leaseMs: number;
  logger(line: string): void;
}

export class RedisLeases implements Leases {
  constructor(private readonly options: RedisLeasesOptions) {}

  hold(name: string, start: () => () => void): () => void {
    const { link, instanceId, leaseMs } = this.options;
    const key = RedisKeys.lease(name);
    const everyMs = Math.max(10, Math.floor(leaseMs / 3));
    let stopProducer: (() => void) | undefined;
    let heldUntil = 0;
    let released = false;
    let timer: NodeJS.Timeout | undefined;

    const stop = () => {
      const producing = stopProducer;
      stopProducer = undefined;
      producing?.();
    };
    const attempt = async () => {
      try {
        const asked = Date.now();
        const won = stopProducer
          ? (await link.run(RENEW_LEASE, [key], [instanceId, leaseMs])) === 1
          : (await link.send(['SET', key, instanceId, 'NX', 'PX', leaseMs])) === 'OK';
        if (released) return;
        if (won) {
          heldUntil = asked + leaseMs;
          stopProducer ??= start();
        } else if (stopProducer) {
          this.options.logger(`lease ${name}: taken by another instance; stopping here`);
          stop();
        }
      } catch {
        // Redis away: the lease runs out on its own; stop producing before it could pass to another.
        if (stopProducer && Date.now() >= heldUntil) stop();
      }
    };
    const loop = async () => {
      await attempt();
      if (!released) timer = setTimeout(() => void loop(), everyMs);
      timer?.unref();
    };
    void loop();
    return () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      if (stopProducer) {
        stop();
        link.run(DROP_LEASE, [key], [instanceId]).catch(() => {});
      }
    };
  }
}
