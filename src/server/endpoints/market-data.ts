import { ErrorCode } from '../../protocol/constants.js';
import { RequestError, type EndpointHandler, type SessionContext } from '../endpoint-handler.js';
import { requestType, stringList, unknownType } from './scope.js';
import { deliverTo, endSession, follow, subscriptionsOf, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const PRICE_KEY = 'price:';

/**
 * `/ws/market_data` (seed 004): `subscribe`/`unsubscribe` symbols (also as the seed's `{action: …}`),
 * a `price_update` per subscribed symbol every second, `get_all` for a `prices_snapshot`.
 */
export function marketDataHandler({ prices }: SimulationSources): EndpointHandler & { follow: Follow } {
  const followPrice: Follow = (session, key) =>
    key.startsWith(PRICE_KEY) && prices.isKnown(key.slice(PRICE_KEY.length))
      ? prices.subscribe(key.slice(PRICE_KEY.length), deliverTo(session))
      : undefined;

  /** The session's symbols in the order it subscribed to them, read off its price subscriptions. */
  function symbolsOf(session: SessionContext): string[] {
    return subscriptionsOf(session)
      .keys()
      .filter((key) => key.startsWith(PRICE_KEY))
      .map((key) => key.slice(PRICE_KEY.length));
  }

  function subscribe(session: SessionContext, requested: string[]): { symbols: string[] } {
    const unknown = [...new Set(requested.filter((symbol) => !prices.isKnown(symbol)))];
    if (unknown.length > 0) {
      // All or nothing: a request naming an unknown symbol subscribes to none of them.
      throw new RequestError(
        ErrorCode.NOT_FOUND,
        `unknown symbol${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
        {
          symbols: unknown,
        },
      );
    }
    for (const symbol of requested) {
      const added = follow(session, PRICE_KEY + symbol, followPrice);
      // The current price at once, rather than up to a second later.
      if (added) session.emit(prices.current(symbol));
    }
    return { symbols: symbolsOf(session) };
  }

  function unsubscribe(session: SessionContext, requested: string[]): { symbols: string[] } {
    for (const symbol of requested) subscriptionsOf(session).remove(PRICE_KEY + symbol);
    return { symbols: symbolsOf(session) };
  }

  return {
    follow: followPrice,

    open() {
      // Nothing to follow until the client subscribes to symbols.
    },

    handle(session, request) {
      switch (requestType(request)) {
        case 'subscribe':
          return subscribe(session, stringList(request, 'symbols'));
        case 'unsubscribe':
          return unsubscribe(session, stringList(request, 'symbols'));
        case 'get_all':
          session.emit({ type: 'prices_snapshot', data: { prices: prices.all() } });
          return undefined;
        default:
          throw unknownType(request, session.endpoint);
      }
    },

    close: endSession,
  };
}
