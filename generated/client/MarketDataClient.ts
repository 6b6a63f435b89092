/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `market_data` endpoint (/ws/market_data).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { MarketDataClientMessage, MarketDataQuery, MarketDataServerMessage } from '../types/index.js';

/** The `market_data` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const MARKET_DATA_ENDPOINT: EndpointDescriptor = {
  name: 'market_data',
  path: '/ws/market_data',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'subscribe', 'unsubscribe', 'get_all'].includes(rule.subscribe),
  ),
};

/** Options of {@link MarketDataClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface MarketDataClientOptions extends Omit<ClientOptions, 'query'> {
  query?: MarketDataQuery;
}

/**
 * Client of `/ws/market_data`. Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `price_update`, `prices_snapshot`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class MarketDataClient extends TidewireClient<MarketDataServerMessage, MarketDataClientMessage> {
  constructor(options: MarketDataClientOptions) {
    super(MARKET_DATA_ENDPOINT, options);
  }
}
