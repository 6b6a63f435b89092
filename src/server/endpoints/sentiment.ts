import type { EndpointHandler } from '../endpoint-handler.js';
import { periodicStatusHandler } from './periodic-status.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/sentiment` (seed 004): `sentiment_update` on connect, then every minute. */
export function sentimentHandler({ sentiment }: SimulationSources): EndpointHandler {
  return periodicStatusHandler(sentiment);
}
