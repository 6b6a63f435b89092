import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { requestType, unknownType } from './scope.js';
import { deliverTo, endSession, subscriptionsOf } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/customers/` (seed 003): the user's customer list, and each change to it. */
export function customersHandler({ chat, customerLists }: SimulationSources): EndpointHandler {
  const sendList = (session: SessionContext) =>
    session.emit({ type: 'customers_list', customers: chat.customersOf(session.userId ?? '') });

  return {
    open(session) {
      sendList(session);
      subscriptionsOf(session).add('customers', () =>
        customerLists.subscribe(session.userId ?? '', deliverTo(session)),
      );
    },

    handle(session, request) {
      if (requestType(request) !== 'refresh_customers') throw unknownType(request, session.endpoint);
      sendList(session);
      return undefined;
    },

    close: endSession,
  };
}
