/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `sentiment` endpoint (/ws/sentiment).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { SentimentClientMessage, SentimentQuery, SentimentServerMessage } from '../types/index.js';

/** The `sentiment` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const SENTIMENT_ENDPOINT: EndpointDescriptor = {
  name: 'sentiment',
  path: '/ws/sentiment',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) => ['ping', 'pong'].includes(rule.subscribe)),
};

/** Options of {@link SentimentClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface SentimentClientOptions extends Omit<ClientOptions, 'query'> {
  query?: SentimentQuery;
}

/**
 * Client of `/ws/sentiment`. Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `sentiment_update`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class SentimentClient extends TidewireClient<SentimentServerMessage, SentimentClientMessage> {
  constructor(options: SentimentClientOptions) {
    super(SENTIMENT_ENDPOINT, options);
  }
}
