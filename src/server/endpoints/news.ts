import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { newsMatches } from '../sources/news-source.js';
import { requestType, stringList, unknownType } from './scope.js';
import { deliverTo, endSession, subscriptionsOf } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const KEYWORDS = 'keywords';

/** `/ws/news` (seed 004): news as published; `filter` keeps only stories that mention one of the keywords. */
export function newsHandler({ news }: SimulationSources): EndpointHandler {
  const keywordsOf = (session: SessionContext): string[] => {
    const keywords = session.state[KEYWORDS];
    return Array.isArray(keywords) ? (keywords as string[]) : [];
  };

  return {
    open(session) {
      session.state[KEYWORDS] = [];
      subscriptionsOf(session).add('news', () =>
        news.subscribe(deliverTo(session, (message) => newsMatches(message, keywordsOf(session)))),
      );
    },

    handle(session, request) {
      if (requestType(request) !== 'filter') throw unknownType(request, session.endpoint);
      // Blank keywords would match everything; an empty list means "no filter".
      const keywords = [
        ...new Set(
          stringList(request, 'keywords')
            .map((k) => k.trim())
            .filter((k) => k !== ''),
        ),
      ];
      session.state[KEYWORDS] = keywords;
      return { keywords };
    },

    close: endSession,
  };
}
