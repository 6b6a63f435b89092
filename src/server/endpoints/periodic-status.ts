import type { EndpointHandler } from '../endpoint-handler.js';
import type { PeriodicSource } from '../sources/periodic-source.js';
import { unknownType } from './scope.js';
import { deliverTo, endSession, follow, type Follow } from './session-subscriptions.js';

const STATUS_KEY = 'status';

/**
 * An endpoint that only listens (seed 004's monitoring, sentiment and model endpoints): the current status
 * right after connecting, then every period. It accepts no requests beyond ping.
 */
export function periodicStatusHandler(source: PeriodicSource): EndpointHandler & { follow: Follow } {
  const followStatus: Follow = (session, key) =>
    key === STATUS_KEY ? source.subscribe(deliverTo(session)) : undefined;

  return {
    follow: followStatus,

    open(session) {
      session.emit(source.current());
      follow(session, STATUS_KEY, followStatus);
    },

    handle(session, request) {
      throw unknownType(request, session.endpoint);
    },

    close: endSession,
  };
}
