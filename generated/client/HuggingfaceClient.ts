/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `huggingface` endpoint (/ws/huggingface).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { HuggingfaceClientMessage, HuggingfaceQuery, HuggingfaceServerMessage } from '../types/index.js';

/** The `huggingface` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const HUGGINGFACE_ENDPOINT: EndpointDescriptor = {
  name: 'huggingface',
  path: '/ws/huggingface',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) => ['ping', 'pong'].includes(rule.subscribe)),
};

/** Options of {@link HuggingfaceClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface HuggingfaceClientOptions extends Omit<ClientOptions, 'query'> {
  query?: HuggingfaceQuery;
}

/**
 * Client of `/ws/huggingface`. Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `models_status`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class HuggingfaceClient extends TidewireClient<HuggingfaceServerMessage, HuggingfaceClientMessage> {
  constructor(options: HuggingfaceClientOptions) {
    super(HUGGINGFACE_ENDPOINT, options);
  }
}
