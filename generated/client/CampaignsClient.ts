/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `campaigns` endpoint (/ws/campaigns).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { CampaignsClientMessage, CampaignsQuery, CampaignsServerMessage } from '../types/index.js';

/** The `campaigns` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const CAMPAIGNS_ENDPOINT: EndpointDescriptor = {
  name: 'campaigns',
  path: '/ws/campaigns',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    ['ping', 'pong', 'get_campaign'].includes(rule.subscribe),
  ),
};

/** Options of {@link CampaignsClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface CampaignsClientOptions extends Omit<ClientOptions, 'query'> {
  query: CampaignsQuery;
}

/**
 * Client of `/ws/campaigns`. Progress of message-sending campaigns (source 001 in docs/protocol.md). Application pings here are bare text frames `ping`/`pong`. Data messages: `campaign_update`, `progress_update`, `status_update`, `error_update`, `qr_code`, `completion_update`.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class CampaignsClient extends TidewireClient<CampaignsServerMessage, CampaignsClientMessage> {
  constructor(options: CampaignsClientOptions) {
    super(CAMPAIGNS_ENDPOINT, options);
  }
}
