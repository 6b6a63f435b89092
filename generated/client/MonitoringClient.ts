/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `monitoring` endpoint (/api/monitoring/ws).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { MonitoringClientMessage, MonitoringQuery, MonitoringServerMessage } from '../types/index.js';

/** The `monitoring` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const MONITORING_ENDPOINT: EndpointDescriptor = {
  name: 'monitoring',
  path: '/api/monitoring/ws',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) => ['ping', 'pong'].includes(rule.subscribe)),
};

/** Options of {@link MonitoringClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface MonitoringClientOptions extends Omit<ClientOptions, 'query'> {
  query?: MonitoringQuery;
}

/**
 * Client of `/api/monitoring/ws`. Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `system_status`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class MonitoringClient extends TidewireClient<MonitoringServerMessage, MonitoringClientMessage> {
  constructor(options: MonitoringClientOptions) {
    super(MONITORING_ENDPOINT, options);
  }
}
