import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { requestType, unknownType } from './scope.js';
import { deliverTo, endSession, subscriptionsOf } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/conversations/` (seed 003): the user's conversation list, and each change to it. */
export function conversationsHandler({ chat, conversationLists }: SimulationSources): EndpointHandler {
  const sendList = (session: SessionContext) =>
    session.emit({ type: 'conversations_list', conversations: chat.conversationsOf(session.userId ?? '') });

  return {
    open(session) {
      sendList(session);
      subscriptionsOf(session).add('conversations', () =>
        conversationLists.subscribe(session.userId ?? '', deliverTo(session)),
      );
    },

    handle(session, request) {
      if (requestType(request) !== 'refresh_conversations') throw unknownType(request, session.endpoint);
      sendList(session);
      return undefined;
    },

    close: endSession,
  };
}
