/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `news` endpoint (/ws/news).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { NewsClientMessage, NewsQuery, NewsServerMessage } from '../types/index.js';

/** The `news` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const NEWS_ENDPOINT: EndpointDescriptor = {
  name: 'news',
  path: '/ws/news',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) => ['ping', 'pong', 'filter'].includes(rule.subscribe)),
};

/** Options of {@link NewsClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface NewsClientOptions extends Omit<ClientOptions, 'query'> {
  query?: NewsQuery;
}

/**
 * Client of `/ws/news`. Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `news`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class NewsClient extends TidewireClient<NewsServerMessage, NewsClientMessage> {
  constructor(options: NewsClientOptions) {
    super(NEWS_ENDPOINT, options);
  }
}
