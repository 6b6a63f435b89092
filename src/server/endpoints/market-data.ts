import { ErrorCode } from '../../protocol/constants.js';
import { RequestError, type EndpointHandler, type SessionContext } from '../endpoint-handler.js';
import { requestType, stringList, unknownType } from './scope.js';
import { deliverTo, endSession, subscriptionsOf } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const SYMBOLS = 'symbols';

/**
 * `/ws/market_data` (seed 004): `subscribe`/`unsubscribe` symbols (also as the seed's `{action: …}`),
 * a `price_update` per subscribed symbol every second, `get_all` for a `prices_snapshot`.
 */
export function marketDataHandler({ prices }: SimulationSources): EndpointHandler {
  /** The session's symbols, in the order it subscribed to them (kept in state: it survives a resume). */
  function symbolsOf(session: SessionContext): string[] {
    let symbols = session.state[SYMBOLS];
    if (!Array.isArray(symbols)) {
      symbols = [];
      session.state[SYMBOLS] = symbols;
    }
    return symbols as string[];
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
    const symbols = symbolsOf(session);
    for (const symbol of requested) {
      const added = subscriptionsOf(session).add(`price:${symbol}`, () =>
        prices.subscribe(symbol, deliverTo(session)),
      );
      if (!added) continue;
      symbols.push(symbol);
      // The current price at once, rather than up to a second later.
      session.emit(prices.current(symbol));
    }
    return { symbols: [...symbols] };
  }

  function unsubscribe(session: SessionContext, requested: string[]): { symbols: string[] } {
    const symbols = symbolsOf(session);
    for (const symbol of requested) {
      if (!subscriptionsOf(session).remove(`price:${symbol}`)) continue;
      symbols.splice(symbols.indexOf(symbol), 1);
    }
    return { symbols: [...symbols] };
  }

  return {
    open(session) {
      symbolsOf(session);
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

    close(session) {
      symbolsOf(session).length = 0;
      endSession(session);
    },
  };
}
