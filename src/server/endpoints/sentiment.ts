import type { EndpointHandler } from '../endpoint-handler.js';
import type { Follow } from './session-subscriptions.js';
import { periodicStatusHandler } from './periodic-status.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/sentiment` (seed 004): `sentiment_update` on connect, then every minute. */
export function sentimentHandler({ sentiment }: SimulationSources): EndpointHandler & { follow: Follow } {
  return periodicStatusHandler(sentiment);
}
