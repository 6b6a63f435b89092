import type { EndpointHandler } from '../endpoint-handler.js';
import type { PeriodicSource } from '../sources/periodic-source.js';
import { unknownType } from './scope.js';
import { deliverTo, endSession, subscriptionsOf } from './session-subscriptions.js';

/**
 * An endpoint that only listens (seed 004's monitoring, sentiment and model endpoints): the current status
 * right after connecting, then every period. It accepts no requests beyond ping.
 */
export function periodicStatusHandler(source: PeriodicSource): EndpointHandler {
  return {
    open(session) {
      session.emit(source.current());
      subscriptionsOf(session).add('status', () => source.subscribe(deliverTo(session)));
    },

    handle(session, request) {
      throw unknownType(request, session.endpoint);
    },

    close: endSession,
  };
}
