import type { EndpointHandler, SessionContext } from '../endpoint-handler.js';
import { newsMatches } from '../sources/news-source.js';
import { requestType, stringList, unknownType } from './scope.js';
import { deliverTo, endSession, follow, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const KEYWORDS = 'keywords';
const NEWS_KEY = 'news';

/** `/ws/news` (seed 004): news as published; `filter` keeps only stories that mention one of the keywords. */
export function newsHandler({ news }: SimulationSources): EndpointHandler & { follow: Follow } {
  const keywordsOf = (session: SessionContext): string[] => {
    const keywords = session.state[KEYWORDS];
    return Array.isArray(keywords) ? (keywords as string[]) : [];
  };
  const followNews: Follow = (session, key) =>
    key === NEWS_KEY
      ? news.subscribe(deliverTo(session, (message) => newsMatches(message, keywordsOf(session))))
      : undefined;

  return {
    follow: followNews,

    open(session) {
      session.state[KEYWORDS] = [];
      follow(session, NEWS_KEY, followNews);
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
      session.stateChanged?.();
      return { keywords };
    },

    close: endSession,
  };
}
