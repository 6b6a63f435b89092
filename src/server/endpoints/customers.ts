import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { whenReady } from '../maybe-promise.js';
import { requestType, unknownType } from './scope.js';
import { deliverTo, endSession, follow, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const CUSTOMERS_KEY = 'customers';

/** `/ws/customers/` (seed 003): the user's customer list, and each change to it. */
export function customersHandler({
  chat,
  customerLists,
}: SimulationSources): EndpointHandler & { follow: Follow } {
  const sendList = (session: SessionContext) =>
    whenReady(chat.customersOf(session.userId ?? ''), (customers) =>
      session.emit({ type: 'customers_list', customers }),
    );
  const followList: Follow = (session, key) =>
    key === CUSTOMERS_KEY ? customerLists.subscribe(session.userId ?? '', deliverTo(session)) : undefined;

  return {
    follow: followList,

    async open(session) {
      await sendList(session);
      follow(session, CUSTOMERS_KEY, followList);
    },

    async handle(session, request) {
      if (requestType(request) !== 'refresh_customers') throw unknownType(request, session.endpoint);
      await sendList(session);
      return undefined;
    },

    close: endSession,
  };
}
