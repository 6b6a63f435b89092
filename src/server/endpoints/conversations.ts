import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { whenReady } from '../maybe-promise.js';
import { requestType, unknownType } from './scope.js';
import { deliverTo, endSession, follow, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const CONVERSATIONS_KEY = 'conversations';

/** `/ws/conversations/` (seed 003): the user's conversation list, and each change to it. */
export function conversationsHandler({
  chat,
  conversationLists,
}: SimulationSources): EndpointHandler & { follow: Follow } {
  const sendList = (session: SessionContext) =>
    whenReady(chat.conversationsOf(session.userId ?? ''), (conversations) =>
      session.emit({ type: 'conversations_list', conversations }),
    );
  const followList: Follow = (session, key) =>
    key === CONVERSATIONS_KEY
      ? conversationLists.subscribe(session.userId ?? '', deliverTo(session))
      : undefined;

  return {
    follow: followList,

    async open(session) {
      await sendList(session);
      follow(session, CONVERSATIONS_KEY, followList);
    },

    async handle(session, request) {
      if (requestType(request) !== 'refresh_conversations') throw unknownType(request, session.endpoint);
      await sendList(session);
      return undefined;
    },

    close: endSession,
  };
}
